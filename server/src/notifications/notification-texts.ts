import type { AppointmentEvent, AppointmentLifecycleEventName, Language } from '@therapy-field/sync';

type Party = 'client' | 'therapist';
type Text = { title: string; message: (when: string) => string };

/** What each appointment event tells each party, in Greek and English. No names, no clinical text. */
const texts: Record<AppointmentLifecycleEventName, Record<Party, Record<Language, Text>>> = {
  'appointment.proposed': {
    therapist: {
      el: { title: 'Η πρότασή σας στάλθηκε', message: (when) => `Προτείνατε ραντεβού για ${when}. Θα ενημερωθείτε μόλις απαντήσει ο πελάτης.` },
      en: { title: 'Your proposal was sent', message: (when) => `You proposed an appointment for ${when}. We will let you know once the client answers.` },
    },
    client: {
      el: { title: 'Νέα πρόταση ραντεβού', message: (when) => `Ένας θεραπευτής σας πρότεινε ραντεβού για ${when}. Μπορείτε να το αποδεχτείτε ή να το απορρίψετε.` },
      en: { title: 'New appointment proposal', message: (when) => `A therapist proposed an appointment for ${when}. You can accept or decline it.` },
    },
  },
  'appointment.requested': {
    therapist: {
      el: { title: 'Νέο αίτημα ραντεβού', message: (when) => `Ένας πελάτης ζήτησε ραντεβού για ${when}.` },
      en: { title: 'New appointment request', message: (when) => `A client requested an appointment for ${when}.` },
    },
    client: {
      el: { title: 'Το αίτημά σας στάλθηκε', message: (when) => `Ζητήσατε ραντεβού για ${when}. Θα ενημερωθείτε μόλις επιβεβαιωθεί.` },
      en: { title: 'Your request was sent', message: (when) => `You requested an appointment for ${when}. We will let you know once it is confirmed.` },
    },
  },
  'appointment.confirmed': {
    therapist: {
      el: { title: 'Το ραντεβού επιβεβαιώθηκε', message: (when) => `Το ραντεβού για ${when} επιβεβαιώθηκε.` },
      en: { title: 'Appointment confirmed', message: (when) => `The appointment for ${when} is confirmed.` },
    },
    client: {
      el: { title: 'Το ραντεβού σας επιβεβαιώθηκε', message: (when) => `Το ραντεβού σας για ${when} επιβεβαιώθηκε.` },
      en: { title: 'Your appointment is confirmed', message: (when) => `Your appointment for ${when} is confirmed.` },
    },
  },
  'appointment.declined': {
    therapist: {
      el: { title: 'Αίτημα ραντεβού απορρίφθηκε', message: (when) => `Το αίτημα για ${when} απορρίφθηκε.` },
      en: { title: 'Appointment request declined', message: (when) => `The request for ${when} was declined.` },
    },
    client: {
      el: { title: 'Το αίτημά σας απορρίφθηκε', message: (when) => `Το αίτημα ραντεβού για ${when} δεν έγινε δεκτό. Μπορείτε να επιλέξετε άλλη ώρα.` },
      en: { title: 'Your request was declined', message: (when) => `The appointment request for ${when} was declined. You can pick another time.` },
    },
  },
  'appointment.cancelled': {
    therapist: {
      el: { title: 'Ραντεβού ακυρώθηκε', message: (when) => `Το ραντεβού για ${when} ακυρώθηκε.` },
      en: { title: 'Appointment cancelled', message: (when) => `The appointment for ${when} was cancelled.` },
    },
    client: {
      el: { title: 'Το ραντεβού σας ακυρώθηκε', message: (when) => `Το ραντεβού σας για ${when} ακυρώθηκε.` },
      en: { title: 'Your appointment was cancelled', message: (when) => `Your appointment for ${when} was cancelled.` },
    },
  },
  'appointment.rescheduled': {
    therapist: {
      el: { title: 'Αλλαγή ώρας ραντεβού', message: (when) => `Το ραντεβού μεταφέρθηκε για ${when}.` },
      en: { title: 'Appointment rescheduled', message: (when) => `The appointment was moved to ${when}.` },
    },
    client: {
      el: { title: 'Αλλαγή ώρας ραντεβού', message: (when) => `Το ραντεβού σας μεταφέρθηκε για ${when}.` },
      en: { title: 'Appointment rescheduled', message: (when) => `Your appointment was moved to ${when}.` },
    },
  },
  'appointment.completed': {
    therapist: {
      el: { title: 'Η συνεδρία ολοκληρώθηκε', message: (when) => `Η συνεδρία της ${when} καταγράφηκε ως ολοκληρωμένη.` },
      en: { title: 'Session completed', message: (when) => `The session of ${when} was marked completed.` },
    },
    client: {
      el: { title: 'Η συνεδρία ολοκληρώθηκε', message: (when) => `Η συνεδρία σας της ${when} ολοκληρώθηκε.` },
      en: { title: 'Session completed', message: (when) => `Your session of ${when} is complete.` },
    },
  },
  'appointment.no_show': {
    therapist: {
      el: { title: 'Μη προσέλευση', message: (when) => `Το ραντεβού της ${when} καταγράφηκε ως μη προσέλευση.` },
      en: { title: 'Missed appointment', message: (when) => `The appointment of ${when} was recorded as a no-show.` },
    },
    client: {
      el: { title: 'Χάσατε ένα ραντεβού', message: (when) => `Το ραντεβού σας της ${when} καταγράφηκε ως μη προσέλευση.` },
      en: { title: 'Missed appointment', message: (when) => `Your appointment of ${when} was recorded as missed.` },
    },
  },
};

/** The title and message `party` gets for `event`, with the time in their language and time zone. */
export function appointmentNotificationText(
  name: AppointmentLifecycleEventName,
  party: Party,
  appointment: AppointmentEvent,
  locale: { language: Language; timezone: string },
): { title: string; message: string } {
  const text = texts[name][party][locale.language];
  const when = new Intl.DateTimeFormat(locale.language === 'el' ? 'el-GR' : 'en-GB', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: locale.timezone,
  }).format(new Date(appointment.scheduledStart));
  return { title: text.title, message: text.message(when) };
}

const messageTexts: Record<Language, { title: string; message: string }> = {
  el: { title: 'Νέο μήνυμα', message: 'Έχετε νέο μήνυμα στη συνομιλία σας.' },
  en: { title: 'New message', message: 'You have a new message in your conversation.' },
};

/** What the recipient of a message is told: that one arrived, never who wrote what. */
export function messageNotificationText(language: Language): { title: string; message: string } {
  return messageTexts[language];
}

const reviewApprovedTexts: Record<Language, { title: string; message: (rating: number) => string }> = {
  el: { title: 'Νέα αξιολόγηση', message: (rating) => `Μια αξιολόγηση ${rating}/5 για τη δουλειά σας εγκρίθηκε και εμφανίζεται στο προφίλ σας.` },
  en: { title: 'New review', message: (rating) => `A ${rating}/5 review of your work was approved and now appears on your profile.` },
};

/** What a therapist is told when a review of theirs goes public: the rating, never who wrote it. */
export function reviewApprovedNotificationText(language: Language, rating: number): { title: string; message: string } {
  const text = reviewApprovedTexts[language];
  return { title: text.title, message: text.message(rating) };
}

const riskAlertTexts: Record<Language, { title: string; message: (measure: string) => string }> = {
  el: { title: 'Ειδοποίηση κινδύνου', message: (measure) => `Οι απαντήσεις ενός πελάτη στο ${measure} χρειάζονται την προσοχή σας. Ανοίξτε τις ειδοποιήσεις κινδύνου για να τις δείτε και να τις επιβεβαιώσετε.` },
  en: { title: 'Risk alert', message: (measure) => `A client’s ${measure} answers need your attention. Open your risk alerts to see and acknowledge them.` },
};

/** What the assigning therapist is told when answers raise a risk alert: the measure, never the answers. */
export function riskAlertNotificationText(language: Language, measure: string): { title: string; message: string } {
  const text = riskAlertTexts[language];
  return { title: text.title, message: text.message(measure) };
}

const measureAssignedTexts: Record<Language, { title: string; message: (measure: string) => string }> = {
  el: { title: 'Νέο ερωτηματολόγιο', message: (measure) => `Ο θεραπευτής σας σάς ζήτησε να συμπληρώσετε το ερωτηματολόγιο ${measure}.` },
  en: { title: 'New questionnaire', message: (measure) => `Your therapist asked you to fill in the ${measure} questionnaire.` },
};

/** What a client is told when their therapist gives them a measure. */
export function measureAssignedNotificationText(language: Language, measure: string): { title: string; message: string } {
  const text = measureAssignedTexts[language];
  return { title: text.title, message: text.message(measure) };
}

const measureDueTexts: Record<Language, { title: string; message: (measure: string) => string }> = {
  el: { title: 'Ώρα για ερωτηματολόγιο', message: (measure) => `Ήρθε η ώρα να συμπληρώσετε ξανά το ερωτηματολόγιο ${measure}.` },
  en: { title: 'Questionnaire time', message: (measure) => `It is time to fill in the ${measure} questionnaire again.` },
};

/** What a client is told when a scheduled measure is due again. */
export function measureDueNotificationText(language: Language, measure: string): { title: string; message: string } {
  const text = measureDueTexts[language];
  return { title: text.title, message: text.message(measure) };
}
