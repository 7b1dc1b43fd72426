-- Session notes and clinical data (sketch §1 "Session Management", "Clinical Data").
-- Clinical content is encrypted by the application (AES-256-GCM, key from its
-- environment) and stored as bytea under the sketch's column names; encryption_key_id
-- names the key so keys can rotate. The sketch's pgcrypto trigger
-- (trg_encrypt_session_notes) is intentionally not created: a DB-side key would sit in
-- session settings/logs and let anyone with SQL access decrypt.
-- session_notes is not partitioned by therapist UUID ranges (sketch §9): it stays
-- small per clinic and partitioning would break its foreign keys and unique keys.
CREATE TABLE session_notes (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    appointment_id UUID REFERENCES appointments(id) ON DELETE CASCADE,
    therapist_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    note_type note_type NOT NULL DEFAULT 'soap',
    therapeutic_approach VARCHAR(50),
    content BYTEA NOT NULL, -- encrypted structured note (JSON before encryption)
    interventions TEXT[], -- intervention codes used
    homework_assigned BYTEA,
    progress_indicators BYTEA,
    risk_assessment BYTEA,
    next_session_plan BYTEA,
    encryption_key_id TEXT,
    is_signed BOOLEAN NOT NULL DEFAULT FALSE,
    signed_at TIMESTAMPTZ,
    supervisor_reviewed BOOLEAN NOT NULL DEFAULT FALSE,
    supervisor_id UUID REFERENCES users(id) ON DELETE SET NULL,
    supervisor_notes BYTEA,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ, -- set by the retention job (soft_delete policy)
    version INT NOT NULL DEFAULT 1 CHECK (version > 0),
    CONSTRAINT chk_session_note_signed CHECK (NOT is_signed OR signed_at IS NOT NULL)
);
CREATE INDEX idx_session_notes_client ON session_notes (client_id, created_at DESC);
CREATE INDEX idx_session_notes_therapist ON session_notes (therapist_id, created_at DESC);
CREATE INDEX idx_session_notes_appointment ON session_notes (appointment_id);
CREATE TRIGGER trg_session_notes_updated_at BEFORE UPDATE ON session_notes
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE note_templates (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    therapist_id UUID REFERENCES users(id) ON DELETE CASCADE, -- NULL = platform template
    name VARCHAR(100) NOT NULL,
    note_type note_type,
    therapeutic_approach VARCHAR(50),
    template_content JSONB NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_note_templates_therapist ON note_templates (therapist_id);

-- Histories: every content column is app-encrypted bytea; only keys and dates are plain.
CREATE TABLE patient_medical_history (
    client_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    current_medications BYTEA,
    allergies BYTEA,
    chronic_conditions BYTEA,
    previous_hospitalizations BYTEA,
    substance_use_history BYTEA,
    family_medical_history BYTEA,
    last_physical_exam DATE,
    primary_care_physician BYTEA,
    encryption_key_id TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TRIGGER trg_patient_medical_history_updated_at BEFORE UPDATE ON patient_medical_history
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE patient_psychiatric_history (
    client_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    previous_diagnoses BYTEA,
    previous_therapists BYTEA,
    previous_medications BYTEA,
    hospitalization_history BYTEA,
    suicide_attempts BYTEA,
    self_harm_history BYTEA,
    trauma_history BYTEA,
    encryption_key_id TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TRIGGER trg_patient_psychiatric_history_updated_at BEFORE UPDATE ON patient_psychiatric_history
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE patient_social_history (
    client_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    education_level BYTEA,
    employment_status BYTEA,
    occupation_history BYTEA,
    relationship_status BYTEA,
    living_situation BYTEA,
    support_system BYTEA,
    hobbies_interests BYTEA,
    cultural_background BYTEA,
    religious_spiritual BYTEA,
    legal_history BYTEA,
    military_service BYTEA,
    encryption_key_id TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TRIGGER trg_patient_social_history_updated_at BEFORE UPDATE ON patient_social_history
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE treatment_plans (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    therapist_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    start_date DATE NOT NULL,
    review_date DATE,
    status treatment_plan_status NOT NULL DEFAULT 'active',
    presenting_problems BYTEA,
    diagnoses BYTEA, -- ICD-10/DSM-5 codes, encrypted
    treatment_goals BYTEA,
    interventions_planned BYTEA,
    encryption_key_id TEXT,
    measurement_tools TEXT[],
    expected_duration VARCHAR(100),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_treatment_plans_client ON treatment_plans (client_id);
CREATE INDEX idx_treatment_plans_therapist ON treatment_plans (therapist_id);
CREATE TRIGGER trg_treatment_plans_updated_at BEFORE UPDATE ON treatment_plans
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE clinical_assessments (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    therapist_id UUID REFERENCES users(id) ON DELETE CASCADE,
    assessment_type VARCHAR(100) NOT NULL,
    assessment_tool VARCHAR(100),
    score DECIMAL,
    interpretation TEXT,
    raw_data JSONB,
    administered_date DATE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_clinical_assessments_client ON clinical_assessments (client_id, administered_date DESC);
CREATE INDEX idx_clinical_assessments_therapist ON clinical_assessments (therapist_id);
