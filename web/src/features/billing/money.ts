/** Whole cents as the reader's language writes money, without a float: 123456 → "1.234,56 €" / "€1,234.56". */
export function formatCents(cents: number, language: string): string {
  const greek = language === 'el';
  const whole = String(Math.trunc(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, greek ? '.' : ',');
  const fraction = String(cents % 100).padStart(2, '0');
  return greek ? `${whole},${fraction} €` : `€${whole}.${fraction}`;
}
