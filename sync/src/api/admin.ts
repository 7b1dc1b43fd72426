import { z } from 'zod';
import { isoDateTimeSchema } from './common.js';

export const therapistVerificationSchema = z.object({
  therapistId: z.uuid(),
  verifiedAt: isoDateTimeSchema,
  verifiedBy: z.uuid(),
});
export type TherapistVerification = z.infer<typeof therapistVerificationSchema>;
