import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Measure, MeasureSchedule } from '@therapy-field/sync';
import { Alert } from '../../components/Alert';
import { SelectField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { formatDate, formatDateTime } from '../../lib/time';
import { useAsync } from '../../lib/use-async';
import { ScoreChart } from './ScoreChart';

const MEASURES: Measure[] = ['PHQ-9', 'GAD-7', 'WHO-5'];

/** A therapist's view of one client's measures: assign one, follow the scores, see and acknowledge risk alerts (live). */
export function ClientMeasuresPage() {
  const { t, i18n } = useTranslation('measures');
  const { client } = useSignedIn();
  const clientId = useParams().clientId!;
  const [measure, setMeasure] = useState<Measure>('PHQ-9');
  const [message, setMessage] = useState<{ kind: 'success' | 'error' | 'info'; text: string } | null>(null);
  const assignments = useAsync(() => client.api.measures.assignmentsOf(clientId), [client, clientId]);
  const series = useAsync(() => client.api.measures.seriesOf(clientId, measure), [client, clientId, measure]);
  const alerts = useAsync(() => client.api.measures.riskAlerts(), [client]);
  const { reload: reloadAlerts } = alerts;
  const { reload: reloadSeries } = series;

  useEffect(
    () =>
      client.on('measure.risk_alert', (alert) => {
        if (alert.clientId !== clientId) return;
        setMessage({ kind: 'info', text: t('newAlert', { measure: alert.measure }) });
        reloadAlerts();
        reloadSeries();
      }),
    [client, clientId, t, reloadAlerts, reloadSeries],
  );

  async function assign(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const kind = String(data.get('schedule'));
    const schedule: MeasureSchedule = kind === 'every_n_weeks' ? { kind, weeks: Number(data.get('weeks') || 2) } : { kind: kind === 'before_session' ? 'before_session' : 'once' };
    try {
      await client.api.measures.assign(clientId, { measure: String(data.get('measure')) as Measure, schedule });
      setMessage({ kind: 'success', text: t('assigned') });
      assignments.reload();
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error, t) });
    }
  }

  async function acknowledge(id: string) {
    try {
      await client.api.measures.acknowledge(id);
      reloadAlerts();
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error, t) });
    }
  }

  const clientAlerts = (alerts.data ?? []).filter((alert) => alert.clientId === clientId);
  return (
    <Page title={t('clientMeasures')} actions={<Link to={`/my-clients/${clientId}`}>{t('back')}</Link>}>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <section className="card" aria-labelledby="alerts-title">
        <h2 id="alerts-title">{t('alerts')}</h2>
        {clientAlerts.length === 0 ? (
          <p className="muted">{t('noAlerts')}</p>
        ) : (
          <ul className="entry-list" aria-labelledby="alerts-title">
            {clientAlerts.map((alert) => (
              <li key={alert.id} className="entry">
                <div className="entry-body">
                  <p className="entry-title">
                    <strong>{alert.measure}</strong> <time dateTime={alert.createdAt}>{formatDateTime(alert.createdAt, i18n.language)}</time>
                  </p>
                  <p>
                    {t('scoreValue', { score: alert.score, max: series.data?.measure === alert.measure ? series.data.maxScore : '' })} ·{' '}
                    {alert.reasons.map((reason) => (reason.startsWith('item:') ? t('reason.item', { item: reason.slice(5) }) : t('reason.severity'))).join(' · ')}
                  </p>
                </div>
                {alert.acknowledgedAt ? (
                  <span className="badge">{t('acknowledged', { when: formatDateTime(alert.acknowledgedAt, i18n.language) })}</span>
                ) : (
                  <button type="button" onClick={() => void acknowledge(alert.id)}>
                    {t('acknowledge', { measure: alert.measure, when: formatDate(alert.createdAt, i18n.language) })}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="grid-2">
        <form className="card" onSubmit={(event) => void assign(event)} aria-labelledby="assign-title">
          <h2 id="assign-title">{t('assignTitle')}</h2>
          <SelectField label={t('measure')} name="measure" defaultValue="PHQ-9">
            {MEASURES.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('schedule')} name="schedule" defaultValue="once">
            <option value="once">{t('scheduleOnce')}</option>
            <option value="before_session">{t('scheduleBeforeSession')}</option>
            <option value="every_n_weeks">{t('scheduleEveryNWeeks')}</option>
          </SelectField>
          <TextField label={t('weeks')} name="weeks" type="number" min={1} max={52} defaultValue={2} />
          <button type="submit">{t('assign')}</button>
        </form>
        <section className="card" aria-labelledby="assignments-title">
          <h2 id="assignments-title">{t('assignments')}</h2>
          {(assignments.data ?? []).length === 0 ? (
            <p className="muted">{t('noAssignments')}</p>
          ) : (
            <ul aria-labelledby="assignments-title">
              {assignments.data!.map((assignment) => (
                <li key={assignment.id}>
                  {assignment.measure} · {formatDate(assignment.createdAt, i18n.language)} · {assignment.due ? t('due') : t('notDue')}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="series-title">
        <h2 id="series-title">{t('scores')}</h2>
        <SelectField label={t('measure')} value={measure} onChange={(event) => setMeasure(event.target.value as Measure)}>
          {MEASURES.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </SelectField>
        {series.data && (
          <ScoreChart
            measure={measure}
            points={series.data.points.map((point) => ({ id: point.responseId, at: point.completedAt, score: point.score }))}
            maxScore={series.data.maxScore}
            ranges={series.data.ranges}
          />
        )}
      </section>
    </Page>
  );
}
