import type { AuditEntry } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';
import { sealedTables } from '../key-rotation/index.js';

type Row = Record<string, unknown>;

/** Sections of `export_user_data` named other than their table; every other section is its table's name. */
const sectionOfTable: Readonly<Record<string, string>> = {
  users: 'user',
  patient_medical_history: 'medical_history',
  patient_psychiatric_history: 'psychiatric_history',
  patient_social_history: 'social_history',
};

/** The account's sealed values are its 2FA secrets: credentials, never part of an export. */
const credentialTables = new Set(['users']);

export interface ReadableExport {
  data: Row;
  /** One `<entity>.read` entry per exported row whose sealed values were opened. */
  reads: AuditEntry[];
}

/**
 * Opens every sealed value of the export with the key ring, so the user gets text instead of hex,
 * and drops what must never leave the server. Walks the one list of sealed columns that key
 * rotation keeps, so a newly sealed column is exported readable without a change here.
 */
export function openSealedValues(exported: Row, cipher: FieldCipher, actorId: string): ReadableExport {
  const data: Row = { ...exported };
  const reads: AuditEntry[] = [];
  for (const table of sealedTables) {
    const section = sectionOfTable[table.table] ?? table.table;
    const rows = asRows(data[section]);
    if (!rows) continue;
    const opened = rows.map((row) => {
      const copy: Row = { ...row };
      // A column the export function left out (a client's view of the therapist's private notes) stays out.
      for (const column of table.sealedColumns.filter((name) => name in row)) {
        if (credentialTables.has(table.table)) {
          delete copy[column];
          continue;
        }
        const plaintextColumn = table.pendingPlaintext?.[column];
        const opened = openHex(copy[column], cipher);
        copy[column] = opened != null && table.jsonColumns?.includes(column) ? JSON.parse(opened) : (opened ?? (plaintextColumn ? (row[plaintextColumn] ?? null) : null));
        if (plaintextColumn) delete copy[plaintextColumn];
      }
      if (!credentialTables.has(table.table) && table.sealedColumns.some((column) => row[column] != null)) {
        reads.push({ actorId, action: `${table.entityType}.read`, entityType: table.entityType, entityId: String(row[table.keyColumns[0]!]), metadata: { via: 'gdpr.export' } });
      }
      return copy;
    });
    data[section] = Array.isArray(data[section]) ? opened : opened[0];
  }
  return { data, reads };
}

/** A section is one row, a list of rows or null. */
function asRows(section: unknown): Row[] | null {
  if (section == null) return null;
  return Array.isArray(section) ? (section as Row[]) : [section as Row];
}

/** PostgreSQL's JSON of a bytea is `\x` then hex. */
function openHex(value: unknown, cipher: FieldCipher): string | null {
  if (typeof value !== 'string' || !value.startsWith('\\x')) return null;
  return cipher.decrypt(Buffer.from(value.slice(2), 'hex'));
}
