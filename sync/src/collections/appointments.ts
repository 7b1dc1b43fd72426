import { z } from 'zod';
import { defineCollection, type DocOf } from './define-collection.js';
import { idField, timestampField } from './shapes.js';

/** Server-authoritative: booked through the scheduling API, only read on devices. */
export const appointments = defineCollection({
  name: 'appointments',
  access: 'read-only',
  serverFields: [],
  schema: z.object({
    id: idField,
    clientId: idField,
    therapistId: idField,
    scheduledStart: timestampField,
    scheduledEnd: timestampField,
    status: z.enum(['requested', 'confirmed', 'declined', 'cancelled', 'completed', 'no_show', 'rescheduled']),
    isOnline: z.boolean(),
    videoSessionLink: z.string().max(500).nullish(),
    cancellationReason: z.string().max(2000).nullish(),
    updatedAt: timestampField.nullish(),
  }),
});
export type AppointmentDoc = DocOf<typeof appointments>;
