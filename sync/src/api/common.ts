import { z } from 'zod';

export const languageSchema = z.enum(['el', 'en']);
export type Language = z.infer<typeof languageSchema>;

export const uuidSchema = z.uuid();

// ISO 8601 has a year 0 (1 BC); PostgreSQL does not, and would fail on it with a 500.
const notYearZero = (value: string) => !value.startsWith('0000');

/** ISO 8601 with an offset, as every time in the API is written. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true }).refine(notYearZero, 'year 0 does not exist');

export const timeZoneSchema = z
  .string()
  .refine((zone) => Intl.supportedValuesOf('timeZone').includes(zone) || zone === 'UTC', 'must be an IANA time zone');

/** `?cursor&limit` of every newest-first list: pass back the `nextCursor` a page answered. */
export const pageQuerySchema = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

/**
 * Text that must say something: not empty and not only white space (`minLength` and a `pattern`
 * in OpenAPI). One issue for an empty string, not two.
 */
export const nonBlankText = (maxLength: number) =>
  z.string().min(1, { error: 'must not be blank', abort: true }).max(maxLength).regex(/\S/, 'must not be blank');
