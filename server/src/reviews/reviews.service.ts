import {
  ConflictError,
  NotFoundError,
  type CreateReviewRequest,
  type Language,
  type PublicReviewPage,
  type Review,
  type ReviewModerationPage,
  type ReviewStatus,
} from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import { isListed } from '../directory/index.js';
import type { DomainEventBus } from '../events/index.js';
import { decodePageCursor, encodePageCursor, type AuthenticatedUser, type RequestOrigin } from '../http/index.js';
import type { PublicReviewRow, ReviewsRepository } from './reviews.repository.js';

const anonymousAuthor: Record<Language, string> = { el: 'Ανώνυμος', en: 'Anonymous' };

/** "Μαρία Π.": the first name and the last name's initial, or the anonymous label. */
export function reviewAuthor(row: Pick<PublicReviewRow, 'is_anonymous' | 'first_name' | 'last_name'>, language: Language): string {
  const firstName = row.first_name?.trim();
  if (row.is_anonymous || !firstName) return anonymousAuthor[language];
  const initial = [...(row.last_name?.trim() ?? '')][0];
  return initial ? `${firstName} ${initial.toLocaleUpperCase('el')}.` : firstName;
}

interface PageRequest {
  cursor?: string;
  limit: number;
}

const position = (request: PageRequest) => (request.cursor ? decodePageCursor(request.cursor) : undefined);

/**
 * Reviews: a client rates the therapist of a completed appointment once; a super admin approves
 * or rejects it; only approved ones are public and count in the directory's rating.
 */
export class ReviewsService {
  constructor(
    private readonly repository: ReviewsRepository,
    private readonly events: DomainEventBus,
    private readonly audit: AuditLog,
  ) {}

  /** Anyone but the appointment's client is told it does not exist. */
  async write(viewer: AuthenticatedUser, appointmentId: string, request: CreateReviewRequest): Promise<Review> {
    const comment = request.comment?.trim() || null;
    const review = await this.repository.insert({ appointmentId, clientId: viewer.id, rating: request.rating, comment, anonymous: request.anonymous ?? false });
    if (review) return review;
    const appointment = await this.repository.appointmentOf(viewer.id, appointmentId);
    if (!appointment) throw new NotFoundError('Appointment');
    if (appointment.reviewed) throw new ConflictError('REVIEW_EXISTS', 'This appointment has been reviewed already');
    throw new ConflictError('REVIEW_APPOINTMENT_NOT_COMPLETED', 'Only a completed appointment can be reviewed', { status: appointment.status });
  }

  /** Approved reviews of a listed therapist, newest first; an unlisted one is not found, as in the directory. */
  async approvedOf(therapistId: string, request: PageRequest & { language: Language }): Promise<PublicReviewPage> {
    const therapist = await this.repository.listedTherapist(therapistId);
    if (!therapist || !isListed(therapist)) throw new NotFoundError('Therapist');
    const page = await this.repository.approvedOf(therapistId, request.limit, position(request));
    return {
      reviews: page.rows.map((row) => ({
        id: row.id,
        rating: row.rating,
        comment: row.comment,
        author: reviewAuthor(row, request.language),
        anonymous: row.is_anonymous,
        createdAt: row.created_at.toISOString(),
      })),
      nextCursor: page.last ? encodePageCursor(page.last) : null,
    };
  }

  async withStatus(request: PageRequest & { status: ReviewStatus }): Promise<ReviewModerationPage> {
    const page = await this.repository.withStatus(request.status, request.limit, position(request));
    return { reviews: page.reviews, nextCursor: page.last ? encodePageCursor(page.last) : null };
  }

  /** Makes a pending review public; the therapist is told, without the author's name. */
  async approve(moderatorId: string, id: string, origin: RequestOrigin): Promise<Review> {
    const review = await this.moderate(moderatorId, id, 'pending', 'approved', null, origin);
    this.events.publish('review.approved', { reviewId: review.id, therapistId: review.therapistId, rating: review.rating });
    return review;
  }

  reject(moderatorId: string, id: string, reason: string, origin: RequestOrigin): Promise<Review> {
    return this.moderate(moderatorId, id, 'pending', 'rejected', reason, origin);
  }

  /** Takes a published review down again (it leaves the public list and the rating). */
  hide(moderatorId: string, id: string, reason: string, origin: RequestOrigin): Promise<Review> {
    return this.moderate(moderatorId, id, 'approved', 'hidden', reason, origin);
  }

  private async moderate(moderatorId: string, id: string, from: ReviewStatus, status: ReviewStatus, reason: string | null, origin: RequestOrigin): Promise<Review> {
    const review = await this.repository.moderate(id, from, status, moderatorId, reason);
    if (!review) {
      const current = await this.repository.statusOf(id);
      if (!current) throw new NotFoundError('Review');
      throw new ConflictError('REVIEW_ALREADY_MODERATED', `This review is ${current}, not ${from}`, { status: current });
    }
    await this.audit.record({ actorId: moderatorId, action: `review.${status}`, entityType: 'review', entityId: id, ...origin });
    return review;
  }
}
