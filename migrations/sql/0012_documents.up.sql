-- Sketch §14 MongoDB collections as PostgreSQL tables: the fields that are queried
-- are real columns (indexed); the free-form rest is JSONB.
CREATE TABLE questionnaire_templates (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(200) NOT NULL, -- e.g. 'PHQ-9 Depression Scale'
    short_name VARCHAR(50), -- e.g. 'PHQ-9'
    type VARCHAR(50) NOT NULL, -- e.g. 'clinical_assessment'
    version VARCHAR(20) NOT NULL DEFAULT '1.0',
    languages TEXT[] NOT NULL DEFAULT '{el,en}',
    questions JSONB NOT NULL DEFAULT '[]', -- [{id, text: {en, el}, type, scale, required, scoring_weight}]
    scoring JSONB NOT NULL DEFAULT '{}', -- {method, ranges: [{min, max, interpretation}]}
    metadata JSONB NOT NULL DEFAULT '{}', -- {validated, references, ...}
    is_validated BOOLEAN NOT NULL DEFAULT FALSE,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by UUID REFERENCES users(id) ON DELETE SET NULL, -- NULL = system
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (name, version),
    CONSTRAINT chk_questions_array CHECK (jsonb_typeof(questions) = 'array')
);
CREATE INDEX idx_questionnaire_templates_type ON questionnaire_templates (type) WHERE is_active;
CREATE INDEX idx_questionnaire_templates_short_name ON questionnaire_templates (short_name);
CREATE INDEX idx_questionnaire_templates_languages ON questionnaire_templates USING gin (languages);
CREATE TRIGGER trg_questionnaire_templates_updated_at BEFORE UPDATE ON questionnaire_templates
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE questionnaire_responses (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    questionnaire_id UUID NOT NULL REFERENCES questionnaire_templates(id),
    questionnaire_name VARCHAR(200),
    appointment_id UUID REFERENCES appointments(id) ON DELETE SET NULL,
    administered_by UUID REFERENCES users(id) ON DELETE SET NULL,
    session_type VARCHAR(50), -- context.session_type, e.g. 'evaluation'
    completed_at TIMESTAMPTZ,
    responses JSONB NOT NULL DEFAULT '[]', -- [{question_id, value, text_value, answered_at}]
    calculated_score DECIMAL,
    interpretation VARCHAR(100),
    therapist_notes BYTEA, -- encrypted by the application
    encryption_key_id TEXT,
    context JSONB NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT chk_responses_array CHECK (jsonb_typeof(responses) = 'array')
);
CREATE INDEX idx_questionnaire_responses_client ON questionnaire_responses (client_id, completed_at DESC);
CREATE INDEX idx_questionnaire_responses_questionnaire ON questionnaire_responses (questionnaire_id, completed_at DESC);
CREATE INDEX idx_questionnaire_responses_appointment ON questionnaire_responses (appointment_id);
CREATE TRIGGER trg_questionnaire_responses_updated_at BEFORE UPDATE ON questionnaire_responses
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Intake and other dynamic forms. sections holds client-entered answers (medical
-- information included), so the GDPR functions export/delete it with the client.
CREATE TABLE dynamic_forms (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    form_type VARCHAR(50) NOT NULL, -- e.g. 'intake_form'
    client_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    therapist_id UUID REFERENCES users(id) ON DELETE SET NULL,
    sections JSONB NOT NULL DEFAULT '{}',
    attachments JSONB NOT NULL DEFAULT '[]', -- [{type, filename, uploaded_at, storage_path}]
    submitted_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now() -- the sketch's last_updated
);
CREATE INDEX idx_dynamic_forms_client ON dynamic_forms (client_id, form_type);
CREATE INDEX idx_dynamic_forms_therapist ON dynamic_forms (therapist_id);
CREATE INDEX idx_dynamic_forms_sections ON dynamic_forms USING gin (sections jsonb_path_ops);
CREATE TRIGGER trg_dynamic_forms_updated_at BEFORE UPDATE ON dynamic_forms
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE therapeutic_resources (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    resource_type VARCHAR(50) NOT NULL, -- e.g. 'worksheet'
    title_en TEXT,
    title_el TEXT,
    description_en TEXT,
    description_el TEXT,
    therapeutic_approach TEXT[] NOT NULL DEFAULT '{}', -- e.g. {cbt}
    target_issues TEXT[] NOT NULL DEFAULT '{}',
    tags TEXT[] NOT NULL DEFAULT '{}',
    content JSONB NOT NULL DEFAULT '{}', -- {instructions: {en, el}, template: {...}}
    usage_stats JSONB NOT NULL DEFAULT '{}', -- {times_assigned, completion_rate, effectiveness_rating}
    is_published BOOLEAN NOT NULL DEFAULT TRUE,
    created_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT chk_resource_title CHECK (title_en IS NOT NULL OR title_el IS NOT NULL)
);
CREATE INDEX idx_therapeutic_resources_type_tags ON therapeutic_resources USING gin (resource_type, tags);
CREATE INDEX idx_therapeutic_resources_approach ON therapeutic_resources USING gin (therapeutic_approach);
CREATE INDEX idx_therapeutic_resources_issues ON therapeutic_resources USING gin (target_issues);
CREATE INDEX idx_therapeutic_resources_search ON therapeutic_resources USING gin (
    to_tsvector('greek', f_unaccent(coalesce(title_el, '') || ' ' || coalesce(description_el, '') || ' '
                                   || coalesce(title_en, '') || ' ' || coalesce(description_en, ''))));
CREATE INDEX idx_therapeutic_resources_created_by ON therapeutic_resources (created_by);
CREATE TRIGGER trg_therapeutic_resources_updated_at BEFORE UPDATE ON therapeutic_resources
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
