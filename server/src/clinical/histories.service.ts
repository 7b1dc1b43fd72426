import {
  historyKindSchema,
  historySectionRequestSchemas,
  type ClientHistory,
  type HistoryKind,
  type HistorySection,
  type HistorySectionRequest,
} from '@therapy-field/sync';
import type { Transaction } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import { toIsoInZone } from '../scheduling/index.js';
import type { CareRelationships } from './care-relationships.js';
import { auditClinicalAccess } from './clinical-audit.js';
import { historyTables, type HistoriesRepository, type HistoryRow, type HistoryValue } from './histories.repository.js';

export interface HistoriesServiceDeps {
  repository: HistoriesRepository;
  care: CareRelationships;
  cipher: FieldCipher;
  audit: AuditLog;
}

/** A section's fields (the wire names), the column each is stored in, and whether it is sealed. */
const fieldsOf = (kind: HistoryKind) =>
  Object.keys(historySectionRequestSchemas[kind].shape).map((field) => {
    const column = field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    return { field, column, sealed: historyTables[kind].sealedColumns.includes(column) };
  });

/**
 * A client's medical, psychiatric and social histories: shared by the therapists who treat or
 * treated the client (see CareRelationships), encrypted at rest, every read and write audited.
 */
export class HistoriesService {
  constructor(private readonly deps: HistoriesServiceDeps) {}

  async get(viewer: AuthenticatedUser, clientId: string): Promise<ClientHistory> {
    const { timezone } = await this.deps.care.requireTherapistOf(viewer, clientId, 'Client history', { entityType: 'client_history', verb: 'read' });
    return this.read(viewer, clientId, timezone);
  }

  /**
   * The histories, each read audited, for a viewer the caller has already let in (the client
   * themselves, a break-glass read); the repository's connection decides what the database shows.
   */
  async read(viewer: AuthenticatedUser, clientId: string, timezone: string): Promise<ClientHistory> {
    const history: Partial<Record<HistoryKind, HistorySection<HistoryKind> | null>> = {};
    for (const kind of historyKindSchema.options) {
      const row = await this.deps.repository.find(kind, clientId, fieldsOf(kind).map(({ column }) => column));
      if (row) await this.audit(viewer, kind, clientId, 'read');
      history[kind] = row && this.open(kind, row, timezone);
    }
    return history as ClientHistory;
  }

  /** Replaces one whole section; a field left out is empty afterwards. */
  async replace<Kind extends HistoryKind>(viewer: AuthenticatedUser, clientId: string, kind: Kind, section: HistorySectionRequest<Kind>): Promise<HistorySection<Kind>> {
    const { timezone } = await this.deps.care.requireTherapistOf(viewer, clientId, 'Client history', { entityType: historyTables[kind].entityType, verb: 'write' });
    const { repository, cipher } = this.deps;
    const row = await repository.transaction(async (transaction) => {
      const written = await repository.replace(kind, clientId, this.seal(kind, section), cipher.currentKeyId, transaction);
      await this.audit(viewer, kind, clientId, 'write', written.inserted ? 'create' : 'replace', transaction);
      return written;
    });
    return this.open(kind, row, timezone) as HistorySection<Kind>;
  }

  /**
   * Writes the client's own answers (an intake form) into one section: the given fields replace
   * theirs, the others keep what the therapists wrote. For the platform's work (the caller let the
   * client in); audited as the client's write.
   */
  async fillFromClient(clientId: string, kind: HistoryKind, values: Partial<Record<string, string>>, transaction: Transaction): Promise<void> {
    const { repository, cipher } = this.deps;
    const existing = await repository.find(kind, clientId, fieldsOf(kind).map(({ column }) => column));
    const current = existing ? (this.open(kind, existing, 'Europe/Athens') as Record<string, string | null>) : {};
    const merged = Object.fromEntries(fieldsOf(kind).map(({ field }) => [field, values[field] ?? current[field] ?? null]));
    const written = await repository.replace(kind, clientId, this.seal(kind, merged as HistorySectionRequest<HistoryKind>), cipher.currentKeyId, transaction);
    await this.audit({ id: clientId, role: 'client' }, kind, clientId, 'write', written.inserted ? 'create_from_form' : 'fill_from_form', transaction);
  }

  /** The audit entity is the history row, keyed by the client. */
  private audit(viewer: AuthenticatedUser, kind: HistoryKind, clientId: string, verb: 'read' | 'write', change?: string, transaction?: Transaction) {
    return auditClinicalAccess(this.deps.audit, viewer, { entityType: historyTables[kind].entityType, verb, ids: [clientId], change }, transaction);
  }

  private seal(kind: HistoryKind, section: HistorySectionRequest<HistoryKind>): Record<string, HistoryValue> {
    const text = section as Record<string, string | null>;
    return Object.fromEntries(fieldsOf(kind).map(({ field, column, sealed }) => [column, sealed ? this.deps.cipher.encryptNullable(text[field]) : (text[field] ?? null)]));
  }

  private open(kind: HistoryKind, row: HistoryRow, timezone: string): HistorySection<HistoryKind> {
    const fields = fieldsOf(kind).map(({ field, column, sealed }) => {
      const value = row.values[column] ?? null;
      return [field, sealed ? this.deps.cipher.decryptNullable(value as Buffer | null) : value];
    });
    return { ...Object.fromEntries(fields), updatedAt: toIsoInZone(row.updated_at, timezone) } as HistorySection<HistoryKind>;
  }
}
