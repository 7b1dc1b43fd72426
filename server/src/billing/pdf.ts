import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Invoice, Payout } from '@therapy-field/sync';
import type { Party } from './invoices.repository.js';
import type { Cents } from './money.js';
import { HEALTH_SERVICES_EXEMPTION_REASON } from './vat.js';

type Language = 'el' | 'en';

// DejaVu Sans has Greek glyphs; pdfkit's built-in fonts (WinAnsi) do not.
const FONT = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD_FONT = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const labels = {
  el: {
    receipt: 'ΑΠΟΔΕΙΞΗ ΠΑΡΟΧΗΣ ΥΠΗΡΕΣΙΩΝ',
    invoice: 'ΤΙΜΟΛΟΓΙΟ ΠΑΡΟΧΗΣ ΥΠΗΡΕΣΙΩΝ',
    credit_note: 'ΠΙΣΤΩΤΙΚΟ ΣΤΟΙΧΕΙΟ',
    number: 'Αριθμός',
    date: 'Ημερομηνία έκδοσης',
    due: 'Ημερομηνία λήξης',
    issuer: 'Εκδότης',
    recipient: 'Λήπτης',
    taxId: 'ΑΦΜ',
    description: 'Περιγραφή',
    quantity: 'Ποσ.',
    unit: 'Τιμή μονάδας',
    vat: 'ΦΠΑ',
    amount: 'Ποσό',
    subtotal: 'Καθαρή αξία',
    total: 'Σύνολο',
    status: 'Κατάσταση',
    credits: 'Πιστώνει το παραστατικό',
    mark: 'ΜΑΡΚ myDATA',
    invoiceType: 'Τύπος παραστατικού myDATA',
    statuses: { draft: 'Πρόχειρο', issued: 'Εκδόθηκε', paid: 'Εξοφλήθηκε', overdue: 'Ληξιπρόθεσμο', cancelled: 'Ακυρώθηκε' },
    payout: 'ΚΑΤΑΣΤΑΣΗ ΠΛΗΡΩΜΗΣ ΘΕΡΑΠΕΥΤΗ',
    period: 'Περίοδος',
    sessions: 'Συνεδρίες',
    gross: 'Ακαθάριστα',
    fee: 'Προμήθεια πλατφόρμας',
    net: 'Καθαρό ποσό',
    payoutStatuses: { pending: 'Σε αναμονή', processing: 'Σε επεξεργασία', completed: 'Πληρώθηκε', failed: 'Απέτυχε' },
  },
  en: {
    receipt: 'RECEIPT FOR SERVICES',
    invoice: 'INVOICE FOR SERVICES',
    credit_note: 'CREDIT NOTE',
    number: 'Number',
    date: 'Issue date',
    due: 'Due date',
    issuer: 'Issuer',
    recipient: 'Recipient',
    taxId: 'Tax ID',
    description: 'Description',
    quantity: 'Qty',
    unit: 'Unit price',
    vat: 'VAT',
    amount: 'Amount',
    subtotal: 'Net amount',
    total: 'Total',
    status: 'Status',
    credits: 'Credits document',
    mark: 'myDATA mark',
    invoiceType: 'myDATA document type',
    statuses: { draft: 'Draft', issued: 'Issued', paid: 'Paid', overdue: 'Overdue', cancelled: 'Cancelled' },
    payout: 'THERAPIST PAYOUT STATEMENT',
    period: 'Period',
    sessions: 'Sessions',
    gross: 'Gross',
    fee: 'Platform fee',
    net: 'Net amount',
    payoutStatuses: { pending: 'Pending', processing: 'Processing', completed: 'Paid', failed: 'Failed' },
  },
} as const;

/** 123456 → "1.234,56 €" (el) or "€1,234.56" (en), from the integer: no float touches money. */
export function formatMoney(cents: Cents, language: Language): string {
  const whole = String(Math.trunc(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, language === 'el' ? '.' : ',');
  const fraction = String(cents % 100).padStart(2, '0');
  return language === 'el' ? `${whole},${fraction} €` : `€${whole}.${fraction}`;
}

function percent(basisPoints: number, language: Language): string {
  const text = `${Math.trunc(basisPoints / 100)}${basisPoints % 100 ? `${language === 'el' ? ',' : '.'}${String(basisPoints % 100).padStart(2, '0')}` : ''}`;
  return `${text}%`;
}

function render(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Producer: 'Therapy Field', Creator: 'Therapy Field' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('body', FONT);
    doc.registerFont('bold', BOLD_FONT);
    doc.font('body').fontSize(10);
    draw(doc);
    doc.end();
  });
}

function partyBlock(doc: PDFKit.PDFDocument, title: string, party: Party, taxLabel: string): void {
  doc.font('bold').text(title).font('body').text(party.name);
  if (party.taxId) doc.text(`${taxLabel}: ${party.taxId}`);
  if (party.address) doc.text(party.address);
  doc.moveDown(0.5);
}

/** A document as a PDF in its language (or the one asked for), with the exemption's legal reason when a line is exempt. */
export function invoicePdf(invoice: Invoice, issuer: Party, recipient: Party, language: Language, creditedNumber: string | null): Promise<Buffer> {
  const t = labels[language];
  return render((doc) => {
    doc.font('bold').fontSize(16).text(t[invoice.kind]).fontSize(10).font('body').moveDown(0.5);
    doc.text(`${t.number}: ${invoice.number ?? '—'}`);
    doc.text(`${t.date}: ${invoice.invoiceDate}`);
    doc.text(`${t.due}: ${invoice.dueDate}`);
    doc.text(`${t.status}: ${t.statuses[invoice.status]}`);
    if (creditedNumber) doc.text(`${t.credits}: ${creditedNumber}`);
    doc.moveDown();
    partyBlock(doc, t.issuer, issuer, t.taxId);
    partyBlock(doc, t.recipient, recipient, t.taxId);
    doc.moveDown(0.5).font('bold').text(`${t.description} | ${t.quantity} | ${t.unit} | ${t.vat} | ${t.amount}`).font('body');
    for (const line of invoice.lines) {
      doc.text(`${line.description} | ${line.quantity} | ${formatMoney(line.unitCents, language)} | ${percent(line.vatRate, language)} ${formatMoney(line.vatCents, language)} | ${formatMoney(line.netCents, language)}`);
    }
    doc.moveDown();
    doc.text(`${t.subtotal}: ${formatMoney(invoice.subtotalCents, language)}`);
    doc.text(`${t.vat}: ${formatMoney(invoice.vatCents, language)}`);
    doc.font('bold').text(`${t.total}: ${formatMoney(invoice.totalCents, language)}`).font('body');
    if (invoice.lines.some((line) => line.vatExemptionCategory !== null)) {
      doc.moveDown().text(HEALTH_SERVICES_EXEMPTION_REASON[language]);
    }
    doc.moveDown().fontSize(8).text(`${t.invoiceType}: ${invoice.mydata.invoiceType ?? '—'} · ${t.mark}: ${invoice.mydata.mark ?? '—'}`);
  });
}

/** A payout statement: period, sessions, gross, the platform's fee and the net paid. */
export function payoutPdf(payout: Payout, therapist: Party, language: Language): Promise<Buffer> {
  const t = labels[language];
  return render((doc) => {
    doc.font('bold').fontSize(16).text(t.payout).fontSize(10).font('body').moveDown(0.5);
    partyBlock(doc, t.recipient, therapist, t.taxId);
    doc.text(`${t.period}: ${payout.periodStart} – ${payout.periodEnd}`);
    doc.text(`${t.sessions}: ${payout.sessions}`);
    doc.text(`${t.gross}: ${formatMoney(payout.grossCents, language)}`);
    doc.text(`${t.fee} (${percent(payout.platformFeeRate, language)}): ${formatMoney(payout.platformFeeCents, language)}`);
    doc.font('bold').text(`${t.net}: ${formatMoney(payout.netCents, language)}`).font('body');
    doc.text(`${t.status}: ${t.payoutStatuses[payout.status]}`);
  });
}
