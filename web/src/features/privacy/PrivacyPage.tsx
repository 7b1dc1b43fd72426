import type { TherapyFieldClient } from '@therapy-field/client-sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Alert } from '../../components/Alert';
import { TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';

type TwoFactorSetup = Awaited<ReturnType<TherapyFieldClient['auth']['setupTwoFactor']>>;
type Message = { kind: 'success' | 'error'; text: string } | null;

function EmailPreferences() {
  const { t } = useTranslation('privacy');
  const { client, me, updateMe } = useSignedIn();
  const [message, setMessage] = useState<Message>(null);
  if (!me) return null;

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    try {
      updateMe(await client.api.me.update({ emailReminders: data.get('emailReminders') === 'on', emailNewMessages: data.get('emailNewMessages') === 'on' }));
      setMessage({ kind: 'success', text: t('preferencesSaved') });
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error, t) });
    }
  }

  return (
    <form className="card" aria-labelledby="email-title" onSubmit={(event) => void save(event)}>
      <h2 id="email-title">{t('emailTitle')}</h2>
      <label className="checkbox">
        <input type="checkbox" name="emailReminders" defaultChecked={me.profile.emailReminders} /> {t('emailReminders')}
      </label>
      <label className="checkbox">
        <input type="checkbox" name="emailNewMessages" defaultChecked={me.profile.emailNewMessages} /> {t('emailNewMessages')}
      </label>
      <button type="submit">{t('savePreferences')}</button>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
    </form>
  );
}

function TwoFactor() {
  const { t } = useTranslation('privacy');
  const { client, me, updateMe } = useSignedIn();
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [message, setMessage] = useState<Message>(null);
  if (!me) return null;

  const run = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      updateMe(await client.api.me.get());
      setSetup(null);
      setMessage({ kind: 'success', text: done });
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error, t) });
    }
  };
  const submit = (event: FormEvent<HTMLFormElement>, work: (data: FormData) => Promise<unknown>, done: string) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    void run(() => work(data), done);
  };

  return (
    <section className="card" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">{t('twoFactorTitle')}</h2>
      <p>{me.twoFactorEnabled ? t('twoFactorOn') : t('twoFactorOff')}</p>
      {me.twoFactorEnabled ? (
        <form onSubmit={(event) => submit(event, (data) => client.auth.disableTwoFactor(String(data.get('password')), String(data.get('code'))), t('disabled'))}>
          <TextField label={t('password')} name="password" type="password" autoComplete="current-password" required />
          <TextField label={t('code')} name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" required />
          <button type="submit" className="button-quiet">{t('disable')}</button>
        </form>
      ) : setup ? (
        <form onSubmit={(event) => submit(event, (data) => client.auth.confirmTwoFactor(String(data.get('code'))), t('enabled'))}>
          <p>{t('setupHelp')}</p>
          <p>
            {t('secret')}: <code className="secret">{setup.secret}</code>
          </p>
          <TextField label={t('code')} name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" required />
          <button type="submit">{t('confirmSetup')}</button>
        </form>
      ) : (
        <button
          type="button"
          onClick={() => {
            client.auth.setupTwoFactor().then(setSetup, (error: unknown) => setMessage({ kind: 'error', text: errorMessage(error, t) }));
          }}
        >
          {t('startSetup')}
        </button>
      )}
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
    </section>
  );
}

function ExportData() {
  const { t } = useTranslation('privacy');
  const { client } = useSignedIn();
  const [file, setFile] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => () => void (file && URL.revokeObjectURL(file)), [file]);

  const exportData = () =>
    client.api.privacy.export().then(
      (data) => setFile(URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }))),
      (failure: unknown) => setError(errorMessage(failure, t)),
    );

  return (
    <section className="card" aria-labelledby="export-title">
      <h2 id="export-title">{t('exportTitle')}</h2>
      <p>{t('exportHelp')}</p>
      <button type="button" onClick={() => void exportData()}>{t('export')}</button>
      {file && (
        <Alert kind="success">
          {t('exportReady')}{' '}
          <a href={file} download="therapy-field-my-data.json">{t('download')}</a>
        </Alert>
      )}
      {error && <Alert kind="error">{error}</Alert>}
    </section>
  );
}

function EraseAccount() {
  const { t } = useTranslation('privacy');
  const { client, session, signOut } = useSignedIn();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');

  async function erase(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    try {
      await client.api.privacy.erase({ password: String(data.get('password')) });
      await signOut({ forgetDevice: true });
      navigate('/sign-in');
    } catch (failure) {
      setError(errorMessage(failure, t));
    }
  }

  return (
    <form className="card danger-zone" aria-labelledby="erase-title" onSubmit={(event) => void erase(event)}>
      <h2 id="erase-title">{t('eraseTitle')}</h2>
      {session.role !== 'client' ? (
        <p>{t('eraseNotClient')}</p>
      ) : (
        <>
          <p>{t('eraseHelp')}</p>
          <TextField label={t('password')} name="password" type="password" autoComplete="current-password" required />
          <TextField label={t('eraseConfirmLabel')} name="confirm" value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" required />
          <button type="submit" className="button-danger" disabled={typed.trim().toUpperCase() !== t('eraseWord')}>
            {t('erase')}
          </button>
          {error && <Alert kind="error">{error}</Alert>}
        </>
      )}
    </form>
  );
}

/** The user's rights over their account: email preferences, 2FA, a copy of their data, erasure. */
export function PrivacyPage() {
  const { t } = useTranslation('privacy');
  return (
    <Page title={t('title')}>
      <div className="grid-2">
        <EmailPreferences />
        <TwoFactor />
      </div>
      <ExportData />
      <EraseAccount />
    </Page>
  );
}
