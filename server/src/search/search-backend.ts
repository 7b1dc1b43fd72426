import type { TherapistSearchQuery, TherapistSearchResult } from '@therapy-field/sync';

/**
 * One search contract, several engines (PostgreSQL by default). A backend answers only with listed
 * therapists (verified, active, active account), whoever asks.
 */
export interface TherapistSearchBackend {
  readonly name: 'postgres' | 'elasticsearch';
  search(query: TherapistSearchQuery): Promise<TherapistSearchResult>;
}

/** The sort a query gets when it names none: relevance when there is text to be relevant to. */
export function effectiveSort(query: TherapistSearchQuery) {
  return query.sort ?? (query.q ? 'relevance' : 'rating');
}

/**
 * The words a free-text query is matched by: letters and digits only (so nothing of the input reaches
 * a LIKE pattern or a query syntax), at most eight.
 */
export function queryWords(text: string | undefined): string[] {
  if (!text) return [];
  return text.normalize('NFC').split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0).slice(0, 8);
}
