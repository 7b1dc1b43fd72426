-- Supervision (issue 12): both sides of a supervision relationship are therapists (the database
-- checks both, on the relationship and on a later change of role); the supervisee starts it (they
-- choose who may read the notes they mark), either side ends it. A supervisee marks notes for
-- review; the active supervisor reads only those, adds supervisor notes and co-signs. Nobody else.
CREATE OR REPLACE FUNCTION check_supervisor_is_therapist()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_supervisor user_role;
    v_supervisee user_role;
BEGIN
    SELECT role INTO v_supervisor FROM users WHERE id = NEW.supervisor_id FOR SHARE;
    SELECT role INTO v_supervisee FROM users WHERE id = NEW.supervisee_id FOR SHARE;
    IF v_supervisor IS DISTINCT FROM 'therapist' OR v_supervisee IS DISTINCT FROM 'therapist' THEN
        RAISE EXCEPTION 'supervisor % and supervisee % must both have the therapist role (have % and %)',
            NEW.supervisor_id, NEW.supervisee_id, v_supervisor, v_supervisee
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_supervisor_is_therapist';
    END IF;
    RETURN NULL;
END;
$$;
DROP TRIGGER chk_supervisor_is_therapist ON supervision_relationships;
CREATE CONSTRAINT TRIGGER chk_supervisor_is_therapist
    AFTER INSERT OR UPDATE OF supervisor_id, supervisee_id ON supervision_relationships
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION check_supervisor_is_therapist();

CREATE OR REPLACE FUNCTION check_user_role_supervisor()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF NEW.role <> 'therapist' AND EXISTS (SELECT 1 FROM supervision_relationships WHERE NEW.id IN (supervisor_id, supervisee_id)) THEN
        RAISE EXCEPTION 'user % is in a supervision relationship and must keep the therapist role', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_supervisor_is_therapist';
    END IF;
    RETURN NULL;
END;
$$;

-- Active: status active and today within its dates.
CREATE FUNCTION is_active_supervisor_of(p_supervisor_id uuid, p_supervisee_id uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM supervision_relationships
         WHERE supervisor_id = p_supervisor_id AND supervisee_id = p_supervisee_id AND status = 'active'
           AND start_date <= current_date AND (end_date IS NULL OR end_date >= current_date))
$$;
GRANT EXECUTE ON FUNCTION is_active_supervisor_of(uuid, uuid) TO tf_app, tf_system;

ALTER TABLE session_notes
    ADD COLUMN review_requested_at TIMESTAMPTZ,
    ADD COLUMN supervisor_signed_at TIMESTAMPTZ,
    ADD CONSTRAINT chk_session_note_cosigned CHECK (supervisor_signed_at IS NULL OR (supervisor_reviewed AND supervisor_id IS NOT NULL));
CREATE INDEX idx_session_notes_review ON session_notes (therapist_id, review_requested_at) WHERE review_requested_at IS NOT NULL;

CREATE POLICY tf_supervisor_review ON session_notes FOR SELECT TO tf_app
    USING (review_requested_at IS NOT NULL AND deleted_at IS NULL AND is_active_supervisor_of(app_current_user_id(), therapist_id));
CREATE POLICY tf_supervisor_cosign ON session_notes FOR UPDATE TO tf_app
    USING (review_requested_at IS NOT NULL AND deleted_at IS NULL AND is_active_supervisor_of(app_current_user_id(), therapist_id))
    WITH CHECK (supervisor_id = app_current_user_id());

-- The supervisor's write touches only the supervision columns (1251's guard keeps the rest).
CREATE FUNCTION guard_supervisor_note_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    supervision_columns text[] := ARRAY['supervisor_reviewed', 'supervisor_id', 'supervisor_notes', 'supervisor_signed_at', 'encryption_key_id', 'updated_at'];
BEGIN
    IF session_user = 'tf_app' AND app_current_user_id() IS DISTINCT FROM OLD.therapist_id
       AND (to_jsonb(NEW) - supervision_columns) IS DISTINCT FROM (to_jsonb(OLD) - supervision_columns) THEN
        RAISE EXCEPTION 'a supervisor changes only the supervision of note %', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_supervisor_note_change';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trg_session_notes_supervisor_guard BEFORE UPDATE ON session_notes
    FOR EACH ROW EXECUTE FUNCTION guard_supervisor_note_change();

-- The supervisee starts a relationship; either party reads it and may end it.
DROP POLICY tf_parties ON supervision_relationships;
CREATE POLICY tf_parties ON supervision_relationships FOR SELECT TO tf_app
    USING (app_current_user_id() IN (supervisor_id, supervisee_id));
CREATE POLICY tf_supervisee_starts ON supervision_relationships FOR INSERT TO tf_app
    WITH CHECK (supervisee_id = app_current_user_id());
CREATE POLICY tf_parties_end ON supervision_relationships FOR UPDATE TO tf_app
    USING (app_current_user_id() IN (supervisor_id, supervisee_id))
    WITH CHECK (app_current_user_id() IN (supervisor_id, supervisee_id));
