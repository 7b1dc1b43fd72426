import type { Client } from '@elastic/elasticsearch';
import type { TherapistSearchFacets, TherapistSearchItem, TherapistSearchQuery, TherapistSearchResult } from '@therapy-field/sync';
import { toIsoInZone } from '../../scheduling/index.js';
import { encodeCursor } from '../cursor.js';
import { effectiveSort, type TherapistSearchBackend } from '../search-backend.js';
import { buildSearchRequest } from './query-builder.js';
import type { TherapistDocument } from './therapist-index.js';

const DISPLAY_ZONE = 'Europe/Athens';
/** earthdistance's earth radius, so both backends measure the same kilometres. */
const EARTH_RADIUS_KM = 6378.168;
/** The PostgreSQL backend's stand-in for "no value" in a cursor (JSON has no Infinity). */
const MISSING_SORT_VALUE = 1e9;

interface Bucket {
  key: string | number;
  doc_count: number;
}
type Aggregations = Record<string, { buckets?: Bucket[]; doc_count?: number }>;

const greek = /[Α-Ωα-ωΆ-ώ]/;

function distanceKm(from: [number, number], points: Array<{ lat: number; lon: number }>): number | null {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const distances = points.map(({ lat, lon }) => {
    const dLat = radians(lat - from[0]);
    const dLon = radians(lon - from[1]);
    const a = Math.sin(dLat / 2) ** 2 + Math.cos(radians(from[0])) * Math.cos(radians(lat)) * Math.sin(dLon / 2) ** 2;
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  });
  return distances.length ? Math.min(...distances) : null;
}

function toItem(document: TherapistDocument, query: TherapistSearchQuery): TherapistSearchItem {
  const { display } = document;
  const distance = query.near ? distanceKm(query.near, display.locations) : null;
  return {
    id: document.therapist_id,
    name: query.lang === 'en' && greek.test(display.firstName + display.lastName) ? display.nameLatin : `${display.firstName} ${display.lastName}`,
    photoUrl: display.photoUrl,
    title: display.title,
    bio: display.bio,
    specializations: display.specializationsEn,
    specializationsEl: display.specializationsEl,
    specializationIds: document.specializations,
    approaches: display.approachesEn,
    approachesEl: display.approachesEl,
    languages: document.languages,
    cities: document.cities,
    yearsOfExperience: document.years_experience,
    priceFrom: document.price_from,
    currency: 'EUR',
    rating: document.rating,
    reviewCount: document.review_count,
    nextFreeSlot: document.next_free_slot ? toIsoInZone(new Date(document.next_free_slot), DISPLAY_ZONE) : null,
    online: document.online_therapy,
    inPerson: document.in_person_therapy,
    acceptsInsurance: document.accepts_insurance,
    distanceKm: distance === null ? null : Math.round(distance * 10) / 10,
  };
}

function toFacets(aggregations: Aggregations, total: number): TherapistSearchFacets {
  const counts = (name: string) => (aggregations[name]?.buckets ?? []).filter((bucket) => bucket.doc_count > 0).map((bucket) => ({ value: String(bucket.key), count: bucket.doc_count }));
  const count = (name: string) => aggregations[name]?.doc_count ?? 0;
  return {
    total,
    specializations: counts('specializations'),
    approaches: counts('approaches'),
    languages: counts('languages'),
    cities: counts('cities'),
    gender: counts('gender'),
    price: counts('price'),
    experience: counts('experience'),
    online: count('online'),
    inPerson: count('inPerson'),
    insurance: count('insurance'),
    availableWithin7Days: count('availableWithin7Days'),
  };
}

/** The directory search on Elasticsearch (SEARCH_BACKEND=elasticsearch), over the alias the indexer feeds. */
export class ElasticsearchTherapistSearch implements TherapistSearchBackend {
  readonly name = 'elasticsearch';

  constructor(
    private readonly client: Client,
    private readonly alias: string,
  ) {}

  async search(query: TherapistSearchQuery): Promise<TherapistSearchResult> {
    const sort = effectiveSort(query);
    const response = await this.client.search<TherapistDocument>(buildSearchRequest(query, this.alias));
    const hits = response.hits.hits;
    const more = hits.length > query.limit;
    const shown = more ? hits.slice(0, query.limit) : hits;
    const last = shown.at(-1);
    const lastValue = Number(last?.sort?.[0]);
    const total = typeof response.hits.total === 'number' ? response.hits.total : (response.hits.total?.value ?? 0);
    return {
      items: shown.map((hit) => toItem(hit._source!, query)),
      nextCursor:
        more && last
          ? encodeCursor({ sort, value: last.sort && last.sort.length > 1 && Number.isFinite(lastValue) ? lastValue : MISSING_SORT_VALUE, id: last._source!.therapist_id })
          : null,
      ...(query.facets ? { facets: toFacets((response.aggregations ?? {}) as Aggregations, total) } : {}),
    };
  }
}
