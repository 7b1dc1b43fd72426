import { useState } from 'react';
import type { Invoice } from '@therapy-field/sync';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { useAsync } from '../../lib/use-async';
import { InvoiceTable } from './InvoiceTable';
import { formatCents } from './money';

/** A client's documents, saved cards, payment and statement. */
function ClientBilling() {
  const { t, i18n } = useTranslation('billing');
  const { client } = useSignedIn();
  const [version, setVersion] = useState(0);
  const [card, setCard] = useState('');
  const [notice, setNotice] = useState<{ kind: 'success' | 'info' | 'error'; text: string } | null>(null);
  const data = useAsync(async () => {
    const [documents, cards, statement] = await Promise.all([client.api.billing.invoices(), client.api.billing.cards(), client.api.billing.statement()]);
    return { invoices: documents.invoices, cards: cards.paymentMethods, statement };
  }, [client, version]);
  const pay = async (invoice: Invoice) => {
    const chosen = card || data.data?.cards[0]?.id;
    if (!chosen) return setNotice({ kind: 'info', text: t('noCards') });
    try {
      const result = await client.api.billing.pay(invoice.id, chosen);
      setNotice(result.status === 'requires_action' ? { kind: 'info', text: t('actionNeeded') } : { kind: 'success', text: t('paid') });
      setVersion((value) => value + 1);
    } catch (error) {
      setNotice({ kind: 'error', text: errorMessage(error, t) });
    }
  };
  const d = data.data;
  return (
    <>
      {data.error !== undefined && <Alert kind="error">{errorMessage(data.error, t)}</Alert>}
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      {d && (
        <>
          <dl className="stats" aria-label={t('statement')}>
            <div className="card stat"><dt>{t('outstanding')}</dt><dd>{formatCents(d.statement.outstandingCents, i18n.language)}</dd></div>
            <div className="card stat"><dt>{t('paidTotal')}</dt><dd>{formatCents(d.statement.paidCents, i18n.language)}</dd></div>
            <div className="card stat"><dt>{t('refunded')}</dt><dd>{formatCents(d.statement.refundedCents, i18n.language)}</dd></div>
          </dl>
          <section className="card" aria-labelledby="cards-title">
            <h2 id="cards-title">{t('cards')}</h2>
            {d.cards.length === 0 ? (
              <p className="muted">{t('noCards')}</p>
            ) : (
              <label>
                {t('card')}
                <select value={card || d.cards[0]!.id} onChange={(event) => setCard(event.target.value)}>
                  {d.cards.map((saved) => <option key={saved.id} value={saved.id}>{t('cardLabel', { brand: saved.brand ?? '', lastFour: saved.lastFour ?? '' })}</option>)}
                </select>
              </label>
            )}
          </section>
          <section className="card" aria-labelledby="invoices-title">
            <h2 id="invoices-title">{t('invoices')}</h2>
            <InvoiceTable invoices={d.invoices} onPay={(invoice) => void pay(invoice)} />
          </section>
        </>
      )}
    </>
  );
}

/** A therapist's income by month, payouts and issued documents. */
function TherapistBilling() {
  const { t, i18n } = useTranslation('billing');
  const { client } = useSignedIn();
  const data = useAsync(async () => {
    const [income, payouts, documents] = await Promise.all([client.api.billing.income(), client.api.billing.payouts(), client.api.billing.invoices()]);
    return { months: income.months, payouts: payouts.payouts, invoices: documents.invoices };
  }, [client]);
  const d = data.data;
  const money = (cents: number) => formatCents(cents, i18n.language);
  return (
    <>
      {data.error !== undefined && <Alert kind="error">{errorMessage(data.error, t)}</Alert>}
      {d && (
        <>
          <section className="card" aria-labelledby="income-title">
            <h2 id="income-title">{t('income')}</h2>
            <table className="table">
              <thead><tr><th scope="col">{t('month')}</th><th scope="col">{t('documents')}</th><th scope="col">{t('net')}</th><th scope="col">{t('vat')}</th><th scope="col">{t('paidTotal')}</th></tr></thead>
              <tbody>
                {d.months.map((month) => (
                  <tr key={month.month}><th scope="row">{month.month}</th><td>{month.documents}</td><td>{money(month.netCents)}</td><td>{money(month.vatCents)}</td><td>{money(month.paidCents)}</td></tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="card" aria-labelledby="payouts-title">
            <h2 id="payouts-title">{t('payouts')}</h2>
            {d.payouts.length === 0 ? (
              <p className="muted">{t('noPayouts')}</p>
            ) : (
              <table className="table">
                <thead><tr><th scope="col">{t('period')}</th><th scope="col">{t('gross')}</th><th scope="col">{t('fee')}</th><th scope="col">{t('payoutNet')}</th><th scope="col">{t('status')}</th></tr></thead>
                <tbody>
                  {d.payouts.map((payout) => (
                    <tr key={payout.id}><th scope="row">{payout.periodStart} – {payout.periodEnd}</th><td>{money(payout.grossCents)}</td><td>{money(payout.platformFeeCents)}</td><td>{money(payout.netCents)}</td><td>{t(`payoutStatuses.${payout.status}`)}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="card" aria-labelledby="issued-title">
            <h2 id="issued-title">{t('invoices')}</h2>
            <InvoiceTable invoices={d.invoices} />
          </section>
        </>
      )}
    </>
  );
}

/** A company admin's company invoices: session counts per month, never names. */
function CompanyBilling() {
  const { t } = useTranslation('billing');
  const { client } = useSignedIn();
  const data = useAsync(async () => {
    const { businesses } = await client.api.business.mine();
    return businesses[0] ? (await client.api.billing.invoices({ businessId: businesses[0].id })).invoices : [];
  }, [client]);
  return (
    <section className="card" aria-labelledby="company-title">
      <h2 id="company-title">{t('company')}</h2>
      <p className="muted">{t('companyPrivacy')}</p>
      {data.error !== undefined && <Alert kind="error">{errorMessage(data.error, t)}</Alert>}
      {data.data && <InvoiceTable invoices={data.data} />}
    </section>
  );
}

/** `/billing`: what the signed-in person pays, earns or is invoiced. */
export function BillingPage() {
  const { t } = useTranslation('billing');
  const { session } = useSignedIn();
  return (
    <Page title={t('title')}>
      {session.role === 'client' && <ClientBilling />}
      {session.role === 'therapist' && <TherapistBilling />}
      {session.role === 'business_admin' && <CompanyBilling />}
    </Page>
  );
}
