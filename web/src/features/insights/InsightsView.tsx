import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { WellnessInsights } from '@therapy-field/sync';

const MoodChart = lazy(() => import('../../components/MoodChart'));

/** Mood trends, habit streaks and goal progress as the server computed them. */
export function InsightsView({ insights }: { insights: WellnessInsights }) {
  const { t } = useTranslation('insights');
  const days = insights.mood.days;
  const latest = days.at(-1);
  const number = (value: number | null) => (value === null ? '—' : value.toFixed(2));
  return (
    <>
      <section className="card" aria-labelledby="insights-mood">
        <h2 id="insights-mood">{t('mood')}</h2>
        <Suspense fallback={<div className="chart" />}>
          <MoodChart days={days.map((day) => ({ day: day.day, average: day.averageMood, weekAverage: day.weekAverage }))} emptyText={t('noMood')} />
        </Suspense>
        {latest && (
          <>
            <p>{t('latest', { day: latest.day, week: number(latest.weekAverage), trend: t(`trend.${latest.trend}`) })}</p>
            <p>{latest.sleepCorrelation === null ? t('noCorrelation') : t('correlation', { value: number(latest.sleepCorrelation) })}</p>
            <details>
              <summary>{t('table')}</summary>
              <table className="table">
                <thead>
                  <tr><th scope="col">{t('day')}</th><th scope="col">{t('average')}</th><th scope="col">{t('volatility')}</th><th scope="col">{t('week')}</th><th scope="col">{t('direction')}</th></tr>
                </thead>
                <tbody>
                  {days.map((day) => (
                    <tr key={day.day}>
                      <th scope="row">{day.day}</th>
                      <td>{number(day.averageMood)}</td>
                      <td>{number(day.volatility)}</td>
                      <td>{number(day.weekAverage)}</td>
                      <td>{t(`trend.${day.trend}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </>
        )}
      </section>
      <div className="grid-2">
        {insights.scope === 'own' && (
          <section className="card" aria-labelledby="insights-habits">
            <h2 id="insights-habits">{t('habits')}</h2>
            {insights.habits.length === 0 ? (
              <p className="muted">{t('noHabits')}</p>
            ) : (
              <ul className="list">
                {insights.habits.map((habit) => (
                  <li key={habit.habitId}>
                    <strong>{habit.name}</strong> · {t(`streak.${habit.period}`, { current: habit.currentStreak, longest: habit.longestStreak })}
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
        <section className="card" aria-labelledby="insights-goals">
          <h2 id="insights-goals">{t('goals')}</h2>
          {insights.goals.length === 0 ? (
            <p className="muted">{t('noGoals')}</p>
          ) : (
            <ul className="list">
              {insights.goals.map((goal) => (
                <li key={goal.goalId}>
                  <label>
                    {goal.title} · {goal.isCompleted ? t('completed') : `${Math.round(goal.percent)}%`}
                    <progress max={100} value={goal.percent} aria-label={t('goalProgress', { title: goal.title })} />
                  </label>
                  {goal.milestonesTotal > 0 && <p className="muted">{t('milestones', { done: goal.milestonesDone, total: goal.milestonesTotal })}</p>}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
