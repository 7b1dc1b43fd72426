import { z } from 'zod';
import { roles } from '../roles.js';
import { isoDateTimeSchema, languageSchema, timeZoneSchema } from './common.js';
import { defineApi } from './route.js';

export const profileSchema = z.object({
  firstName: z.string(),
  lastName: z.string(),
  displayName: z.string().nullable(),
  phone: z.string().nullable(),
  birthDate: z.string().nullable(),
  gender: z.enum(['male', 'female', 'other', 'prefer_not_to_say']).nullable(),
  language: languageSchema,
  timezone: z.string(),
  /** Appointment reminders by email (SMS reminders go to a profile with a phone). */
  emailReminders: z.boolean(),
  /** An email when a message waits and no device of the user is online. */
  emailNewMessages: z.boolean(),
});

export const meSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(roles),
  status: z.string(),
  emailVerified: z.boolean(),
  twoFactorEnabled: z.boolean(),
  lastLoginAt: isoDateTimeSchema.nullable(),
  profile: profileSchema,
});
export type Me = z.infer<typeof meSchema>;

export const updateMeRequestSchema = z
  .object({
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
    displayName: z.string().trim().max(200).nullable(),
    phone: z.string().regex(/^\+?[0-9 ]{6,20}$/, 'a phone number').nullable(),
    birthDate: z.iso.date().nullable(),
    gender: profileSchema.shape.gender,
    language: languageSchema,
    timezone: timeZoneSchema,
    emailReminders: z.boolean(),
    emailNewMessages: z.boolean(),
  })
  .partial()
  .strict();
export type UpdateMeRequest = z.infer<typeof updateMeRequestSchema>;

/** `/me`: only ever the caller's own account. */
export const meApi = defineApi({
  components: { Me: meSchema, UpdateMeRequest: updateMeRequestSchema },
  routes: {
    getMe: {
      method: 'get', path: '/me', tag: 'me', summary: 'The signed-in user with their profile',
      response: { status: 200, schema: meSchema, description: 'The user' },
    },
    updateMe: {
      method: 'patch', path: '/me', tag: 'me', summary: 'Change profile fields (name, phone, language, time zone…)',
      body: updateMeRequestSchema,
      response: { status: 200, schema: meSchema, description: 'The updated user' },
    },
  },
});
