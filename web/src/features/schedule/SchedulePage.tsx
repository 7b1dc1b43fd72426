import type { AppointmentDoc } from '@therapy-field/client-sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { map } from 'rxjs';
import { Alert } from '../../components/Alert';
import { Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { errorMessage } from '../../lib/errors';
import { useLocalList } from '../../lib/local-list';
import { useSignedIn } from '../../lib/platform';
import { athensDayBounds, formatDate, formatDateTime, formatTime } from '../../lib/time';
import { useAsync } from '../../lib/use-async';

const shown = new Set(['requested', 'confirmed', 'completed']);
/** The server opens a session's video this long before its start (VIDEO_JOIN_EARLY_MINUTES). */
const JOIN_EARLY_MS = 10 * 60_000;
const callOpen = (a: AppointmentDoc, now: number) => a.status === 'confirmed' && a.isOnline && Date.parse(a.scheduledStart) - JOIN_EARLY_MS <= now && Date.parse(a.scheduledEnd) >= now;

/**
 * Today and the coming week from the device's copy of the therapist's appointments: a booking,
 * cancellation or reschedule made anywhere arrives through sync and shows without a reload.
 */
export function SchedulePage() {
  const { t, i18n } = useTranslation('schedule');
  const { client } = useSignedIn();
  const { entries: appointments } = useLocalList('appointments', 'scheduledStart', 'asc');
  // Clients in care carry their names in the conversation list; a first request has none yet.
  const conversations = useAsync(() => client.api.messages.conversations(), [client, appointments.length]);
  const nameOf = (clientId: string) => conversations.data?.conversations.find((c) => c.peerId === clientId)?.peerName ?? t('newClient');
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  const { start, end } = athensDayBounds();
  const weekEnd = new Date(end.getTime() + 7 * 86_400_000).toISOString();
  const now = new Date().toISOString();
  const requests = appointments.filter((a) => a.status === 'requested' && a.scheduledEnd >= now);
  const today = appointments.filter((a) => shown.has(a.status) && a.scheduledStart >= start.toISOString() && a.scheduledStart < end.toISOString());
  const week = appointments.filter((a) => shown.has(a.status) && a.scheduledStart >= end.toISOString() && a.scheduledStart < weekEnd);

  const act = (call: Promise<unknown>, done: string) =>
    call.then(
      () => setMessage({ kind: 'success', text: done }),
      (error: unknown) => setMessage({ kind: 'error', text: errorMessage(error, t) }),
    );

  const item = (a: AppointmentDoc, withDay: boolean) => (
    <li key={a.id} className="session">
      <div>
        <p className="session-when">
          <time dateTime={a.scheduledStart}>{withDay ? formatDateTime(a.scheduledStart, i18n.language) : `${formatTime(a.scheduledStart, i18n.language)} – ${formatTime(a.scheduledEnd, i18n.language)}`}</time>
        </p>
        <p className="muted">
          {nameOf(a.clientId)} · {a.isOnline ? t('online', { ns: 'common' }) : t('inPerson', { ns: 'common' })}
        </p>
      </div>
      <div className="session-actions">
        <StatusBadge status={a.status} />
        {callOpen(a, Date.now()) && (
          <Link className="button-link" to={`/call/${a.id}`}>
            {t('startCall')}
          </Link>
        )}
      </div>
    </li>
  );

  return (
    <Page title={t('title')} actions={<p className="muted live-note">{t('live')}</p>}>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <section className="card" aria-labelledby="requests-title">
        <h2 id="requests-title">{t('requests')}</h2>
        {requests.length === 0 ? (
          <p className="muted">{t('noRequests')}</p>
        ) : (
          <ul className="session-list" aria-labelledby="requests-title">
            {requests.map((a) => {
              const when = formatDateTime(a.scheduledStart, i18n.language);
              const name = nameOf(a.clientId);
              return (
                <li key={a.id} className="session">
                  <div>
                    <p className="session-when"><time dateTime={a.scheduledStart}>{when}</time></p>
                    <p className="muted">{name} · {a.isOnline ? t('online', { ns: 'common' }) : t('inPerson', { ns: 'common' })}</p>
                  </div>
                  <div className="session-actions">
                    <button type="button" aria-label={t('confirmFor', { name, when })} onClick={() => void act(client.api.appointments.confirm(a.id), t('confirmed'))}>
                      {t('confirm')}
                    </button>
                    <button type="button" className="button-quiet" aria-label={t('declineFor', { name, when })} onClick={() => void act(client.api.appointments.decline(a.id, {}), t('declined'))}>
                      {t('decline')}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="today-title">
        <h2 id="today-title">{t('today', { date: formatDate(new Date(), i18n.language) })}</h2>
        {today.length === 0 ? <p className="muted">{t('noToday')}</p> : <ul className="session-list" aria-labelledby="today-title">{today.map((a) => item(a, false))}</ul>}
      </section>
      <section className="card" aria-labelledby="week-title">
        <h2 id="week-title">{t('week')}</h2>
        {week.length === 0 ? <p className="muted">{t('noWeek')}</p> : <ul className="session-list" aria-labelledby="week-title">{week.map((a) => item(a, true))}</ul>}
      </section>
    </Page>
  );
}
