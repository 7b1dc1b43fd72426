import { z } from 'zod';
import { timeZoneSchema } from './common.js';

const money = z.number().positive().multipleOf(0.01);
const languageCode = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'an ISO 639-1 code such as "el"');

/** A catalogue entry named in both languages (specializations, therapeutic approaches). */
export const catalogEntrySchema = z.object({
  id: z.uuid(),
  nameEn: z.string(),
  nameEl: z.string(),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

export const createCatalogEntryRequestSchema = z
  .object({
    nameEn: z.string().trim().min(1).max(100),
    nameEl: z.string().trim().min(1).max(100),
    category: z.string().trim().max(50).optional(),
    abbreviation: z.string().trim().max(20).optional(),
  })
  .strict();

export const appointmentTypeSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  durationMinutes: z.number().int(),
  isInitialAssessment: z.boolean(),
  requiresPaymentUpfront: z.boolean(),
});
export type AppointmentType = z.infer<typeof appointmentTypeSchema>;

export const createAppointmentTypeRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    durationMinutes: z.number().int().min(5).max(480),
    description: z.string().max(2000).optional(),
    isInitialAssessment: z.boolean().default(false),
    requiresPaymentUpfront: z.boolean().default(false),
  })
  .strict();

export const locationSchema = z.object({
  id: z.uuid(),
  practiceName: z.string().nullable(),
  addressLine1: z.string(),
  city: z.string(),
  postalCode: z.string().nullable(),
  country: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
});

export const createLocationRequestSchema = z
  .object({
    practiceName: z.string().trim().max(200).optional(),
    addressLine1: z.string().trim().min(1).max(255),
    city: z.string().trim().min(1).max(100),
    postalCode: z.string().trim().max(20).optional(),
    country: z.string().length(2).default('GR'),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  })
  .strict();

export const rateSchema = z.object({
  id: z.uuid(),
  appointmentTypeId: z.uuid().nullable(),
  amount: z.number(),
  currency: z.string(),
  effectiveFrom: z.iso.date(),
  effectiveTo: z.iso.date().nullable(),
  corporateRate: z.number().nullable(),
  slidingScaleAvailable: z.boolean(),
  slidingScaleMinimum: z.number().nullable(),
});

export const createRateRequestSchema = z
  .object({
    appointmentTypeId: z.uuid().optional(),
    amount: money,
    currency: z.literal('EUR').default('EUR'),
    effectiveFrom: z.iso.date(),
    effectiveTo: z.iso.date().optional(),
    corporateRate: money.optional(),
    slidingScaleAvailable: z.boolean().default(false),
    slidingScaleMinimum: money.optional(),
  })
  .strict()
  .refine((rate) => !rate.effectiveTo || rate.effectiveTo >= rate.effectiveFrom, { path: ['effectiveTo'], message: 'must not be before effectiveFrom' })
  .refine((rate) => !rate.slidingScaleMinimum || rate.slidingScaleAvailable, {
    path: ['slidingScaleMinimum'],
    message: 'needs slidingScaleAvailable',
  });

/** Scheduling settings a therapist controls; times are in `timezone`. */
export const schedulingSettingsSchema = z.object({
  timezone: timeZoneSchema,
  bufferMinutes: z.number().int().min(0).max(240),
  minNoticeMinutes: z.number().int().min(0).max(60 * 24 * 30),
  bookingHorizonDays: z.number().int().min(1).max(730),
  instantConfirmation: z.boolean(),
});

export const therapistProfileSchema = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  professionalTitle: z.string().nullable(),
  bio: z.string().nullable(),
  yearsOfExperience: z.number().int().nullable(),
  licenseNumber: z.string(),
  licenseType: z.string().nullable(),
  licenseIssuedDate: z.iso.date().nullable(),
  licenseExpiryDate: z.iso.date().nullable(),
  offersOnlineTherapy: z.boolean(),
  offersInPersonTherapy: z.boolean(),
  isVerified: z.boolean(),
  isActive: z.boolean(),
  settings: schedulingSettingsSchema,
  specializations: z.array(catalogEntrySchema.extend({ isPrimary: z.boolean(), yearsExperience: z.number().int().nullable() })),
  approaches: z.array(catalogEntrySchema.extend({ proficiency: z.string().nullable() })),
  languages: z.array(z.object({ code: z.string(), proficiency: z.string().nullable() })),
  locations: z.array(locationSchema),
  rates: z.array(rateSchema),
});
export type TherapistProfile = z.infer<typeof therapistProfileSchema>;

export const updateTherapistRequestSchema = z
  .object({
    professionalTitle: z.string().trim().max(200).nullable(),
    bio: z.string().max(5000).nullable(),
    yearsOfExperience: z.number().int().min(0).max(70).nullable(),
    licenseType: z.string().trim().max(100).nullable(),
    licenseIssuedDate: z.iso.date().nullable(),
    licenseExpiryDate: z.iso.date().nullable(),
    offersOnlineTherapy: z.boolean(),
    offersInPersonTherapy: z.boolean(),
    isActive: z.boolean(),
    settings: schedulingSettingsSchema.partial().strict(),
  })
  .partial()
  .strict();
export type UpdateTherapistRequest = z.infer<typeof updateTherapistRequestSchema>;

export const setSpecializationsRequestSchema = z.array(
  z.object({ id: z.uuid(), isPrimary: z.boolean().default(false), yearsExperience: z.number().int().min(0).max(70).optional() }).strict(),
).max(30);
export const setApproachesRequestSchema = z.array(
  z.object({ id: z.uuid(), proficiency: z.enum(['basic', 'intermediate', 'advanced', 'expert']).optional() }).strict(),
).max(30);
export const setLanguagesRequestSchema = z.array(
  z.object({ code: languageCode, proficiency: z.enum(['basic', 'conversational', 'fluent', 'native']).optional() }).strict(),
).max(20);

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');
/** A list in one query parameter, comma-separated (`a,b`), as `String(array)` writes it. */
const listQuery = <Item extends z.ZodType<unknown, string>>(item: Item, max: number) =>
  z.string().max(2000).transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean)).pipe(z.array(item).max(max));

export const therapistSearchSorts = ['relevance', 'rating', 'price', 'next_slot', 'distance'] as const;
export type TherapistSearchSort = (typeof therapistSearchSorts)[number];

/**
 * The directory search: free text (names in either script, places, specializations, approaches,
 * bio; Greek, English or Greeklish; accents, case, prefixes and small typos on names forgiven),
 * filters, a sort, a cursor and, on request, facet counts. All filters hold together (AND); the
 * lists inside one filter are alternatives (OR).
 */
export const therapistSearchQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional(),
    /** The reader's language: names of Greek therapists are transliterated for `en`. @default 'el' */
    lang: z.enum(['el', 'en']).default('el'),
    city: z.string().trim().max(100).optional(),
    /** One specialization (kept for older clients); `specializations` takes several. */
    specializationId: z.uuid().optional(),
    specializations: listQuery(z.uuid(), 30).optional(),
    approaches: listQuery(z.uuid(), 30).optional(),
    languages: listQuery(languageCode, 10).optional(),
    online: booleanQuery.optional(),
    inPerson: booleanQuery.optional(),
    insurance: booleanQuery.optional(),
    priceMin: z.coerce.number().min(0).max(10_000).optional(),
    priceMax: z.coerce.number().min(0).max(10_000).optional(),
    minExperience: z.coerce.number().int().min(0).max(70).optional(),
    gender: listQuery(z.enum(['male', 'female', 'other']), 3).optional(),
    /** Only therapists with a free slot starting within this many days. */
    availableWithinDays: z.coerce.number().int().min(1).max(90).optional(),
    /** A point `lat,lng` to measure distance from (for `radiusKm` and `sort=distance`). */
    near: z
      .string()
      .regex(/^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$/, 'latitude,longitude')
      .transform((value) => value.split(',').map(Number) as [number, number])
      .refine(([lat, lng]) => Math.abs(lat) <= 90 && Math.abs(lng) <= 180, 'latitude within ±90, longitude within ±180')
      .optional(),
    radiusKm: z.coerce.number().positive().max(1000).optional(),
    /** @default 'relevance' with `q`, else 'rating' */
    sort: z.enum(therapistSearchSorts).optional(),
    /** `nextCursor` of the previous page (same query and sort). */
    cursor: z.string().max(500).optional(),
    /** Ask for facet counts over everything the query matches. @default false */
    facets: booleanQuery.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    /** Kept for older clients; prefer `cursor`. */
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
  })
  .refine((query) => query.priceMin === undefined || query.priceMax === undefined || query.priceMin <= query.priceMax, {
    path: ['priceMax'],
    message: 'must not be below priceMin',
  })
  .refine((query) => query.radiusKm === undefined || query.near !== undefined, { path: ['radiusKm'], message: 'needs near' })
  .refine((query) => query.sort !== 'distance' || query.near !== undefined, { path: ['sort'], message: 'distance needs near' });
export type TherapistSearchQuery = z.output<typeof therapistSearchQuerySchema>;

const facetCounts = z.array(z.object({ value: z.string(), count: z.number().int() }));

export const therapistSearchFacetsSchema = z.object({
  total: z.number().int(),
  specializations: facetCounts,
  approaches: facetCounts,
  languages: facetCounts,
  cities: facetCounts,
  gender: facetCounts,
  /** Buckets `0-40`, `40-60`, `60-80`, `80-` (EUR, lower bound included). */
  price: facetCounts,
  /** Buckets `0-5`, `5-10`, `10-20`, `20-` (years, lower bound included). */
  experience: facetCounts,
  online: z.number().int(),
  inPerson: z.number().int(),
  insurance: z.number().int(),
  availableWithin7Days: z.number().int(),
});
export type TherapistSearchFacets = z.infer<typeof therapistSearchFacetsSchema>;

export const therapistSearchItemSchema = z.object({
  id: z.uuid(),
  /** In the reader's language (`lang`). */
  name: z.string(),
  photoUrl: z.string().nullable(),
  title: z.string().nullable(),
  bio: z.string().nullable(),
  specializations: z.array(z.string()),
  specializationsEl: z.array(z.string()),
  specializationIds: z.array(z.uuid()),
  approaches: z.array(z.string()),
  approachesEl: z.array(z.string()),
  languages: z.array(z.string()),
  cities: z.array(z.string()),
  yearsOfExperience: z.number().int().nullable(),
  /** Lowest current rate, EUR. */
  priceFrom: z.number().nullable(),
  currency: z.literal('EUR'),
  rating: z.number().nullable(),
  reviewCount: z.number().int(),
  /** ISO 8601 with offset, Europe/Athens. */
  nextFreeSlot: z.string().nullable(),
  online: z.boolean(),
  inPerson: z.boolean(),
  acceptsInsurance: z.boolean(),
  /** With `near`: the nearest practice, km. */
  distanceKm: z.number().nullable(),
});
export type TherapistSearchItem = z.infer<typeof therapistSearchItemSchema>;

export const therapistSearchResultSchema = z.object({
  items: z.array(therapistSearchItemSchema),
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: z.string().nullable(),
  facets: therapistSearchFacetsSchema.optional(),
});
export type TherapistSearchResult = z.infer<typeof therapistSearchResultSchema>;
