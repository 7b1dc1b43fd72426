import {
  ConflictError,
  NotFoundError,
  type CreateNoteAmendmentRequest,
  type NoteAmendment,
  type SessionNoteContent,
  type SessionNoteRecord,
  type SessionNoteVersion,
} from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import { toIsoInZone } from '../scheduling/index.js';
import { auditClinicalAccess, refuseClinicalAccess } from './clinical-audit.js';
import type { NoteAmendmentRow, NoteAmendmentsRepository, NoteVersionRow } from './note-amendments.repository.js';
import type { SessionNotesRepository } from './session-notes.repository.js';
import type { SessionNotesService } from './session-notes.service.js';

export interface NoteAmendmentsServiceDeps {
  repository: NoteAmendmentsRepository;
  noteRows: SessionNotesRepository;
  notes: SessionNotesService;
  cipher: FieldCipher;
  audit: AuditLog;
}

/**
 * A signed note's corrections (amendments, addenda: new records with author and time) and the
 * earlier versions of its draft, shown with the note. Only the note's therapist reads or adds them.
 */
export class NoteAmendmentsService {
  constructor(private readonly deps: NoteAmendmentsServiceDeps) {}

  async amend(viewer: AuthenticatedUser, noteId: string, request: CreateNoteAmendmentRequest): Promise<NoteAmendment> {
    const { repository, noteRows, cipher, audit } = this.deps;
    const note = await noteRows.find(noteId, viewer.id);
    if (!note) return refuseClinicalAccess(audit, viewer, { entityType: 'session_note', verb: 'write', ids: [noteId] }, new NotFoundError('Session note'));
    if (!note.is_signed) throw new ConflictError('NOTE_NOT_SIGNED', 'An unsigned note is edited, not amended');
    const row = await repository.transaction(async (transaction) => {
      await audit.setActor(viewer.id, transaction);
      const inserted = await repository.insert(
        { noteId, authorId: viewer.id, kind: request.kind, content: cipher.encrypt(request.text), reason: cipher.encryptNullable(request.reason), keyId: cipher.currentKeyId },
        transaction,
      );
      await auditClinicalAccess(audit, viewer, { entityType: 'session_note_amendment', verb: 'write', ids: [inserted.id], change: request.kind }, transaction);
      return inserted;
    });
    return this.openAmendment(row);
  }

  /** The note (its read audited as such), its earlier versions and its amendments, each read audited. */
  async record(viewer: AuthenticatedUser, noteId: string): Promise<SessionNoteRecord> {
    const note = await this.deps.notes.get(viewer, noteId);
    const [versions, amendments] = await Promise.all([this.deps.repository.versionsOf(noteId), this.deps.repository.amendmentsOf(noteId)]);
    if (versions.length > 0) await auditClinicalAccess(this.deps.audit, viewer, { entityType: 'session_note_version', verb: 'read', ids: [noteId] });
    await auditClinicalAccess(this.deps.audit, viewer, { entityType: 'session_note_amendment', verb: 'read', ids: amendments.map((row) => row.id) });
    return { note, versions: versions.map((row) => this.openVersion(row)), amendments: amendments.map((row) => this.openAmendment(row)) };
  }

  private openAmendment(row: NoteAmendmentRow): NoteAmendment {
    const { cipher } = this.deps;
    return {
      id: row.id,
      noteId: row.note_id,
      authorId: row.author_id,
      kind: row.kind,
      text: cipher.decrypt(row.content),
      reason: cipher.decryptNullable(row.reason) ?? null,
      createdAt: toIsoInZone(row.created_at, row.timezone),
    };
  }

  private openVersion(row: NoteVersionRow): SessionNoteVersion {
    const { cipher } = this.deps;
    return {
      version: row.version,
      noteType: row.note_type,
      content: JSON.parse(cipher.decrypt(row.content)) as SessionNoteContent,
      therapeuticApproach: row.therapeutic_approach,
      interventions: row.interventions ?? [],
      homeworkAssigned: cipher.decryptNullable(row.homework_assigned) ?? null,
      progressIndicators: cipher.decryptNullable(row.progress_indicators) ?? null,
      riskAssessment: cipher.decryptNullable(row.risk_assessment) ?? null,
      nextSessionPlan: cipher.decryptNullable(row.next_session_plan) ?? null,
      replacedAt: toIsoInZone(row.replaced_at, row.timezone),
    };
  }
}
