import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { authStrings } from '../features/auth/strings';
import { clientsStrings } from '../features/clients/strings';
import { companyStrings } from '../features/company/strings';
import { directoryStrings } from '../features/directory/strings';
import { journalStrings } from '../features/journal/strings';
import { messagesStrings } from '../features/messages/strings';
import { moderationStrings } from '../features/moderation/strings';
import { moodStrings } from '../features/mood/strings';
import { availabilityStrings } from '../features/availability/strings';
import { habitsStrings } from '../features/habits/strings';
import { notificationsStrings } from '../features/notifications/strings';
import { privacyStrings } from '../features/privacy/strings';
import { scheduleStrings } from '../features/schedule/strings';
import { sessionsStrings } from '../features/sessions/strings';
import { consentStrings } from '../features/consent/strings';
import { insightsStrings } from '../features/insights/strings';
import { formsStrings } from '../features/forms/strings';
import { myRecordStrings } from '../features/my-record/strings';
import { noteRecordsStrings } from '../features/note-records/strings';
import { supervisionStrings } from '../features/supervision/strings';
import { videoStrings } from '../features/video/strings';
import { commonStrings } from './strings';

export const languages = ['el', 'en'] as const;
export type Language = (typeof languages)[number];
const CHOSEN_KEY = 'tf.language';

/** Every namespace: one per feature, each in Greek and English. */
export const namespaces = {
  common: commonStrings,
  auth: authStrings,
  sessions: sessionsStrings,
  mood: moodStrings,
  journal: journalStrings,
  directory: directoryStrings,
  schedule: scheduleStrings,
  clients: clientsStrings,
  messages: messagesStrings,
  company: companyStrings,
  moderation: moderationStrings,
  consent: consentStrings,
  insights: insightsStrings,
  forms: formsStrings,
  myRecord: myRecordStrings,
  noteRecords: noteRecordsStrings,
  supervision: supervisionStrings,
  video: videoStrings,
  habits: habitsStrings,
  availability: availabilityStrings,
  notifications: notificationsStrings,
  privacy: privacyStrings,
};

const isLanguage = (value: unknown): value is Language => languages.includes(value as Language);

/** Before anyone signs in: the language chosen on this device, else the browser's. */
function deviceLanguage(): Language {
  const chosen = localStorage.getItem(CHOSEN_KEY);
  if (isLanguage(chosen)) return chosen;
  return navigator.languages.some((tag) => tag.toLowerCase().startsWith('el')) ? 'el' : 'en';
}

export function setLanguage(language: Language): void {
  localStorage.setItem(CHOSEN_KEY, language);
  void i18next.changeLanguage(language);
}

const resources = Object.fromEntries(
  languages.map((language) => [language, Object.fromEntries(Object.entries(namespaces).map(([ns, strings]) => [ns, strings[language]]))]),
);

void i18next.use(initReactI18next).init({
  resources,
  lng: deviceLanguage(),
  fallbackLng: 'en',
  ns: Object.keys(namespaces),
  defaultNS: 'common',
  interpolation: { escapeValue: false },
});
i18next.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});
document.documentElement.lang = i18next.language;

export { isLanguage };
