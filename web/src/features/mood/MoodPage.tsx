import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { ScaleField, TextArea } from '../../components/Form';
import { Page } from '../../components/Page';
import { SyncBadge } from '../../components/StatusBadge';
import { useLocalList } from '../../lib/local-list';
import { useSignedIn } from '../../lib/platform';
import { formatDateTime } from '../../lib/time';
import { emotionKeys } from './strings';

const MoodChart = lazy(() => import('../../components/MoodChart'));

/** Log a mood (works offline: it goes to the device's database first), see entries and the chart. */
export function MoodPage() {
  const { t, i18n } = useTranslation('mood');
  const { client } = useSignedIn();
  const { entries, pending } = useLocalList('mood_entries', 'recordedAt', 'desc');
  const [scores, setScores] = useState({ moodScore: 6, energyLevel: 5, anxietyLevel: 4, sleepQuality: 6 });
  const [emotions, setEmotions] = useState<string[]>([]);
  const [saved, setSaved] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const notes = String(data.get('notes') ?? '').trim();
    await client.db.mood_entries.insert({
      id: crypto.randomUUID(),
      recordedAt: new Date().toISOString(),
      ...scores,
      emotions,
      notes: notes || null,
      sharedWithTherapist: data.get('shared') === 'on',
    });
    form.reset();
    setEmotions([]);
    setSaved(client.sync.state.online ? t('saved') : t('savedOffline'));
  }

  return (
    <Page title={t('title')}>
      <div className="grid-2">
        <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="log-mood-title">
          <h2 id="log-mood-title">{t('logTitle')}</h2>
          <ScaleField label={t('mood')} value={scores.moodScore} onChange={(moodScore) => setScores({ ...scores, moodScore })} low={t('low')} high={t('high')} />
          <ScaleField label={t('energy')} value={scores.energyLevel} onChange={(energyLevel) => setScores({ ...scores, energyLevel })} low={t('low')} high={t('high')} />
          <ScaleField label={t('anxiety')} value={scores.anxietyLevel} onChange={(anxietyLevel) => setScores({ ...scores, anxietyLevel })} low={t('low')} high={t('high')} />
          <ScaleField label={t('sleep')} value={scores.sleepQuality} onChange={(sleepQuality) => setScores({ ...scores, sleepQuality })} low={t('low')} high={t('high')} />
          <fieldset className="chips">
            <legend>{t('emotions')}</legend>
            {emotionKeys.map((key) => (
              <label key={key} className="chip">
                <input
                  type="checkbox"
                  checked={emotions.includes(key)}
                  onChange={(event) => setEmotions(event.target.checked ? [...emotions, key] : emotions.filter((emotion) => emotion !== key))}
                />
                <span>{t(`emotion.${key}`)}</span>
              </label>
            ))}
          </fieldset>
          <TextArea label={t('note')} name="notes" rows={3} maxLength={2000} />
          <label className="checkbox">
            <input type="checkbox" name="shared" /> {t('share')}
          </label>
          <button type="submit">{t('save')}</button>
          {saved && <Alert kind="success">{saved}</Alert>}
        </form>
        <section className="card" aria-labelledby="mood-chart-title">
          <h2 id="mood-chart-title">{t('chartTitle')}</h2>
          <Suspense fallback={<div className="chart" />}>
            <MoodChart entries={entries} />
          </Suspense>
        </section>
      </div>
      <section className="card" aria-labelledby="recent-moods-title">
        <h2 id="recent-moods-title">{t('recent')}</h2>
        {entries.length === 0 ? (
          <p className="muted">{t('none')}</p>
        ) : (
          <ul className="entry-list" aria-labelledby="recent-moods-title">
            {entries.slice(0, 20).map((entry) => (
              <li key={entry.id} className="entry">
                <span className={`mood-dot mood-${Math.round(entry.moodScore / 2)}`} aria-hidden="true">{entry.moodScore}</span>
                <div className="entry-body">
                  <p className="entry-title">
                    <strong>{t('moodValue', { score: entry.moodScore })}</strong>
                    <time dateTime={entry.recordedAt}>{formatDateTime(entry.recordedAt, i18n.language)}</time>
                  </p>
                  {(entry.emotions?.length ?? 0) > 0 && <p className="muted">{entry.emotions!.map((key) => t(`emotion.${key}`, { defaultValue: key })).join(' · ')}</p>}
                  {entry.notes && <p>{entry.notes}</p>}
                </div>
                <div className="entry-badges">
                  {entry.sharedWithTherapist && <span className="badge badge-shared">{t('shared')}</span>}
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
