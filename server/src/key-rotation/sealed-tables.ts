/**
 * A table holding sealed values (FieldCipher, bytea) and the `encryption_key_id` of the key that
 * last wrote its row. Key rotation walks this list; test/server/key-rotation checks it against
 * every bytea column of every table with an `encryption_key_id`.
 */
export interface SealedTable {
  table: string;
  /** Audit entity type of a row, e.g. `journal_entry`. */
  entityType: string;
  /** The primary key; the first column is the row's audit entity id. */
  keyColumns: readonly string[];
  sealedColumns: readonly string[];
  /**
   * Text written before a column became sealed (sealed column → plaintext column). Rotation
   * seals it into the sealed column and empties it; see migrations/README.md.
   */
  pendingPlaintext?: Readonly<Record<string, string>>;
  /** Sealed columns holding JSON (a list or milestones) rather than text; their plaintext is sealed as its JSON. */
  jsonColumns?: readonly string[];
}

export const sealedTables: readonly SealedTable[] = [
  { table: 'users', entityType: 'user', keyColumns: ['id'], sealedColumns: ['two_factor_secret', 'two_factor_pending_secret'] },
  { table: 'appointments', entityType: 'appointment', keyColumns: ['id'], sealedColumns: ['therapist_private_notes'] },
  {
    table: 'journal_entries',
    entityType: 'journal_entry',
    keyColumns: ['id'],
    sealedColumns: ['content', 'title', 'tags'],
    pendingPlaintext: { title: 'title_plaintext', tags: 'tags_plaintext' },
    jsonColumns: ['tags'],
  },
  {
    table: 'mood_entries',
    entityType: 'mood_entry',
    keyColumns: ['id', 'recorded_at'],
    sealedColumns: ['notes', 'emotions', 'activities'],
    pendingPlaintext: { notes: 'notes_plaintext', emotions: 'emotions_plaintext', activities: 'activities_plaintext' },
    jsonColumns: ['emotions', 'activities'],
  },
  {
    table: 'goals',
    entityType: 'goal',
    keyColumns: ['id'],
    sealedColumns: ['title', 'description', 'milestones'],
    pendingPlaintext: { title: 'title_plaintext', description: 'description_plaintext', milestones: 'milestones_plaintext' },
    jsonColumns: ['milestones'],
  },
  {
    table: 'habit_definitions',
    entityType: 'habit_definition',
    keyColumns: ['id'],
    sealedColumns: ['name', 'description'],
    pendingPlaintext: { name: 'name_plaintext', description: 'description_plaintext' },
  },
  {
    table: 'habit_logs',
    entityType: 'habit_log',
    keyColumns: ['id', 'logged_at'],
    sealedColumns: ['notes'],
    pendingPlaintext: { notes: 'notes_plaintext' },
  },
  {
    table: 'session_notes',
    entityType: 'session_note',
    keyColumns: ['id'],
    sealedColumns: ['content', 'homework_assigned', 'progress_indicators', 'risk_assessment', 'next_session_plan', 'supervisor_notes'],
  },
  {
    table: 'patient_medical_history',
    entityType: 'patient_medical_history',
    keyColumns: ['client_id'],
    sealedColumns: [
      'current_medications', 'allergies', 'chronic_conditions', 'previous_hospitalizations',
      'substance_use_history', 'family_medical_history', 'primary_care_physician',
    ],
  },
  {
    table: 'patient_psychiatric_history',
    entityType: 'patient_psychiatric_history',
    keyColumns: ['client_id'],
    sealedColumns: [
      'previous_diagnoses', 'previous_therapists', 'previous_medications', 'hospitalization_history',
      'suicide_attempts', 'self_harm_history', 'trauma_history',
    ],
  },
  {
    table: 'patient_social_history',
    entityType: 'patient_social_history',
    keyColumns: ['client_id'],
    sealedColumns: [
      'education_level', 'employment_status', 'occupation_history', 'relationship_status', 'living_situation',
      'support_system', 'hobbies_interests', 'cultural_background', 'religious_spiritual', 'legal_history', 'military_service',
    ],
  },
  {
    table: 'treatment_plans',
    entityType: 'treatment_plan',
    keyColumns: ['id'],
    sealedColumns: ['presenting_problems', 'diagnoses', 'treatment_goals', 'interventions_planned'],
  },
  {
    table: 'session_note_versions',
    entityType: 'session_note_version',
    keyColumns: ['id'],
    sealedColumns: ['content', 'homework_assigned', 'progress_indicators', 'risk_assessment', 'next_session_plan'],
  },
  { table: 'session_note_amendments', entityType: 'session_note_amendment', keyColumns: ['id'], sealedColumns: ['content', 'reason'] },
  { table: 'supervision_sessions', entityType: 'supervision_session', keyColumns: ['id'], sealedColumns: ['supervisor_notes'] },
  { table: 'questionnaire_responses', entityType: 'questionnaire_response', keyColumns: ['id'], sealedColumns: ['therapist_notes', 'client_comment'] },
  { table: 'messages', entityType: 'message', keyColumns: ['id'], sealedColumns: ['body'] },
  { table: 'clinical_assessments', entityType: 'clinical_assessment', keyColumns: ['id'], sealedColumns: ['findings', 'diagnoses'] },
  { table: 'form_responses', entityType: 'form_response', keyColumns: ['id'], sealedColumns: ['answers'], jsonColumns: ['answers'] },
];
