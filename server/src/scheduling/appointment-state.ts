import { ConflictError, ForbiddenError, type AppointmentStatus } from '@therapy-field/sync';

/** What someone can do to an appointment. */
export type AppointmentAction = 'accept' | 'confirm' | 'decline' | 'cancel' | 'reschedule' | 'complete' | 'no_show';

type Party = 'client' | 'therapist';

interface Transition {
  to: AppointmentStatus;
  by: Party[];
}

/**
 * The one state machine of an appointment. `requested` and `confirmed` are the active states
 * (they hold the time slot); `proposed` waits for the client's answer without holding anything;
 * every other state is final. Care begins with `confirmed`: the therapist confirming a client's
 * request, or the client accepting a therapist's proposal, never one party alone.
 */
const transitions: Partial<Record<AppointmentStatus, Partial<Record<AppointmentAction, Transition>>>> = {
  proposed: {
    accept: { to: 'confirmed', by: ['client'] },
    decline: { to: 'declined', by: ['client'] },
    cancel: { to: 'cancelled', by: ['client', 'therapist'] },
  },
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

/** The statuses that count against a business employee's company-paid sessions. */
export function usesCompanySession(status: AppointmentStatus): boolean {
  return status === 'requested' || status === 'confirmed';
}

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
  accept: 'accepted',
  confirm: 'confirmed',
  decline: 'declined',
  cancel: 'cancelled',
  reschedule: 'rescheduled',
  complete: 'completed',
  no_show: 'marked as a no-show',
};
