-- A signed session note never changes (issue 12). The database refuses it, not only the code:
-- once signed, no clinical column, signature or owner of the note may be updated and the
-- application may not delete it. Corrections are amendments or addenda: new rows with their
-- author and time, shown with the original. Every earlier version of a note (an unsigned draft
-- edited) is kept in session_note_versions. Key rotation (not the app role) may re-seal the same
-- text under a new key: it changes encryption_key_id with the sealed columns.
CREATE TABLE session_note_versions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    note_id UUID NOT NULL REFERENCES session_notes(id) ON DELETE CASCADE,
    version INT NOT NULL,
    note_type note_type NOT NULL,
    therapeutic_approach VARCHAR(50),
    content BYTEA NOT NULL,
    interventions TEXT[],
    homework_assigned BYTEA,
    progress_indicators BYTEA,
    risk_assessment BYTEA,
    next_session_plan BYTEA,
    encryption_key_id TEXT,
    -- When this version stopped being the current one.
    replaced_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (note_id, version)
);

CREATE TYPE note_amendment_kind AS ENUM ('amendment', 'addendum');
CREATE TABLE session_note_amendments (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    note_id UUID NOT NULL REFERENCES session_notes(id) ON DELETE CASCADE,
    author_id UUID NOT NULL REFERENCES users(id),
    kind note_amendment_kind NOT NULL,
    content BYTEA NOT NULL, -- sealed by the application
    reason BYTEA, -- sealed: why the record is corrected
    encryption_key_id TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_session_note_amendments_note ON session_note_amendments (note_id, created_at);

-- True when the only change is re-sealing under another key, by the platform (not the app role).
CREATE FUNCTION is_rekeying(p_old_key text, p_new_key text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT p_old_key IS DISTINCT FROM p_new_key AND session_user <> 'tf_app'
$$;

CREATE FUNCTION guard_session_note_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.is_signed AND session_user = 'tf_app' THEN
            RAISE EXCEPTION 'session note % is signed and cannot be deleted', OLD.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_signed_note_immutable';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.is_signed THEN
        IF (NEW.is_signed, NEW.signed_at, NEW.therapist_id, NEW.client_id, NEW.appointment_id, NEW.note_type,
            NEW.therapeutic_approach, NEW.interventions, NEW.version)
           IS DISTINCT FROM (OLD.is_signed, OLD.signed_at, OLD.therapist_id, OLD.client_id, OLD.appointment_id, OLD.note_type,
            OLD.therapeutic_approach, OLD.interventions, OLD.version)
           OR (NEW.deleted_at IS DISTINCT FROM OLD.deleted_at AND session_user = 'tf_app')
           OR ((NEW.content, NEW.homework_assigned, NEW.progress_indicators, NEW.risk_assessment, NEW.next_session_plan)
               IS DISTINCT FROM (OLD.content, OLD.homework_assigned, OLD.progress_indicators, OLD.risk_assessment, OLD.next_session_plan)
               AND NOT is_rekeying(OLD.encryption_key_id, NEW.encryption_key_id)) THEN
            RAISE EXCEPTION 'session note % is signed: add an amendment instead of changing it', OLD.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_signed_note_immutable';
        END IF;
        RETURN NEW;
    END IF;
    -- An edit of an unsigned draft keeps the version it replaces.
    IF NEW.version <> OLD.version AND (NEW.note_type, NEW.therapeutic_approach, NEW.content, NEW.interventions, NEW.homework_assigned,
                                       NEW.progress_indicators, NEW.risk_assessment, NEW.next_session_plan)
        IS DISTINCT FROM (OLD.note_type, OLD.therapeutic_approach, OLD.content, OLD.interventions, OLD.homework_assigned,
                          OLD.progress_indicators, OLD.risk_assessment, OLD.next_session_plan) THEN
        INSERT INTO session_note_versions (note_id, version, note_type, therapeutic_approach, content, interventions, homework_assigned,
                                           progress_indicators, risk_assessment, next_session_plan, encryption_key_id)
        VALUES (OLD.id, OLD.version, OLD.note_type, OLD.therapeutic_approach, OLD.content, OLD.interventions, OLD.homework_assigned,
                OLD.progress_indicators, OLD.risk_assessment, OLD.next_session_plan, OLD.encryption_key_id);
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trg_session_notes_guard BEFORE UPDATE OR DELETE ON session_notes
    FOR EACH ROW EXECUTE FUNCTION guard_session_note_change();

-- Versions and amendments are written once; only key rotation re-seals them.
CREATE FUNCTION guard_sealed_record_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT is_rekeying(OLD.encryption_key_id, NEW.encryption_key_id)
       OR (to_jsonb(NEW) - ARRAY['content', 'reason', 'homework_assigned', 'progress_indicators', 'risk_assessment', 'next_session_plan', 'encryption_key_id'])
          IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['content', 'reason', 'homework_assigned', 'progress_indicators', 'risk_assessment', 'next_session_plan', 'encryption_key_id']) THEN
        RAISE EXCEPTION '% rows are written once', TG_TABLE_NAME
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_clinical_record_append_only';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trg_session_note_versions_append_only BEFORE UPDATE ON session_note_versions
    FOR EACH ROW EXECUTE FUNCTION guard_sealed_record_change();
CREATE TRIGGER trg_session_note_amendments_append_only BEFORE UPDATE ON session_note_amendments
    FOR EACH ROW EXECUTE FUNCTION guard_sealed_record_change();

-- An amendment corrects a signed note only (an unsigned one is edited).
CREATE FUNCTION check_amended_note_signed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM session_notes WHERE id = NEW.note_id AND is_signed) THEN
        RAISE EXCEPTION 'session note % is not signed: edit it instead', NEW.note_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_amendment_of_signed_note';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trg_session_note_amendments_signed BEFORE INSERT ON session_note_amendments
    FOR EACH ROW EXECUTE FUNCTION check_amended_note_signed();

GRANT SELECT, INSERT ON session_note_versions, session_note_amendments TO tf_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON session_note_versions, session_note_amendments TO tf_system;
ALTER TABLE session_note_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_note_versions FORCE ROW LEVEL SECURITY;
ALTER TABLE session_note_amendments ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_note_amendments FORCE ROW LEVEL SECURITY;
-- The note's author, as for the note itself (0901 tf_author); versions are written by the trigger.
CREATE POLICY tf_note_author ON session_note_versions FOR SELECT TO tf_app
    USING (EXISTS (SELECT 1 FROM session_notes n WHERE n.id = note_id AND n.therapist_id = app_current_user_id()));
CREATE POLICY tf_note_author ON session_note_amendments TO tf_app
    USING (EXISTS (SELECT 1 FROM session_notes n WHERE n.id = note_id AND n.therapist_id = app_current_user_id()))
    WITH CHECK (author_id = app_current_user_id()
                AND EXISTS (SELECT 1 FROM session_notes n WHERE n.id = note_id AND n.therapist_id = app_current_user_id()));
