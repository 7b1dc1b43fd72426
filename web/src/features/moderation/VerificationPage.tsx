import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { formatDate } from '../../lib/time';
import { useAsync } from '../../lib/use-async';

/** Therapists waiting for their license to be checked; verifying lists them in the directory. */
export function VerificationPage() {
  const { t, i18n } = useTranslation('moderation');
  const { client } = useSignedIn();
  const waiting = useAsync(() => client.api.admin.therapistsAwaitingVerification(), [client]);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const verify = (therapistId: string, name: string) =>
    client.api.admin.verifyTherapist(therapistId).then(
      () => {
        setMessage({ kind: 'success', text: t('verified', { name }) });
        waiting.reload();
      },
      (error: unknown) => setMessage({ kind: 'error', text: errorMessage(error, t) }),
    );
  return (
    <Page title={t('verificationTitle')}>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <section className="card" aria-labelledby="licenses-title">
        <h2 id="licenses-title">{t('licensesWaiting')}</h2>
        {waiting.error !== undefined && <Alert kind="error">{errorMessage(waiting.error, t)}</Alert>}
        {waiting.data?.therapists.length === 0 && <p className="muted">{t('noLicenses')}</p>}
        <ul className="entry-list" aria-labelledby="licenses-title">
          {waiting.data?.therapists.map((therapist) => {
            const name = `${therapist.firstName} ${therapist.lastName}`;
            return (
              <li key={therapist.therapistId} className="entry">
                <div className="entry-body">
                  <p className="entry-title">
                    <strong>{name}</strong>
                    <span className="muted">{t('registered', { date: formatDate(therapist.registeredAt, i18n.language) })}</span>
                  </p>
                  <p>
                    {t('license')}: <code>{therapist.licenseNumber}</code>
                    {therapist.licenseType && ` · ${therapist.licenseType}`}
                    {therapist.professionalTitle && ` · ${therapist.professionalTitle}`}
                  </p>
                </div>
                <div className="entry-badges">
                  <button type="button" aria-label={t('verifyTherapist', { name })} onClick={() => void verify(therapist.therapistId, name)}>
                    {t('verify')}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      </section>
    </Page>
  );
}
