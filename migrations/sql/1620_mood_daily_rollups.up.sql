-- Wellness analytics (issue 12): daily mood rollups standing in for the sketch's TimescaleDB
-- continuous aggregates (§13). One row per person, Europe/Athens day and scope: `own` sums every
-- live entry (the person's own view), `shared` only the entries shared with their therapist (what
-- a therapist may see, while the client has not withdrawn their sharing consent). Days are local
-- dates, so DST moves no entry to another day.
--
-- A change to mood_entries only queues the day it touched (mood_rollup_pending, insert-only, so a
-- writer never waits on another); refresh_mood_daily_rollups recomputes a person's queued days from
-- mood_entries before their rollups are read, and the `mood-rollups` job drains the rest. A late,
-- edited or deleted entry therefore never leaves a stale sum.
CREATE TABLE mood_daily_rollups (
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scope TEXT NOT NULL CHECK (scope IN ('own', 'shared')),
    day DATE NOT NULL,
    entry_count INT NOT NULL CHECK (entry_count > 0),
    mood_sum INT NOT NULL,
    mood_square_sum INT NOT NULL,
    sleep_count INT NOT NULL,
    sleep_sum INT NOT NULL,
    PRIMARY KEY (user_id, scope, day)
);

CREATE FUNCTION refresh_mood_daily_rollup(p_user_id uuid, p_day date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    DELETE FROM mood_daily_rollups WHERE user_id = p_user_id AND day = p_day;
    INSERT INTO mood_daily_rollups (user_id, scope, day, entry_count, mood_sum, mood_square_sum, sleep_count, sleep_sum)
    SELECT p_user_id, scope.name, p_day, count(*), sum(m.mood_score), sum(m.mood_score * m.mood_score),
           count(m.sleep_quality), coalesce(sum(m.sleep_quality), 0)
      FROM (VALUES ('own'), ('shared')) AS scope(name)
      JOIN mood_entries m
        ON m.user_id = p_user_id AND m.deleted_at IS NULL
       AND (scope.name = 'own' OR m.shared_with_therapist)
       AND m.recorded_at >= (p_day::timestamp AT TIME ZONE 'Europe/Athens')
       AND m.recorded_at < ((p_day + 1)::timestamp AT TIME ZONE 'Europe/Athens')
     GROUP BY scope.name;
END;
$$;

CREATE TABLE mood_rollup_pending (
    id BIGSERIAL PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day DATE NOT NULL
);
CREATE INDEX idx_mood_rollup_pending_user ON mood_rollup_pending (user_id);

CREATE FUNCTION queue_mood_daily_rollup() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO mood_rollup_pending (user_id, day) VALUES (OLD.user_id, (OLD.recorded_at AT TIME ZONE 'Europe/Athens')::date);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.user_id, NEW.recorded_at) IS DISTINCT FROM (OLD.user_id, OLD.recorded_at)) THEN
        INSERT INTO mood_rollup_pending (user_id, day) VALUES (NEW.user_id, (NEW.recorded_at AT TIME ZONE 'Europe/Athens')::date);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER trg_mood_entries_daily_rollups
    AFTER INSERT OR DELETE OR UPDATE OF user_id, recorded_at, mood_score, sleep_quality, shared_with_therapist, deleted_at ON mood_entries
    FOR EACH ROW EXECUTE FUNCTION queue_mood_daily_rollup();

-- Recomputes the person's queued days (committed ones; a change still in flight stays queued).
-- The person, their current therapist or the platform may ask; for anyone else it does nothing.
CREATE FUNCTION refresh_mood_daily_rollups(p_user_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    queued record;
BEGIN
    IF NOT (coalesce(p_user_id = app_current_user_id() OR is_current_therapist(app_current_user_id(), p_user_id), FALSE)
            OR (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = session_user)) THEN
        RETURN;
    END IF;
    -- One refresher per person at a time: two would replace the same rollup rows.
    PERFORM pg_advisory_xact_lock(hashtextextended('mood_daily_rollups:' || p_user_id::text, 0));
    FOR queued IN
        WITH taken AS (DELETE FROM mood_rollup_pending WHERE user_id = p_user_id RETURNING day)
        SELECT DISTINCT day FROM taken
    LOOP
        PERFORM refresh_mood_daily_rollup(p_user_id, queued.day);
    END LOOP;
END;
$$;

-- Entries recorded before this migration.
SELECT refresh_mood_daily_rollup(days.user_id, days.day)
  FROM (SELECT DISTINCT user_id, (recorded_at AT TIME ZONE 'Europe/Athens')::date AS day FROM mood_entries) days;

REVOKE EXECUTE ON FUNCTION refresh_mood_daily_rollup(uuid, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION refresh_mood_daily_rollups(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION refresh_mood_daily_rollups(uuid) TO tf_app, tf_system;
GRANT SELECT, INSERT, UPDATE, DELETE ON mood_rollup_pending TO tf_system;
GRANT USAGE ON SEQUENCE mood_rollup_pending_id_seq TO tf_system;
ALTER TABLE mood_rollup_pending ENABLE ROW LEVEL SECURITY;
ALTER TABLE mood_rollup_pending FORCE ROW LEVEL SECURITY;
GRANT SELECT ON mood_daily_rollups TO tf_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON mood_daily_rollups TO tf_system;
ALTER TABLE mood_daily_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE mood_daily_rollups FORCE ROW LEVEL SECURITY;
-- The person reads both scopes; a current therapist only the shared one, and nothing once the
-- client withdrew their consent to sharing (1250).
CREATE POLICY tf_owner ON mood_daily_rollups FOR SELECT TO tf_app USING (user_id = app_current_user_id());
CREATE POLICY tf_shared_with_therapist ON mood_daily_rollups FOR SELECT TO tf_app
    USING (scope = 'shared' AND is_current_therapist(app_current_user_id(), user_id)
           AND NOT consent_withdrawn(user_id, 'therapist_sharing'));
-- Only the trigger and the refresh (as the owner) and the platform touch the queue; the app role has no grant.
CREATE POLICY tf_own ON mood_rollup_pending TO tf_app USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
