import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type AppointmentStatus,
  type CreateSessionNoteRequest,
  type NoteType,
  type SessionNote,
  type SessionNoteContent,
  type SessionNotePage,
  type UpdateSessionNoteRequest,
} from '@therapy-field/sync';
import type { Transaction } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';
import { decodePageCursor, encodePageCursor, type AuthenticatedUser } from '../http/index.js';
import { toIsoInZone, type SchedulingService } from '../scheduling/index.js';
import type { CareRelationships } from './care-relationships.js';
import { auditClinicalAccess, refuseClinicalAccess } from './clinical-audit.js';
import { withoutUndefined } from './edit-changes.js';
import type { SealedNote, SessionNoteRow, SessionNotesRepository } from './session-notes.repository.js';

/** Appointments that never became a session take no notes (a proposal the client has not accepted neither). */
const INELIGIBLE_STATUSES: ReadonlySet<AppointmentStatus> = new Set(['proposed', 'requested', 'declined', 'cancelled']);

export interface SessionNotesServiceDeps {
  repository: SessionNotesRepository;
  scheduling: SchedulingService;
  care: CareRelationships;
  cipher: FieldCipher;
  audit: AuditLog;
}

/** The editable part of a note, in the clear; null is an empty field. */
interface NoteDraft {
  noteType: NoteType;
  content: SessionNoteContent;
  therapeuticApproach?: string | null;
  interventions?: string[] | null;
  homeworkAssigned?: string | null;
  progressIndicators?: string | null;
  riskAssessment?: string | null;
  nextSessionPlan?: string | null;
}

/**
 * Clinical session notes: only the appointment's therapist writes them and only they read them.
 * Anyone else asking about a note is told it does not exist; every read and write is audited.
 */
export class SessionNotesService {
  constructor(private readonly deps: SessionNotesServiceDeps) {}

  async create(viewer: AuthenticatedUser, appointmentId: string, request: CreateSessionNoteRequest): Promise<SessionNote> {
    const appointment = await this.ownAppointment(viewer, appointmentId, 'write');
    if (INELIGIBLE_STATUSES.has(appointment.status)) {
      throw new ConflictError('NOTE_APPOINTMENT_INELIGIBLE', `A ${appointment.status} appointment takes no session notes`, { status: appointment.status });
    }
    const { repository } = this.deps;
    const row = await repository.transaction(async (transaction) => {
      await this.deps.audit.setActor(viewer.id, transaction);
      const created = await repository.insert({ ...this.seal(request), appointment_id: appointment.id, therapist_id: viewer.id, client_id: appointment.clientId }, transaction);
      await this.audit(viewer, 'write', [created.id], transaction, 'create');
      return created;
    });
    return this.open(row);
  }

  async listForAppointment(viewer: AuthenticatedUser, appointmentId: string): Promise<SessionNote[]> {
    await this.ownAppointment(viewer, appointmentId, 'read');
    return this.read(viewer, await this.deps.repository.forAppointment(appointmentId, viewer.id));
  }

  /**
   * The therapist's notes about one of their clients, newest first (an empty page when they wrote
   * none yet). Anyone who is not the client's therapist and wrote no note about them is told the
   * client does not exist, as the other clinical routes tell them.
   */
  async listForClient(viewer: AuthenticatedUser, clientId: string, request: { cursor?: string; limit: number }): Promise<SessionNotePage> {
    const page = await this.deps.repository.pageForClient(clientId, viewer.id, request.limit, request.cursor ? decodePageCursor(request.cursor) : undefined);
    if (page.rows.length === 0) await this.deps.care.requireTherapistOf(viewer, clientId, 'Client', { entityType: 'session_note', verb: 'read' });
    return { notes: await this.read(viewer, page.rows), nextCursor: page.last ? encodePageCursor(page.last) : null };
  }

  async get(viewer: AuthenticatedUser, id: string): Promise<SessionNote> {
    const row = await this.deps.repository.find(id, viewer.id);
    if (!row) return this.refuse(viewer, 'read', id, new NotFoundError('Session note'));
    const [note] = await this.read(viewer, [row]);
    return note!;
  }

  /** Applies an edit made on `request.version`; fields left out stay as they are. */
  async update(viewer: AuthenticatedUser, id: string, request: UpdateSessionNoteRequest): Promise<SessionNote> {
    const { version, ...changes } = request;
    return this.change(viewer, id, 'update', async (current, transaction) => {
      if (current.version !== version) {
        throw new ConflictError('NOTE_VERSION_CONFLICT', 'The note was changed since you opened it', { currentVersion: current.version });
      }
      if (changes.noteType !== current.note_type && changes.content === undefined) {
        throw new ValidationError('Invalid body', [{ path: 'content', message: `a ${changes.noteType} note needs its own content` }]);
      }
      const edited: NoteDraft = { ...this.draftOf(current), ...withoutUndefined(changes) };
      return this.deps.repository.update(id, viewer.id, this.seal(edited), transaction);
    });
  }

  async sign(viewer: AuthenticatedUser, id: string): Promise<SessionNote> {
    return this.change(viewer, id, 'sign', (_current, transaction) => this.deps.repository.sign(id, viewer.id, transaction));
  }

  async delete(viewer: AuthenticatedUser, id: string): Promise<void> {
    await this.change(viewer, id, 'delete', async (current, transaction) => {
      await this.deps.repository.softDelete(id, transaction);
      return current;
    });
  }

  /** Locks the viewer's unsigned note, applies `work` and audits it, all in one transaction. */
  private async change(
    viewer: AuthenticatedUser,
    id: string,
    change: 'update' | 'sign' | 'delete',
    work: (current: SessionNoteRow, transaction: Transaction) => Promise<SessionNoteRow>,
  ): Promise<SessionNote> {
    const { repository } = this.deps;
    const row = await repository.transaction(async (transaction) => {
      await this.deps.audit.setActor(viewer.id, transaction);
      const current = await repository.find(id, viewer.id, transaction, true);
      if (!current) return null;
      if (current.is_signed) throw new ConflictError('NOTE_SIGNED', 'A signed note cannot be changed', { signedAt: toIsoInZone(current.signed_at!, current.timezone) });
      const changed = await work(current, transaction);
      await this.audit(viewer, 'write', [id], transaction, change);
      return changed;
    });
    // Refused after the transaction: inside it (a savepoint of the request's transaction) the
    // refusal would roll the access_denied row back with it.
    if (!row) return this.refuse(viewer, 'write', id, new NotFoundError('Session note'));
    return this.open(row);
  }

  /** The viewer's own appointment; any other is "not found", as scheduling tells non-parties, and audited as denied. */
  private async ownAppointment(viewer: AuthenticatedUser, appointmentId: string, verb: 'read' | 'write') {
    const appointment = await this.deps.scheduling.get(viewer, appointmentId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return this.refuse(viewer, verb, appointmentId, error);
      throw error;
    });
    if (appointment.therapistId !== viewer.id) return this.refuse(viewer, verb, appointmentId, new NotFoundError('Appointment'));
    return appointment;
  }

  /** A refused attempt on notes (of a note id, or of an appointment's notes by its id). */
  private refuse(viewer: AuthenticatedUser, verb: 'read' | 'write', id: string, refusal: Error): Promise<never> {
    return refuseClinicalAccess(this.deps.audit, viewer, { entityType: 'session_note', verb, ids: [id] }, refusal);
  }

  private async read(viewer: AuthenticatedUser, rows: SessionNoteRow[]): Promise<SessionNote[]> {
    const notes = rows.map((row) => this.open(row));
    await this.audit(viewer, 'read', rows.map((row) => row.id));
    return notes;
  }

  /** Who touched which note; the note's text never goes here. */
  private audit(viewer: AuthenticatedUser, verb: 'read' | 'write', ids: string[], transaction?: Transaction, change?: string): Promise<void> {
    return auditClinicalAccess(this.deps.audit, viewer, { entityType: 'session_note', verb, ids, change }, transaction);
  }

  private seal(note: NoteDraft): SealedNote {
    const { cipher } = this.deps;
    return {
      note_type: note.noteType,
      therapeutic_approach: note.therapeuticApproach ?? null,
      content: cipher.encrypt(JSON.stringify(note.content)),
      interventions: note.interventions ?? null,
      homework_assigned: cipher.encryptNullable(note.homeworkAssigned),
      progress_indicators: cipher.encryptNullable(note.progressIndicators),
      risk_assessment: cipher.encryptNullable(note.riskAssessment),
      next_session_plan: cipher.encryptNullable(note.nextSessionPlan),
      encryption_key_id: cipher.currentKeyId,
    };
  }

  private draftOf(row: SessionNoteRow): NoteDraft {
    const { cipher } = this.deps;
    return {
      noteType: row.note_type,
      content: JSON.parse(cipher.decrypt(row.content)) as SessionNoteContent,
      therapeuticApproach: row.therapeutic_approach,
      interventions: row.interventions,
      homeworkAssigned: cipher.decryptNullable(row.homework_assigned),
      progressIndicators: cipher.decryptNullable(row.progress_indicators),
      riskAssessment: cipher.decryptNullable(row.risk_assessment),
      nextSessionPlan: cipher.decryptNullable(row.next_session_plan),
    };
  }

  /** A stored note in the clear; the caller has checked who asks and audits the read. */
  open(row: SessionNoteRow): SessionNote {
    const draft = this.draftOf(row);
    const iso = (value: Date) => toIsoInZone(value, row.timezone);
    return {
      id: row.id,
      appointmentId: row.appointment_id,
      therapistId: row.therapist_id,
      clientId: row.client_id,
      noteType: row.note_type,
      content: draft.content,
      therapeuticApproach: draft.therapeuticApproach ?? null,
      interventions: draft.interventions ?? [],
      homeworkAssigned: draft.homeworkAssigned ?? null,
      progressIndicators: draft.progressIndicators ?? null,
      riskAssessment: draft.riskAssessment ?? null,
      nextSessionPlan: draft.nextSessionPlan ?? null,
      isSigned: row.is_signed,
      signedAt: row.signed_at && iso(row.signed_at),
      version: row.version,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  }
}
