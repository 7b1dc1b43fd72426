import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsFromDecimal, decimalFromCents, documentTotals, formatMoney, payoutSplit, percentOf, STANDARD_VAT_RATE, vatTreatment } from '@therapy-field/server';

// Rates a therapist could charge (up to €10,000.00), quantities of a document line, and the VAT
// categories a line can carry: Greek rates 24/13/6% (and island 17/9/4%) and the exemption (0%).
const cents = fc.integer({ min: 0, max: 1_000_000 });
const vatRate = fc.constantFrom(2400, 1300, 600, 1700, 900, 400, 0);
const line = fc.record({ quantity: fc.integer({ min: 1, max: 500 }), unitCents: cents, vatRate });

describe('money in integer cents', () => {
  it('adds every document up to the cent: lines → subtotal → VAT → total', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), (lines) => {
        const totals = documentTotals(lines);
        for (const [index, computed] of totals.lines.entries()) {
          expect(computed.netCents).toBe(lines[index]!.unitCents * lines[index]!.quantity);
          // Half-up rounding per line: within half a cent of the exact VAT, never a float.
          const exactTimes10000 = computed.netCents * computed.vatRate;
          expect(Math.abs(computed.vatCents * 10_000 - exactTimes10000)).toBeLessThanOrEqual(5_000);
          expect(computed.grossCents).toBe(computed.netCents + computed.vatCents);
        }
        expect(totals.subtotalCents).toBe(totals.lines.reduce((sum, item) => sum + item.netCents, 0));
        expect(totals.vatCents).toBe(totals.lines.reduce((sum, item) => sum + item.vatCents, 0));
        expect(totals.totalCents).toBe(totals.subtotalCents + totals.vatCents);
        // The VAT analysis printed per rate adds up to the same VAT and net.
        expect(totals.vatByRate.reduce((sum, rate) => sum + rate.vatCents, 0)).toBe(totals.vatCents);
        expect(totals.vatByRate.reduce((sum, rate) => sum + rate.netCents, 0)).toBe(totals.subtotalCents);
        for (const value of [totals.subtotalCents, totals.vatCents, totals.totalCents]) expect(Number.isSafeInteger(value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('splits every payout to the cent: fee + net = gross, the fee within half a cent of the rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 0, max: 10_000 }), (gross, feeRate) => {
        const split = payoutSplit(gross, feeRate);
        expect(split.feeCents + split.netCents).toBe(gross);
        expect(split.netCents).toBeGreaterThanOrEqual(0);
        expect(Math.abs(split.feeCents * 10_000 - gross * feeRate)).toBeLessThanOrEqual(5_000);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads and writes PostgreSQL numerics exactly, and formats without floats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), (value) => {
        expect(centsFromDecimal(decimalFromCents(value))).toBe(value);
      }),
    );
    expect(centsFromDecimal('0.1')).toBe(10);
    expect(() => centsFromDecimal('1.005')).toThrow(RangeError);
    expect(() => percentOf(1.5, 2400)).toThrow(RangeError);
    expect(formatMoney(123456, 'el')).toBe('1.234,56 €');
    expect(formatMoney(123456, 'en')).toBe('€1,234.56');
    // 0.1 + 0.2 in floats is 0.30000000000000004; in cents it is 30.
    expect(documentTotals([{ quantity: 1, unitCents: 10, vatRate: 0 }, { quantity: 1, unitCents: 20, vatRate: 0 }]).totalCents).toBe(30);
  });

  it('rounds half up: 24% of 2 ¢ is 0 (0.48 ¢), of 3 ¢ is 1 (0.72 ¢); 6% of 25 ¢ is 1.5 ¢, rounded up to 2', () => {
    expect(percentOf(2, STANDARD_VAT_RATE)).toBe(0);
    expect(percentOf(3, STANDARD_VAT_RATE)).toBe(1);
    expect(percentOf(25, 600)).toBe(2);
    expect(vatTreatment(true)).toEqual({ rate: 0, category: 7, exemptionCategory: 7 });
    expect(vatTreatment(false)).toEqual({ rate: 2400, category: 1, exemptionCategory: null });
  });
});
