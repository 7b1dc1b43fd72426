import { randomBytes } from 'node:crypto';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createClient, type TherapyFieldClient } from '@therapy-field/client-sdk';

/** An SDK client with no local collections and no socket: REST only. Close it after the test. */
export function restOnlyClient(url: string, options: { httpTimeoutMs?: number } = {}): Promise<TherapyFieldClient<never>> {
  return createClient({ url, storage: getRxStorageMemory(), collections: [], realtime: false, databaseName: `rest${randomBytes(5).toString('hex')}`, ...options });
}
