import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { TextArea, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { useAsync } from '../../lib/use-async';

/** A therapist's supervision: choosing a supervisor, the relationships, and the notes marked for their review. */
export function SupervisionPage() {
  const { t, i18n } = useTranslation('supervision');
  const { client, session } = useSignedIn();
  const relationships = useAsync(() => client.api.supervision.relationships(), [client]);
  const queue = useAsync(() => client.api.supervision.reviewQueue(), [client]);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string }>();
  const when = (iso: string) => new Intl.DateTimeFormat(i18n.language === 'el' ? 'el-GR' : 'en-GB', { dateStyle: 'medium' }).format(new Date(iso));

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setMessage({ kind: 'success', text: done });
      relationships.reload();
      queue.reload();
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error, t) });
    }
  };
  const start = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    void act(() => client.api.supervision.start({ supervisorId: String(data.get('supervisorId')).trim() }), t('started'));
  };
  const coSign = (noteId: string) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const notes = String(new FormData(event.currentTarget).get('supervisorNotes')).trim();
    void act(() => client.api.supervision.coSign(noteId, notes ? { supervisorNotes: notes } : {}), t('coSignedDone'));
  };

  return (
    <Page title={t('title')}>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <section className="card" aria-labelledby="queue-title">
        <h2 id="queue-title">{t('queue')}</h2>
        {queue.data?.length === 0 && <p className="muted">{t('queueEmpty')}</p>}
        <ul className="list">
          {queue.data?.map((entry) => (
            <li key={entry.note.id} className="card">
              <p className="muted">{t('requested', { date: when(entry.reviewRequestedAt) })}</p>
              <pre className="note-content">{JSON.stringify(entry.note.content, null, 2)}</pre>
              {entry.supervisorSignedAt ? (
                <p>{t('coSigned', { date: when(entry.supervisorSignedAt) })}{entry.supervisorNotes && ` · ${entry.supervisorNotes}`}</p>
              ) : (
                <form onSubmit={coSign(entry.note.id)}>
                  <TextArea label={t('supervisorNotes')} name="supervisorNotes" />
                  <button type="submit">{t('coSign')}</button>
                </form>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="relationships-title">
        <h2 id="relationships-title">{t('relationships')}</h2>
        {relationships.data?.length === 0 && <p className="muted">{t('none')}</p>}
        <ul className="list">
          {relationships.data?.map((relationship) => (
            <li key={relationship.id}>
              {relationship.supervisorId === session.userId ? t('asSupervisor') : t('asSupervisee')} · {t(`status.${relationship.status}`)} · {relationship.startDate}
              {relationship.status === 'active' && (
                <button type="button" onClick={() => act(() => client.api.supervision.end(relationship.id), t('status.completed'))}>{t('end')}</button>
              )}
            </li>
          ))}
        </ul>
        <form onSubmit={start} aria-labelledby="start-title">
          <h3 id="start-title">{t('start')}</h3>
          <TextField label={t('supervisorId')} name="supervisorId" hint={t('startHint')} required />
          <button type="submit">{t('submitStart')}</button>
        </form>
      </section>
    </Page>
  );
}
