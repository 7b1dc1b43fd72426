import {
  NotFoundError,
  type BreakGlassRecord,
  type BreakGlassRequest,
  type MyRecord,
  type RecordRead,
} from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import { auditClinicalAccess, type HistoriesService, type SessionNotesService } from '../clinical/index.js';
import type { ConsentService } from '../consent/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AuthenticatedUser, RequestOrigin } from '../http/index.js';
import { toIsoInZone } from '../scheduling/index.js';
import type { BreakGlassRepository, MyRecordRepository } from './my-record.repository.js';

export interface MyRecordServiceDeps {
  repository: MyRecordRepository;
  breakGlass: BreakGlassRepository;
  /** Histories through the app's connection: the client's own rows. */
  ownHistories: HistoriesService;
  /** Histories through the platform's connection, for a break-glass read. */
  systemHistories: HistoriesService;
  notes: SessionNotesService;
  consents: ConsentService;
  cipher: FieldCipher;
  audit: AuditLog;
}

const BREAK_GLASS_TEXT = {
  el: { title: 'Έκτακτη πρόσβαση στον φάκελο', message: 'Διαχειριστής της πλατφόρμας διάβασε τον κλινικό φάκελο σε κατάσταση έκτακτης ανάγκης. Ο λόγος καταγράφηκε.' },
  en: { title: 'Emergency access to a record', message: 'A platform administrator read the clinical record in an emergency. The reason was recorded.' },
} as const;

/**
 * The client's own record (histories, plan goals, consents, appointments; never the therapist's
 * notes) and who read it; and the platform admin's break-glass read, which needs a written reason,
 * is audited, and is told to the client and their therapists.
 */
export class MyRecordService {
  constructor(private readonly deps: MyRecordServiceDeps) {}

  async record(viewer: AuthenticatedUser): Promise<MyRecord> {
    const { repository, cipher } = this.deps;
    const timezone = await repository.timezone(viewer.id);
    const histories = await this.deps.ownHistories.read(viewer, viewer.id, timezone);
    const plans = await repository.plans(viewer.id);
    await auditClinicalAccess(this.deps.audit, viewer, { entityType: 'treatment_plan', verb: 'read', ids: plans.map((plan) => plan.id), change: undefined });
    const appointments = await repository.appointments(viewer.id);
    return {
      histories,
      treatmentPlans: plans.map((plan) => ({
        id: plan.id,
        therapistId: plan.therapist_id,
        status: plan.status,
        startDate: plan.start_date,
        reviewDate: plan.review_date,
        treatmentGoals: cipher.decryptNullable(plan.treatment_goals) ?? null,
      })),
      consents: (await this.deps.consents.overview(viewer)).records,
      appointments: appointments.map((appointment) => ({
        id: appointment.id,
        therapistId: appointment.therapist_id,
        scheduledStart: toIsoInZone(appointment.scheduled_start, timezone),
        scheduledEnd: toIsoInZone(appointment.scheduled_end, timezone),
        status: appointment.status,
        isOnline: appointment.is_online,
      })),
    };
  }

  async reads(viewer: AuthenticatedUser, limit: number): Promise<RecordRead[]> {
    const timezone = await this.deps.repository.timezone(viewer.id);
    return (await this.deps.repository.reads(viewer.id, limit)).map((row) => ({
      at: toIsoInZone(row.performed_at, timezone),
      readerId: row.reader_id,
      readerRole: row.reader_role,
      readerName: row.reader_name,
      recordKind: row.record_kind,
      breakGlass: row.break_glass,
    }));
  }

  /** An emergency read by a platform admin: reason audited first, then each record read audited, then the parties told. */
  async breakGlass(viewer: AuthenticatedUser, clientId: string, request: BreakGlassRequest, origin: RequestOrigin): Promise<BreakGlassRecord> {
    const { breakGlass, audit } = this.deps;
    if (!(await breakGlass.isClient(clientId))) throw new NotFoundError('Client');
    await audit.record({ actorId: viewer.id, action: 'break_glass.read', entityType: 'client_record', entityId: clientId, ip: origin.ip, userAgent: origin.userAgent, metadata: { reason: request.reason } });
    const histories = await this.deps.systemHistories.read(viewer, clientId, 'Europe/Athens');
    const rows = await breakGlass.notes(clientId);
    await auditClinicalAccess(audit, viewer, { entityType: 'session_note', verb: 'read', ids: rows.map((row) => row.id), change: 'break_glass' });
    const parties = await breakGlass.partiesToTell(clientId);
    await breakGlass.notify(
      parties.map((party) => ({ userId: party.user_id, ...BREAK_GLASS_TEXT[party.language === 'en' ? 'en' : 'el'], data: { clientId, at: new Date().toISOString() } })),
    );
    return { clientId, histories, sessionNotes: rows.map((row) => this.deps.notes.open(row)) };
  }
}
