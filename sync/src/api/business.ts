import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from './common.js';
import { defineApi } from './route.js';

/**
 * Session figures are shown only when at least this many employees have booked, so that no
 * individual's therapy can be read off the numbers.
 */
export const BUSINESS_MINIMUM_GROUP_SIZE = 5;

export const businessIdParamsSchema = z.object({ id: uuidSchema });

/** The companies the caller administers. */
export const myBusinessesSchema = z.object({
  businesses: z.array(z.object({ id: uuidSchema, companyName: z.string(), role: z.string().describe('hr_admin, finance_admin, …') })),
});
export type MyBusinesses = z.infer<typeof myBusinessesSchema>;

export const businessUsageSchema = z.object({
  businessId: uuidSchema,
  companyName: z.string(),
  employees: z.object({
    invited: z.number().int(),
    active: z.number().int(),
    inactive: z.number().int(),
    departed: z.number().int(),
  }),
  /** Sessions the company pays for across active employees; null when one of them has no limit. */
  sessionsPurchased: z.number().int().nullable(),
  /** Null (suppressed) while fewer than `minimumGroupSize` employees have booked. */
  sessions: z
    .object({
      used: z.number().int(),
      employeesWithSessions: z.number().int(),
      byMonth: z.array(
        z.object({
          month: z.string().regex(/^\d{4}-\d{2}$/).describe('YYYY-MM in Europe/Athens'),
          booked: z.number().int(),
          completed: z.number().int(),
          cancelled: z.number().int(),
          noShow: z.number().int(),
        }),
      ),
    })
    .nullable(),
  minimumGroupSize: z.number().int(),
  asOf: isoDateTimeSchema,
});
export type BusinessUsage = z.infer<typeof businessUsageSchema>;

/** `/businesses`: company admins (and super admins) read aggregates of their own company. */
export const businessApi = defineApi({
  components: { MyBusinesses: myBusinessesSchema, BusinessUsage: businessUsageSchema },
  routes: {
    listMyBusinesses: {
      method: 'get', path: '/businesses', tag: 'business', summary: 'The companies I administer',
      response: { status: 200, schema: myBusinessesSchema, description: 'My companies' },
      errors: ['FORBIDDEN'],
    },
    getBusinessUsage: {
      method: 'get', path: '/businesses/{id}/usage', tag: 'business',
      summary: 'Enrolment and session totals of my company (groups under the minimum size are suppressed)',
      params: businessIdParamsSchema,
      response: { status: 200, schema: businessUsageSchema, description: 'Usage' },
      errors: ['FORBIDDEN', 'NOT_FOUND'],
    },
  },
});
