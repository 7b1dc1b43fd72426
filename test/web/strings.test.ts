import { describe, expect, it } from 'vitest';
import { commonStrings } from '../../web/src/app/strings.js';
import { authStrings } from '../../web/src/features/auth/strings.js';
import { clientsStrings } from '../../web/src/features/clients/strings.js';
import { companyStrings } from '../../web/src/features/company/strings.js';
import { directoryStrings } from '../../web/src/features/directory/strings.js';
import { journalStrings } from '../../web/src/features/journal/strings.js';
import { messagesStrings } from '../../web/src/features/messages/strings.js';
import { moderationStrings } from '../../web/src/features/moderation/strings.js';
import { moodStrings } from '../../web/src/features/mood/strings.js';
import { availabilityStrings } from '../../web/src/features/availability/strings.js';
import { habitsStrings } from '../../web/src/features/habits/strings.js';
import { notificationsStrings } from '../../web/src/features/notifications/strings.js';
import { privacyStrings } from '../../web/src/features/privacy/strings.js';
import { scheduleStrings } from '../../web/src/features/schedule/strings.js';
import { sessionsStrings } from '../../web/src/features/sessions/strings.js';
import { consentStrings } from '../../web/src/features/consent/strings.js';
import { insightsStrings } from '../../web/src/features/insights/strings.js';
import { formsStrings } from '../../web/src/features/forms/strings.js';
import { myRecordStrings } from '../../web/src/features/my-record/strings.js';
import { noteRecordsStrings } from '../../web/src/features/note-records/strings.js';
import { supervisionStrings } from '../../web/src/features/supervision/strings.js';
import { videoStrings } from '../../web/src/features/video/strings.js';

type Strings = { [key: string]: string | Strings };

/** Every key path with its value, e.g. `sync.pending_one`. */
function flatten(strings: Strings, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(strings)) {
    if (typeof value === 'string') entries.set(`${prefix}${key}`, value);
    else for (const [path, text] of flatten(value, `${prefix}${key}.`)) entries.set(path, text);
  }
  return entries;
}

const namespaces = {
  common: commonStrings,
  auth: authStrings,
  clients: clientsStrings,
  company: companyStrings,
  directory: directoryStrings,
  journal: journalStrings,
  messages: messagesStrings,
  moderation: moderationStrings,
  mood: moodStrings,
  schedule: scheduleStrings,
  sessions: sessionsStrings,
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

describe('web app strings', () => {
  it.each(Object.entries(namespaces))('%s has every key in Greek and English, none empty, with the same placeholders', (_name, strings) => {
    const el = flatten(strings.el as Strings);
    const en = flatten(strings.en as Strings);
    expect([...el.keys()].sort()).toEqual([...en.keys()].sort());
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
    for (const [key, greek] of el) {
      expect(greek.trim(), `el ${key}`).not.toBe('');
      expect(en.get(key)!.trim(), `en ${key}`).not.toBe('');
      expect(placeholders(greek), key).toEqual(placeholders(en.get(key)!));
    }
  });
});
