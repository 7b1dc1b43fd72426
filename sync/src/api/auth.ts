import { z } from 'zod';
import { roles } from '../roles.js';
import { languageSchema } from './common.js';

export const emailSchema = z.email().max(255);
export const passwordSchema = z.string().min(10, 'at least 10 characters').max(200);
export const totpCodeSchema = z.string().regex(/^\d{6}$/, 'six digits');

const nameSchema = z.string().trim().min(1).max(100);

export const registerRequestSchema = z.discriminatedUnion('role', [
  z.object({
    role: z.literal('client'),
    email: emailSchema,
    password: passwordSchema,
    firstName: nameSchema,
    lastName: nameSchema,
    language: languageSchema.default('el'),
  }),
  z.object({
    role: z.literal('therapist'),
    email: emailSchema,
    password: passwordSchema,
    firstName: nameSchema,
    lastName: nameSchema,
    language: languageSchema.default('el'),
    licenseNumber: z.string().trim().min(3).max(50),
  }),
]);
export type RegisterRequest = z.input<typeof registerRequestSchema>;

export const registeredUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(roles),
  status: z.string(),
  emailVerified: z.boolean(),
});
export type RegisteredUser = z.infer<typeof registeredUserSchema>;

export const loginRequestSchema = z.object({ email: emailSchema, password: z.string().min(1).max(200) });
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const tokenPairSchema = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  refreshToken: z.string(),
  user: z.object({ id: z.uuid(), role: z.enum(roles) }),
});
export type TokenPair = z.infer<typeof tokenPairSchema>;

export const twoFactorChallengeSchema = z.object({
  twoFactorRequired: z.literal(true),
  challengeToken: z.string(),
});
export type TwoFactorChallenge = z.infer<typeof twoFactorChallengeSchema>;

export const loginResponseSchema = z.union([tokenPairSchema, twoFactorChallengeSchema]);
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const twoFactorLoginRequestSchema = z.object({ challengeToken: z.string().min(1), code: totpCodeSchema });
export const refreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(200) });
export const tokenRequestSchema = z.object({ token: z.string().min(1).max(200) });
export const passwordChangeRequestSchema = z.object({ currentPassword: z.string().min(1).max(200), newPassword: passwordSchema });
export const passwordForgotRequestSchema = z.object({ email: emailSchema });
export const passwordResetRequestSchema = z.object({ token: z.string().min(1).max(200), newPassword: passwordSchema });
export const twoFactorSetupResponseSchema = z.object({ secret: z.string(), otpauthUrl: z.string() });
export type TwoFactorSetup = z.infer<typeof twoFactorSetupResponseSchema>;
export const twoFactorCodeRequestSchema = z.object({ code: totpCodeSchema });
export const twoFactorDisableRequestSchema = z.object({ password: z.string().min(1).max(200), code: totpCodeSchema });
