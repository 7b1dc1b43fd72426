/** Every time is shown in Athens time with its offset (EET +02:00 / EEST +03:00). */
export const ATHENS = 'Europe/Athens';

const locale = (language: string) => (language === 'el' ? 'el-GR' : 'en-GB');

export function formatDateTime(iso: string | Date, language: string): string {
  return new Intl.DateTimeFormat(locale(language), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: ATHENS,
    timeZoneName: 'shortOffset',
  }).format(new Date(iso));
}

export function formatTime(iso: string | Date, language: string): string {
  return new Intl.DateTimeFormat(locale(language), { hour: '2-digit', minute: '2-digit', timeZone: ATHENS, timeZoneName: 'shortOffset' }).format(new Date(iso));
}

export function formatDate(iso: string | Date, language: string): string {
  return new Intl.DateTimeFormat(locale(language), { weekday: 'long', day: 'numeric', month: 'long', timeZone: ATHENS }).format(new Date(iso));
}

/** `YYYY-MM-DD` of an instant in Athens. */
export function athensDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ATHENS, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** The instants where today's (Athens) day starts and ends. */
export function athensDayBounds(now = new Date()): { start: Date; end: Date } {
  const day = athensDate(now);
  const start = fromAthensWallTime(day, '00:00');
  const next = new Date(start.getTime() + 36 * 3_600_000);
  return { start, end: fromAthensWallTime(athensDate(next), '00:00') };
}

/** The instant of a wall-clock time in Athens on a date (finds the offset in force then). */
export function fromAthensWallTime(date: string, time: string): Date {
  const guess = new Date(`${date}T${time}:00Z`);
  const offsetMinutes = athensOffsetMinutes(guess);
  return new Date(guess.getTime() - offsetMinutes * 60_000);
}

function athensOffsetMinutes(instant: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: ATHENS, timeZoneName: 'longOffset' }).formatToParts(instant).find((part) => part.type === 'timeZoneName')!.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}
