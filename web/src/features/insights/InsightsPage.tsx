import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Alert } from '../../components/Alert';
import { SelectField } from '../../components/Form';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { athensDate } from '../../lib/time';
import { useAsync } from '../../lib/use-async';
import { InsightsView } from './InsightsView';

const SPANS = ['30', '90'] as const;

/** `from`..`to` (Athens dates, `to` inclusive) of the last `days` days. */
function lastDays(days: number): { from: string; to: string } {
  const to = athensDate(new Date());
  // Calendar arithmetic on the date itself: a DST change in between moves nothing.
  return { from: new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10), to };
}

function SpanPicker({ span, onChange }: { span: string; onChange: (span: (typeof SPANS)[number]) => void }) {
  const { t } = useTranslation('insights');
  return (
    <SelectField label={t('span')} name="span" value={span} onChange={(event) => onChange(event.currentTarget.value as (typeof SPANS)[number])}>
      {SPANS.map((value) => <option key={value} value={value}>{t(`spans.${value}`)}</option>)}
    </SelectField>
  );
}

/** The client's own insights. */
export function InsightsPage() {
  const { t } = useTranslation('insights');
  const { client } = useSignedIn();
  const [span, setSpan] = useState<(typeof SPANS)[number]>('30');
  const insights = useAsync(() => client.api.insights.mine(lastDays(Number(span))), [client, span]);
  return (
    <Page title={t('title')}>
      <p className="muted">{t('intro')}</p>
      <SpanPicker span={span} onChange={setSpan} />
      {insights.error !== undefined && <Alert kind="error">{errorMessage(insights.error, t)}</Alert>}
      {insights.data && <InsightsView insights={insights.data} />}
    </Page>
  );
}

/** A therapist's view of what their client shares. */
export function ClientInsightsPage() {
  const { t } = useTranslation('insights');
  const clientId = useParams().clientId!;
  const { client } = useSignedIn();
  const [span, setSpan] = useState<(typeof SPANS)[number]>('30');
  const insights = useAsync(() => client.api.insights.ofClient(clientId, lastDays(Number(span))), [client, clientId, span]);
  return (
    <Page title={t('clientTitle')} actions={<Link to={`/my-clients/${clientId}`}>{t('back')}</Link>}>
      <p className="muted">{t('clientIntro')}</p>
      <SpanPicker span={span} onChange={setSpan} />
      {insights.error !== undefined && <Alert kind="error">{errorMessage(insights.error, t)}</Alert>}
      {insights.data && <InsightsView insights={insights.data} />}
    </Page>
  );
}
