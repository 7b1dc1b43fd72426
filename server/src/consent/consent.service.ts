import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  NotFoundError,
  consentKindSchema,
  type ConsentKind,
  type ConsentOverview,
  type ConsentRecord,
  type ConsentState,
  type GiveConsentRequest,
} from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import type { AuthenticatedUser, RequestOrigin } from '../http/index.js';
import { toIsoInZone } from '../scheduling/index.js';
import type { ConsentRepository, ConsentRow } from './consent.repository.js';

/**
 * A person's consents: given with the text's version, time and address, withdrawn once, never
 * edited. Each change is audited. What a withdrawal stops is enforced where the thing happens
 * (video joins, sync of shared entries, company aggregates) through `consent_withdrawn` (1250).
 */
export class ConsentService {
  constructor(private readonly deps: { repository: ConsentRepository; audit: AuditLog }) {}

  async overview(viewer: AuthenticatedUser): Promise<ConsentOverview> {
    const rows = await this.deps.repository.forUser(viewer.id);
    return { current: currentStates(rows), records: rows.map(toConsentRecord) };
  }

  /** Gives a consent; a newer version of a standing one replaces it, the same version is a 409. */
  async give(viewer: AuthenticatedUser, request: GiveConsentRequest, origin: RequestOrigin): Promise<ConsentRecord> {
    const { repository, audit } = this.deps;
    const row = await repository.transaction(async (transaction) => {
      const standing = await repository.standing(viewer.id, request.kind, transaction);
      if (standing?.text_version === request.textVersion) {
        throw new ConflictError('CONSENT_ALREADY_GIVEN', 'This consent is already given for this version of the text', { id: standing.id });
      }
      // The standing record closes first (one may stand per kind), naming its replacement (checked at commit).
      const id = randomUUID();
      if (standing) await repository.close(standing.id, origin.ip, id, transaction);
      await repository.insert({ id, userId: viewer.id, kind: request.kind, textVersion: request.textVersion, ip: origin.ip, userAgent: origin.userAgent }, transaction);
      await audit.record({ actorId: viewer.id, action: 'consent.give', entityType: 'consent_record', entityId: id, ip: origin.ip, userAgent: origin.userAgent, metadata: { kind: request.kind, textVersion: request.textVersion } }, transaction);
      return repository.find(id, transaction);
    });
    return toConsentRecord(row);
  }

  async withdraw(viewer: AuthenticatedUser, kind: ConsentKind, origin: RequestOrigin): Promise<ConsentRecord> {
    const { repository, audit } = this.deps;
    const row = await repository.transaction(async (transaction) => {
      const standing = await repository.standing(viewer.id, kind, transaction);
      if (!standing) return null;
      await repository.close(standing.id, origin.ip, null, transaction);
      await audit.record({ actorId: viewer.id, action: 'consent.withdraw', entityType: 'consent_record', entityId: standing.id, ip: origin.ip, userAgent: origin.userAgent, metadata: { kind } }, transaction);
      return repository.find(standing.id, transaction);
    });
    if (!row) throw new NotFoundError('Consent');
    return toConsentRecord(row);
  }
}

function currentStates(rows: ConsentRow[]): Record<ConsentKind, ConsentState> {
  const states = Object.fromEntries(consentKindSchema.options.map((kind) => [kind, 'none'])) as Record<ConsentKind, ConsentState>;
  for (const row of rows) {
    if (row.withdrawn_at === null) states[row.kind] = 'given';
    else if (row.replaced_by === null && states[row.kind] === 'none') states[row.kind] = 'withdrawn';
  }
  return states;
}

function toConsentRecord(row: ConsentRow): ConsentRecord {
  const iso = (value: Date) => toIsoInZone(value, row.timezone);
  return {
    id: row.id,
    kind: row.kind,
    textVersion: row.text_version,
    givenAt: iso(row.given_at),
    givenIp: row.given_ip,
    withdrawnAt: row.withdrawn_at && iso(row.withdrawn_at),
    withdrawnIp: row.withdrawn_ip,
    replacedBy: row.replaced_by,
  };
}
