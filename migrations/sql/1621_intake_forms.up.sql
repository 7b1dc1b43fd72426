-- Intake forms (issue 12, sketch §14 dynamic_forms). A form template is the platform's (no
-- therapist) or a therapist's own; a new version is a new row with the same form_key, and a row
-- never changes, so a form already sent or answered keeps the questions it was asked with.
-- dynamic_forms is a form sent to a client: `sections` holds the questions as sent (a copy of the
-- template's title and fields), the answers arrive once in form_responses, sealed by the app.
CREATE TABLE form_templates (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    therapist_id UUID REFERENCES users(id) ON DELETE CASCADE,
    form_key UUID NOT NULL,
    version INT NOT NULL CHECK (version > 0),
    title JSONB NOT NULL CHECK (jsonb_typeof(title) = 'object'),
    fields JSONB NOT NULL CHECK (jsonb_typeof(fields) = 'array' AND jsonb_array_length(fields) > 0),
    -- The form sent when a client books their first appointment with the therapist (the platform's when they have none).
    is_default_intake BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (form_key, version)
);
CREATE INDEX idx_form_templates_owner ON form_templates (therapist_id, form_key, version DESC);

CREATE FUNCTION guard_form_template() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'a form template version never changes: add a version'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_form_template_immutable';
    END IF;
    -- A version continues its own form: same owner, the next number.
    IF NEW.version > 1 AND NOT EXISTS (
        SELECT 1 FROM form_templates t
         WHERE t.form_key = NEW.form_key AND t.version = NEW.version - 1 AND t.therapist_id IS NOT DISTINCT FROM NEW.therapist_id) THEN
        RAISE EXCEPTION 'version % of form % does not follow an earlier version of the same owner', NEW.version, NEW.form_key
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_form_template_version';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trg_form_templates_guard BEFORE INSERT OR UPDATE ON form_templates
    FOR EACH ROW EXECUTE FUNCTION guard_form_template();

ALTER TABLE dynamic_forms
    ADD COLUMN template_id UUID REFERENCES form_templates(id),
    ADD COLUMN appointment_id UUID REFERENCES appointments(id) ON DELETE SET NULL;
-- One automatic intake form per client and therapist: a repeated booking event sends nothing more.
CREATE UNIQUE INDEX uq_dynamic_forms_intake ON dynamic_forms (client_id, therapist_id) WHERE form_type = 'intake_form';
CREATE TRIGGER trg_dynamic_forms_change_log AFTER INSERT OR UPDATE OR DELETE ON dynamic_forms
    FOR EACH ROW EXECUTE FUNCTION record_change('intake_forms', 'client_id');

-- The client's answers to one sent form: written once from a device (id chosen there), never edited.
CREATE TABLE form_responses (
    id UUID PRIMARY KEY,
    form_id UUID NOT NULL UNIQUE REFERENCES dynamic_forms(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    answers BYTEA NOT NULL,
    encryption_key_id TEXT,
    language VARCHAR(2) NOT NULL CHECK (language IN ('el', 'en')),
    submitted_at TIMESTAMPTZ NOT NULL CHECK (submitted_at >= '2000-01-01'),
    -- When the mapped answers were written into the client's histories (null: still to do).
    applied_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    sync_write JSONB
);
CREATE INDEX idx_form_responses_sync ON form_responses (user_id, updated_at, id);
CREATE INDEX idx_form_responses_unapplied ON form_responses (created_at) WHERE applied_at IS NULL;
CREATE TRIGGER trg_form_responses_updated_at BEFORE UPDATE ON form_responses
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_form_responses_fixed_columns BEFORE UPDATE OF id, form_id, user_id, answers, language, submitted_at ON form_responses
    FOR EACH ROW EXECUTE FUNCTION forbid_column_change('id', 'form_id', 'user_id', 'answers', 'language', 'submitted_at');
CREATE TRIGGER trg_form_responses_clear_sync_write BEFORE UPDATE ON form_responses
    FOR EACH ROW EXECUTE FUNCTION clear_sync_write();
CREATE TRIGGER trg_form_responses_change_log AFTER INSERT OR UPDATE OR DELETE ON form_responses
    FOR EACH ROW EXECUTE FUNCTION record_change('form_responses', 'user_id');

-- Answering closes the form.
CREATE FUNCTION close_answered_form() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE dynamic_forms SET submitted_at = NEW.submitted_at WHERE id = NEW.form_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER trg_form_responses_close_form AFTER INSERT ON form_responses
    FOR EACH ROW EXECUTE FUNCTION close_answered_form();

-- The platform's intake form, Greek and English; `mapsTo` names the history field an answer fills.
INSERT INTO form_templates (therapist_id, form_key, version, is_default_intake, title, fields) VALUES (
    NULL, '6c1f3b52-0b7e-4d3a-9a51-1d6f2a9e0c01', 1, TRUE,
    '{"el": "Φόρμα πρώτης επαφής", "en": "Intake form"}',
    '[
      {"id": "reason", "type": "textarea", "isRequired": true,
       "label": {"el": "Τι σας φέρνει στη θεραπεία;", "en": "What brings you to therapy?"}},
      {"id": "current_medications", "type": "textarea", "isRequired": false,
       "label": {"el": "Φάρμακα που παίρνετε τώρα", "en": "Medications you take now"},
       "mapsTo": {"history": "medical", "field": "currentMedications"}},
      {"id": "allergies", "type": "text", "isRequired": false,
       "label": {"el": "Αλλεργίες", "en": "Allergies"},
       "mapsTo": {"history": "medical", "field": "allergies"}},
      {"id": "chronic_conditions", "type": "textarea", "isRequired": false,
       "label": {"el": "Χρόνια προβλήματα υγείας", "en": "Chronic health conditions"},
       "mapsTo": {"history": "medical", "field": "chronicConditions"}},
      {"id": "previous_therapy", "type": "textarea", "isRequired": false,
       "label": {"el": "Προηγούμενη θεραπεία ή θεραπευτές", "en": "Previous therapy or therapists"},
       "mapsTo": {"history": "psychiatric", "field": "previousTherapists"}},
      {"id": "previous_diagnoses", "type": "textarea", "isRequired": false,
       "label": {"el": "Προηγούμενες διαγνώσεις", "en": "Previous diagnoses"},
       "mapsTo": {"history": "psychiatric", "field": "previousDiagnoses"}},
      {"id": "employment_status", "type": "choice", "isRequired": false,
       "label": {"el": "Εργασιακή κατάσταση", "en": "Employment"},
       "options": [
         {"value": "employed", "label": {"el": "Εργάζομαι", "en": "Employed"}},
         {"value": "student", "label": {"el": "Σπουδάζω", "en": "Student"}},
         {"value": "unemployed", "label": {"el": "Άνεργος/η", "en": "Unemployed"}},
         {"value": "retired", "label": {"el": "Συνταξιούχος", "en": "Retired"}}
       ],
       "mapsTo": {"history": "social", "field": "employmentStatus"}},
      {"id": "living_situation", "type": "text", "isRequired": false,
       "label": {"el": "Με ποιους μένετε", "en": "Who you live with"},
       "mapsTo": {"history": "social", "field": "livingSituation"}},
      {"id": "support_system", "type": "textarea", "isRequired": false,
       "label": {"el": "Ποιοι σας στηρίζουν", "en": "Who supports you"},
       "mapsTo": {"history": "social", "field": "supportSystem"}},
      {"id": "in_crisis", "type": "boolean", "isRequired": true,
       "label": {"el": "Έχετε σκέψεις να βλάψετε τον εαυτό σας;", "en": "Do you have thoughts of harming yourself?"}}
    ]'
);

GRANT SELECT, INSERT ON form_templates TO tf_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON form_templates TO tf_system;
GRANT SELECT, INSERT, UPDATE ON form_responses TO tf_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON form_responses TO tf_system;
ALTER TABLE form_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE form_templates FORCE ROW LEVEL SECURITY;
ALTER TABLE form_responses ENABLE ROW LEVEL SECURITY;
ALTER TABLE form_responses FORCE ROW LEVEL SECURITY;

-- Templates: the platform's to everyone signed in, a therapist's own to them; only a therapist adds their own.
CREATE POLICY tf_read ON form_templates FOR SELECT TO tf_app
    USING (therapist_id IS NULL OR therapist_id = app_current_user_id());
CREATE POLICY tf_therapist_own ON form_templates FOR INSERT TO tf_app
    WITH CHECK (therapist_id = app_current_user_id() AND app_current_user_role() = 'therapist');

-- Sent forms: the client reads the forms sent to them (0901 lets the sending therapist in).
CREATE POLICY tf_client_own ON dynamic_forms FOR SELECT TO tf_app USING (client_id = app_current_user_id());

-- Answers: the client writes their own, once, to a form sent to them that is still open; the form's
-- therapist reads them while they are the client's therapist.
CREATE POLICY tf_owner ON form_responses TO tf_app
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id()
                AND EXISTS (SELECT 1 FROM dynamic_forms f WHERE f.id = form_id AND f.client_id = app_current_user_id()));
CREATE POLICY tf_form_therapist ON form_responses FOR SELECT TO tf_app
    USING (EXISTS (SELECT 1 FROM dynamic_forms f
                    WHERE f.id = form_id AND f.therapist_id = app_current_user_id() AND is_current_therapist(f.therapist_id, f.client_id)));
