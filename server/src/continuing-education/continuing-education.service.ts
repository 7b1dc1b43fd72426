import { NotFoundError, type ContinuingEducation, type ContinuingEducationOverview, type CreateContinuingEducationRequest } from '@therapy-field/sync';
import type { AuthenticatedUser } from '../http/index.js';
import { toIsoInZone } from '../scheduling/index.js';
import type { ContinuingEducationRepository, CourseRow } from './continuing-education.repository.js';

/** A therapist's continuing education: courses, credits still valid, and their licence's expiry. */
export class ContinuingEducationService {
  constructor(private readonly repository: ContinuingEducationRepository) {}

  async overview(viewer: AuthenticatedUser, today = new Date().toISOString().slice(0, 10)): Promise<ContinuingEducationOverview> {
    const courses = (await this.repository.courses(viewer.id)).map(toCourse);
    const validCredits = courses.filter((course) => !course.expiryDate || course.expiryDate >= today).reduce((sum, course) => sum + (course.creditsEarned ?? 0), 0);
    return { courses, validCredits: Math.round(validCredits * 100) / 100, licenceExpiryDate: await this.repository.licenceExpiry(viewer.id) };
  }

  async add(viewer: AuthenticatedUser, request: CreateContinuingEducationRequest): Promise<ContinuingEducation> {
    return toCourse(await this.repository.insert(viewer.id, request));
  }

  async delete(viewer: AuthenticatedUser, id: string): Promise<void> {
    if (!(await this.repository.delete(id, viewer.id))) throw new NotFoundError('Course');
  }
}

function toCourse(row: CourseRow): ContinuingEducation {
  return {
    id: row.id,
    courseName: row.course_name,
    provider: row.provider,
    completionDate: row.completion_date,
    creditsEarned: row.credits_earned === null ? null : Number(row.credits_earned),
    certificateUrl: row.certificate_url,
    expiryDate: row.expiry_date,
    createdAt: toIsoInZone(row.created_at, 'Europe/Athens'),
  };
}
