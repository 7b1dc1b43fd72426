import { ForeignKeyConstraintError, UniqueConstraintError } from 'sequelize';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  type AppointmentType,
  type CatalogEntry,
  type TherapistProfile,
  type TherapistSearchQuery,
  type TherapistSearchResult,
  type UpdateTherapistRequest,
} from '@therapy-field/sync';
import type { z } from 'zod';
import type {
  createAppointmentTypeRequestSchema,
  createCatalogEntryRequestSchema,
  createLocationRequestSchema,
  createRateRequestSchema,
  setApproachesRequestSchema,
  setLanguagesRequestSchema,
  setSpecializationsRequestSchema,
} from '@therapy-field/sync';
import { cacheEntries, type ReadCache } from '../cache/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import type { TherapistSearchBackend } from '../search/index.js';
import { therapistColumns, type AppointmentTypeRow, type DirectoryRepository, type TherapistRow } from './directory.repository.js';

const money = (value: string | null) => (value === null ? null : Number(value));

/** The therapist directory: who may read or change which profile, and the work itself. */
export class DirectoryService {
  constructor(
    private readonly repository: DirectoryRepository,
    private readonly searchBackend: TherapistSearchBackend,
    private readonly cache: ReadCache,
  ) {}

  /** The public directory search: the configured backend answers, listed therapists only, the same for whoever asks. */
  search(query: TherapistSearchQuery): Promise<TherapistSearchResult> {
    return this.cache.read(cacheEntries.therapistSearch(query), () => this.searchBackend.search(query));
  }

  /**
   * Anyone may read a verified, active therapist; the therapist and super admins see the profile
   * always. Only the public reading is cached: what they see of an unlisted profile is theirs.
   */
  async get(id: string, viewer?: AuthenticatedUser): Promise<TherapistProfile> {
    const privileged = viewer && (viewer.id === id || viewer.role === 'super_admin');
    if (privileged) {
      const row = await this.repository.findTherapist(id);
      if (!row) throw new NotFoundError('Therapist');
      return this.toProfile(row);
    }
    const listed = await this.cache.read(cacheEntries.therapistProfile(id), async () => {
      const row = await this.repository.findTherapist(id);
      return row && isListed(row) ? this.toProfile(row) : null;
    });
    if (!listed) throw new NotFoundError('Therapist');
    return listed;
  }

  async update(viewer: AuthenticatedUser, id: string, request: UpdateTherapistRequest): Promise<TherapistProfile> {
    await this.requireEditable(viewer, id);
    const { settings, ...fields } = request;
    const changes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries({ ...fields, ...settings })) {
      changes[therapistColumns[key as keyof typeof therapistColumns]] = value;
    }
    await this.repository.updateTherapist(id, changes);
    return this.get(id, viewer);
  }

  async setSpecializations(viewer: AuthenticatedUser, id: string, items: z.infer<typeof setSpecializationsRequestSchema>) {
    await this.requireEditable(viewer, id);
    await linking(() =>
      this.repository.replaceLinks('therapist_specializations', id, items.map((item) => ({
        specialization_id: item.id, is_primary: item.isPrimary, years_experience: item.yearsExperience ?? null,
      }))),
    );
    return this.get(id, viewer);
  }

  async setApproaches(viewer: AuthenticatedUser, id: string, items: z.infer<typeof setApproachesRequestSchema>) {
    await this.requireEditable(viewer, id);
    await linking(() =>
      this.repository.replaceLinks('therapist_approaches', id, items.map((item) => ({ approach_id: item.id, proficiency_level: item.proficiency ?? null }))),
    );
    return this.get(id, viewer);
  }

  async setLanguages(viewer: AuthenticatedUser, id: string, items: z.infer<typeof setLanguagesRequestSchema>) {
    await this.requireEditable(viewer, id);
    await linking(() =>
      this.repository.replaceLinks('therapist_languages', id, items.map((item) => ({ language_code: item.code, proficiency_level: item.proficiency ?? null }))),
    );
    return this.get(id, viewer);
  }

  async addLocation(viewer: AuthenticatedUser, id: string, location: z.infer<typeof createLocationRequestSchema>) {
    await this.requireEditable(viewer, id);
    await this.repository.addLocation(id, location);
    return this.get(id, viewer);
  }

  async removeLocation(viewer: AuthenticatedUser, id: string, locationId: string): Promise<void> {
    await this.requireEditable(viewer, id);
    if (!(await this.repository.deactivateLocation(id, locationId))) throw new NotFoundError('Location');
  }

  async addRate(viewer: AuthenticatedUser, id: string, rate: z.infer<typeof createRateRequestSchema>) {
    await this.requireEditable(viewer, id);
    await linking(() => this.repository.addRate(id, rate));
    return this.get(id, viewer);
  }

  async catalog(kind: 'specializations' | 'approaches'): Promise<CatalogEntry[]> {
    const rows = await this.repository.catalog(kind === 'specializations' ? 'specializations' : 'therapeutic_approaches');
    return rows.map((row) => ({ id: row.id, nameEn: row.name_en, nameEl: row.name_el }));
  }

  async addCatalogEntry(kind: 'specializations' | 'approaches', entry: z.infer<typeof createCatalogEntryRequestSchema>): Promise<CatalogEntry> {
    try {
      const row = await this.repository.addCatalogEntry(kind === 'specializations' ? 'specializations' : 'therapeutic_approaches', entry);
      return { id: row.id, nameEn: row.name_en, nameEl: row.name_el };
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new ConflictError('CONFLICT', 'An entry with this name exists');
      throw error;
    }
  }

  async appointmentTypes(): Promise<AppointmentType[]> {
    return (await this.repository.appointmentTypes()).map(toAppointmentType);
  }

  async addAppointmentType(type: z.infer<typeof createAppointmentTypeRequestSchema>): Promise<AppointmentType> {
    return toAppointmentType(await this.repository.addAppointmentType(type));
  }

  /** A therapist edits only their own profile; a super admin edits any. */
  private async requireEditable(viewer: AuthenticatedUser, id: string): Promise<void> {
    if (viewer.role !== 'super_admin' && viewer.id !== id) throw new ForbiddenError('You may only edit your own profile');
    if (!(await this.repository.findTherapist(id))) throw new NotFoundError('Therapist');
  }

  private async toProfile(row: TherapistRow): Promise<TherapistProfile> {
    const id = row.user_id;
    const [specializations, approaches, languages, locations, rates] = await Promise.all([
      this.repository.specializationsOf(id),
      this.repository.approachesOf(id),
      this.repository.languagesOf(id),
      this.repository.locationsOf(id),
      this.repository.ratesOf(id),
    ]);
    return {
      id,
      firstName: row.first_name,
      lastName: row.last_name,
      professionalTitle: row.professional_title,
      bio: row.bio,
      yearsOfExperience: row.years_of_experience,
      licenseNumber: row.license_number,
      licenseType: row.license_type,
      licenseIssuedDate: row.license_issued_date,
      licenseExpiryDate: row.license_expiry_date,
      offersOnlineTherapy: row.offers_online_therapy,
      offersInPersonTherapy: row.offers_in_person_therapy,
      isVerified: row.is_verified,
      isActive: row.is_active,
      settings: {
        timezone: row.timezone,
        bufferMinutes: row.buffer_minutes,
        minNoticeMinutes: row.min_notice_minutes,
        bookingHorizonDays: row.booking_horizon_days,
        instantConfirmation: row.instant_confirmation,
      },
      specializations: specializations.map((s) => ({ id: s.id, nameEn: s.name_en, nameEl: s.name_el, isPrimary: s.is_primary, yearsExperience: s.years_experience })),
      approaches: approaches.map((a) => ({ id: a.id, nameEn: a.name_en, nameEl: a.name_el, proficiency: a.proficiency_level })),
      languages: languages.map((l) => ({ code: l.language_code, proficiency: l.proficiency_level })),
      locations: locations.map((l) => ({
        id: l.id, practiceName: l.practice_name, addressLine1: l.address_line1, city: l.city, postalCode: l.postal_code,
        country: l.country, latitude: money(l.latitude), longitude: money(l.longitude),
      })),
      rates: rates.map((r) => ({
        id: r.id, appointmentTypeId: r.appointment_type_id, amount: Number(r.rate_amount), currency: r.currency,
        effectiveFrom: r.effective_from, effectiveTo: r.effective_to, corporateRate: money(r.corporate_rate),
        slidingScaleAvailable: r.sliding_scale_available, slidingScaleMinimum: money(r.sliding_scale_minimum),
      })),
    };
  }
}

/** Listed in the directory: verified by a super admin, active, and the account in good standing. */
export function isListed(row: Pick<TherapistRow, 'is_verified' | 'is_active' | 'user_status'>): boolean {
  return row.is_verified && row.is_active && row.user_status === 'active';
}

/** An unknown catalogue id or a duplicate in the list is the caller's mistake, not ours. */
async function linking(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ForeignKeyConstraintError) throw new NotFoundError('Catalogue entry or appointment type');
    if (error instanceof UniqueConstraintError) throw new ConflictError('CONFLICT', 'The list names an entry twice');
    throw error;
  }
}

function toAppointmentType(row: AppointmentTypeRow): AppointmentType {
  return {
    id: row.id,
    name: row.name,
    durationMinutes: row.duration_minutes,
    isInitialAssessment: row.is_initial_assessment,
    requiresPaymentUpfront: row.requires_payment_upfront,
  };
}
