/**
 * One change a user should see, as the change log numbers it. `seq` counts 1, 2, 3… per user in
 * commit order with no gaps: a client that holds seq N and receives N + 2 knows it missed N + 1.
 */
export interface Change {
  seq: number;
  collection: string;
  recordId: string;
  operation: 'upsert' | 'delete';
}
