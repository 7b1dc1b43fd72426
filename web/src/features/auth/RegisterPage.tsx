import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../components/Alert';
import { TextField } from '../../components/Form';
import { errorMessage } from '../../lib/errors';
import { usePlatform } from '../../lib/platform';

/** A client registers; the account opens once the emailed link is followed (/verify-email). */
export function RegisterPage() {
  const { t, i18n } = useTranslation('auth');
  const { client } = usePlatform();
  const [registered, setRegistered] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const email = String(form.get('email'));
      await client.auth.register({
        role: 'client',
        email,
        password: String(form.get('password')),
        firstName: String(form.get('firstName')),
        lastName: String(form.get('lastName')),
        language: i18n.language === 'en' ? 'en' : 'el',
      });
      setRegistered(email);
    } catch (caught) {
      setError(errorMessage(caught, t));
    } finally {
      setBusy(false);
    }
  }

  if (registered) {
    return (
      <div className="card auth-card">
        <h1>{t('register.title')}</h1>
        <Alert kind="success">{t('register.done', { email: registered })}</Alert>
      </div>
    );
  }
  return (
    <form className="card auth-card" onSubmit={(event) => void submit(event)} aria-labelledby="register-title">
      <h1 id="register-title">{t('register.title')}</h1>
      <div className="field-row">
        <TextField label={t('firstName')} name="firstName" autoComplete="given-name" required />
        <TextField label={t('lastName')} name="lastName" autoComplete="family-name" required />
      </div>
      <TextField label={t('email')} name="email" type="email" autoComplete="email" required />
      <TextField label={t('newPassword')} name="password" type="password" autoComplete="new-password" minLength={10} required />
      {error && <Alert kind="error">{error}</Alert>}
      <button type="submit" disabled={busy}>{busy ? t('working') : t('register.submit')}</button>
      <p className="auth-links">
        <span>
          {t('register.haveAccount')} <Link to="/sign-in">{t('toSignIn')}</Link>
        </span>
      </p>
    </form>
  );
}
