export type Language = 'el' | 'en';

interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Template<Data> = Record<Language, (data: Data) => { subject: string; text: string }>;

const templates = {
  email_verification: {
    en: ({ name, link }) => ({
      subject: 'Confirm your Therapy Field email',
      text: `Hello ${name},\n\nConfirm your email address by opening this link:\n${link}\n\nThe link works once and expires in 48 hours.`,
    }),
    el: ({ name, link }) => ({
      subject: 'Επιβεβαίωση email στο Therapy Field',
      text: `Γεια σας ${name},\n\nΕπιβεβαιώστε τη διεύθυνση email σας ανοίγοντας τον σύνδεσμο:\n${link}\n\nΟ σύνδεσμος ισχύει μία φορά και λήγει σε 48 ώρες.`,
    }),
  } satisfies Template<{ name: string; link: string }>,
  password_reset: {
    en: ({ name, link }) => ({
      subject: 'Reset your Therapy Field password',
      text: `Hello ${name},\n\nSet a new password here:\n${link}\n\nThe link works once and expires in 1 hour. If you did not ask for this, ignore this email.`,
    }),
    el: ({ name, link }) => ({
      subject: 'Επαναφορά κωδικού στο Therapy Field',
      text: `Γεια σας ${name},\n\nΟρίστε νέο κωδικό εδώ:\n${link}\n\nΟ σύνδεσμος ισχύει μία φορά και λήγει σε 1 ώρα. Αν δεν το ζητήσατε, αγνοήστε αυτό το email.`,
    }),
  } satisfies Template<{ name: string; link: string }>,
  // Sent instead of a verification email when someone registers with an address that has an
  // account, so the registration answer does not tell whether it exists.
  registration_attempt: {
    en: ({ name, link }) => ({
      subject: 'Someone tried to register with your email on Therapy Field',
      text: `Hello ${name},\n\nSomeone tried to create a Therapy Field account with this email address, which already has one.\n\nIf it was you, sign in, or set a new password here:\n${link}\n\nIf it was not you, you can ignore this email: nothing has changed.`,
    }),
    el: ({ name, link }) => ({
      subject: 'Απόπειρα εγγραφής με το email σας στο Therapy Field',
      text: `Γεια σας ${name},\n\nΚάποιος προσπάθησε να δημιουργήσει λογαριασμό στο Therapy Field με αυτή τη διεύθυνση email, η οποία έχει ήδη λογαριασμό.\n\nΑν ήσασταν εσείς, συνδεθείτε ή ορίστε νέο κωδικό εδώ:\n${link}\n\nΑν όχι, αγνοήστε αυτό το email: τίποτα δεν άλλαξε.`,
    }),
  } satisfies Template<{ name: string; link: string }>,
  appointment_reminder: {
    en: ({ name, otherParty, when, online }) => ({
      subject: `Reminder: session with ${otherParty} on ${when}`,
      text: `Hello ${name},\n\nThis is a reminder of your ${online ? 'online ' : ''}session with ${otherParty} on ${when}.\n\nIf you cannot attend, please cancel or reschedule in Therapy Field.`,
    }),
    el: ({ name, otherParty, when, online }) => ({
      subject: `Υπενθύμιση: συνεδρία με ${otherParty} στις ${when}`,
      text: `Γεια σας ${name},\n\nΣας υπενθυμίζουμε τη${online ? ' διαδικτυακή' : ''} συνεδρία σας με ${otherParty} στις ${when}.\n\nΑν δεν μπορείτε να παρευρεθείτε, ακυρώστε ή αλλάξτε την ώρα στο Therapy Field.`,
    }),
  } satisfies Template<{ name: string; otherParty: string; when: string; online: boolean }>,
  series_conflict: {
    en: ({ name, client, when, reason }) => ({
      subject: `A recurring session could not be booked: ${when}`,
      text: `Hello ${name},\n\nThe recurring session with ${client} on ${when} was not booked: ${{ exception: 'you are unavailable that day', session_limit: 'the client has no sessions left', overlap: 'the time is already taken', unavailable: 'the time is outside your bookable hours' }[reason]}.\n\nPlease arrange another time.`,
    }),
    el: ({ name, client, when, reason }) => ({
      subject: `Μια επαναλαμβανόμενη συνεδρία δεν κλείστηκε: ${when}`,
      text: `Γεια σας ${name},\n\nΗ επαναλαμβανόμενη συνεδρία με ${client} στις ${when} δεν κλείστηκε: ${{ exception: 'δεν είστε διαθέσιμοι εκείνη τη μέρα', session_limit: 'ο πελάτης δεν έχει άλλες συνεδρίες', overlap: 'η ώρα είναι ήδη κλεισμένη', unavailable: 'η ώρα είναι εκτός των ωρών που δέχεστε ραντεβού' }[reason]}.\n\nΠαρακαλούμε ορίστε άλλη ώρα.`,
    }),
  } satisfies Template<{ name: string; client: string; when: string; reason: 'exception' | 'overlap' | 'session_limit' | 'unavailable' }>,
  // Seen on lock screens and in shared inboxes: it says a message waits, never who wrote it or what it says.
  new_message: {
    en: ({ name, link }) => ({
      subject: 'New message on Therapy Field',
      text: `Hello ${name},\n\nA new message is waiting for you in Therapy Field. Sign in to read it:\n${link}\n\nFor your privacy, this email does not say who sent the message or what it says.`,
    }),
    el: ({ name, link }) => ({
      subject: 'Νέο μήνυμα στο Therapy Field',
      text: `Γεια σας ${name},\n\nΣας περιμένει ένα νέο μήνυμα στο Therapy Field. Συνδεθείτε για να το διαβάσετε:\n${link}\n\nΓια την προστασία σας, αυτό το email δεν αναφέρει ποιος έστειλε το μήνυμα ούτε τι γράφει.`,
    }),
  } satisfies Template<{ name: string; link: string }>,
  // A safety signal must reach a therapist away from the app; the email names no client and no answer.
  measure_risk_alert: {
    en: ({ name, measure, link }) => ({
      subject: 'Risk alert: a client’s questionnaire answers need your attention',
      text: `Hello ${name},

A client’s answers to the ${measure} questionnaire raised a risk alert. Sign in to Therapy Field to see it and acknowledge it:
${link}

For your client’s privacy, this email does not say who answered or what.`,
    }),
    el: ({ name, measure, link }) => ({
      subject: 'Ειδοποίηση κινδύνου: οι απαντήσεις ενός πελάτη σε ερωτηματολόγιο χρειάζονται την προσοχή σας',
      text: `Γεια σας ${name},

Οι απαντήσεις ενός πελάτη στο ερωτηματολόγιο ${measure} προκάλεσαν ειδοποίηση κινδύνου. Συνδεθείτε στο Therapy Field για να τη δείτε και να την επιβεβαιώσετε:
${link}

Για την προστασία του πελάτη σας, αυτό το email δεν αναφέρει ποιος απάντησε ούτε τι.`,
    }),
  } satisfies Template<{ name: string; measure: string; link: string }>,
};

export type TemplateName = keyof typeof templates;
export type TemplateData<Name extends TemplateName> = Parameters<(typeof templates)[Name]['en']>[0];

export function renderEmail<Name extends TemplateName>(name: Name, language: Language, data: TemplateData<Name>): RenderedEmail {
  const render = templates[name][language] as (data: TemplateData<Name>) => { subject: string; text: string };
  const { subject, text } = render(data);
  return { subject, text, html: `<p>${escapeHtml(text).replaceAll('\n\n', '</p><p>').replaceAll('\n', '<br>')}</p>` };
}

/** A reminder short enough for one SMS. */
export function renderReminderSms(language: Language, data: { otherParty: string; when: string }): string {
  return language === 'el'
    ? `Therapy Field: υπενθύμιση συνεδρίας με ${data.otherParty}, ${data.when}.`
    : `Therapy Field: reminder of your session with ${data.otherParty}, ${data.when}.`;
}

/** A date and time as people in the language read it, in the given zone. */
export function formatWhen(iso: string, zone: string, language: Language): string {
  return new Intl.DateTimeFormat(language === 'el' ? 'el-GR' : 'en-GB', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: zone,
  }).format(new Date(iso));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
