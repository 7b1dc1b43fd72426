import type { CollectionName } from '@therapy-field/sync';

/**
 * How a field is stored: decides the SELECT expression and the type used to write it. `sealed` is
 * text encrypted by the FieldCipher (bytea); `sealed-json` a list or object sealed as its JSON.
 */
export type ColumnType = 'uuid' | 'text' | 'int' | 'boolean' | 'text[]' | 'jsonb' | 'timestamptz' | 'date' | 'numeric' | 'sealed' | 'sealed-json';

export interface ColumnMapping {
  field: string;
  column: string;
  type: ColumnType;
  /** Written on insert only (keys, creation time). */
  insertOnly?: boolean;
  /** The column's SQL type when it is not the one `type` implies (enums). */
  sqlType?: string;
  /** Set by the server only (a read receipt): a push never writes it. */
  serverSet?: boolean;
  /**
   * A sealed column's value from before it was sealed (migrations 0303, 0651): read while the
   * sealed column is empty, emptied by every write and by `npm run rotate-keys`.
   */
  plaintextColumn?: string;
}

/**
 * Where a collection lives in PostgreSQL. `visibleTo` is a SQL condition on `t` and
 * `:recipient`: rows that recipient may read in full. Everyone else who got a change for a row
 * (an unshared entry, an ended care relationship) receives a tombstone with `redacted` values.
 */
export interface TableMapping {
  collection: CollectionName;
  table: string;
  columns: ColumnMapping[];
  /**
   * Owner column, set from the authenticated user on push: only the owner writes a row. Its
   * field is `userId` in the wellness collections, `senderId` in messages.
   */
  ownerColumn?: string;
  /**
   * What a new pushed row must meet besides its owner: a SQL condition on `r` (the row's columns)
   * and `:writer`. A row that fails is rejected with FORBIDDEN and `reason`.
   */
  createRule?: { condition: string; reason: string };
  visibleTo: string;
  /**
   * Rows the recipient may hold on a device from some earlier time (their own deleted rows, a
   * client's entries once shared with them, see migration 0302). A snapshot sends those no longer visible as
   * tombstones, since the changes that would have said so were pruned. @default visibleTo
   */
  knownTo?: string;
  deletedColumn?: string;
  /** The partition key is part of the primary key and never changes. */
  partitionColumn?: string;
  redacted: Record<string, unknown>;
  /**
   * Values beyond `redacted` that make the tombstone of a row no longer in the table (erased under
   * the GDPR) valid for the collection's schema; see `vanishedTombstone`.
   */
  vanished?: Record<string, unknown>;
}

// A client who withdrew consent to sharing with their therapist (1250) shares nothing until they give it again.
const OWNER_OR_SHARED = `(t.user_id = :recipient OR (t.shared_with_therapist AND t.deleted_at IS NULL AND is_current_therapist(:recipient, t.user_id)
  AND NOT consent_withdrawn(t.user_id, 'therapist_sharing')))`;
const OWNER_ONLY = `t.user_id = :recipient`;
// Once shared with the client's therapists: only one who had care (is_current_therapist, past care
// included) can hold such an entry; a therapist who only declined a request or proposed never did.
const OWNER_OR_ONCE_SHARED = `(t.user_id = :recipient OR (t.shared_once AND is_current_therapist(:recipient, t.user_id)))`;

const id: ColumnMapping = { field: 'id', column: 'id', type: 'uuid', insertOnly: true };
const userId: ColumnMapping = { field: 'userId', column: 'user_id', type: 'uuid', insertOnly: true };
const updatedAt: ColumnMapping = { field: 'updatedAt', column: 'updated_at', type: 'timestamptz', insertOnly: true };
const shared: ColumnMapping = { field: 'sharedWithTherapist', column: 'shared_with_therapist', type: 'boolean' };

export const tableMappings: Record<CollectionName, TableMapping> = {
  mood_entries: {
    collection: 'mood_entries',
    table: 'mood_entries',
    ownerColumn: 'user_id',
    visibleTo: OWNER_OR_SHARED,
    knownTo: OWNER_OR_ONCE_SHARED,
    deletedColumn: 'deleted_at',
    partitionColumn: 'recorded_at',
    columns: [
      id, userId,
      { field: 'recordedAt', column: 'recorded_at', type: 'timestamptz', insertOnly: true },
      { field: 'moodScore', column: 'mood_score', type: 'int' },
      { field: 'energyLevel', column: 'energy_level', type: 'int' },
      { field: 'anxietyLevel', column: 'anxiety_level', type: 'int' },
      { field: 'sleepQuality', column: 'sleep_quality', type: 'int' },
      { field: 'emotions', column: 'emotions', type: 'sealed-json', plaintextColumn: 'emotions_plaintext' },
      { field: 'activities', column: 'activities', type: 'sealed-json', plaintextColumn: 'activities_plaintext' },
      { field: 'notes', column: 'notes', type: 'sealed', plaintextColumn: 'notes_plaintext' },
      shared, updatedAt,
    ],
    redacted: { notes: null, emotions: null, activities: null, moodScore: 1, energyLevel: null, anxietyLevel: null, sleepQuality: null },
  },
  journal_entries: {
    collection: 'journal_entries',
    table: 'journal_entries',
    ownerColumn: 'user_id',
    visibleTo: OWNER_OR_SHARED,
    knownTo: OWNER_OR_ONCE_SHARED,
    deletedColumn: 'deleted_at',
    columns: [
      id, userId,
      { field: 'title', column: 'title', type: 'sealed', plaintextColumn: 'title_plaintext' },
      { field: 'content', column: 'content', type: 'sealed' },
      { field: 'moodScore', column: 'mood_score', type: 'int' },
      { field: 'tags', column: 'tags', type: 'sealed-json', plaintextColumn: 'tags_plaintext' },
      shared,
      { field: 'createdAt', column: 'created_at', type: 'timestamptz', insertOnly: true },
      updatedAt,
    ],
    redacted: { title: null, content: '', moodScore: null, tags: null },
  },
  habit_definitions: {
    collection: 'habit_definitions',
    table: 'habit_definitions',
    ownerColumn: 'user_id',
    visibleTo: OWNER_ONLY,
    deletedColumn: 'deleted_at',
    columns: [
      id, userId,
      { field: 'name', column: 'name', type: 'sealed', plaintextColumn: 'name_plaintext' },
      { field: 'description', column: 'description', type: 'sealed', plaintextColumn: 'description_plaintext' },
      { field: 'frequency', column: 'frequency', type: 'text', sqlType: 'habit_frequency' },
      { field: 'targetCount', column: 'target_count', type: 'int' },
      { field: 'unit', column: 'unit', type: 'text' },
      { field: 'category', column: 'category', type: 'text' },
      { field: 'color', column: 'color', type: 'text' },
      { field: 'isActive', column: 'is_active', type: 'boolean' },
      updatedAt,
    ],
    redacted: { name: '-', description: null },
  },
  habit_logs: {
    collection: 'habit_logs',
    table: 'habit_logs',
    ownerColumn: 'user_id',
    visibleTo: OWNER_ONLY,
    deletedColumn: 'deleted_at',
    partitionColumn: 'logged_at',
    columns: [
      id,
      { field: 'habitId', column: 'habit_id', type: 'uuid', insertOnly: true },
      userId,
      { field: 'loggedAt', column: 'logged_at', type: 'timestamptz', insertOnly: true },
      { field: 'completed', column: 'completed', type: 'boolean' },
      { field: 'value', column: 'value', type: 'numeric' },
      { field: 'notes', column: 'notes', type: 'sealed', plaintextColumn: 'notes_plaintext' },
      updatedAt,
    ],
    redacted: { notes: null, value: null },
  },
  goals: {
    collection: 'goals',
    table: 'goals',
    ownerColumn: 'user_id',
    visibleTo: OWNER_OR_SHARED,
    knownTo: OWNER_OR_ONCE_SHARED,
    deletedColumn: 'deleted_at',
    columns: [
      id, userId,
      { field: 'title', column: 'title', type: 'sealed', plaintextColumn: 'title_plaintext' },
      { field: 'description', column: 'description', type: 'sealed', plaintextColumn: 'description_plaintext' },
      { field: 'category', column: 'category', type: 'text' },
      { field: 'targetDate', column: 'target_date', type: 'date' },
      { field: 'progressType', column: 'progress_type', type: 'text', sqlType: 'goal_progress_type' },
      { field: 'currentProgress', column: 'current_progress', type: 'numeric' },
      { field: 'milestones', column: 'milestones', type: 'sealed-json', plaintextColumn: 'milestones_plaintext' },
      { field: 'isCompleted', column: 'is_completed', type: 'boolean' },
      { field: 'completedAt', column: 'completed_at', type: 'timestamptz' },
      shared, updatedAt,
    ],
    redacted: { title: '-', description: null, milestones: [] },
    vanished: { currentProgress: 0 },
  },
  notifications: {
    collection: 'notifications',
    table: 'notifications',
    ownerColumn: 'user_id',
    visibleTo: OWNER_ONLY,
    columns: [
      id, userId,
      { field: 'type', column: 'type', type: 'text', insertOnly: true },
      { field: 'title', column: 'title', type: 'text', insertOnly: true },
      { field: 'message', column: 'message', type: 'text', insertOnly: true },
      { field: 'data', column: 'data', type: 'jsonb', insertOnly: true },
      { field: 'isRead', column: 'is_read', type: 'boolean' },
      { field: 'readAt', column: 'read_at', type: 'timestamptz' },
      { field: 'createdAt', column: 'created_at', type: 'timestamptz', insertOnly: true },
    ],
    redacted: { title: null, message: '', data: {} },
    vanished: { type: '' },
  },
  messages: {
    collection: 'messages',
    table: 'messages',
    ownerColumn: 'sender_id',
    createRule: {
      // An erased account keeps its clinical record but receives nothing more (migration 0650).
      condition: `may_message(:writer, r.recipient_id) AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.recipient_id AND u.status = 'deleted')`,
      reason: 'recipientId: you may message only your therapist or your client (a confirmed or completed appointment together) whose account was not erased',
    },
    // A message its sender deleted reaches both parties as a tombstone without its body.
    visibleTo: `(:recipient IN (t.sender_id, t.recipient_id) AND t.deleted_at IS NULL)`,
    knownTo: `:recipient IN (t.sender_id, t.recipient_id)`,
    deletedColumn: 'deleted_at',
    columns: [
      id,
      { field: 'senderId', column: 'sender_id', type: 'uuid', insertOnly: true },
      { field: 'recipientId', column: 'recipient_id', type: 'uuid', insertOnly: true },
      { field: 'body', column: 'body', type: 'sealed', insertOnly: true },
      { field: 'createdAt', column: 'created_at', type: 'timestamptz', insertOnly: true },
      { field: 'readAt', column: 'read_at', type: 'timestamptz', serverSet: true },
      updatedAt,
    ],
    redacted: { body: '' },
  },
  intake_forms: {
    collection: 'intake_forms',
    table: 'dynamic_forms',
    // The questions as sent, with the sender; a client's own forms only (the therapist reads answers over REST).
    visibleTo: `t.client_id = :recipient`,
    columns: [
      id,
      { field: 'clientId', column: 'client_id', type: 'uuid', insertOnly: true },
      { field: 'therapistId', column: 'therapist_id', type: 'uuid', insertOnly: true },
      { field: 'templateId', column: 'template_id', type: 'uuid', insertOnly: true },
      { field: 'title', column: "sections -> 'title'", type: 'jsonb', insertOnly: true },
      { field: 'fields', column: "sections -> 'fields'", type: 'jsonb', insertOnly: true },
      { field: 'sentAt', column: 'created_at', type: 'timestamptz', insertOnly: true },
      { field: 'submittedAt', column: 'submitted_at', type: 'timestamptz' },
      updatedAt,
    ],
    redacted: { title: { el: '', en: '' }, fields: [] },
  },
  form_responses: {
    collection: 'form_responses',
    table: 'form_responses',
    ownerColumn: 'user_id',
    createRule: {
      condition: `EXISTS (SELECT 1 FROM dynamic_forms f WHERE f.id = r.form_id AND f.client_id = :writer)
        AND NOT EXISTS (SELECT 1 FROM form_responses x WHERE x.form_id = r.form_id)`,
      reason: 'formId: answer a form sent to you, once',
    },
    visibleTo: OWNER_ONLY,
    deletedColumn: 'deleted_at',
    columns: [
      id,
      { field: 'formId', column: 'form_id', type: 'uuid', insertOnly: true },
      userId,
      { field: 'answers', column: 'answers', type: 'sealed-json', insertOnly: true },
      { field: 'language', column: 'language', type: 'text', insertOnly: true },
      { field: 'submittedAt', column: 'submitted_at', type: 'timestamptz', insertOnly: true },
      updatedAt,
    ],
    redacted: { answers: {} },
    vanished: { language: 'el' },
  },
  appointments: {
    collection: 'appointments',
    table: 'appointments',
    // A proposal waits off the devices (REST lists it) until the client accepts or declines it.
    visibleTo: `(:recipient IN (t.client_id, t.therapist_id) AND t.status <> 'proposed')`,
    deletedColumn: 'deleted_at',
    columns: [
      id,
      { field: 'clientId', column: 'client_id', type: 'uuid' },
      { field: 'therapistId', column: 'therapist_id', type: 'uuid' },
      { field: 'scheduledStart', column: 'scheduled_start', type: 'timestamptz' },
      { field: 'scheduledEnd', column: 'scheduled_end', type: 'timestamptz' },
      { field: 'status', column: 'status', type: 'text' },
      { field: 'isOnline', column: 'is_online', type: 'boolean' },
      { field: 'videoSessionLink', column: 'video_session_link', type: 'text' },
      { field: 'cancellationReason', column: 'cancellation_reason', type: 'text' },
      updatedAt,
    ],
    redacted: { videoSessionLink: null, cancellationReason: null, status: 'cancelled' },
  },
  // Answers to measures (migration 1600): the client's own; the assigning therapist reads scores over REST.
  measure_responses: {
    collection: 'measure_responses',
    table: 'questionnaire_responses',
    ownerColumn: 'client_id',
    createRule: {
      condition: 'measure_response_refusal(:writer, r.assignment_id, r.questionnaire_id, r.responses) IS NULL',
      reason: 'answers: they must answer an open assignment of yours with a version of its questionnaire, one whole number in range per question',
    },
    visibleTo: 't.client_id = :recipient',
    columns: [
      id,
      { field: 'clientId', column: 'client_id', type: 'uuid', insertOnly: true },
      { field: 'assignmentId', column: 'assignment_id', type: 'uuid', insertOnly: true },
      { field: 'templateId', column: 'questionnaire_id', type: 'uuid', insertOnly: true },
      { field: 'answers', column: 'responses', type: 'jsonb', insertOnly: true },
      { field: 'comment', column: 'client_comment', type: 'sealed', insertOnly: true },
      { field: 'completedAt', column: 'completed_at', type: 'timestamptz', insertOnly: true },
      { field: 'score', column: 'calculated_score', type: 'numeric', serverSet: true },
      { field: 'interpretation', column: 'interpretation', type: 'text', serverSet: true },
      { field: 'severity', column: 'severity', type: 'text', serverSet: true },
      updatedAt,
    ],
    redacted: { answers: [0], comment: null, score: null, interpretation: null, severity: null },
  },
};
