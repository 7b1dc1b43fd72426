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
};

export type TemplateName = keyof typeof templates;
export type TemplateData<Name extends TemplateName> = Parameters<(typeof templates)[Name]['en']>[0];

export function renderEmail<Name extends TemplateName>(name: Name, language: Language, data: TemplateData<Name>): RenderedEmail {
  const render = templates[name][language] as (data: TemplateData<Name>) => { subject: string; text: string };
  const { subject, text } = render(data);
  return { subject, text, html: `<p>${escapeHtml(text).replaceAll('\n\n', '</p><p>').replaceAll('\n', '<br>')}</p>` };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
