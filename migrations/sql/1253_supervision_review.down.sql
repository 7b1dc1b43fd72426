DROP POLICY tf_parties ON supervision_relationships;
DROP POLICY tf_supervisee_starts ON supervision_relationships;
DROP POLICY tf_parties_end ON supervision_relationships;
CREATE POLICY tf_parties ON supervision_relationships TO tf_app
    USING (app_current_user_id() IN (supervisor_id, supervisee_id))
    WITH CHECK (app_current_user_id() IN (supervisor_id, supervisee_id));
DROP TRIGGER trg_session_notes_supervisor_guard ON session_notes;
DROP FUNCTION guard_supervisor_note_change();
DROP POLICY tf_supervisor_review ON session_notes;
DROP POLICY tf_supervisor_cosign ON session_notes;
DROP INDEX idx_session_notes_review;
ALTER TABLE session_notes DROP CONSTRAINT chk_session_note_cosigned, DROP COLUMN review_requested_at, DROP COLUMN supervisor_signed_at;
DROP FUNCTION is_active_supervisor_of(uuid, uuid);
CREATE OR REPLACE FUNCTION check_user_role_supervisor()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF NEW.role <> 'therapist' AND EXISTS (SELECT 1 FROM supervision_relationships WHERE supervisor_id = NEW.id) THEN
        RAISE EXCEPTION 'user % is a supervisor and must keep the therapist role', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_supervisor_is_therapist';
    END IF;
    RETURN NULL;
END;
$$;
DROP TRIGGER chk_supervisor_is_therapist ON supervision_relationships;
CREATE OR REPLACE FUNCTION check_supervisor_is_therapist()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_role user_role;
BEGIN
    SELECT role INTO v_role FROM users WHERE id = NEW.supervisor_id FOR SHARE;
    IF v_role IS DISTINCT FROM 'therapist' THEN
        RAISE EXCEPTION 'supervisor % must have the therapist role (has %)', NEW.supervisor_id, v_role
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_supervisor_is_therapist';
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER chk_supervisor_is_therapist
    AFTER INSERT OR UPDATE OF supervisor_id ON supervision_relationships
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION check_supervisor_is_therapist();
