import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { useAsync } from '../../lib/use-async';

const MINIMUM_GROUP = 5;

/** The company's totals (enrolment, sessions, per month); the server suppresses small groups. */
export function CompanyUsagePage() {
  const { t, i18n } = useTranslation('company');
  const { client } = useSignedIn();
  const usage = useAsync(async () => {
    const { businesses } = await client.api.business.mine();
    return businesses[0] ? client.api.business.usage(businesses[0].id) : null;
  }, [client]);
  const u = usage.data;
  const monthName = (month: string) => new Intl.DateTimeFormat(i18n.language === 'el' ? 'el-GR' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T00:00:00Z`));
  return (
    <Page title={u ? `${t('title')}: ${u.companyName}` : t('title')}>
      {usage.error !== undefined && <Alert kind="error">{errorMessage(usage.error, t)}</Alert>}
      {u === null && <p className="muted">{t('none')}</p>}
      {u && (
        <>
          <p className="muted">{t('privacy')}</p>
          <dl className="stats">
            <div className="card stat"><dt>{t('active')}</dt><dd>{u.employees.active}</dd></div>
            <div className="card stat"><dt>{t('invited')}</dt><dd>{u.employees.invited}</dd></div>
            <div className="card stat"><dt>{t('purchased')}</dt><dd>{u.sessionsPurchased ?? t('unlimited')}</dd></div>
            {u.sessions && <div className="card stat"><dt>{t('used')}</dt><dd>{u.sessions.used}</dd></div>}
            {u.sessions && <div className="card stat"><dt>{t('withSessions')}</dt><dd>{u.sessions.employeesWithSessions}</dd></div>}
          </dl>
          {!u.sessions ? (
            <Alert kind="info">{t('suppressed', { count: MINIMUM_GROUP })}</Alert>
          ) : (
            <section className="card" aria-labelledby="by-month-title">
              <h2 id="by-month-title">{t('byMonth')}</h2>
              <table className="table">
                <thead>
                  <tr><th scope="col">{t('month')}</th><th scope="col">{t('booked')}</th><th scope="col">{t('completed')}</th><th scope="col">{t('cancelled')}</th><th scope="col">{t('noShow')}</th></tr>
                </thead>
                <tbody>
                  {u.sessions.byMonth.map((m) => (
                    <tr key={m.month}><th scope="row">{monthName(m.month)}</th><td>{m.booked}</td><td>{m.completed}</td><td>{m.cancelled}</td><td>{m.noShow}</td></tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </>
      )}
    </Page>
  );
}
