import type { estypes } from '@elastic/elasticsearch';
import { QueryTypes, type Sequelize } from 'sequelize';

/**
 * Searches read this alias (ELASTICSEARCH_INDEX names another, e.g. one per test database);
 * `npm run reindex` builds a new index behind it and swaps it over.
 */
export const THERAPIST_INDEX_ALIAS = 'therapists';

/**
 * Seed §12's mapping, kept where it holds (keyword ids, languages and cities, a geo_point per
 * practice location, rating, years, online) and extended to what the search contract needs: text
 * in Greek (the `greek` analyzer: Greek lower case without accents, stop words, stems) and English
 * stems, the Greeklish/ASCII-folded phonetic form PostgreSQL computes (`search_latin`, matched by
 * substring through a wildcard field; `names_latin` for typo-tolerant name matches, ASCII-folded),
 * sort keys without missing values, and what a result shows (stored, not indexed).
 */
export const therapistIndexBody: { settings: estypes.IndicesIndexSettings; mappings: estypes.MappingTypeMapping } = {
  settings: {
    number_of_shards: 1,
    analysis: {
      analyzer: {
        greek_text: { type: 'custom', tokenizer: 'standard', filter: ['greek_lowercase', 'greek_stop', 'greek_stemmer'] },
        english_text: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'english_stop', 'english_stemmer'] },
        latin_folded: { type: 'custom', tokenizer: 'whitespace', filter: ['lowercase', 'asciifolding'] },
      },
      filter: {
        greek_lowercase: { type: 'lowercase', language: 'greek' },
        greek_stop: { type: 'stop', stopwords: '_greek_' },
        greek_stemmer: { type: 'stemmer', language: 'greek' },
        english_stop: { type: 'stop', stopwords: '_english_' },
        english_stemmer: { type: 'stemmer', language: 'english' },
      },
    },
  },
  mappings: {
    dynamic: 'strict',
    properties: {
      therapist_id: { type: 'keyword' },
      name: { type: 'text', analyzer: 'greek_text', fields: { keyword: { type: 'keyword' }, en: { type: 'text', analyzer: 'english_text' } } },
      search_el: { type: 'text', analyzer: 'greek_text' },
      search_en: { type: 'text', analyzer: 'english_text' },
      search_latin: { type: 'wildcard' },
      names_latin: { type: 'text', analyzer: 'latin_folded' },
      bio: { type: 'text', analyzer: 'greek_text', fields: { en: { type: 'text', analyzer: 'english_text' } } },
      specializations: { type: 'keyword' },
      approaches: { type: 'keyword' },
      languages: { type: 'keyword' },
      cities: { type: 'keyword' },
      city_keys: { type: 'keyword' },
      location: { type: 'geo_point' },
      gender: { type: 'keyword' },
      rating: { type: 'float' },
      review_count: { type: 'integer' },
      years_experience: { type: 'integer' },
      online_therapy: { type: 'boolean' },
      in_person_therapy: { type: 'boolean' },
      accepts_insurance: { type: 'boolean' },
      price_from: { type: 'scaled_float', scaling_factor: 100 },
      next_free_slot: { type: 'date' },
      rating_sort: { type: 'double' },
      price_sort: { type: 'double' },
      next_slot_sort: { type: 'double' },
      last_updated: { type: 'date' },
      display: { type: 'object', enabled: false },
    },
  },
};

/** What a result shows, as the PostgreSQL backend reads it from the document row. */
export interface TherapistDisplay {
  firstName: string;
  lastName: string;
  nameLatin: string;
  photoUrl: string | null;
  title: string | null;
  bio: string | null;
  specializationsEn: string[];
  specializationsEl: string[];
  approachesEn: string[];
  approachesEl: string[];
  locations: Array<{ lat: number; lon: number }>;
}

export interface TherapistDocument {
  therapist_id: string;
  name: string;
  search_el: string;
  search_en: string;
  search_latin: string;
  names_latin: string;
  bio: string | null;
  specializations: string[];
  approaches: string[];
  languages: string[];
  cities: string[];
  city_keys: string[];
  location: Array<{ lat: number; lon: number }>;
  gender: string | null;
  rating: number | null;
  review_count: number;
  years_experience: number | null;
  online_therapy: boolean;
  in_person_therapy: boolean;
  accepts_insurance: boolean;
  price_from: number | null;
  next_free_slot: string | null;
  rating_sort: number;
  price_sort: number;
  next_slot_sort: number;
  last_updated: string;
  display: TherapistDisplay;
}

interface DocumentRow {
  therapist_id: string;
  listed: boolean;
  first_name: string;
  last_name: string;
  name_latin: string;
  photo_url: string | null;
  title: string | null;
  bio: string | null;
  gender: string | null;
  years_of_experience: number | null;
  accepts_insurance: boolean;
  offers_online: boolean;
  offers_in_person: boolean;
  specialization_ids: string[];
  specializations_en: string[];
  specializations_el: string[];
  approach_ids: string[];
  approaches_en: string[];
  approaches_el: string[];
  languages: string[];
  cities: string[];
  city_keys: string[];
  price_from: string | null;
  rating: string | null;
  review_count: number;
  next_free_slot: Date | null;
  search_latin: string;
  names_latin: string;
  updated_at: Date;
  locations: Array<{ lat: number; lon: number }> | null;
}

const DOCUMENT_SELECT = `
  SELECT d.*, (SELECT json_agg(json_build_object('lat', l.latitude::float8, 'lon', l.longitude::float8))
                 FROM therapist_locations l
                WHERE l.therapist_id = d.therapist_id AND l.is_active AND l.latitude IS NOT NULL) AS locations
    FROM therapist_search_documents d`;

/** The current documents of `therapistIds` (absent or unlisted ones are left out: they must not be in the index). */
export async function listedDocuments(sequelize: Sequelize, therapistIds: string[]): Promise<Map<string, TherapistDocument>> {
  if (therapistIds.length === 0) return new Map();
  const rows = await sequelize.query<DocumentRow>(`${DOCUMENT_SELECT} WHERE d.listed AND d.therapist_id IN (:therapistIds)`, {
    type: QueryTypes.SELECT,
    replacements: { therapistIds },
  });
  return new Map(rows.map((row) => [row.therapist_id, toDocument(row)]));
}

/** One page of every listed document in id order, for a full reindex. */
export async function listedDocumentPage(sequelize: Sequelize, afterId: string | null, limit: number): Promise<TherapistDocument[]> {
  const rows = await sequelize.query<DocumentRow>(
    `${DOCUMENT_SELECT} WHERE d.listed ${afterId ? 'AND d.therapist_id > :afterId' : ''} ORDER BY d.therapist_id LIMIT :limit`,
    { type: QueryTypes.SELECT, replacements: { afterId, limit } },
  );
  return rows.map(toDocument);
}

export async function countListed(sequelize: Sequelize): Promise<number> {
  const [row] = await sequelize.query<{ count: number }>(`SELECT count(*)::int AS count FROM therapist_search_documents WHERE listed`, { type: QueryTypes.SELECT });
  return row?.count ?? 0;
}

const text = (...parts: Array<string | null | string[]>) => parts.flat().filter((part): part is string => Boolean(part)).join(' ');

function toDocument(row: DocumentRow): TherapistDocument {
  const name = `${row.first_name} ${row.last_name}`;
  const all = text(name, row.name_latin, row.title, row.bio, row.specializations_en, row.specializations_el, row.approaches_en, row.approaches_el, row.cities);
  const rating = row.rating === null ? null : Number(row.rating);
  const price = row.price_from === null ? null : Number(row.price_from);
  return {
    therapist_id: row.therapist_id,
    name,
    search_el: all,
    search_en: all,
    search_latin: text(row.search_latin, row.city_keys),
    names_latin: row.names_latin,
    bio: row.bio,
    specializations: row.specialization_ids,
    approaches: row.approach_ids,
    languages: row.languages,
    cities: row.cities,
    city_keys: row.city_keys,
    location: row.locations ?? [],
    gender: row.gender,
    rating,
    review_count: row.review_count,
    years_experience: row.years_of_experience,
    online_therapy: row.offers_online,
    in_person_therapy: row.offers_in_person,
    accepts_insurance: row.accepts_insurance,
    price_from: price,
    next_free_slot: row.next_free_slot ? new Date(row.next_free_slot).toISOString() : null,
    // The PostgreSQL backend's sort values, so a cursor means the same on both.
    rating_sort: (rating ?? 0) * 100000 + Math.min(row.review_count, 99999),
    price_sort: price ?? 1e9,
    next_slot_sort: row.next_free_slot ? new Date(row.next_free_slot).getTime() / 1000 : 1e12,
    last_updated: new Date(row.updated_at).toISOString(),
    display: {
      firstName: row.first_name,
      lastName: row.last_name,
      nameLatin: row.name_latin,
      photoUrl: row.photo_url,
      title: row.title,
      bio: row.bio,
      specializationsEn: row.specializations_en,
      specializationsEl: row.specializations_el,
      approachesEn: row.approaches_en,
      approachesEl: row.approaches_el,
      locations: row.locations ?? [],
    },
  };
}
