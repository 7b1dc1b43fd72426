import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Alert } from '../../components/Alert';
import { SelectField, TextArea } from '../../components/Form';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { useAsync } from '../../lib/use-async';
import { NoteContent } from './NoteContent';

/** One of the therapist's notes with its earlier versions and its amendments; a signed note takes new ones. */
export function NoteRecordPage() {
  const { t, i18n } = useTranslation('noteRecords');
  const { noteId = '' } = useParams();
  const { client } = useSignedIn();
  const record = useAsync(() => client.api.noteRecords.get(noteId), [client, noteId]);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string }>();
  const when = (iso: string) => new Intl.DateTimeFormat(i18n.language === 'el' ? 'el-GR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  const amend = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const reason = String(data.get('reason')).trim();
    try {
      await client.api.noteRecords.amend(noteId, { kind: data.get('kind') === 'addendum' ? 'addendum' : 'amendment', text: String(data.get('text')), ...(reason ? { reason } : {}) });
      form.reset();
      setMessage({ kind: 'success', text: t('amended') });
      record.reload();
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error, t) });
    }
  };

  const r = record.data;
  return (
    <Page title={t('noteTitle')}>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {record.error !== undefined && <Alert kind="error">{errorMessage(record.error, t)}</Alert>}
      {r && (
        <>
          <section className="card" aria-labelledby="note-title">
            <h2 id="note-title">{r.note.isSigned && r.note.signedAt ? t('signedAt', { date: when(r.note.signedAt) }) : t('draft')}</h2>
            <NoteContent content={r.note.content} />
          </section>
          <section className="card" aria-labelledby="amendments-title">
            <h2 id="amendments-title">{t('amendments')}</h2>
            {r.amendments.length === 0 && <p className="muted">{t('noAmendments')}</p>}
            <ol className="list">
              {r.amendments.map((amendment) => (
                <li key={amendment.id}>
                  <strong>{t(`kind.${amendment.kind}`)}</strong> · {when(amendment.createdAt)}
                  <p>{amendment.text}</p>
                  {amendment.reason && <p className="muted">{amendment.reason}</p>}
                </li>
              ))}
            </ol>
            {r.note.isSigned && (
              <form onSubmit={amend} aria-labelledby="amend-title">
                <h3 id="amend-title">{t('amendTitle')}</h3>
                <p className="muted">{t('amendHint')}</p>
                <SelectField label={t('kindLabel')} name="kind" defaultValue="amendment">
                  <option value="amendment">{t('kind.amendment')}</option>
                  <option value="addendum">{t('kind.addendum')}</option>
                </SelectField>
                <TextArea label={t('text')} name="text" required />
                <TextArea label={t('reason')} name="reason" />
                <button type="submit">{t('amend')}</button>
              </form>
            )}
          </section>
          <section className="card" aria-labelledby="versions-title">
            <h2 id="versions-title">{t('versions')}</h2>
            {r.versions.length === 0 && <p className="muted">{t('noVersions')}</p>}
            {r.versions.map((version) => (
              <details key={version.version}>
                <summary>{t('version', { version: version.version, date: when(version.replacedAt) })}</summary>
                <NoteContent content={version.content} />
              </details>
            ))}
          </section>
        </>
      )}
    </Page>
  );
}
