import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { NoteType } from '@therapy-field/sync';
import { Alert } from '../../components/Alert';
import { SelectField, TextArea, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { useAsync } from '../../lib/use-async';
import { NoteContent } from './NoteContent';

const SECTIONS: Record<Exclude<NoteType, 'custom'>, string[]> = {
  soap: ['subjective', 'objective', 'assessment', 'plan'],
  dap: ['data', 'assessment', 'plan'],
  birp: ['behavior', 'intervention', 'response', 'plan'],
};

/** The platform's note templates and the therapist's own; a new one of their own. */
export function NoteTemplatesPage() {
  const { t, i18n } = useTranslation('noteRecords');
  const { client } = useSignedIn();
  const [noteType, setNoteType] = useState<Exclude<NoteType, 'custom'>>('soap');
  const language = i18n.language === 'en' ? 'en' : 'el';
  const templates = useAsync(() => client.api.noteTemplates.list({ language }), [client, language]);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string }>();

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setMessage({ kind: 'success', text: done });
      templates.reload();
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error, t) });
    }
  };
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const content = Object.fromEntries(SECTIONS[noteType].map((section) => [section, String(data.get(section) ?? '')]));
    const approach = String(data.get('approach')).trim();
    void act(
      () => client.api.noteTemplates.create({ name: String(data.get('name')), noteType, language, content, ...(approach ? { therapeuticApproach: approach } : {}) } as Parameters<typeof client.api.noteTemplates.create>[0]),
      t('saved'),
    );
  };

  return (
    <Page title={t('templatesTitle')}>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {templates.error !== undefined && <Alert kind="error">{errorMessage(templates.error, t)}</Alert>}
      <ul className="list">
        {templates.data?.map((template) => (
          <li key={template.id} className="card">
            <h2>{template.name} · {template.noteType.toUpperCase()}{template.therapeuticApproach && ` · ${template.therapeuticApproach}`}</h2>
            <p className="muted">{template.therapistId ? t('mine') : t('platform')}</p>
            <NoteContent content={template.content} />
            {template.therapistId && <button type="button" onClick={() => act(() => client.api.noteTemplates.delete(template.id), t('saved'))}>{t('delete', { name: template.name })}</button>}
          </li>
        ))}
      </ul>
      <form className="card" onSubmit={save} aria-labelledby="new-template-title">
        <h2 id="new-template-title">{t('newTemplate')}</h2>
        <TextField label={t('name')} name="name" required maxLength={100} />
        <SelectField label={t('noteType')} name="noteType" value={noteType} onChange={(event) => setNoteType(event.target.value as Exclude<NoteType, 'custom'>)}>
          <option value="soap">SOAP</option>
          <option value="dap">DAP</option>
          <option value="birp">BIRP</option>
        </SelectField>
        <TextField label={t('approach')} name="approach" maxLength={50} />
        {SECTIONS[noteType].map((section) => <TextArea key={section} label={t(`sections.${section}`)} name={section} />)}
        <button type="submit">{t('save')}</button>
      </form>
    </Page>
  );
}
