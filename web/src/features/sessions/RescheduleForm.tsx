import type { AppointmentDoc } from '@therapy-field/client-sdk';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { athensDate, formatDateTime } from '../../lib/time';
import { useAsync } from '../../lib/use-async';

/** The therapist's free slots of the same type and mode over the next two weeks; one click moves the session. */
export function RescheduleForm({ appointment, onDone }: { appointment: AppointmentDoc; onDone: (outcome: { kind: 'success' | 'error'; text: string }) => void }) {
  const { t, i18n } = useTranslation('sessions');
  const { client } = useSignedIn();
  const slots = useAsync(async () => {
    const full = await client.api.appointments.get(appointment.id);
    if (!full.appointmentTypeId) return [];
    const from = athensDate(new Date(Date.now() + 86_400_000));
    const to = athensDate(new Date(Date.now() + 14 * 86_400_000));
    const { slots: free } = await client.api.slots(appointment.therapistId, { from, to, type: full.appointmentTypeId, mode: appointment.isOnline ? 'online' : 'in_person' });
    return free.slice(0, 12);
  }, [client, appointment.id]);

  const move = (start: string) =>
    client.api.appointments.reschedule(appointment.id, { start }).then(
      (moved) => onDone({ kind: 'success', text: t('rescheduled', { when: formatDateTime(moved.scheduledStart, i18n.language) }) }),
      (error: unknown) => onDone({ kind: 'error', text: errorMessage(error, t) }),
    );

  return (
    <div className="reschedule" role="group" aria-label={t('rescheduleTo')}>
      <p className="muted">{t('rescheduleTo')}</p>
      {slots.error !== undefined && <p role="alert">{errorMessage(slots.error, t)}</p>}
      {slots.data?.length === 0 && <p className="muted">{t('noSlots')}</p>}
      <div className="slot-list" aria-busy={slots.loading}>
        {slots.data?.map((slot) => (
          <button key={slot.start} type="button" className="button-quiet" onClick={() => void move(slot.start)}>
            {formatDateTime(slot.start, i18n.language)}
          </button>
        ))}
      </div>
    </div>
  );
}
