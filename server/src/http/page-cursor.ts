import { ValidationError } from '@therapy-field/sync';

/** Where a newest-first page ended: the last row's creation time (as PostgreSQL prints it, microseconds kept) and id. */
export interface PagePosition {
  createdAt: string;
  id: string;
}

/** The opaque `nextCursor` a list answers. */
export const encodePageCursor = (position: PagePosition): string => Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');

/** Reads a cursor this API returned; anything else is a 400 on `cursor`. */
export function decodePageCursor(cursor: string): PagePosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt)) && /^[0-9a-f-]{36}$/i.test(id)) return { createdAt, id };
  } catch {
    // falls through to the validation error
  }
  throw new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'not a cursor this API returned' }]);
}
