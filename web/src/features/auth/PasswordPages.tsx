import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../components/Alert';
import { TextField } from '../../components/Form';
import { errorMessage } from '../../lib/errors';
import { usePlatform } from '../../lib/platform';

function useSubmit() {
  const { t } = useTranslation('auth');
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: boolean }>({ busy: false, error: null, done: false });
  const submit = async (call: () => Promise<void>) => {
    setState({ busy: true, error: null, done: false });
    try {
      await call();
      setState({ busy: false, error: null, done: true });
    } catch (error) {
      setState({ busy: false, error: errorMessage(error, t), done: false });
    }
  };
  return { ...state, submit };
}

export function ForgotPasswordPage() {
  const { t } = useTranslation('auth');
  const { client } = usePlatform();
  const { busy, error, done, submit } = useSubmit();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email'));
    void submit(() => client.auth.forgotPassword(email));
  };
  return (
    <form className="card auth-card" onSubmit={onSubmit} aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t('forgot.title')}</h1>
      {done ? (
        <Alert kind="success">{t('forgot.done')}</Alert>
      ) : (
        <>
          <p>{t('forgot.intro')}</p>
          <TextField label={t('email')} name="email" type="email" autoComplete="email" required />
          {error && <Alert kind="error">{error}</Alert>}
          <button type="submit" disabled={busy}>{busy ? t('working') : t('forgot.submit')}</button>
        </>
      )}
      <p className="auth-links">
        <Link to="/sign-in">{t('toSignIn')}</Link>
      </p>
    </form>
  );
}

/** Where the reset email's link lands: a new password for the token. */
export function ResetPasswordPage() {
  const { t } = useTranslation('auth');
  const { client } = usePlatform();
  const token = useSearchParams()[0].get('token') ?? '';
  const { busy, error, done, submit } = useSubmit();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('password'));
    void submit(() => client.auth.resetPassword(token, password));
  };
  return (
    <form className="card auth-card" onSubmit={onSubmit} aria-labelledby="reset-title">
      <h1 id="reset-title">{t('reset.title')}</h1>
      {done ? (
        <Alert kind="success">{t('reset.done')}</Alert>
      ) : (
        <>
          <TextField label={t('newPassword')} name="password" type="password" autoComplete="new-password" minLength={10} required />
          {error && <Alert kind="error">{error}</Alert>}
          <button type="submit" disabled={busy}>{busy ? t('working') : t('reset.submit')}</button>
        </>
      )}
      <p className="auth-links">
        <Link to="/sign-in">{t('toSignIn')}</Link>
      </p>
    </form>
  );
}
