import type { AppointmentDoc } from '@therapy-field/client-sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../components/Alert';
import { Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { errorMessage } from '../../lib/errors';
import { useNames } from '../../lib/names';
import { useLocalList } from '../../lib/local-list';
import { useSignedIn } from '../../lib/platform';
import { formatDateTime } from '../../lib/time';
import { RescheduleForm } from './RescheduleForm';

/** The cancellation policy's notice (server/src/scheduling): later than this, a cancellation is late. */
const LATE_CANCELLATION_MS = 24 * 3600_000;
const active = new Set(['requested', 'confirmed']);
/** The server opens a session's video this long before its start (VIDEO_JOIN_EARLY_MINUTES). */
const JOIN_EARLY_MS = 10 * 60_000;
const callOpen = (a: AppointmentDoc, now: number) => a.status === 'confirmed' && a.isOnline && Date.parse(a.scheduledStart) - JOIN_EARLY_MS <= now && Date.parse(a.scheduledEnd) >= now;

/**
 * The client's sessions from the device's database: a booking, confirmation or cancellation made
 * anywhere reaches it through sync and the list changes without a reload.
 */
export function ClientHomePage() {
  const { t, i18n } = useTranslation('sessions');
  const { client, me } = useSignedIn();
  const { entries: appointments } = useLocalList('appointments', 'scheduledStart', 'asc');
  const names = useNames(
    appointments.map((appointment) => appointment.therapistId),
    async (id) => {
      const profile = await client.api.directory.get(id);
      return `${profile.firstName} ${profile.lastName}`;
    },
  );
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [rescheduling, setRescheduling] = useState<string | null>(null);
  const [confirmingLate, setConfirmingLate] = useState<string | null>(null);
  const now = new Date().toISOString();
  const upcoming = appointments.filter((appointment) => appointment.scheduledEnd >= now && active.has(appointment.status));
  const past = appointments.filter((appointment) => !upcoming.includes(appointment)).reverse();

  const row = (appointment: AppointmentDoc, canCancel: boolean) => (
    <li key={appointment.id} className="session">
      <div>
        <p className="session-when">
          <time dateTime={appointment.scheduledStart}>{formatDateTime(appointment.scheduledStart, i18n.language)}</time>
        </p>
        <p className="muted">
          {t('withTherapist', { name: names[appointment.therapistId] ?? t('aTherapist') })} · {appointment.isOnline ? t('online', { ns: 'common' }) : t('inPerson', { ns: 'common' })}
        </p>
      </div>
      <div className="session-actions">
        <StatusBadge status={appointment.status} />
        {callOpen(appointment, Date.now()) && (
          <Link className="button-link" to={`/call/${appointment.id}`}>
            {t('joinCall')}
          </Link>
        )}
        {canCancel && (
          <>
            {appointment.status === 'confirmed' && (
              <button type="button" className="button-quiet" aria-expanded={rescheduling === appointment.id} onClick={() => setRescheduling(rescheduling === appointment.id ? null : appointment.id)}>
                {rescheduling === appointment.id ? t('closeReschedule') : t('reschedule')}
              </button>
            )}
            <button
              type="button"
              className="button-quiet"
              aria-label={`${confirmingLate === appointment.id ? t('confirmCancel') : t('cancel')}: ${formatDateTime(appointment.scheduledStart, i18n.language)}`}
              onClick={() => {
                // The policy: under 24 hours a cancellation is late (charged); say so before doing it.
                const late = Date.parse(appointment.scheduledStart) - Date.now() < LATE_CANCELLATION_MS;
                if (late && confirmingLate !== appointment.id) {
                  setConfirmingLate(appointment.id);
                  setMessage({ kind: 'error', text: t('lateCancelWarning') });
                  return;
                }
                setConfirmingLate(null);
                client.api.appointments.cancel(appointment.id, {}).then(
                  () => setMessage({ kind: 'success', text: t('cancelled') }),
                  (error: unknown) => setMessage({ kind: 'error', text: errorMessage(error, t) }),
                );
              }}
            >
              {confirmingLate === appointment.id ? t('confirmCancel') : t('cancel')}
            </button>
          </>
        )}
      </div>
      {rescheduling === appointment.id && (
        <RescheduleForm
          appointment={appointment}
          onDone={(outcome) => {
            setRescheduling(null);
            setMessage(outcome);
          }}
        />
      )}
    </li>
  );

  return (
    <Page title={me ? t('title', { name: me.profile.firstName }) : t('titleAnonymous')}>
      <nav className="quick-actions" aria-label={t('quickActions')}>
        <Link className="button-link" to="/mood">{t('logMood')}</Link>
        <Link className="button-link secondary" to="/journal">{t('writeJournal')}</Link>
        <Link className="button-link secondary" to="/find-therapist">{t('findTherapist')}</Link>
      </nav>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <section className="card" aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">{t('upcoming')}</h2>
        {upcoming.length === 0 ? <p className="muted">{t('noUpcoming')}</p> : <ul className="session-list" aria-labelledby="upcoming-title">{upcoming.map((a) => row(a, true))}</ul>}
      </section>
      <section className="card" aria-labelledby="past-title">
        <h2 id="past-title">{t('past')}</h2>
        {past.length === 0 ? <p className="muted">{t('noPast')}</p> : <ul className="session-list" aria-labelledby="past-title">{past.map((a) => row(a, false))}</ul>}
      </section>
    </Page>
  );
}
