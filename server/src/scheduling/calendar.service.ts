import { createHash, randomBytes } from 'node:crypto';
import ical, { ICalEventStatus } from 'ical-generator';
import { ForbiddenError, NotFoundError } from '@therapy-field/sync';
import type { AuthenticatedUser } from '../http/index.js';
import type { SchedulingRepository } from './scheduling.repository.js';

const FEED_HISTORY_MS = 30 * 86_400_000;

/**
 * Each therapist's ICS feed at `/calendar/<token>.ics`. The token is the only key (calendar apps
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
    return { url: `${this.publicUrl}/calendar/${token}.ics`, token };
  }

  async revokeFeed(viewer: AuthenticatedUser): Promise<void> {
    if (!(await this.repository.revokeCalendarFeed(viewer.id))) throw new NotFoundError('Calendar feed');
  }

  /** The feed as iCalendar text; an unknown or revoked token is a 404 like any missing page. */
  async feed(token: string, now = new Date()): Promise<string> {
    const therapistId = await this.repository.calendarFeedOwner(hashFeedToken(token));
    if (!therapistId) throw new NotFoundError('Calendar');
    const calendar = ical({ name: 'Therapy Field', prodId: { company: 'Therapy Field', product: 'schedule', language: 'EL' }, ttl: 900 });
    for (const appointment of await this.repository.upcomingForTherapist(therapistId, new Date(now.getTime() - FEED_HISTORY_MS))) {
      // No client names or notes: the feed leaves the platform and lives in third-party calendars.
      calendar.createEvent({
        id: `${appointment.id}@therapyfield.gr`,
        start: appointment.scheduled_start,
        end: appointment.scheduled_end,
        summary: appointment.is_online ? 'Therapy Field: online session' : 'Therapy Field: session',
        status: appointment.status === 'requested' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
        stamp: now,
      });
    }
    return calendar.toString();
  }
}

function hashFeedToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
