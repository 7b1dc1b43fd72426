import type { HabitDefinition, HabitLog } from '@therapy-field/client-sdk';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { SelectField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { SyncBadge } from '../../components/StatusBadge';
import { useLocalList } from '../../lib/local-list';
import { useSignedIn } from '../../lib/platform';
import { athensDayBounds } from '../../lib/time';

/** Completed logs of a habit in its current period (today, or the last seven days for weekly ones). */
function doneInPeriod(habit: HabitDefinition, logs: HabitLog[]): number {
  const { start } = athensDayBounds();
  const from = habit.frequency === 'weekly' ? new Date(start.getTime() - 6 * 86_400_000) : start;
  return logs.filter((log) => log.habitId === habit.id && log.completed && log.loggedAt >= from.toISOString()).length;
}

/** Habits and their daily or weekly logs, written to the device first (offline) and synced. */
export function HabitsPage() {
  const { t } = useTranslation('habits');
  const { client } = useSignedIn();
  const habits = useLocalList('habit_definitions', 'name', 'asc');
  const logs = useLocalList('habit_logs', 'loggedAt', 'desc');
  const [saved, setSaved] = useState(false);

  async function addHabit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const unit = String(data.get('unit') ?? '').trim();
    await client.db.habit_definitions.insert({
      id: crypto.randomUUID(),
      name: String(data.get('name')).trim(),
      frequency: data.get('frequency') === 'weekly' ? 'weekly' : 'daily',
      targetCount: Number(data.get('target')) || 1,
      unit: unit || null,
      isActive: true,
    });
    form.reset();
    setSaved(true);
  }

  const logDone = (habit: HabitDefinition) =>
    client.db.habit_logs.insert({ id: crypto.randomUUID(), habitId: habit.id, loggedAt: new Date().toISOString(), completed: true, value: 1 });

  const archive = async (habit: HabitDefinition) => {
    const doc = await client.db.habit_definitions.findOne(habit.id).exec();
    await doc?.incrementalPatch({ isActive: false });
  };

  const active = habits.entries.filter((habit) => habit.isActive);
  const isPending = (habit: HabitDefinition) =>
    habits.pending!.has(habit.id) || logs.entries.some((log) => log.habitId === habit.id && logs.pending?.has(log.id));

  return (
    <Page title={t('habitsTitle')}>
      <form className="card" onSubmit={(event) => void addHabit(event)} aria-labelledby="new-habit-title" onChange={() => setSaved(false)}>
        <h2 id="new-habit-title">{t('newHabit')}</h2>
        <TextField label={t('habitName')} name="name" required maxLength={100} />
        <div className="grid-2">
          <SelectField label={t('frequency')} name="frequency" defaultValue="daily">
            <option value="daily">{t('daily')}</option>
            <option value="weekly">{t('weekly')}</option>
          </SelectField>
          <TextField label={t('target')} name="target" type="number" min={1} max={100} defaultValue={1} required />
        </div>
        <TextField label={t('unit')} name="unit" maxLength={50} />
        <button type="submit">{t('addHabit')}</button>
        {saved && <Alert kind="success">{t('habitAdded')}</Alert>}
      </form>
      <section className="card" aria-labelledby="habits-title">
        <h2 id="habits-title">{t('myHabits')}</h2>
        {active.length === 0 ? (
          <p className="muted">{t('noHabits')}</p>
        ) : (
          <ul className="entry-list" aria-labelledby="habits-title">
            {active.map((habit) => {
              const done = doneInPeriod(habit, logs.entries);
              const target = habit.targetCount ?? 1;
              return (
                <li key={habit.id} className="entry">
                  <div className="entry-body">
                    <p className="entry-title">
                      <strong>{habit.name}</strong>
                    </p>
                    <p className="muted">
                      {t(habit.frequency === 'weekly' ? 'progressWeek' : 'progressToday', { done, target })}
                      {habit.unit ? ` · ${habit.unit}` : ''}
                    </p>
                    <progress max={target} value={Math.min(done, target)} aria-label={habit.name} />
                  </div>
                  <div className="entry-badges">
                    {habits.pending && <SyncBadge synced={!isPending(habit)} />}
                    <button type="button" aria-label={t('logDoneFor', { name: habit.name })} onClick={() => void logDone(habit)}>
                      {t('logDone')}
                    </button>
                    <button type="button" className="button-quiet" aria-label={t('archiveFor', { name: habit.name })} onClick={() => void archive(habit)}>
                      {t('archive')}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </Page>
  );
}
