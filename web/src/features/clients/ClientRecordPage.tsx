import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Alert } from '../../components/Alert';
import { SelectField, TextArea } from '../../components/Form';
import { Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/time';
import { useAsync } from '../../lib/use-async';
import { useLocalList } from '../../lib/local-list';
import { useCare } from './use-care';

const MoodChart = lazy(() => import('../../components/MoodChart'));

const soapSections = ['subjective', 'objective', 'assessment', 'plan'] as const;

/** One client: their sessions, the therapist's SOAP notes (write, sign). */
export function ClientRecordPage() {
  const { t, i18n } = useTranslation('clients');
  const clientId = useParams().clientId!;
  const { client, appointments, names } = useCare();
  const notes = useAsync(() => client.api.sessionNotes.listForClient(clientId, { limit: 50 }), [client, clientId]);
  const plans = useAsync(() => client.api.clinicalRecords.treatmentPlans(clientId), [client, clientId]);
  const activePlan = plans.data?.find((plan) => plan.status === 'active') ?? plans.data?.[0];
  // What the client shares reaches this device through sync (their own entries stay theirs).
  const sharedMoods = useLocalList('mood_entries', 'recordedAt', 'desc').entries.filter((entry) => entry.userId === clientId);
  const sharedJournal = useLocalList('journal_entries', 'createdAt', 'desc').entries.filter((entry) => entry.userId === clientId);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const theirs = appointments.filter((a) => a.clientId === clientId);
  const notable = theirs.filter((a) => a.status === 'confirmed' || a.status === 'completed');
  const appointmentTime = (id: string | null) => {
    const appointment = theirs.find((a) => a.id === id);
    return appointment ? formatDateTime(appointment.scheduledStart, i18n.language) : '';
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const content = Object.fromEntries(soapSections.map((key) => [key, String(data.get(key) ?? '')])) as Record<(typeof soapSections)[number], string>;
    try {
      await client.api.sessionNotes.create(String(data.get('appointmentId')), { noteType: 'soap', content });
      form.reset();
      setMessage({ kind: 'success', text: t('noteSaved') });
      notes.reload();
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error, t) });
    }
  }

  async function sign(id: string) {
    try {
      await client.api.sessionNotes.sign(id);
      setMessage({ kind: 'success', text: t('noteSigned') });
      notes.reload();
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error, t) });
    }
  }

  return (
    <Page
      title={names.get(clientId) ?? t('client')}
      actions={
        <nav className="page-actions" aria-label={t('clientPages')}>
          <Link to={`/my-clients/${clientId}/measures`}>{t('measures')}</Link>
          <Link to={`/my-clients/${clientId}/insights`}>{t('insights')}</Link>
          <Link to={`/my-clients/${clientId}/forms`}>{t('forms')}</Link>
          <Link to="/my-clients">{t('back')}</Link>
        </nav>
      }
    >
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <div className="grid-2">
        <section className="card" aria-labelledby="history-title">
          <h2 id="history-title">{t('history')}</h2>
          <ul className="session-list" aria-labelledby="history-title">
            {theirs.map((a) => (
              <li key={a.id} className="session">
                <time dateTime={a.scheduledStart}>{formatDateTime(a.scheduledStart, i18n.language)}</time>
                <StatusBadge status={a.status} />
              </li>
            ))}
          </ul>
        </section>
        <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="new-note-title">
          <h2 id="new-note-title">{t('newNote')}</h2>
          {notable.length === 0 ? (
            <p className="muted">{t('noAppointments')}</p>
          ) : (
            <>
              <SelectField label={t('appointment')} name="appointmentId" required>
                {notable.map((a) => <option key={a.id} value={a.id}>{formatDateTime(a.scheduledStart, i18n.language)}</option>)}
              </SelectField>
              {soapSections.map((key) => <TextArea key={key} label={t(key)} name={key} rows={2} maxLength={20_000} />)}
              <button type="submit">{t('saveNote')}</button>
            </>
          )}
        </form>
      </div>
      <div className="grid-2">
        <section className="card" aria-labelledby="shared-mood-title">
          <h2 id="shared-mood-title">{t('sharedMood')}</h2>
          <Suspense fallback={<div className="chart" />}>
            <MoodChart entries={sharedMoods} emptyText={t('noSharedMood')} />
          </Suspense>
        </section>
        <section className="card" aria-labelledby="plan-title">
          <h2 id="plan-title">{t('treatmentPlan')}</h2>
          {plans.error !== undefined && <Alert kind="error">{errorMessage(plans.error, t)}</Alert>}
          {plans.data && !activePlan && <p className="muted">{t('noPlan')}</p>}
          {activePlan && (
            <dl className="soap">
              <div>
                <dt>{t('planPeriod')}</dt>
                <dd>{activePlan.startDate} → {activePlan.reviewDate ?? '…'} · {t(`planStatus.${activePlan.status}`)}</dd>
              </div>
              {activePlan.presentingProblems && (
                <div>
                  <dt>{t('presentingProblems')}</dt>
                  <dd>{activePlan.presentingProblems}</dd>
                </div>
              )}
              {activePlan.diagnoses.length > 0 && (
                <div>
                  <dt>{t('diagnoses')}</dt>
                  <dd>{activePlan.diagnoses.join(' · ')}</dd>
                </div>
              )}
              {activePlan.treatmentGoals && (
                <div>
                  <dt>{t('treatmentGoals')}</dt>
                  <dd>{activePlan.treatmentGoals}</dd>
                </div>
              )}
              {activePlan.interventionsPlanned && (
                <div>
                  <dt>{t('interventions')}</dt>
                  <dd>{activePlan.interventionsPlanned}</dd>
                </div>
              )}
            </dl>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="shared-journal-title">
        <h2 id="shared-journal-title">{t('sharedJournal')}</h2>
        {sharedJournal.length === 0 ? (
          <p className="muted">{t('noSharedJournal')}</p>
        ) : (
          <ul className="entry-list" aria-labelledby="shared-journal-title">
            {sharedJournal.slice(0, 20).map((entry) => (
              <li key={entry.id} className="entry">
                <div className="entry-body">
                  <p className="entry-title">
                    <strong>{entry.title ?? t('untitled')}</strong>
                    <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt, i18n.language)}</time>
                  </p>
                  <p className="journal-text">{entry.content}</p>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="notes-title">
        <h2 id="notes-title">{t('notes')}</h2>
        {notes.data?.notes.length === 0 && <p className="muted">{t('noNotes')}</p>}
        <ul className="note-list">
          {notes.data?.notes.map((note) => (
            <li key={note.id} className="note">
              <p className="entry-title">
                <strong>{appointmentTime(note.appointmentId) || formatDateTime(note.createdAt, i18n.language)}</strong>
                <span className={`badge ${note.isSigned ? 'badge-synced' : 'badge-pending'}`}>{note.isSigned && note.signedAt ? t('signed', { when: formatDateTime(note.signedAt, i18n.language) }) : t('draft')}</span>
              </p>
              {note.noteType === 'soap' && 'subjective' in note.content && (
                <dl className="soap">
                  {soapSections.map((key) => {
                    const text = (note.content as Record<string, string>)[key];
                    return text ? (
                      <div key={key}>
                        <dt>{t(key)}</dt>
                        <dd>{text}</dd>
                      </div>
                    ) : null;
                  })}
                </dl>
              )}
              <Link to={`/notes/${note.id}`}>{note.isSigned ? t('amendmentsLink') : t('historyLink')}</Link>
              {!note.isSigned && (
                <button type="button" className="button-quiet" aria-label={t('signNote', { when: appointmentTime(note.appointmentId) })} onClick={() => void sign(note.id)}>
                  {t('sign')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
