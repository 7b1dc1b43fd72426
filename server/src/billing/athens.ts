/** Billing days and months are Greek calendar days (Europe/Athens), whatever the server's zone. */
const athensDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Athens', year: 'numeric', month: '2-digit', day: '2-digit' });

/** YYYY-MM-DD in Athens. */
export function athensDate(at: Date): string {
  return athensDay.format(at);
}

/** The first day of a YYYY-MM month. */
export function monthStart(month: string): string {
  return `${month}-01`;
}

export function addDays(date: string, days: number): string {
  const day = new Date(`${date}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}
