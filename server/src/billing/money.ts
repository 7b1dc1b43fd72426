/**
 * Money as integer cents, end to end: amounts come in and go out as whole cents, rates as basis
 * points (2400 = 24%), and every rounding happens in one place (`percentOf`), half up, per line.
 * A document's VAT is the sum of its lines' VAT, so every printed line adds up to the printed total.
 */
export type Cents = number;

/** Basis points: hundredths of a percent (2400 = 24.00%). */
export type BasisPoints = number;

export function assertCents(value: number, what = 'amount'): Cents {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a whole, non-negative number of cents`);
  return value;
}

/** `amount × rate`, rounded half up to the cent. Integers only: no float ever holds money. */
export function percentOf(amount: Cents, rate: BasisPoints): Cents {
  assertCents(amount);
  if (!Number.isInteger(rate) || rate < 0 || rate > 10_000) throw new RangeError('rate must be 0 to 10000 basis points');
  return Number((BigInt(amount) * BigInt(rate) + 5_000n) / 10_000n);
}

/** `12.34` / `"12.34"` (a PostgreSQL numeric) → 1234, exactly; more than two decimals is refused. */
export function centsFromDecimal(value: string | number): Cents {
  const text = typeof value === 'number' ? value.toFixed(2) : value.trim();
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new RangeError(`not an amount: ${text}`);
  return assertCents(Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')));
}

/** 1234 → "12.34", for a PostgreSQL numeric column. */
export function decimalFromCents(cents: Cents): string {
  assertCents(cents);
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

export interface LineInput {
  quantity: number;
  unitCents: Cents;
  vatRate: BasisPoints;
}

export interface LineTotals extends LineInput {
  netCents: Cents;
  vatCents: Cents;
  grossCents: Cents;
}

export interface DocumentTotals {
  lines: LineTotals[];
  subtotalCents: Cents;
  vatCents: Cents;
  totalCents: Cents;
  /** VAT per rate, as a document prints its VAT analysis. */
  vatByRate: Array<{ vatRate: BasisPoints; netCents: Cents; vatCents: Cents }>;
}

export function lineTotals(line: LineInput): LineTotals {
  if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) throw new RangeError('quantity must be a positive whole number');
  const netCents = assertCents(line.unitCents * line.quantity, 'line total');
  const vatCents = percentOf(netCents, line.vatRate);
  return { ...line, netCents, vatCents, grossCents: netCents + vatCents };
}

/** Lines → subtotal → VAT → total. */
export function documentTotals(lines: LineInput[]): DocumentTotals {
  const computed = lines.map(lineTotals);
  const byRate = new Map<BasisPoints, { vatRate: BasisPoints; netCents: Cents; vatCents: Cents }>();
  for (const line of computed) {
    const entry = byRate.get(line.vatRate) ?? { vatRate: line.vatRate, netCents: 0, vatCents: 0 };
    entry.netCents += line.netCents;
    entry.vatCents += line.vatCents;
    byRate.set(line.vatRate, entry);
  }
  const subtotalCents = computed.reduce((sum, line) => sum + line.netCents, 0);
  const vatCents = computed.reduce((sum, line) => sum + line.vatCents, 0);
  return {
    lines: computed,
    subtotalCents,
    vatCents,
    totalCents: subtotalCents + vatCents,
    vatByRate: [...byRate.values()].sort((a, b) => b.vatRate - a.vatRate),
  };
}

export interface PayoutSplit {
  grossCents: Cents;
  feeRate: BasisPoints;
  feeCents: Cents;
  netCents: Cents;
}

/** A therapist's payout: the platform's fee rounded half up, the therapist gets the rest to the cent. */
export function payoutSplit(grossCents: Cents, feeRate: BasisPoints): PayoutSplit {
  const feeCents = percentOf(grossCents, feeRate);
  return { grossCents, feeRate, feeCents, netCents: grossCents - feeCents };
}

/** A PostgreSQL `percentage` ("24.00") as basis points (2400), exactly. */
export function basisPointsFromPercentage(value: string | number): BasisPoints {
  return centsFromDecimal(value);
}
