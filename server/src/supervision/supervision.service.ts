import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type CoSignNoteRequest,
  type CreateSupervisionSessionRequest,
  type StartSupervisionRequest,
  type SupervisedNote,
  type SupervisionRelationship,
  type SupervisionSession,
} from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import { auditClinicalAccess, refuseClinicalAccess, type SessionNotesService } from '../clinical/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import { toIsoInZone } from '../scheduling/index.js';
import type { RelationshipRow, SupervisedNoteRow, SupervisionRepository, SupervisionSessionRow } from './supervision.repository.js';

export interface SupervisionServiceDeps {
  repository: SupervisionRepository;
  notes: SessionNotesService;
  cipher: FieldCipher;
  audit: AuditLog;
}

const ZONE = 'Europe/Athens';

/**
 * Clinical supervision between therapists. The supervisee chooses their supervisor and marks the
 * notes they want reviewed; the active supervisor reads only those (audited), adds their notes and
 * co-signs. Anyone else asking about a note is told it does not exist.
 */
export class SupervisionService {
  constructor(private readonly deps: SupervisionServiceDeps) {}

  async start(viewer: AuthenticatedUser, request: StartSupervisionRequest): Promise<SupervisionRelationship> {
    if (request.supervisorId === viewer.id) throw new ValidationError('Invalid body', [{ path: 'supervisorId', message: 'a therapist cannot supervise themselves' }]);
    if (!(await this.deps.repository.isTherapist(request.supervisorId))) throw new NotFoundError('Therapist');
    const row = await this.deps.repository.startRelationship({
      supervisorId: request.supervisorId,
      superviseeId: viewer.id,
      startDate: request.startDate ?? null,
      supervisionType: request.supervisionType ?? null,
      frequency: request.frequency ?? null,
    });
    await this.deps.audit.record({ actorId: viewer.id, action: 'supervision_relationship.start', entityType: 'supervision_relationship', entityId: row.id });
    return toRelationship(row);
  }

  async relationships(viewer: AuthenticatedUser): Promise<SupervisionRelationship[]> {
    return (await this.deps.repository.relationshipsOf(viewer.id)).map(toRelationship);
  }

  async end(viewer: AuthenticatedUser, id: string): Promise<SupervisionRelationship> {
    const { repository } = this.deps;
    if (!(await repository.relationship(id, viewer.id))) throw new NotFoundError('Supervision relationship');
    await repository.endRelationship(id);
    await this.deps.audit.record({ actorId: viewer.id, action: 'supervision_relationship.end', entityType: 'supervision_relationship', entityId: id });
    return toRelationship((await repository.relationship(id, viewer.id))!);
  }

  /** The note's author marks it for their supervisor's review. */
  async requestReview(viewer: AuthenticatedUser, noteId: string): Promise<void> {
    if (!(await this.deps.repository.requestReview(noteId, viewer.id))) {
      return refuseClinicalAccess(this.deps.audit, viewer, { entityType: 'session_note', verb: 'write', ids: [noteId] }, new NotFoundError('Session note'));
    }
    await auditClinicalAccess(this.deps.audit, viewer, { entityType: 'session_note', verb: 'write', ids: [noteId], change: 'review_requested' });
  }

  async reviewQueue(viewer: AuthenticatedUser): Promise<SupervisedNote[]> {
    const rows = await this.deps.repository.reviewQueue(viewer.id);
    await this.auditRead(viewer, rows.map((row) => row.id));
    return rows.map((row) => this.openSupervised(row));
  }

  async supervisedNote(viewer: AuthenticatedUser, noteId: string): Promise<SupervisedNote> {
    const row = await this.deps.repository.supervisedNote(noteId, viewer.id);
    if (!row) return this.refuse(viewer, 'read', noteId);
    await this.auditRead(viewer, [row.id]);
    return this.openSupervised(row);
  }

  async coSign(viewer: AuthenticatedUser, noteId: string, request: CoSignNoteRequest): Promise<SupervisedNote> {
    const { repository, cipher, audit } = this.deps;
    const row = await repository.transaction(async (transaction) => {
      await audit.setActor(viewer.id, transaction);
      const current = await repository.supervisedNote(noteId, viewer.id, transaction, true);
      if (!current) return null;
      if (!current.is_signed) throw new ConflictError('NOTE_NOT_SIGNED', 'The supervisee signs a note before its supervisor co-signs it');
      await repository.coSign(noteId, viewer.id, cipher.encryptNullable(request.supervisorNotes), cipher.currentKeyId, transaction);
      await auditClinicalAccess(audit, viewer, { entityType: 'session_note', verb: 'write', ids: [noteId], change: 'co_sign' }, transaction);
      return repository.supervisedNote(noteId, viewer.id, transaction);
    });
    if (!row) return this.refuse(viewer, 'write', noteId);
    return this.openSupervised(row);
  }

  /** The supervisor records a supervision session: topics, action items and their own (sealed) notes. */
  async addSession(viewer: AuthenticatedUser, relationshipId: string, request: CreateSupervisionSessionRequest): Promise<SupervisionSession> {
    const relationship = await this.deps.repository.relationship(relationshipId, viewer.id);
    if (!relationship || relationship.supervisor_id !== viewer.id) throw new NotFoundError('Supervision relationship');
    const { cipher } = this.deps;
    const row = await this.deps.repository.insertSession({
      relationship_id: relationshipId,
      scheduled_at: new Date(request.scheduledAt),
      duration_minutes: request.durationMinutes ?? null,
      status: request.status,
      topics_discussed: request.topics,
      action_items: request.actionItems,
      supervisor_notes: cipher.encryptNullable(request.supervisorNotes),
      encryption_key_id: request.supervisorNotes ? cipher.currentKeyId : null,
    });
    await auditClinicalAccess(this.deps.audit, viewer, { entityType: 'supervision_session', verb: 'write', ids: [row.id], change: 'create' });
    return this.openSession(row, true);
  }

  async sessions(viewer: AuthenticatedUser, relationshipId: string): Promise<SupervisionSession[]> {
    const relationship = await this.deps.repository.relationship(relationshipId, viewer.id);
    if (!relationship) throw new NotFoundError('Supervision relationship');
    const isSupervisor = relationship.supervisor_id === viewer.id;
    const rows = await this.deps.repository.sessionsOf(relationshipId);
    if (isSupervisor) await auditClinicalAccess(this.deps.audit, viewer, { entityType: 'supervision_session', verb: 'read', ids: rows.filter((row) => row.supervisor_notes).map((row) => row.id) });
    return rows.map((row) => this.openSession(row, isSupervisor));
  }

  private auditRead(viewer: AuthenticatedUser, ids: string[]): Promise<void> {
    return auditClinicalAccess(this.deps.audit, viewer, { entityType: 'session_note', verb: 'read', ids });
  }

  private refuse(viewer: AuthenticatedUser, verb: 'read' | 'write', noteId: string): Promise<never> {
    return refuseClinicalAccess(this.deps.audit, viewer, { entityType: 'session_note', verb, ids: [noteId] }, new NotFoundError('Session note'));
  }

  private openSupervised(row: SupervisedNoteRow): SupervisedNote {
    return {
      note: this.deps.notes.open(row),
      reviewRequestedAt: toIsoInZone(row.review_requested_at, row.timezone),
      supervisorReviewed: row.supervisor_reviewed,
      supervisorNotes: this.deps.cipher.decryptNullable(row.supervisor_notes) ?? null,
      supervisorSignedAt: row.supervisor_signed_at && toIsoInZone(row.supervisor_signed_at, row.timezone),
    };
  }

  private openSession(row: SupervisionSessionRow, isSupervisor: boolean): SupervisionSession {
    return {
      id: row.id,
      relationshipId: row.relationship_id,
      scheduledAt: toIsoInZone(row.scheduled_at, ZONE),
      durationMinutes: row.duration_minutes,
      status: row.status,
      topics: row.topics_discussed ?? [],
      actionItems: row.action_items.map((item) => ({ text: item.text, done: item.done })),
      supervisorNotes: isSupervisor ? (this.deps.cipher.decryptNullable(row.supervisor_notes) ?? null) : null,
      createdAt: toIsoInZone(row.created_at, ZONE),
    };
  }
}

function toRelationship(row: RelationshipRow): SupervisionRelationship {
  return {
    id: row.id,
    supervisorId: row.supervisor_id,
    superviseeId: row.supervisee_id,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status,
    supervisionType: row.supervision_type,
    frequency: row.frequency,
    createdAt: toIsoInZone(row.created_at, ZONE),
  };
}
