import { ValidationError, type TherapistSearchSort } from '@therapy-field/sync';

/** Where a page ended: the sort it belongs to, the last row's sort value and id. */
export interface SearchCursor {
  sort: TherapistSearchSort;
  value: number;
  id: string;
}

export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The cursor of `text`, refused with a 400 when it is not one this sort gave out. */
export function decodeCursor(text: string, sort: TherapistSearchSort): SearchCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== sort || typeof parsed[1] !== 'number' || !Number.isFinite(parsed[1]) || typeof parsed[2] !== 'string' || !uuid.test(parsed[2])) {
    throw new ValidationError('Invalid query', [{ path: 'cursor', message: 'not a cursor of this search and sort' }]);
  }
  return { sort, value: parsed[1], id: parsed[2] };
}
