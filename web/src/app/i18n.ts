import i18next, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { commonStrings } from './strings';

export const languages = ['el', 'en'] as const;
export type Language = (typeof languages)[number];
const CHOSEN_KEY = 'tf.language';

type Strings = Record<Language, object>;

/**
 * Each feature's strings (Greek and English), loaded with the first page that uses its
 * namespace: the first load carries only the shell's own (`common`). The service worker
 * precaches these chunks like every other, so they load offline too.
 */
const featureNamespaces: Record<string, () => Promise<Strings>> = {
  auth: () => import('../features/auth/strings').then((module) => module.authStrings),
  sessions: () => import('../features/sessions/strings').then((module) => module.sessionsStrings),
  mood: () => import('../features/mood/strings').then((module) => module.moodStrings),
  journal: () => import('../features/journal/strings').then((module) => module.journalStrings),
  directory: () => import('../features/directory/strings').then((module) => module.directoryStrings),
  schedule: () => import('../features/schedule/strings').then((module) => module.scheduleStrings),
  clients: () => import('../features/clients/strings').then((module) => module.clientsStrings),
  messages: () => import('../features/messages/strings').then((module) => module.messagesStrings),
  company: () => import('../features/company/strings').then((module) => module.companyStrings),
  moderation: () => import('../features/moderation/strings').then((module) => module.moderationStrings),
  consent: () => import('../features/consent/strings').then((module) => module.consentStrings),
  myRecord: () => import('../features/my-record/strings').then((module) => module.myRecordStrings),
  noteRecords: () => import('../features/note-records/strings').then((module) => module.noteRecordsStrings),
  supervision: () => import('../features/supervision/strings').then((module) => module.supervisionStrings),
  video: () => import('../features/video/strings').then((module) => module.videoStrings),
  habits: () => import('../features/habits/strings').then((module) => module.habitsStrings),
  availability: () => import('../features/availability/strings').then((module) => module.availabilityStrings),
  notifications: () => import('../features/notifications/strings').then((module) => module.notificationsStrings),
  privacy: () => import('../features/privacy/strings').then((module) => module.privacyStrings),
  measures: () => import('../features/measures/strings').then((module) => module.measuresStrings),
  billing: () => import('../features/billing/strings').then((module) => module.billingStrings),
  insights: () => import('../features/insights/strings').then((module) => module.insightsStrings),
  forms: () => import('../features/forms/strings').then((module) => module.formsStrings),
};

const featureStrings: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, namespace, done) {
    const load = featureNamespaces[namespace];
    if (!load) return done(new Error(`no strings for the namespace ${namespace}`), false);
    load().then(
      (strings) => done(null, strings[language as Language]),
      (error: Error) => done(error, false),
    );
  },
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

void i18next
  .use(featureStrings)
  .use(initReactI18next)
  .init({
    resources: Object.fromEntries(languages.map((language) => [language, { common: commonStrings[language] }])),
    // The shell's strings are bundled; a feature's come from the backend when a page asks for them.
    partialBundledLanguages: true,
    lng: deviceLanguage(),
    fallbackLng: 'en',
    ns: ['common'],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
  });
i18next.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});
document.documentElement.lang = i18next.language;

export { isLanguage };
