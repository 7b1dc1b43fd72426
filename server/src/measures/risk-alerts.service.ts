import { NotFoundError, type Measure, type RiskAlert } from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import { auditClinicalAccess, refuseClinicalAccess } from '../clinical/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import { toIsoInZone } from '../scheduling/index.js';
import type { MeasuresRepository, RiskAlertRow } from './measures.repository.js';

const ZONE = 'Europe/Athens';

export interface RiskAlertsServiceDeps {
  repository: MeasuresRepository;
  audit: AuditLog;
  events: DomainEventBus;
}

/**
 * Risk alerts: the database raises one in the answer's transaction (PHQ-9 item 9 above 0, a score in
 * a severe band, migration 1600); this tells the assigning therapist at once and records their
 * acknowledgement. Only that therapist ever reads an alert.
 */
export class RiskAlertsService {
  constructor(private readonly deps: RiskAlertsServiceDeps) {}

  /** Run as the platform once an answer is stored: announces its alert, if it raised one. */
  async announceFor(responseId: string): Promise<void> {
    const row = await this.deps.repository.alertForResponse(responseId);
    if (row) this.deps.events.publish('measure.risk_alert', { ...toAlert(row), therapistId: row.therapist_id });
  }

  async list(viewer: AuthenticatedUser, unacknowledgedOnly: boolean): Promise<RiskAlert[]> {
    const rows = await this.deps.repository.alerts(viewer.id, unacknowledgedOnly);
    await auditClinicalAccess(this.deps.audit, viewer, { entityType: 'measure_risk_alert', verb: 'read', ids: rows.map((row) => row.id) });
    return rows.map(toAlert);
  }

  /** The first acknowledgement is kept (who, when); another is a no-op answering the alert as it stands. */
  async acknowledge(viewer: AuthenticatedUser, id: string): Promise<RiskAlert> {
    const { repository } = this.deps;
    const acknowledged = await repository.transaction(async (transaction) => {
      const result = await repository.acknowledge(id, viewer.id, transaction);
      const access = { entityType: 'measure_risk_alert', ids: [id] };
      if (result?.recorded) await auditClinicalAccess(this.deps.audit, viewer, { ...access, verb: 'write', change: 'acknowledge' }, transaction);
      else if (result) await auditClinicalAccess(this.deps.audit, viewer, { ...access, verb: 'read' }, transaction);
      return result;
    });
    if (!acknowledged) return refuseClinicalAccess(this.deps.audit, viewer, { entityType: 'measure_risk_alert', verb: 'write', ids: [id] }, new NotFoundError('Risk alert'));
    return toAlert(acknowledged.alert);
  }
}

function toAlert(row: RiskAlertRow): RiskAlert {
  return {
    id: row.id,
    clientId: row.client_id,
    responseId: row.response_id,
    measure: row.measure as Measure,
    score: row.score,
    severity: row.severity,
    reasons: row.reasons,
    createdAt: toIsoInZone(row.created_at, ZONE),
    acknowledgedAt: row.acknowledged_at ? toIsoInZone(row.acknowledged_at, ZONE) : null,
    acknowledgedBy: row.acknowledged_by,
  };
}
