import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Measure, MeasureAssignment, MeasureTemplate } from '@therapy-field/sync';
import { Alert } from '../../components/Alert';
import { TextArea } from '../../components/Form';
import { Page } from '../../components/Page';
import { SyncBadge } from '../../components/StatusBadge';
import { errorMessage } from '../../lib/errors';
import { useLocalList } from '../../lib/local-list';
import { useSignedIn } from '../../lib/platform';
import { formatDateTime } from '../../lib/time';
import { useAsync } from '../../lib/use-async';
import { ScoreChart } from './ScoreChart';

const lang = (language: string) => (language === 'en' ? 'en' : 'el');

/**
 * The client's questionnaires: the due ones to fill in (the answers go to the device's database
 * first, so this works offline and each answer reaches the server once), their answers and scores.
 */
export function MyMeasuresPage() {
  const { t } = useTranslation('measures');
  const { client } = useSignedIn();
  const assigned = useAsync(() => client.api.measures.assigned(), [client]);
  const templates = useAsync(() => client.api.measures.templates(), [client]);
  const { entries, pending } = useLocalList('measure_responses', 'completedAt', 'asc');
  const [open, setOpen] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  // Answered on this page, maybe offline: no longer due, whatever the list loaded before said.
  const [answeredNow, setAnsweredNow] = useState<ReadonlySet<string>>(new Set());

  const templateById = useMemo(() => new Map((templates.data ?? []).map((template) => [template.id, template])), [templates.data]);
  const measureOf = useMemo(() => new Map((assigned.data ?? []).map((assignment) => [assignment.id, assignment.measure])), [assigned.data]);
  const due = (assigned.data ?? []).filter((assignment) => assignment.due && !answeredNow.has(assignment.id));
  const measures = [...new Set(entries.map((entry) => measureOf.get(entry.assignmentId)).filter((measure): measure is Measure => !!measure))];

  async function save(assignment: MeasureAssignment, answers: number[], comment: string) {
    try {
      await client.db.measure_responses.insert({
        id: crypto.randomUUID(),
        assignmentId: assignment.id,
        templateId: assignment.templateId,
        answers,
        comment: comment || null,
        completedAt: new Date().toISOString(),
      });
      setOpen(null);
      setAnsweredNow(new Set([...answeredNow, assignment.id]));
      setMessage({ kind: 'success', text: client.sync.state.online ? t('saved') : t('savedOffline') });
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error, t) });
    }
  }

  return (
    <Page title={t('title')}>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <section className="card" aria-labelledby="due-title">
        <h2 id="due-title">{t('toAnswer')}</h2>
        {due.length === 0 && <p className="muted">{t('nothingDue')}</p>}
        {due.map((assignment) => {
          const template = templateById.get(assignment.templateId);
          if (!template) return null;
          return open === assignment.id ? (
            <QuestionnaireForm key={assignment.id} template={template} onSubmit={(answers, comment) => void save(assignment, answers, comment)} />
          ) : (
            <button key={assignment.id} type="button" onClick={() => setOpen(assignment.id)}>
              {t('answer', { measure: assignment.measure })}
            </button>
          );
        })}
      </section>
      <section className="card" aria-labelledby="scores-title">
        <h2 id="scores-title">{t('myScores')}</h2>
        {measures.length === 0 && <p className="muted">{t('noScores')}</p>}
        {measures.map((measure) => {
          const template = templates.data?.find((candidate) => candidate.measure === measure);
          const points = entries
            .filter((entry) => measureOf.get(entry.assignmentId) === measure && entry.score != null)
            .map((entry) => ({ id: entry.id, at: entry.completedAt, score: entry.score! }));
          return (
            <div key={measure}>
              <h3>{measure}</h3>
              <ScoreChart measure={measure} points={points} maxScore={template?.maxScore ?? 0} ranges={template?.ranges ?? []} />
            </div>
          );
        })}
      </section>
      <MyAnswers entries={entries} pending={pending} measureOf={measureOf} templates={templates.data ?? []} />
    </Page>
  );
}

function MyAnswers({
  entries,
  pending,
  measureOf,
  templates,
}: {
  entries: Array<{ id: string; assignmentId: string; completedAt: string; score?: number | null; interpretation?: string | null }>;
  pending: ReadonlySet<string> | null;
  measureOf: Map<string, Measure>;
  templates: MeasureTemplate[];
}) {
  const { t, i18n } = useTranslation('measures');
  return (
    <section className="card" aria-labelledby="answers-title">
      <h2 id="answers-title">{t('myAnswers')}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t('noAnswers')}</p>
      ) : (
        <ul className="entry-list" aria-labelledby="answers-title">
          {[...entries].reverse().map((entry) => {
            const measure = measureOf.get(entry.assignmentId);
            const template = templates.find((candidate) => candidate.measure === measure);
            const band = template?.ranges.find((range) => range.interpretation === entry.interpretation);
            return (
              <li key={entry.id} className="entry">
                <div className="entry-body">
                  <p className="entry-title">
                    <strong>{measure}</strong> <time dateTime={entry.completedAt}>{formatDateTime(entry.completedAt, i18n.language)}</time>
                  </p>
                  {entry.score != null ? (
                    <p>
                      {t('scoreValue', { score: entry.score, max: template?.maxScore ?? '' })}
                      {band && ` · ${band.label[lang(i18n.language)]}`}
                    </p>
                  ) : (
                    <p className="muted">{t('waiting')}</p>
                  )}
                </div>
                {pending && <SyncBadge synced={!pending.has(entry.id)} />}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** One question per group of radio buttons, labelled with the template's own words in the reader's language. */
function QuestionnaireForm({ template, onSubmit }: { template: MeasureTemplate; onSubmit: (answers: number[], comment: string) => void }) {
  const { t, i18n } = useTranslation('measures');
  const language = lang(i18n.language);
  const [answers, setAnswers] = useState<Array<number | null>>(template.questions.map(() => null));
  const [missing, setMissing] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (answers.some((answer) => answer === null)) {
      setMissing(true);
      return;
    }
    setMissing(false);
    onSubmit(answers as number[], String(new FormData(event.currentTarget).get('comment') ?? '').trim());
  }

  return (
    <form onSubmit={submit} aria-label={template.name}>
      <p>{template.prompt[language]}</p>
      {template.questions.map((question, index) => (
        <fieldset key={question.id} className="question">
          <legend>
            {index + 1}. {question.text[language]}
          </legend>
          {question.labels[language].map((label, offset) => {
            const value = question.min + offset;
            return (
              <label key={value} className="radio">
                <input
                  type="radio"
                  name={question.id}
                  value={value}
                  checked={answers[index] === value}
                  onChange={() => setAnswers(answers.map((answer, at) => (at === index ? value : answer)))}
                />
                {label}
              </label>
            );
          })}
        </fieldset>
      ))}
      <TextArea label={t('comment')} name="comment" rows={2} maxLength={2000} />
      {missing && <Alert kind="error">{t('answerAll')}</Alert>}
      <button type="submit">{t('submit')}</button>
    </form>
  );
}
