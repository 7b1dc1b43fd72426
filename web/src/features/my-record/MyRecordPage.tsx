import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { useAsync } from '../../lib/use-async';

const HISTORY_KINDS = ['medical', 'psychiatric', 'social'] as const;

/** The client's own record and the log of who read it. */
export function MyRecordPage() {
  const { t, i18n } = useTranslation('myRecord');
  const { client } = useSignedIn();
  const record = useAsync(() => client.api.myRecord.get(), [client]);
  const reads = useAsync(() => client.api.myRecord.reads({ limit: 100 }), [client]);
  const when = (iso: string) => new Intl.DateTimeFormat(i18n.language === 'el' ? 'el-GR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const r = record.data;
  return (
    <Page title={t('title')}>
      <p className="muted">{t('intro')}</p>
      {record.error !== undefined && <Alert kind="error">{errorMessage(record.error, t)}</Alert>}
      {r && (
        <>
          <section className="card" aria-labelledby="goals-title">
            <h2 id="goals-title">{t('goals')}</h2>
            {r.treatmentPlans.length === 0 && <p className="muted">{t('noPlans')}</p>}
            <ul className="list">
              {r.treatmentPlans.map((plan) => (
                <li key={plan.id}>
                  <strong>{t(`planStatus.${plan.status}`)}</strong> · {t('since', { date: plan.startDate })}
                  <p>{plan.treatmentGoals ?? t('empty')}</p>
                </li>
              ))}
            </ul>
          </section>
          <section className="card" aria-labelledby="histories-title">
            <h2 id="histories-title">{t('histories')}</h2>
            {HISTORY_KINDS.map((kind) => {
              const section = r.histories[kind] as Record<string, unknown> | null;
              const filled = section ? Object.entries(section).filter(([field, value]) => field !== 'updatedAt' && typeof value === 'string' && value.length > 0) : [];
              return (
                <div key={kind}>
                  <h3>{t(kind)}</h3>
                  {filled.length === 0 ? <p className="muted">{t('empty')}</p> : <dl>{filled.map(([field, value]) => <div key={field}><dt>{t(`fields.${field}`, { defaultValue: field })}</dt><dd>{String(value)}</dd></div>)}</dl>}
                </div>
              );
            })}
          </section>
          <section className="card" aria-labelledby="appointments-title">
            <h2 id="appointments-title">{t('appointments')}</h2>
            <ul className="list">
              {r.appointments.map((appointment) => <li key={appointment.id}>{when(appointment.scheduledStart)} · {appointment.status}</li>)}
            </ul>
          </section>
        </>
      )}
      <section className="card" aria-labelledby="reads-title">
        <h2 id="reads-title">{t('reads')}</h2>
        <p className="muted">{t('readsIntro')}</p>
        {reads.error !== undefined && <Alert kind="error">{errorMessage(reads.error, t)}</Alert>}
        {reads.data?.length === 0 && <p className="muted">{t('noReads')}</p>}
        {reads.data && reads.data.length > 0 && (
          <table className="table">
            <thead>
              <tr><th scope="col">{t('when')}</th><th scope="col">{t('who')}</th><th scope="col">{t('role')}</th><th scope="col">{t('what')}</th></tr>
            </thead>
            <tbody>
              {reads.data.map((read, index) => (
                <tr key={`${read.at}-${read.recordKind}-${index}`}>
                  <td>{when(read.at)}</td>
                  <td>{read.readerName ?? '—'}{read.breakGlass && <strong> · {t('breakGlass')}</strong>}</td>
                  <td>{t(`roles.${read.readerRole}`, { defaultValue: read.readerRole })}</td>
                  <td>{t(`kinds.${read.recordKind}`, { defaultValue: read.recordKind })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Page>
  );
}
