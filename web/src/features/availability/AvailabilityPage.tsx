import type { TherapyFieldClient } from '@therapy-field/client-sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { SelectField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { formatDate } from '../../lib/time';
import { useAsync } from '../../lib/use-async';

type Availability = Awaited<ReturnType<TherapyFieldClient['api']['availability']['get']>>;
type Window = Availability['templates'][number];
type Message = { kind: 'success' | 'error'; text: string } | null;

/** Monday first, as a Greek week is read. */
const weekOrder = [1, 2, 3, 4, 5, 6, 0];
const byDayAndTime = (a: Window, b: Window) => weekOrder.indexOf(a.dayOfWeek) - weekOrder.indexOf(b.dayOfWeek) || a.startTime.localeCompare(b.startTime);

function WeeklyHours({ saved, onSaved }: { saved: Window[]; onSaved: () => void }) {
  const { t } = useTranslation('availability');
  const { client, session } = useSignedIn();
  const [windows, setWindows] = useState<Window[]>(saved);
  const [message, setMessage] = useState<Message>(null);
  useEffect(() => setWindows(saved), [saved]);
  const changed = JSON.stringify(windows) !== JSON.stringify(saved);
  const dayName = (day: number) => t(`days.${day}`);

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const window: Window = {
      dayOfWeek: Number(data.get('day')),
      startTime: String(data.get('from')),
      endTime: String(data.get('to')),
      sessionType: String(data.get('sessionType')) as Window['sessionType'],
      locationId: null,
    };
    setWindows([...windows, window].sort(byDayAndTime));
    setMessage(null);
  }

  const save = () =>
    client.api.availability.setTemplates(session.userId, windows).then(
      () => {
        setMessage({ kind: 'success', text: t('weeklySaved') });
        onSaved();
      },
      (error: unknown) => setMessage({ kind: 'error', text: errorMessage(error, t) }),
    );

  return (
    <section className="card" aria-labelledby="weekly-title">
      <h2 id="weekly-title">{t('weeklyTitle')}</h2>
      <p className="muted">{t('weeklyHelp')}</p>
      {windows.length === 0 ? (
        <p className="muted">{t('noWindows')}</p>
      ) : (
        <ul className="entry-list" aria-labelledby="weekly-title">
          {windows.map((window, index) => (
            <li key={`${window.dayOfWeek}-${window.startTime}-${index}`} className="entry">
              <div className="entry-body">
                <strong>{dayName(window.dayOfWeek)}</strong> {window.startTime}–{window.endTime} <span className="muted">· {t(window.sessionType ?? 'both')}</span>
              </div>
              <button
                type="button"
                className="button-quiet"
                aria-label={t('removeWindow', { day: dayName(window.dayOfWeek), from: window.startTime, to: window.endTime })}
                onClick={() => setWindows(windows.filter((_, at) => at !== index))}
              >
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={add} aria-label={t('addWindow')}>
        <SelectField label={t('day')} name="day" defaultValue="1">
          {weekOrder.map((day) => (
            <option key={day} value={day}>{dayName(day)}</option>
          ))}
        </SelectField>
        <TextField label={t('from')} name="from" type="time" defaultValue="09:00" required />
        <TextField label={t('to')} name="to" type="time" defaultValue="17:00" required />
        <SelectField label={t('sessionType')} name="sessionType" defaultValue="both">
          <option value="both">{t('both')}</option>
          <option value="online">{t('online')}</option>
          <option value="in_person">{t('in_person')}</option>
        </SelectField>
        <button type="submit" className="button-quiet">{t('addWindow')}</button>
      </form>
      {changed && <p className="muted">{t('unsaved')}</p>}
      <button type="button" disabled={!changed} onClick={() => void save()}>{t('saveWeekly')}</button>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
    </section>
  );
}

function Exceptions({ exceptions, onChanged }: { exceptions: Availability['exceptions']; onChanged: () => void }) {
  const { t, i18n } = useTranslation('availability');
  const { client, session } = useSignedIn();
  const [kind, setKind] = useState<'closedDay' | 'closedHours' | 'extraHours'>('closedDay');
  const [message, setMessage] = useState<Message>(null);
  const run = (call: Promise<unknown>, done: string | null) =>
    call.then(
      () => {
        setMessage(done ? { kind: 'success', text: done } : null);
        onChanged();
      },
      (error: unknown) => setMessage({ kind: 'error', text: errorMessage(error, t) }),
    );

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const reason = String(data.get('reason') ?? '').trim();
    const hours = kind === 'closedDay' ? { startTime: null, endTime: null } : { startTime: String(data.get('from')), endTime: String(data.get('to')) };
    void run(client.api.availability.setException(session.userId, { date: String(data.get('date')), ...hours, isAvailable: kind === 'extraHours', reason: reason || null }), t('exceptionSaved'));
  }

  const label = (date: string) => formatDate(new Date(`${date}T12:00:00Z`), i18n.language);
  return (
    <section className="card" aria-labelledby="exceptions-title">
      <h2 id="exceptions-title">{t('exceptionsTitle')}</h2>
      {exceptions.length === 0 ? (
        <p className="muted">{t('noExceptions')}</p>
      ) : (
        <ul className="entry-list" aria-labelledby="exceptions-title">
          {exceptions.map((exception) => (
            <li key={`${exception.date}-${exception.startTime ?? ''}`} className="entry">
              <div className="entry-body">
                <strong>{label(exception.date)}</strong>{' '}
                {exception.isAvailable ? t('extraHours') : exception.startTime ? t('closedHours') : t('closedDay')}
                {exception.startTime && ` ${exception.startTime}–${exception.endTime}`}
                {exception.reason && <span className="muted"> · {exception.reason}</span>}
              </div>
              <button type="button" className="button-quiet" aria-label={t('removeException', { date: label(exception.date) })} onClick={() => void run(client.api.availability.deleteException(session.userId, exception.date), null)}>
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={add} aria-label={t('addException')}>
        <TextField label={t('date')} name="date" type="date" required />
        <SelectField label={t('kind')} name="kind" value={kind} onChange={(event) => setKind(event.target.value as typeof kind)}>
          <option value="closedDay">{t('closedDay')}</option>
          <option value="closedHours">{t('closedHours')}</option>
          <option value="extraHours">{t('extraHours')}</option>
        </SelectField>
        {kind !== 'closedDay' && (
          <>
            <TextField label={t('from')} name="from" type="time" defaultValue="09:00" required />
            <TextField label={t('to')} name="to" type="time" defaultValue="13:00" required />
          </>
        )}
        <TextField label={t('reason')} name="reason" maxLength={200} />
        <button type="submit">{t('addException')}</button>
      </form>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
    </section>
  );
}

/** The therapist's weekly hours and date exceptions, from which the bookable slots come. */
export function AvailabilityPage() {
  const { t } = useTranslation('availability');
  const { client, session } = useSignedIn();
  const availability = useAsync(() => client.api.availability.get(session.userId), [client, session.userId]);
  const templates = availability.data?.templates;
  return (
    <Page title={t('title')}>
      {availability.error !== undefined && <Alert kind="error">{errorMessage(availability.error, t)}</Alert>}
      {templates && (
        <>
          <WeeklyHours saved={[...templates].sort(byDayAndTime)} onSaved={availability.reload} />
          <Exceptions exceptions={availability.data!.exceptions} onChanged={availability.reload} />
        </>
      )}
    </Page>
  );
}
