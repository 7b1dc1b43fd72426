import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from '../../components/Page';
import { formatDateTime } from '../../lib/time';
import { useCare } from './use-care';
import { usePresence } from './use-presence';

const inCare = new Set(['confirmed', 'completed']);

/** Everyone the therapist has seen or will see, with their next session. */
export function ClientListPage() {
  const { t, i18n } = useTranslation('clients');
  const { appointments, names } = useCare();
  const now = new Date().toISOString();
  const clientIds = [...new Set(appointments.filter((a) => inCare.has(a.status)).map((a) => a.clientId))];
  const presence = usePresence(clientIds);
  const online = clientIds.filter((id) => presence.get(id)?.status === 'online');
  return (
    <Page title={t('title')}>
      <section className="card" aria-labelledby="online-title">
        <h2 id="online-title">{t('whoIsOnline')}</h2>
        {online.length === 0 ? (
          <p className="muted">{t('nobodyOnline')}</p>
        ) : (
          <ul className="inline-list" aria-labelledby="online-title">
            {online.map((id) => (
              <li key={id}>
                <span className="presence-dot" aria-hidden="true" /> {names.get(id) ?? t('client')}
              </li>
            ))}
          </ul>
        )}
      </section>
      {clientIds.length === 0 ? (
        <p className="muted">{t('none')}</p>
      ) : (
        <ul className="client-grid">
          {clientIds.map((id) => {
            const theirs = appointments.filter((a) => a.clientId === id && inCare.has(a.status));
            const next = theirs.filter((a) => a.scheduledStart >= now).at(-1);
            const name = names.get(id) ?? t('client');
            return (
              <li key={id} className="card">
                <h2 className="h3">{name}</h2>
                <p className="muted">{presence.get(id)?.status === 'online' ? t('online') : t('offline')}</p>
                <p className="muted">{t('sessions', { count: theirs.length })}</p>
                {next && <p>{t('next', { when: formatDateTime(next.scheduledStart, i18n.language) })}</p>}
                <Link className="button-link" to={`/my-clients/${id}`} aria-label={t('open', { name })}>
                  {t('record')}
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </Page>
  );
}
