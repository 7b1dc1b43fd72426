import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormAnswer, FormField, IntakeFormDoc } from '@therapy-field/sync';
import { Alert } from '../../components/Alert';
import { SelectField, TextArea, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { useLocalList } from '../../lib/local-list';
import { useSignedIn } from '../../lib/platform';

type Language = 'el' | 'en';

function Question({ field, language }: { field: FormField; language: Language }) {
  const { t } = useTranslation('forms');
  const label = `${field.label[language]}${field.isRequired ? ` ${t('required')}` : ''}`;
  const common = { name: field.id, required: field.isRequired };
  if (field.type === 'textarea') return <TextArea label={label} rows={3} maxLength={5000} {...common} />;
  if (field.type === 'choice' || field.type === 'boolean') {
    const options = field.type === 'boolean' ? [{ value: 'true', text: t('yes') }, { value: 'false', text: t('no') }] : (field.options ?? []).map((option) => ({ value: option.value, text: option.label[language] }));
    return (
      <SelectField label={label} defaultValue="" {...common}>
        <option value="" disabled>{t('choose')}</option>
        {options.map((option) => <option key={option.value} value={option.value}>{option.text}</option>)}
      </SelectField>
    );
  }
  const type = field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text';
  return <TextField label={label} type={type} maxLength={type === 'text' ? 5000 : undefined} {...common} />;
}

/** The answers as the form's fields type them; an empty optional answer is left out. */
function answersOf(fields: FormField[], data: FormData): Record<string, FormAnswer> {
  const answers: Record<string, FormAnswer> = {};
  for (const field of fields) {
    const raw = String(data.get(field.id) ?? '').trim();
    if (raw === '') continue;
    answers[field.id] = field.type === 'boolean' ? raw === 'true' : field.type === 'number' ? Number(raw) : raw;
  }
  return answers;
}

/** The client's sent forms, filled in on the device (offline too) and submitted once through sync. */
export function FormsPage() {
  const { t, i18n } = useTranslation('forms');
  const { client } = useSignedIn();
  const language: Language = i18n.language === 'en' ? 'en' : 'el';
  const forms = useLocalList('intake_forms', 'sentAt', 'desc').entries;
  const { entries: responses, pending } = useLocalList('form_responses', 'submittedAt', 'desc');
  const [saved, setSaved] = useState(false);
  const answered = new Map(responses.map((response) => [response.formId, response]));

  async function submit(form: IntakeFormDoc, event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const fields = form.fields as unknown as FormField[];
    await client.db.form_responses.insert({
      id: crypto.randomUUID(),
      formId: form.id,
      answers: answersOf(fields, new FormData(event.currentTarget)),
      language,
      submittedAt: new Date().toISOString(),
    });
    setSaved(true);
  }

  return (
    <Page title={t('title')}>
      <p className="muted">{t('intro')}</p>
      {saved && <Alert kind="success">{t('sent')}</Alert>}
      {forms.length === 0 && <p className="muted">{t('none')}</p>}
      {forms.map((form) => {
        const response = answered.get(form.id);
        const headingId = `form-${form.id}`;
        if (response || form.submittedAt) {
          return (
            <section key={form.id} className="card" aria-labelledby={headingId}>
              <h2 id={headingId}>{form.title[language]}</h2>
              <p>{response && pending?.has(response.id) ? t('waiting') : t('submitted')}</p>
            </section>
          );
        }
        return (
          <form key={form.id} className="card" aria-labelledby={headingId} onSubmit={(event) => void submit(form, event)}>
            <h2 id={headingId}>{form.title[language]}</h2>
            {(form.fields as unknown as FormField[]).map((field) => <Question key={field.id} field={field} language={language} />)}
            <button type="submit">{t('submit')}</button>
          </form>
        );
      })}
    </Page>
  );
}
