import { AppError } from '@therapy-field/sync';

/** Where a newest-first page ended: the last row's creation time (as PostgreSQL prints it, microseconds kept) and id. */
export interface PagePosition {
  createdAt: string;
  id: string;
}

/** The opaque `nextCursor` a list answers. */
export const encodePageCursor = (position: PagePosition): string => Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');

const postgresTimestamp = /^(\d{4})-(\d{2})-(\d{2})[ T]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?([+-]\d{2}(:\d{2}){0,2}|Z)$/;

/** What encodePageCursor writes (timestamptz::text): a forged cursor must fail here, not as a cast error in PostgreSQL. */
function isPostgresTimestamp(text: string): boolean {
  const match = postgresTimestamp.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1, 4).map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads a cursor this API returned; anything else is a 400 on `cursor`. */
export function decodePageCursor(cursor: string): PagePosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && isPostgresTimestamp(createdAt) && uuid.test(id)) return { createdAt, id };
  } catch {
    // falls through to the validation error
  }
  throw new AppError('INVALID_CURSOR', 'Invalid cursor', [{ path: 'cursor', message: 'not a cursor this API returned' }]);
}
