import type { estypes } from '@elastic/elasticsearch';
import type { TherapistSearchQuery, TherapistSearchSort } from '@therapy-field/sync';
import { decodeCursor } from '../cursor.js';
import { effectiveSort, queryWords } from '../search-backend.js';
import { greeklish, latinToGreek } from './greeklish.js';

type Clause = estypes.QueryDslQueryContainer;

const isLatin = (word: string) => /^[a-z0-9]+$/i.test(word);
const DAY_MS = 86_400_000;

/** Facet buckets, as the PostgreSQL backend names them. */
const buckets = (field: string, bounds: number[]): estypes.AggregationsAggregationContainer => ({
  range: {
    field,
    ranges: bounds.map((bound, index) => (index === bounds.length - 1 ? { key: `${bound}-`, from: bound } : { key: `${bound}-${bounds[index + 1]}`, from: bound, to: bounds[index + 1] })),
  },
});

/** The sort of each contract sort: one value then the id, like the PostgreSQL backend's cursor. */
function sortClauses(sort: TherapistSearchSort, query: TherapistSearchQuery): estypes.SortCombinations[] {
  const byId: estypes.SortCombinations = { therapist_id: 'asc' };
  switch (sort) {
    case 'relevance':
      return [{ _score: { order: 'desc' } }, byId];
    case 'rating':
      return [{ rating_sort: 'desc' }, byId];
    case 'price':
      return [{ price_sort: 'asc' }, byId];
    case 'next_slot':
      return [{ next_slot_sort: 'asc' }, byId];
    case 'distance':
      return query.near
        ? [{ _geo_distance: { location: { lat: query.near[0], lon: query.near[1] }, order: 'asc', unit: 'km', mode: 'min', distance_type: 'arc' } }, byId]
        : [byId];
  }
}

/** Each word must match somewhere, in any of the ways the PostgreSQL backend accepts it. */
function textClauses(query: TherapistSearchQuery): Clause[] {
  return queryWords(query.q).map((word) => {
    const folded = greeklish(word);
    const ways: Clause[] = [];
    if (folded) ways.push({ wildcard: { search_latin: { value: `*${folded}*` } } });
    if (word.length >= 3) {
      ways.push({ match_bool_prefix: { search_el: word } }, { match_bool_prefix: { search_en: word } });
      if (isLatin(word)) ways.push({ match_bool_prefix: { search_el: latinToGreek(word) } });
    }
    if (word.length >= 4 && folded) ways.push({ match: { names_latin: { query: folded, fuzziness: 'AUTO', boost: 2 } } });
    return { bool: { should: ways, minimum_should_match: 1 } };
  });
}

function filterClauses(query: TherapistSearchQuery, now: Date): Clause[] {
  const filters: Clause[] = [];
  const specializations = [...(query.specializations ?? []), ...(query.specializationId ? [query.specializationId] : [])];
  if (specializations.length) filters.push({ terms: { specializations } });
  if (query.approaches?.length) filters.push({ terms: { approaches: query.approaches } });
  if (query.languages?.length) filters.push({ terms: { languages: query.languages } });
  // The document holds every spelling of its places (place_keys), so the query's own spelling is enough.
  if (query.city) filters.push({ term: { city_keys: greeklish(query.city) } });
  if (query.online) filters.push({ term: { online_therapy: true } });
  if (query.inPerson) filters.push({ term: { in_person_therapy: true } });
  if (query.insurance) filters.push({ term: { accepts_insurance: true } });
  if (query.priceMin !== undefined || query.priceMax !== undefined) {
    filters.push({ range: { price_from: { ...(query.priceMin !== undefined ? { gte: query.priceMin } : {}), ...(query.priceMax !== undefined ? { lte: query.priceMax } : {}) } } });
  }
  if (query.minExperience !== undefined) filters.push({ range: { years_experience: { gte: query.minExperience } } });
  if (query.gender?.length) filters.push({ terms: { gender: query.gender } });
  if (query.availableWithinDays !== undefined) {
    filters.push({ range: { next_free_slot: { lt: new Date(now.getTime() + query.availableWithinDays * DAY_MS).toISOString() } } });
  }
  if (query.near && query.radiusKm !== undefined) {
    filters.push({ geo_distance: { distance: `${query.radiusKm}km`, location: { lat: query.near[0], lon: query.near[1] } } });
  }
  return filters;
}

function facetAggregations(now: Date): Record<string, estypes.AggregationsAggregationContainer> {
  return {
    specializations: { terms: { field: 'specializations', size: 200 } },
    approaches: { terms: { field: 'approaches', size: 200 } },
    languages: { terms: { field: 'languages', size: 200 } },
    cities: { terms: { field: 'cities', size: 200 } },
    gender: { terms: { field: 'gender', size: 10 } },
    price: buckets('price_from', [0, 40, 60, 80]),
    experience: buckets('years_experience', [0, 5, 10, 20]),
    online: { filter: { term: { online_therapy: true } } },
    inPerson: { filter: { term: { in_person_therapy: true } } },
    insurance: { filter: { term: { accepts_insurance: true } } },
    availableWithin7Days: { filter: { range: { next_free_slot: { lt: new Date(now.getTime() + 7 * DAY_MS).toISOString() } } } },
  };
}

/** The search request of one contract query on `alias` (one more hit than the page, to know whether there is a next page). */
export function buildSearchRequest(query: TherapistSearchQuery, alias: string, now = new Date()): estypes.SearchRequest {
  const sort = effectiveSort(query);
  const cursor = query.cursor ? decodeCursor(query.cursor, sort) : undefined;
  const sortValues = sortClauses(sort, query);
  return {
    index: alias,
    query: { bool: { must: textClauses(query), filter: filterClauses(query, now) } },
    sort: sortValues,
    size: query.limit + 1,
    ...(cursor ? { search_after: sortValues.length > 1 ? [cursor.value, cursor.id] : [cursor.id] } : { from: query.offset }),
    track_total_hits: Boolean(query.facets),
    ...(query.facets ? { aggs: facetAggregations(now) } : {}),
  };
}
