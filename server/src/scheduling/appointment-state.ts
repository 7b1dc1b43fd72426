import { ConflictError, ForbiddenError, type AppointmentStatus } from '@therapy-field/sync';

/** What someone can do to an appointment. */
export type AppointmentAction = 'confirm' | 'decline' | 'cancel' | 'reschedule' | 'complete' | 'no_show';

type Party = 'client' | 'therapist';

interface Transition {
  to: AppointmentStatus;
  by: Party[];
}

/**
 * The one state machine of an appointment. `requested` and `confirmed` are the active states
 * (they hold the time slot); every other state is final.
 */
const transitions: Partial<Record<AppointmentStatus, Partial<Record<AppointmentAction, Transition>>>> = {
  requested: {
    confirm: { to: 'confirmed', by: ['therapist'] },
    decline: { to: 'declined', by: ['therapist'] },
    cancel: { to: 'cancelled', by: ['client', 'therapist'] },
    reschedule: { to: 'rescheduled', by: ['client', 'therapist'] },
  },
  confirmed: {
    cancel: { to: 'cancelled', by: ['client', 'therapist'] },
    reschedule: { to: 'rescheduled', by: ['client', 'therapist'] },
    complete: { to: 'completed', by: ['therapist'] },
    no_show: { to: 'no_show', by: ['therapist'] },
  },
};

export const activeStatuses: readonly AppointmentStatus[] = ['requested', 'confirmed'];

/** The status `action` leads to from `from`, or a 409 INVALID_TRANSITION / 403 for the wrong party. */
export function nextStatus(from: AppointmentStatus, action: AppointmentAction, party: Party): AppointmentStatus {
  const transition = transitions[from]?.[action];
  if (!transition) {
    throw new ConflictError('INVALID_TRANSITION', `An appointment that is ${from} cannot be ${pastTense[action]}`, { from, action });
  }
  if (!transition.by.includes(party)) throw new ForbiddenError(`Only the ${transition.by.join(' or ')} may do this`);
  return transition.to;
}

const pastTense: Record<AppointmentAction, string> = {
  confirm: 'confirmed',
  decline: 'declined',
  cancel: 'cancelled',
  reschedule: 'rescheduled',
  complete: 'completed',
  no_show: 'marked as a no-show',
};
