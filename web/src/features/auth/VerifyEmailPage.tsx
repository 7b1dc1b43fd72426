import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../components/Alert';
import { errorMessage } from '../../lib/errors';
import { usePlatform } from '../../lib/platform';

/** Where the verification email's link lands: confirms the token once. */
export function VerifyEmailPage() {
  const { t } = useTranslation('auth');
  const { client } = usePlatform();
  const token = useSearchParams()[0].get('token');
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(token ? null : { ok: false, message: t('verify.missing') });

  useEffect(() => {
    if (!token) return;
    let current = true;
    client.auth.verifyEmail(token).then(
      () => current && setOutcome({ ok: true, message: t('verify.done') }),
      (error: unknown) => current && setOutcome({ ok: false, message: errorMessage(error, t) }),
    );
    return () => {
      current = false;
    };
    // The token is used once: not again when the language changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, token]);

  return (
    <div className="card auth-card">
      <h1>{t('verify.title')}</h1>
      {outcome ? <Alert kind={outcome.ok ? 'success' : 'error'}>{outcome.message}</Alert> : <p role="status">{t('verify.working')}</p>}
      <Link to="/sign-in" className="button-link">{t('toSignIn')}</Link>
    </div>
  );
}
