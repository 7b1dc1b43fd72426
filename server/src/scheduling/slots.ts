import { DateTime, Interval } from 'luxon';

export interface TemplateWindow {
  /** 0 = Sunday … 6 = Saturday, as stored. */
  dayOfWeek: number;
  startTime: string;
  endTime: string;
  sessionType: 'in_person' | 'online' | 'both';
  locationId: string | null;
}

export interface DateException {
  /** `YYYY-MM-DD` in the therapist's zone. */
  date: string;
  startTime: string | null;
  endTime: string | null;
  isAvailable: boolean;
}

export interface BusyTime {
  start: Date;
  end: Date;
}

export interface SlotRules {
  zone: string;
  templates: TemplateWindow[];
  exceptions: DateException[];
  /** Active appointments of the therapist. */
  busy: BusyTime[];
  durationMinutes: number;
  bufferMinutes: number;
  /** now + minimum notice: no slot starts before it. */
  earliestStart: Date;
  /** now + booking horizon: no slot starts after it. */
  latestStart: Date;
  mode?: 'online' | 'in_person';
}

export interface ComputedSlot {
  start: DateTime;
  end: DateTime;
  online: boolean;
  inPerson: boolean;
  locationId: string | null;
}

/**
 * Bookable slots starting in `[from, to)`. Windows are wall-clock times in the therapist's zone,
 * turned into instants day by day with Luxon, so a window on a daylight-saving day is as long as
 * it really is; slots then step through absolute time (duration + buffer), so every slot lasts
 * exactly `durationMinutes` and no instant is offered twice.
 */
export function computeSlots(rules: SlotRules, from: Date, to: Date): ComputedSlot[] {
  const { zone, durationMinutes, bufferMinutes } = rules;
  const exceptionsByDate = new Map(rules.exceptions.map((exception) => [exception.date, exception]));
  const busy = rules.busy.map(({ start, end }) => ({
    start: start.getTime() - bufferMinutes * 60_000,
    end: end.getTime() + bufferMinutes * 60_000,
  }));
  const lower = Math.max(from.getTime(), rules.earliestStart.getTime());
  const upper = Math.min(to.getTime(), rules.latestStart.getTime() + 1);
  const slots = new Map<number, ComputedSlot>();

  const lastDay = DateTime.fromJSDate(to, { zone }).startOf('day');
  for (let day = DateTime.fromJSDate(from, { zone }).startOf('day'); day <= lastDay; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    const exception = exceptionsByDate.get(date);
    if (exception && !exception.isAvailable && exception.startTime === null) continue;
    const closed = exception && !exception.isAvailable ? windowOn(date, exception.startTime!, exception.endTime!, zone) : null;

    const windows = rules.templates
      .filter((template) => template.dayOfWeek === day.weekday % 7)
      .map((template) => ({ template, interval: windowOn(date, template.startTime, template.endTime, zone) }));
    if (exception?.isAvailable) {
      windows.push({
        template: { dayOfWeek: day.weekday % 7, startTime: exception.startTime!, endTime: exception.endTime!, sessionType: 'both', locationId: null },
        interval: windowOn(date, exception.startTime!, exception.endTime!, zone),
      });
    }

    for (const { template, interval } of windows) {
      const online = template.sessionType !== 'in_person';
      const inPerson = template.sessionType !== 'online';
      if ((rules.mode === 'online' && !online) || (rules.mode === 'in_person' && !inPerson)) continue;
      const windowEnd = interval.end!.toMillis();
      for (let start = interval.start!.toMillis(); start + durationMinutes * 60_000 <= windowEnd; start += (durationMinutes + bufferMinutes) * 60_000) {
        const end = start + durationMinutes * 60_000;
        if (start < lower || start >= upper || slots.has(start)) continue;
        if (closed && start < closed.end!.toMillis() && end > closed.start!.toMillis()) continue;
        if (busy.some((taken) => start < taken.end && end > taken.start)) continue;
        slots.set(start, {
          start: DateTime.fromMillis(start, { zone }),
          end: DateTime.fromMillis(end, { zone }),
          online,
          inPerson,
          locationId: template.locationId,
        });
      }
    }
  }
  return [...slots.values()].sort((a, b) => a.start.toMillis() - b.start.toMillis());
}

/** A wall-clock window on one local date; a time skipped by a DST change moves forward, as Luxon does. */
function windowOn(date: string, startTime: string, endTime: string, zone: string): Interval {
  return Interval.fromDateTimes(
    DateTime.fromISO(`${date}T${startTime}`, { zone }),
    DateTime.fromISO(`${date}T${endTime}`, { zone }),
  );
}

/** ISO 8601 with the zone's offset, seconds kept, milliseconds dropped. */
export function toIsoInZone(value: Date, zone: string): string {
  return DateTime.fromJSDate(value, { zone }).toISO({ suppressMilliseconds: true })!;
}
