import { createHash, randomBytes } from 'node:crypto';
import ical, { ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';
import { API_BASE_PATH, ForbiddenError, NotFoundError } from '@therapy-field/sync';
import type { AuthenticatedUser } from '../http/index.js';
import type { SchedulingRepository } from './scheduling.repository.js';

const FEED_HISTORY_MS = 30 * 86_400_000;
const FEED_TIME_ZONE = 'Europe/Athens';

/**
 * Each therapist's ICS feed at `/api/v1/calendar/<token>.ics`. The token is the only key (calendar apps
 * cannot log in), so it is long and random, only its hash is stored, and a new one revokes the old.
 */
export class CalendarService {
  constructor(
    private readonly repository: SchedulingRepository,
    private readonly publicUrl: string,
  ) {}

  async createFeed(viewer: AuthenticatedUser): Promise<{ url: string; token: string }> {
    if (viewer.role !== 'therapist') throw new ForbiddenError('Only therapists have a calendar feed');
    const token = randomBytes(32).toString('base64url');
    await this.repository.replaceCalendarFeed(viewer.id, hashFeedToken(token));
    return { url: `${this.publicUrl}${API_BASE_PATH}/calendar/${token}.ics`, token };
  }

  async revokeFeed(viewer: AuthenticatedUser): Promise<void> {
    if (!(await this.repository.revokeCalendarFeed(viewer.id))) throw new NotFoundError('Calendar feed');
  }

  /** The feed as iCalendar text; an unknown or revoked token is a 404 like any missing page. */
  async feed(token: string, now = new Date()): Promise<string> {
    const therapistId = await this.repository.calendarFeedOwner(hashFeedToken(token));
    if (!therapistId) throw new NotFoundError('Calendar');
    const calendar = ical({ name: 'Therapy Field', prodId: { company: 'Therapy Field', product: 'schedule', language: 'EL' }, ttl: 900 });
    // Local times with their VTIMEZONE: calendar apps show Athens times without guessing the zone.
    calendar.timezone({ name: FEED_TIME_ZONE, generator: getVtimezoneComponent });
    for (const appointment of await this.repository.upcomingForTherapist(therapistId, new Date(now.getTime() - FEED_HISTORY_MS))) {
      // No client names or notes: the feed leaves the platform and lives in third-party calendars.
      calendar.createEvent({
        id: `${appointment.id}@therapyfield.gr`,
        start: inFeedZone(appointment.scheduled_start),
        end: inFeedZone(appointment.scheduled_end),
        timezone: FEED_TIME_ZONE,
        summary: appointment.is_online ? 'Therapy Field: online session' : 'Therapy Field: session',
        status: appointment.status === 'requested' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
        stamp: now,
      });
    }
    return endWithLineBreak(calendar.toString());
  }
}

/** The generator writes a plain Date's UTC fields as if local: hand it the Athens wall time. */
function inFeedZone(instant: Date): DateTime {
  return DateTime.fromJSDate(instant, { zone: FEED_TIME_ZONE });
}

/** RFC 5545 ends every content line, the last one too, with CRLF; the generator omits the last. */
function endWithLineBreak(text: string): string {
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}

function hashFeedToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
