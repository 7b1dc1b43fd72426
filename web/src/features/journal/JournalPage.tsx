import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { TextArea, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { SyncBadge } from '../../components/StatusBadge';
import { useLocalList } from '../../lib/local-list';
import { useSignedIn } from '../../lib/platform';
import { formatDateTime } from '../../lib/time';

/** Journal entries, shared with the therapist or private; written to the device first (offline). */
export function JournalPage() {
  const { t, i18n } = useTranslation('journal');
  const { client } = useSignedIn();
  const { entries, pending } = useLocalList('journal_entries', 'createdAt', 'desc');
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const title = String(data.get('title') ?? '').trim();
    await client.db.journal_entries.insert({
      id: crypto.randomUUID(),
      title: title || null,
      content: String(data.get('content')),
      sharedWithTherapist: data.get('shared') === 'on',
      createdAt: new Date().toISOString(),
    });
    form.reset();
    setSaved(true);
  }

  return (
    <Page title={t('title')}>
      <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="new-entry-title" onChange={() => setSaved(false)}>
        <h2 id="new-entry-title">{t('newEntry')}</h2>
        <TextField label={t('entryTitle')} name="title" maxLength={200} />
        <TextArea label={t('content')} name="content" rows={5} required maxLength={100_000} />
        <label className="checkbox">
          <input type="checkbox" name="shared" /> {t('share')}
        </label>
        <button type="submit">{t('save')}</button>
        {saved && <Alert kind="success">{t('saved')}</Alert>}
      </form>
      <section className="card" aria-labelledby="entries-title">
        <h2 id="entries-title">{t('entries')}</h2>
        {entries.length === 0 ? (
          <p className="muted">{t('none')}</p>
        ) : (
          <ul className="entry-list" aria-labelledby="entries-title">
            {entries.map((entry) => (
              <li key={entry.id} className="entry">
                <div className="entry-body">
                  <p className="entry-title">
                    <strong>{entry.title ?? t('untitled')}</strong>
                    <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt, i18n.language)}</time>
                  </p>
                  <p className="journal-text">{entry.content}</p>
                </div>
                <div className="entry-badges">
                  <span className={`badge ${entry.sharedWithTherapist ? 'badge-shared' : 'badge-private'}`}>{entry.sharedWithTherapist ? t('shared') : t('private')}</span>
                  {pending && <SyncBadge synced={!pending.has(entry.id)} />}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
