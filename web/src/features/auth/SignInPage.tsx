import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { Alert } from '../../components/Alert';
import { TextField } from '../../components/Form';
import { errorMessage } from '../../lib/errors';
import { usePlatform } from '../../lib/platform';

/** Email and password, then the authenticator code when two-step verification is on. */
export function SignInPage() {
  const { t } = useTranslation('auth');
  const { client, signedIn } = usePlatform();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  const [challenge, setChallenge] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(step: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await step();
    } catch (caught) {
      setError(errorMessage(caught, t));
    } finally {
      setBusy(false);
    }
  }

  function submitPassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      const result = await client.auth.login(String(form.get('email')), String(form.get('password')));
      if ('challengeToken' in result) return setChallenge(result.challengeToken);
      await signedIn(result);
      navigate(from, { replace: true });
    });
  }

  function submitCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code')).trim();
    void run(async () => {
      await signedIn(await client.auth.verifyTwoFactor(challenge!, code));
      navigate(from, { replace: true });
    });
  }

  if (challenge) {
    return (
      <form className="card auth-card" onSubmit={submitCode} aria-labelledby="two-factor-title">
        <h1 id="two-factor-title">{t('twoFactor.title')}</h1>
        <TextField label={t('twoFactor.code')} name="code" inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required autoFocus />
        {error && <Alert kind="error">{error}</Alert>}
        <button type="submit" disabled={busy}>{busy ? t('working') : t('twoFactor.submit')}</button>
      </form>
    );
  }
  return (
    <form className="card auth-card" onSubmit={submitPassword} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <TextField label={t('email')} name="email" type="email" autoComplete="username" required />
      <TextField label={t('password')} name="password" type="password" autoComplete="current-password" required />
      {error && <Alert kind="error">{error}</Alert>}
      <button type="submit" disabled={busy}>{busy ? t('working') : t('signIn.submit')}</button>
      <p className="auth-links">
        <Link to="/forgot-password">{t('signIn.forgot')}</Link>
        <span>
          {t('signIn.noAccount')} <Link to="/register">{t('signIn.register')}</Link>
        </span>
      </p>
    </form>
  );
}
