-- Offline sync: the wellness tables feed the change log (0050), and a client's current
-- therapists receive the entries the client shares.
--
-- A "current therapist" of a client shares a confirmed or completed appointment with them. This is
-- the one definition: the RLS helper is_therapist_of (0015) now calls it too.
CREATE FUNCTION is_current_therapist(p_therapist_id uuid, p_client_id uuid)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM appointments
         WHERE therapist_id = p_therapist_id
           AND client_id = p_client_id
           AND status IN ('confirmed', 'completed')
    )
$$;

CREATE OR REPLACE FUNCTION is_therapist_of(p_client_id uuid)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT is_current_therapist(app_current_user_id(), p_client_id)
$$;

-- Trigger: record_wellness_change('collection' [, 'shared']).
-- The owner always gets the change ('delete' once the row is soft-deleted). With 'shared', each
-- current therapist of the owner gets it when the row was or is shared: 'upsert' while they may
-- see it, 'delete' when it became unshared or deleted, so it disappears from their devices.
CREATE FUNCTION record_wellness_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    collection_name TEXT := TG_ARGV[0];
    has_sharing BOOLEAN := TG_NARGS > 1;
    old_row JSONB := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row JSONB := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    current_row JSONB := COALESCE(new_row, old_row);
    owner_id UUID := (current_row ->> 'user_id')::uuid;
    record_key UUID := (current_row ->> 'id')::uuid;
    gone BOOLEAN := TG_OP = 'DELETE' OR (new_row ->> 'deleted_at') IS NOT NULL;
    was_shared BOOLEAN := has_sharing AND COALESCE((old_row ->> 'shared_with_therapist')::boolean, FALSE);
    is_shared BOOLEAN := has_sharing AND COALESCE((new_row ->> 'shared_with_therapist')::boolean, FALSE);
BEGIN
    INSERT INTO change_log (recipient_id, collection, record_id, operation)
    VALUES (owner_id, collection_name, record_key, CASE WHEN gone THEN 'delete' ELSE 'upsert' END);
    IF was_shared OR is_shared THEN
        INSERT INTO change_log (recipient_id, collection, record_id, operation)
        SELECT DISTINCT a.therapist_id, collection_name, record_key,
               CASE WHEN is_shared AND NOT gone THEN 'upsert' ELSE 'delete' END
          FROM appointments a
         WHERE a.client_id = owner_id AND is_current_therapist(a.therapist_id, owner_id);
    END IF;
    PERFORM pg_notify('change_log', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_mood_entries_change_log AFTER INSERT OR UPDATE OR DELETE ON mood_entries
    FOR EACH ROW EXECUTE FUNCTION record_wellness_change('mood_entries', 'shared');
CREATE TRIGGER trg_journal_entries_change_log AFTER INSERT OR UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION record_wellness_change('journal_entries', 'shared');
CREATE TRIGGER trg_goals_change_log AFTER INSERT OR UPDATE OR DELETE ON goals
    FOR EACH ROW EXECUTE FUNCTION record_wellness_change('goals', 'shared');
CREATE TRIGGER trg_habit_definitions_change_log AFTER INSERT OR UPDATE OR DELETE ON habit_definitions
    FOR EACH ROW EXECUTE FUNCTION record_wellness_change('habit_definitions');
CREATE TRIGGER trg_habit_logs_change_log AFTER INSERT OR UPDATE OR DELETE ON habit_logs
    FOR EACH ROW EXECUTE FUNCTION record_wellness_change('habit_logs');

-- When a therapist becomes (or stops being) current for a client, the client's shared entries
-- appear on (or disappear from) the therapist's devices.
CREATE FUNCTION record_care_relationship_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    now_current BOOLEAN := is_current_therapist(NEW.therapist_id, NEW.client_id);
    was_current BOOLEAN := EXISTS (
        SELECT 1 FROM appointments
         WHERE therapist_id = NEW.therapist_id AND client_id = NEW.client_id
           AND status IN ('confirmed', 'completed') AND id <> NEW.id
    ) OR (TG_OP = 'UPDATE' AND OLD.status IN ('confirmed', 'completed'));
    operation TEXT := CASE WHEN now_current THEN 'upsert' ELSE 'delete' END;
BEGIN
    IF now_current = was_current THEN
        RETURN NULL;
    END IF;
    INSERT INTO change_log (recipient_id, collection, record_id, operation)
    SELECT NEW.therapist_id, 'mood_entries', id, operation FROM mood_entries
     WHERE user_id = NEW.client_id AND shared_with_therapist AND deleted_at IS NULL
    UNION ALL
    SELECT NEW.therapist_id, 'journal_entries', id, operation FROM journal_entries
     WHERE user_id = NEW.client_id AND shared_with_therapist AND deleted_at IS NULL
    UNION ALL
    SELECT NEW.therapist_id, 'goals', id, operation FROM goals
     WHERE user_id = NEW.client_id AND shared_with_therapist AND deleted_at IS NULL;
    PERFORM pg_notify('change_log', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_appointments_care_relationship AFTER INSERT OR UPDATE OF status ON appointments
    FOR EACH ROW EXECUTE FUNCTION record_care_relationship_change();
