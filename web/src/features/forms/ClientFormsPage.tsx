import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Alert } from '../../components/Alert';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { formatDateTime } from '../../lib/time';
import { useAsync } from '../../lib/use-async';

/** A therapist's view of the forms sent to one client and the answers submitted. */
export function ClientFormsPage() {
  const { t, i18n } = useTranslation('forms');
  const clientId = useParams().clientId!;
  const { client } = useSignedIn();
  const language = i18n.language === 'en' ? 'en' : 'el';
  const forms = useAsync(() => client.api.forms.sent(clientId), [client, clientId]);
  const answerText = (value: unknown) => (value === true ? t('yes') : value === false ? t('no') : String(value));
  return (
    <Page title={t('clientTitle')} actions={<Link to={`/my-clients/${clientId}`}>{t('back')}</Link>}>
      {forms.error !== undefined && <Alert kind="error">{errorMessage(forms.error, t)}</Alert>}
      {forms.data?.length === 0 && <p className="muted">{t('clientNone')}</p>}
      {forms.data?.map((form) => (
        <section key={form.id} className="card" aria-labelledby={`sent-${form.id}`}>
          <h2 id={`sent-${form.id}`}>{form.title[language]}</h2>
          {!form.response ? (
            <p className="muted">{t('notAnswered')}</p>
          ) : (
            <>
              <p className="muted">{t('answeredAt', { when: formatDateTime(form.response.submittedAt, i18n.language) })}{form.response.appliedAt ? ` · ${t('inHistory')}` : ''}</p>
              <dl className="soap">
                {form.fields.filter((field) => form.response!.answers[field.id] !== undefined).map((field) => (
                  <div key={field.id}>
                    <dt>{field.label[language]}</dt>
                    <dd>{field.type === 'choice' ? (field.options?.find((option) => option.value === form.response!.answers[field.id])?.label[language] ?? answerText(form.response!.answers[field.id])) : answerText(form.response!.answers[field.id])}</dd>
                  </div>
                ))}
              </dl>
            </>
          )}
        </section>
      ))}
    </Page>
  );
}
