import type { CollectionName } from '../collections/index.js';
import { syncCollections } from '../collections/index.js';

type Doc = Record<string, unknown> & { _deleted: boolean };

/** The same input as RxDB's `RxConflictHandlerInput`. */
export interface ConflictInput<D extends Doc = Doc> {
  assumedMasterState?: D;
  realMasterState: D;
  newDocumentState: D;
}

/** Structurally RxDB's `RxConflictHandler`, so the SDK passes it straight to a collection. */
export interface ConflictHandler<D extends Doc = Doc> {
  isEqual(a: D, b: D, context?: string): boolean;
  resolve(input: ConflictInput<D>, context?: string): Promise<D>;
}

const META_FIELDS = ['_meta', '_rev', '_attachments'];

function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b || (a == null && b == null)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!valuesEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  return true;
}

/** Deep equality of two states, ignoring RxDB's meta fields and the given server-managed fields; null equals absent. */
export function documentsEqual(a: Record<string, unknown>, b: Record<string, unknown>, ignored: readonly string[] = []): boolean {
  const skip = new Set([...META_FIELDS, ...ignored]);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!skip.has(key) && !valuesEqual(a[key], b[key])) return false;
  return true;
}

export const CONFLICT_SEPARATOR = '\n\n——— edited on another device at the same time ———\n';

/**
 * Three-way merge of one text that keeps every word: one side unchanged → the other; one side
 * containing the other → the longer one; both appended to the base → the base, then the
 * server's addition, then the device's; otherwise the server's text, a visible separator, then
 * the device's text. Containment comes before the append rule: a device whose earlier push was
 * stored but never answered meets its own text on the server (`theirs` = base + its first
 * addition, `ours` = that + more), and appending would write the first addition twice.
 */
export function mergeText(base: string | null | undefined, ours: string | null | undefined, theirs: string | null | undefined): string | null {
  if ((ours ?? '') === (theirs ?? '')) return theirs ?? ours ?? null;
  if (base != null && (ours ?? '') === base) return theirs ?? null;
  if (base != null && (theirs ?? '') === base) return ours ?? null;
  if (!ours) return theirs ?? null;
  if (!theirs) return ours;
  if (theirs.includes(ours)) return theirs;
  if (ours.includes(theirs)) return ours;
  if (base && ours.startsWith(base) && theirs.startsWith(base)) return theirs + ours.slice(base.length);
  return theirs + CONFLICT_SEPARATOR + ours;
}

/** Last-writer-on-the-server for the whole document: what the server holds wins. */
export function serverWinsHandler(ignored: readonly string[] = []): ConflictHandler {
  return {
    isEqual: (a, b) => documentsEqual(a, b, ignored),
    resolve: async ({ realMasterState }) => realMasterState,
  };
}

/**
 * Append-only: a record is never edited after creation. The server's content always wins; only
 * the `mutable` fields (sharing, the tombstone) keep the device's choice.
 */
export function appendOnlyHandler(mutable: readonly string[], ignored: readonly string[] = []): ConflictHandler {
  return {
    isEqual: (a, b) => documentsEqual(a, b, ignored),
    resolve: async ({ realMasterState, newDocumentState }) => {
      const resolved: Doc = { ...realMasterState };
      for (const field of mutable) (resolved as Record<string, unknown>)[field] = newDocumentState[field];
      return resolved;
    },
  };
}

/**
 * Field-wise three-way merge against the state both sides started from: a field changed on one
 * side only takes that change; `textFields` changed on both are merged by `mergeText` (no text
 * lost); list fields are united; any other field changed on both keeps the server's value. A
 * delete loses against an edit, so an edited text is never deleted by another device.
 */
export function threeWayMergeHandler(
  options: { textFields: readonly string[]; listFields?: readonly string[]; maxLengths?: Record<string, number> },
  ignored: readonly string[] = [],
): ConflictHandler {
  const isEqual = (a: Doc, b: Doc) => documentsEqual(a, b, ignored);
  return {
    isEqual,
    resolve: async ({ assumedMasterState: base, realMasterState: theirs, newDocumentState: ours }) => {
      const merged: Record<string, unknown> = { ...theirs };
      const keys = new Set([...Object.keys(ours), ...Object.keys(theirs)].filter((key) => !META_FIELDS.includes(key) && !ignored.includes(key) && key !== '_deleted'));
      for (const key of keys) {
        const [b, o, t] = [base?.[key], ours[key], theirs[key]];
        if (options.textFields.includes(key)) {
          const text = mergeText(b as string | undefined, o as string | null, t as string | null);
          const max = options.maxLengths?.[key];
          merged[key] = max && text && text.length > max ? t : text;
        } else if (options.listFields?.includes(key) && (Array.isArray(o) || Array.isArray(t))) {
          merged[key] = [...new Set([...((t as unknown[]) ?? []), ...((o as unknown[]) ?? [])])];
        } else if (base && valuesEqual(t, b)) {
          merged[key] = o;
        }
      }
      const oursEdited = !base || !documentsEqual(ours, { ...base, _deleted: ours._deleted }, ignored);
      const theirsEdited = !base || !documentsEqual(theirs, { ...base, _deleted: theirs._deleted }, ignored);
      const deleted = ours._deleted && theirs._deleted ? true : ours._deleted ? !theirsEdited : theirs._deleted ? !oursEdited : false;
      return { ...merged, _deleted: deleted } as Doc;
    },
  };
}

/** Notifications: the server's content wins, but a notification read anywhere stays read. */
export function markReadHandler(ignored: readonly string[]): ConflictHandler {
  return {
    isEqual: (a, b) => documentsEqual(a, b, ignored),
    resolve: async ({ realMasterState, newDocumentState }) =>
      newDocumentState.isRead && !realMasterState.isRead
        ? { ...realMasterState, isRead: true, readAt: newDocumentState.readAt ?? null }
        : realMasterState,
  };
}

export interface ConflictPolicy {
  handler: ConflictHandler;
  /** Fields a device may never change once the record exists (the server answers with a conflict). */
  immutable: readonly string[];
  /** Fields a device may change at all; others are rejected (mark-read collections). */
  writable?: readonly string[];
}

const serverFields = (name: CollectionName) => syncCollections[name].serverFields;
const fieldsOf = (name: CollectionName) => Object.keys(syncCollections[name].schema.shape);
const appendOnly = (name: CollectionName, mutable: string[]): ConflictPolicy => ({
  handler: appendOnlyHandler([...mutable, '_deleted'], serverFields(name)),
  immutable: fieldsOf(name).filter((field) => !mutable.includes(field) && !serverFields(name).includes(field)),
});

/** The per-collection policy, written down in sync/README.md. */
export const conflictPolicies: Record<CollectionName, ConflictPolicy> = {
  mood_entries: appendOnly('mood_entries', ['sharedWithTherapist']),
  habit_logs: appendOnly('habit_logs', []),
  // Only the tombstone may change, and only the sender's push reaches the table (the server
  // refuses anyone else's write); the server sets the read receipt itself.
  messages: { ...appendOnly('messages', []), writable: ['_deleted'] },
  journal_entries: {
    handler: threeWayMergeHandler({ textFields: ['title', 'content'], listFields: ['tags'], maxLengths: { title: 200 } }, serverFields('journal_entries')),
    immutable: ['createdAt'],
  },
  goals: {
    handler: threeWayMergeHandler({ textFields: ['title', 'description'], listFields: ['milestones'], maxLengths: { title: 200 } }, serverFields('goals')),
    immutable: [],
  },
  habit_definitions: {
    handler: threeWayMergeHandler({ textFields: ['description'], maxLengths: {} }, serverFields('habit_definitions')),
    immutable: [],
  },
  notifications: { handler: markReadHandler(serverFields('notifications')), immutable: [], writable: ['isRead', 'readAt'] },
  appointments: { handler: serverWinsHandler(), immutable: [], writable: [] },
  // Answers are evidence: stored once, never changed or deleted from a device; what the server holds wins.
  measure_responses: {
    handler: serverWinsHandler(serverFields('measure_responses')),
    immutable: fieldsOf('measure_responses').filter((field) => !serverFields('measure_responses').includes(field)),
    writable: [],
  },
  intake_forms: { handler: serverWinsHandler(), immutable: [], writable: [] },
  // A submission is written once: a second push of the same id changes nothing, another is a conflict.
  form_responses: { ...appendOnly('form_responses', []), writable: [] },
};
