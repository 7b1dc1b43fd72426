import type { Goal } from '@therapy-field/client-sdk';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { TextArea, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { SyncBadge } from '../../components/StatusBadge';
import { useLocalList } from '../../lib/local-list';
import { useSignedIn } from '../../lib/platform';
import { formatDate } from '../../lib/time';

/** Goals with their progress (percent), written to the device first (offline) and synced. */
export function GoalsPage() {
  const { t, i18n } = useTranslation('habits');
  const { client } = useSignedIn();
  const { entries, pending } = useLocalList('goals', 'title', 'asc');
  const [saved, setSaved] = useState(false);

  async function addGoal(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const description = String(data.get('description') ?? '').trim();
    const targetDate = String(data.get('targetDate') ?? '');
    await client.db.goals.insert({
      id: crypto.randomUUID(),
      title: String(data.get('title')).trim(),
      description: description || null,
      targetDate: targetDate || null,
      progressType: 'percentage',
      currentProgress: 0,
      milestones: [],
      isCompleted: false,
      sharedWithTherapist: data.get('shared') === 'on',
    });
    form.reset();
    setSaved(true);
  }

  const patch = async (goal: Goal, changes: Partial<Goal>) => {
    const doc = await client.db.goals.findOne(goal.id).exec();
    await doc?.incrementalPatch(changes);
  };
  const advance = (goal: Goal) => patch(goal, { currentProgress: Math.min(100, goal.currentProgress + 10) });
  const complete = (goal: Goal) => patch(goal, { currentProgress: 100, isCompleted: true, completedAt: new Date().toISOString() });

  const open = entries.filter((goal) => !goal.isCompleted);
  const done = entries.filter((goal) => goal.isCompleted);
  const item = (goal: Goal) => (
    <li key={goal.id} className="entry">
      <div className="entry-body">
        <p className="entry-title">
          <strong>{goal.title}</strong>
          {goal.targetDate && <span className="muted">{t('due', { date: formatDate(new Date(`${goal.targetDate}T12:00:00Z`), i18n.language) })}</span>}
        </p>
        {goal.description && <p>{goal.description}</p>}
        <p className="muted">
          {t('progress')}: {t('percent', { value: Math.round(goal.currentProgress) })}
        </p>
        <progress max={100} value={goal.currentProgress} aria-label={t('progressOf', { title: goal.title })} />
      </div>
      <div className="entry-badges">
        {goal.sharedWithTherapist && <span className="badge badge-shared">{t('shared')}</span>}
        {goal.isCompleted && <span className="badge badge-completed">{t('completed')}</span>}
        {pending && <SyncBadge synced={!pending.has(goal.id)} />}
        {!goal.isCompleted && (
          <>
            <button type="button" className="button-quiet" aria-label={t('moreFor', { title: goal.title })} onClick={() => void advance(goal)}>
              {t('more')}
            </button>
            <button type="button" aria-label={t('completeFor', { title: goal.title })} onClick={() => void complete(goal)}>
              {t('complete')}
            </button>
          </>
        )}
      </div>
    </li>
  );

  return (
    <Page title={t('goalsTitle')}>
      <form className="card" onSubmit={(event) => void addGoal(event)} aria-labelledby="new-goal-title" onChange={() => setSaved(false)}>
        <h2 id="new-goal-title">{t('newGoal')}</h2>
        <TextField label={t('goalTitle')} name="title" required maxLength={200} />
        <TextArea label={t('description')} name="description" rows={2} maxLength={5000} />
        <TextField label={t('targetDate')} name="targetDate" type="date" />
        <label className="checkbox">
          <input type="checkbox" name="shared" /> {t('share')}
        </label>
        <button type="submit">{t('addGoal')}</button>
        {saved && <Alert kind="success">{t('goalAdded')}</Alert>}
      </form>
      <section className="card" aria-labelledby="goals-title">
        <h2 id="goals-title">{t('myGoals')}</h2>
        {entries.length === 0 ? <p className="muted">{t('noGoals')}</p> : <ul className="entry-list" aria-labelledby="goals-title">{[...open, ...done].map(item)}</ul>}
      </section>
    </Page>
  );
}
