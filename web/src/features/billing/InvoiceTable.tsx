import type { Invoice } from '@therapy-field/sync';
import { useTranslation } from 'react-i18next';
import { useSignedIn } from '../../lib/platform';
import { formatCents } from './money';

/** Documents with their PDF (downloaded through the SDK) and, for the payer, a pay button. */
export function InvoiceTable({ invoices, onPay }: { invoices: Invoice[]; onPay?: (invoice: Invoice) => void }) {
  const { t, i18n } = useTranslation('billing');
  const { client } = useSignedIn();
  const download = async (invoice: Invoice) => {
    const bytes = await client.api.billing.invoicePdf(invoice.id, i18n.language === 'el' ? 'el' : 'en');
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/pdf' }));
    window.open(url, '_blank', 'noopener');
  };
  if (invoices.length === 0) return <p className="muted">{t('none')}</p>;
  return (
    <table className="table">
      <thead>
        <tr><th scope="col">{t('number')}</th><th scope="col">{t('date')}</th><th scope="col">{t('total')}</th><th scope="col">{t('status')}</th><th scope="col">{t('actions')}</th></tr>
      </thead>
      <tbody>
        {invoices.map((invoice) => (
          <tr key={invoice.id}>
            <th scope="row">{invoice.number}</th>
            <td>{invoice.invoiceDate}</td>
            <td>{formatCents(invoice.totalCents, i18n.language)}</td>
            <td>{t(`statuses.${invoice.status}`)}</td>
            <td>
              <button type="button" onClick={() => void download(invoice)}>{t('pdf', { number: invoice.number })}</button>
              {onPay && (invoice.status === 'issued' || invoice.status === 'overdue') && (
                <button type="button" onClick={() => onPay(invoice)}>{t('pay', { number: invoice.number })}</button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
