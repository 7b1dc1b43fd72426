import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { TherapistSearchFacets, TherapistSearchItem, TherapistSearchQuery, TherapistSearchResult, TherapistSearchSort } from '@therapy-field/sync';
import { toIsoInZone } from '../../scheduling/index.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { effectiveSort, queryWords, type TherapistSearchBackend } from '../search-backend.js';

const DISPLAY_ZONE = 'Europe/Athens';
/** pg_trgm word similarity a name must reach to count as a misspelling of the query word. */
const NAME_TYPO_SIMILARITY = 0.5;

/** How a sort orders: the value it compares (never NULL: missing values go last) and its direction. */
const sortKeys: Record<TherapistSearchSort, { value: string; direction: 'ASC' | 'DESC' }> = {
  relevance: { value: 'm.rank', direction: 'DESC' },
  rating: { value: 'coalesce(m.rating, 0)::float8 * 100000 + least(m.review_count, 99999)', direction: 'DESC' },
  price: { value: 'coalesce(m.price_from, 1e9)::float8', direction: 'ASC' },
  next_slot: { value: 'coalesce(extract(epoch FROM m.next_free_slot), 1e12)::float8', direction: 'ASC' },
  distance: { value: 'coalesce(m.distance_km, 1e9)::float8', direction: 'ASC' },
};

const isLatin = (word: string) => /^[a-z0-9]+$/i.test(word);

interface Row {
  therapist_id: string;
  name: string;
  photo_url: string | null;
  title: string | null;
  bio: string | null;
  specializations_en: string[];
  specializations_el: string[];
  specialization_ids: string[];
  approaches_en: string[];
  approaches_el: string[];
  languages: string[];
  cities: string[];
  years_of_experience: number | null;
  price_from: string | null;
  rating: string | null;
  review_count: number;
  next_free_slot: Date | null;
  offers_online: boolean;
  offers_in_person: boolean;
  accepts_insurance: boolean;
  distance_km: number | null;
  sort_value: number;
}

/**
 * The directory search on PostgreSQL, over `therapist_search_documents` (migration 1400): one
 * statement answers the page and, when asked, the facets.
 */
export class PostgresTherapistSearch implements TherapistSearchBackend {
  readonly name = 'postgres';

  constructor(private readonly sequelize: Sequelize) {}

  async search(query: TherapistSearchQuery): Promise<TherapistSearchResult> {
    const sort = effectiveSort(query);
    const replacements: Record<string, unknown> = { lang: query.lang };
    const where = ['d.listed', ...this.textConditions(query, replacements), ...this.filterConditions(query, replacements)];
    // Only a relevance sort reads the rank: other sorts skip computing it for every match.
    const rank = sort === 'relevance' ? this.rankExpression(query) : '0';
    const key = sortKeys[sort];
    const page: string[] = [];
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, sort);
      Object.assign(replacements, { cursorValue: cursor.value, cursorId: cursor.id });
      page.push(`(p.sort_value ${key.direction === 'DESC' ? '<' : '>'} :cursorValue OR (p.sort_value = :cursorValue AND p.therapist_id > :cursorId))`);
    }
    Object.assign(replacements, { limit: query.limit + 1, offset: query.cursor ? 0 : query.offset });

    // The matches carry only what sorting and facets read; the page's 20 rows are joined back for display.
    const sql = `
      WITH ${query.near ? `${this.nearbyLocations(query, replacements)},` : ''}
      matched AS MATERIALIZED (
        SELECT d.therapist_id, ${rank}::float8 AS rank, ${query.near ? 'n.km' : 'NULL::float8'} AS distance_km,
               d.rating, d.review_count, d.price_from, d.next_free_slot
               ${query.facets ? ', d.specialization_ids, d.approach_ids, d.languages, d.cities, d.gender, d.years_of_experience, d.offers_online, d.offers_in_person, d.accepts_insurance' : ''}
          FROM therapist_search_documents d
          ${query.near ? `${query.radiusKm !== undefined ? 'JOIN' : 'LEFT JOIN'} nearby n ON n.therapist_id = d.therapist_id` : ''}
         WHERE ${where.join('\n           AND ')}
      ),
      page AS (
        SELECT p.therapist_id, p.distance_km, p.sort_value FROM (SELECT m.*, (${key.value})::float8 AS sort_value FROM matched m) p
         ${page.length ? `WHERE ${page.join(' AND ')}` : ''}
         ORDER BY p.sort_value ${key.direction}, p.therapist_id
         LIMIT :limit OFFSET :offset
      )
      SELECT (SELECT coalesce(json_agg(row_to_json(r) ORDER BY r.sort_value ${key.direction}, r.therapist_id), '[]') FROM (
                SELECT d.therapist_id,
                       CASE WHEN :lang = 'en' AND (d.first_name || d.last_name) ~ '[Α-Ωα-ωΆ-ώ]' THEN d.name_latin ELSE d.first_name || ' ' || d.last_name END AS name,
                       d.photo_url, d.title, d.bio, d.specializations_en, d.specializations_el, d.specialization_ids, d.approaches_en, d.approaches_el,
                       d.languages, d.cities, d.years_of_experience, d.price_from, d.rating, d.review_count, d.next_free_slot, d.offers_online,
                       d.offers_in_person, d.accepts_insurance, page.distance_km, page.sort_value
                  FROM page JOIN therapist_search_documents d ON d.therapist_id = page.therapist_id) r) AS items
             ${query.facets ? `, ${facetsSelect}` : ''}`;
    const run = (transaction?: Transaction) =>
      this.sequelize.query<{ items: Row[]; facets?: TherapistSearchFacets }>(sql, { type: QueryTypes.SELECT, replacements, transaction });
    // Only a name-typo match (a word of four letters or more) reads the similarity threshold; other
    // searches spare the three round trips of a transaction around it.
    const [result] = queryWords(query.q).some((word) => word.length >= 4)
      ? await this.sequelize.transaction(async (transaction) => {
          // A name one letter off ("papdaki") scores about 0.55 against the name; the default 0.6 misses it.
          await this.sequelize.query(`SELECT set_config('pg_trgm.word_similarity_threshold', :threshold, true)`, {
            type: QueryTypes.SELECT, replacements: { threshold: String(NAME_TYPO_SIMILARITY) }, transaction,
          });
          return run(transaction);
        })
      : await run();
    const rows = result!.items;
    const more = rows.length > query.limit;
    const shown = more ? rows.slice(0, query.limit) : rows;
    const last = shown.at(-1);
    return {
      items: shown.map(toItem),
      nextCursor: more && last ? encodeCursor({ sort, value: last.sort_value, id: last.therapist_id }) : null,
      ...(query.facets ? { facets: result!.facets! } : {}),
    };
  }

  /**
   * Each word must match somewhere, in any of the ways migration 1400 describes. The search
   * functions are immutable, so PostgreSQL folds them into constants and the indexes apply.
   */
  private textConditions(query: TherapistSearchQuery, replacements: Record<string, unknown>): string[] {
    return queryWords(query.q).map((word, index) => {
      const name = `word${index}`;
      replacements[name] = word;
      const ways = [`d.search_latin LIKE '%' || f_greeklish(:${name}) || '%'`];
      if (word.length >= 3) {
        ways.push(`d.search_el @@ f_prefix_tsquery('greek', :${name})`, `d.search_en @@ f_prefix_tsquery('english', :${name})`);
        if (isLatin(word)) ways.push(`d.search_el @@ f_prefix_tsquery('greek', f_latin_to_greek(:${name}))`);
      }
      if (word.length >= 4) ways.push(`f_greeklish(:${name}) <% d.names_latin`);
      return `(${ways.join(' OR ')})`;
    });
  }

  /** Stem matches in either language, a name containing the word weighs most, a close name spelling a little less. */
  private rankExpression(query: TherapistSearchQuery): string {
    const words = queryWords(query.q);
    if (words.length === 0) return '0';
    return words
      .map((_, index) => {
        const name = `:word${index}`;
        return `(coalesce(ts_rank(d.search_el, f_prefix_tsquery('greek', ${name})), 0)
               + coalesce(ts_rank(d.search_en, f_prefix_tsquery('english', ${name})), 0)
               + CASE WHEN d.names_latin LIKE '%' || f_greeklish(${name}) || '%' THEN 1 ELSE 0 END
               + word_similarity(f_greeklish(${name}), d.names_latin) * 0.5)`;
      })
      .join(' + ');
  }

  /**
   * Each therapist's nearest active location to `near` (km), one grouped pass over the locations
   * (within the radius only, found through the earthdistance index, when there is one).
   */
  private nearbyLocations(query: TherapistSearchQuery, replacements: Record<string, unknown>): string {
    Object.assign(replacements, { lat: query.near![0], lng: query.near![1] });
    const distance = 'earth_distance(ll_to_earth(:lat, :lng), ll_to_earth(l.latitude, l.longitude))';
    const within = query.radiusKm === undefined ? '' : `AND earth_box(ll_to_earth(:lat, :lng), :radiusMetres) @> ll_to_earth(l.latitude, l.longitude) AND ${distance} <= :radiusMetres`;
    if (query.radiusKm !== undefined) replacements.radiusMetres = query.radiusKm * 1000;
    return `nearby AS MATERIALIZED (
        SELECT l.therapist_id, min(${distance}) / 1000 AS km
          FROM therapist_locations l
         WHERE l.is_active AND l.latitude IS NOT NULL ${within}
         GROUP BY l.therapist_id
      )`;
  }

  private filterConditions(query: TherapistSearchQuery, replacements: Record<string, unknown>): string[] {
    const conditions: string[] = [];
    const add = (condition: string, values: Record<string, unknown>) => {
      conditions.push(condition);
      Object.assign(replacements, values);
    };
    const specializations = [...(query.specializations ?? []), ...(query.specializationId ? [query.specializationId] : [])];
    if (specializations.length) add('d.specialization_ids && CAST(ARRAY[:specializations] AS uuid[])', { specializations });
    if (query.approaches?.length) add('d.approach_ids && CAST(ARRAY[:approaches] AS uuid[])', { approaches: query.approaches });
    if (query.languages?.length) add('d.languages && CAST(ARRAY[:languages] AS text[])', { languages: query.languages });
    // A subquery, so the (STABLE, table-reading) spelling list is computed once, not per row.
    if (query.city) add('d.city_keys && (SELECT place_keys(:city))', { city: query.city });
    if (query.online) add('d.offers_online', {});
    if (query.inPerson) add('d.offers_in_person', {});
    if (query.insurance) add('d.accepts_insurance', {});
    if (query.priceMin !== undefined) add('d.price_from >= :priceMin', { priceMin: query.priceMin });
    if (query.priceMax !== undefined) add('d.price_from <= :priceMax', { priceMax: query.priceMax });
    if (query.minExperience !== undefined) add('d.years_of_experience >= :minExperience', { minExperience: query.minExperience });
    if (query.gender?.length) add('d.gender::text IN (:gender)', { gender: query.gender });
    if (query.availableWithinDays !== undefined) {
      add(`d.next_free_slot < now() + make_interval(days => :withinDays)`, { withinDays: query.availableWithinDays });
    }
    return conditions;
  }
}

// Grouped by the value itself, then turned into text: one cast per distinct value, not per row.
const countsOf = (values: string) =>
  `(SELECT coalesce(json_agg(json_build_object('value', v::text, 'count', n) ORDER BY n DESC, v::text), '[]')
      FROM (SELECT v, count(*)::int AS n FROM matched, ${values} AS v WHERE v IS NOT NULL GROUP BY 1) x)`;
const bucketsOf = (column: string, bounds: number[]) =>
  `(SELECT coalesce(json_agg(json_build_object('value', b, 'count', n) ORDER BY lower_bound), '[]') FROM (
      SELECT CASE ${bounds
        .map((bound, index) => (index === bounds.length - 1 ? `ELSE '${bound}-'` : `WHEN ${column} < ${bounds[index + 1]} THEN '${bound}-${bounds[index + 1]}'`))
        .join(' ')} END AS b,
             min(${column}) AS lower_bound, count(*)::int AS n
        FROM matched WHERE ${column} IS NOT NULL GROUP BY 1) x)`;

const facetsSelect = `json_build_object(
    'total', (SELECT count(*)::int FROM matched),
    'specializations', ${countsOf('unnest(matched.specialization_ids)')},
    'approaches', ${countsOf('unnest(matched.approach_ids)')},
    'languages', ${countsOf('unnest(matched.languages)')},
    'cities', ${countsOf('unnest(matched.cities)')},
    'gender', ${countsOf('unnest(ARRAY[matched.gender::text])')},
    'price', ${bucketsOf('price_from', [0, 40, 60, 80])},
    'experience', ${bucketsOf('years_of_experience', [0, 5, 10, 20])},
    'online', (SELECT count(*)::int FROM matched WHERE offers_online),
    'inPerson', (SELECT count(*)::int FROM matched WHERE offers_in_person),
    'insurance', (SELECT count(*)::int FROM matched WHERE accepts_insurance),
    'availableWithin7Days', (SELECT count(*)::int FROM matched WHERE next_free_slot < now() + interval '7 days')
  ) AS facets`;

function toItem(row: Row): TherapistSearchItem {
  return {
    id: row.therapist_id,
    name: row.name,
    photoUrl: row.photo_url,
    title: row.title,
    bio: row.bio,
    specializations: row.specializations_en,
    specializationsEl: row.specializations_el,
    specializationIds: row.specialization_ids,
    approaches: row.approaches_en,
    approachesEl: row.approaches_el,
    languages: row.languages,
    cities: row.cities,
    yearsOfExperience: row.years_of_experience,
    priceFrom: row.price_from === null ? null : Number(row.price_from),
    currency: 'EUR',
    rating: row.rating === null ? null : Number(row.rating),
    reviewCount: row.review_count,
    nextFreeSlot: row.next_free_slot ? toIsoInZone(new Date(row.next_free_slot), DISPLAY_ZONE) : null,
    online: row.offers_online,
    inPerson: row.offers_in_person,
    acceptsInsurance: row.accepts_insurance,
    distanceKm: row.distance_km === null ? null : Math.round(row.distance_km * 10) / 10,
  };
}
