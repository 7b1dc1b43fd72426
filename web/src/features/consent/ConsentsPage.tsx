import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsentKind } from '@therapy-field/sync';
import { Alert } from '../../components/Alert';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { useAsync } from '../../lib/use-async';

const KINDS: ConsentKind[] = ['terms', 'data_processing', 'therapist_sharing', 'telehealth', 'business_analytics'];
/** The version of each consent text the app shows today. */
const CURRENT_TEXT_VERSION = '2026-12';

/** The client's consents: each kind's standing with give/withdraw, and every record. */
export function ConsentsPage() {
  const { t, i18n } = useTranslation('consent');
  const { client } = useSignedIn();
  const consents = useAsync(() => client.api.consents.list(), [client]);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string }>();
  const when = (iso: string) => new Intl.DateTimeFormat(i18n.language === 'el' ? 'el-GR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setMessage({ kind: 'success', text: done });
      consents.reload();
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error, t) });
    }
  };

  return (
    <Page title={t('title')}>
      <p className="muted">{t('intro')}</p>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {consents.error !== undefined && <Alert kind="error">{errorMessage(consents.error, t)}</Alert>}
      {consents.data && (
        <>
          <ul className="list">
            {KINDS.map((kind) => {
              const state = consents.data!.current[kind];
              const label = t(`kind.${kind}`);
              return (
                <li key={kind} className="card">
                  <h2>{label}</h2>
                  <p className="muted">{t(`effect.${kind}`)}</p>
                  <p>{t(`state.${state}`)}</p>
                  {state === 'given' ? (
                    <button type="button" onClick={() => act(() => client.api.consents.withdraw(kind), t('withdrawn'))}>{t('withdraw', { kind: label })}</button>
                  ) : (
                    <button type="button" onClick={() => act(() => client.api.consents.give({ kind, textVersion: CURRENT_TEXT_VERSION }), t('given'))}>{t('give', { kind: label })}</button>
                  )}
                </li>
              );
            })}
          </ul>
          <section className="card" aria-labelledby="consent-history">
            <h2 id="consent-history">{t('history')}</h2>
            {consents.data.records.length === 0 ? (
              <p className="muted">{t('none')}</p>
            ) : (
              <table className="table">
                <thead>
                  <tr><th scope="col">{t('title')}</th><th scope="col">{t('version')}</th><th scope="col">{t('givenAt')}</th><th scope="col">{t('withdrawnAt')}</th></tr>
                </thead>
                <tbody>
                  {consents.data.records.map((record) => (
                    <tr key={record.id}>
                      <th scope="row">{t(`kind.${record.kind}`)}</th>
                      <td>{record.textVersion}</td>
                      <td>{when(record.givenAt)}</td>
                      <td>{record.replacedBy ? t('replaced') : record.withdrawnAt ? when(record.withdrawnAt) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </Page>
  );
}
