import { z } from 'zod';

/** Shared field types: bounded so RxDB can index them and the server can size-check them. */
export const idField = z.uuid();
export const timestampField = z.iso.datetime({ offset: true }).max(40);
export const scoreField = z.number().int().min(1).max(10);
export const labelListField = z.array(z.string().min(1).max(50)).max(30);

/** Times a device may log: not before 2000 and not more than a day ahead of the server's clock. */
export function checkLoggedAt(field: string, value: string, now: Date): string[] {
  const time = Date.parse(value);
  if (time < Date.UTC(2000, 0, 1)) return [`${field}: before 2000-01-01`];
  if (time > now.getTime() + 86_400_000) return [`${field}: more than a day in the future`];
  return [];
}
