import { useTranslation } from 'react-i18next';
import { usePlatform } from '../lib/platform';
import { isLanguage, setLanguage } from './i18n';

/** Ελληνικά / English; a signed-in user's choice is saved to their profile (emails follow it too). */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation('common');
  const { client, session, updateMe } = usePlatform();
  return (
    <label className="language">
      <span>{t('language')}</span>
      <select
        value={i18n.language}
        onChange={(event) => {
          const language = event.target.value;
          if (!isLanguage(language)) return;
          setLanguage(language);
          if (session) client.api.me.update({ language }).then(updateMe, () => undefined);
        }}
      >
        <option value="el" lang="el">Ελληνικά</option>
        <option value="en" lang="en">English</option>
      </select>
    </label>
  );
}
