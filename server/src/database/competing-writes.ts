import { ConflictError } from '@therapy-field/sync';
import { DatabaseError } from 'sequelize';

/**
 * A write that lost to a competing one, as PostgreSQL reports it, or undefined for any other
 * error. 23P01 is an appointment exclusion constraint (double booking, buffer); 40P01 is a
 * deadlock, which PostgreSQL can detect among concurrent inserts checking those constraints: in
 * both cases another booking took the time. The HTTP error mapper and the booking path both ask here.
 */
export function competingWriteConflict(error: unknown): ConflictError | undefined {
  const cause = error instanceof DatabaseError ? (error.parent as { code?: string; constraint?: string }) : undefined;
  if (cause?.code === '23P01' && cause.constraint?.startsWith('excl_appointments_')) {
    const who = cause.constraint === 'excl_appointments_client_overlap' ? 'client' : 'therapist';
    return new ConflictError('SLOT_TAKEN', who === 'client' ? 'You already have an appointment at this time' : 'This time is already booked', {
      overlapsWith: who,
    });
  }
  if (cause?.code === '40P01') return new ConflictError('SLOT_TAKEN', 'This time was booked by someone else at the same moment');
  return undefined;
}
