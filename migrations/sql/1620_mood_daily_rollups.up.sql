-- Wellness analytics (issue 12): daily mood rollups standing in for the sketch's TimescaleDB
-- continuous aggregates (§13). One row per person, Europe/Athens day and scope: `own` sums every
-- live entry (the person's own view), `shared` only the entries shared with their therapist (what
-- a therapist may see, while the client has not withdrawn their sharing consent). A trigger keeps
-- them exact: each change recomputes the days it touched from mood_entries, so a late, edited or
-- deleted entry never leaves a stale sum. Days are local dates, so DST moves no entry to another day.
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

CREATE FUNCTION maintain_mood_daily_rollups() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM refresh_mood_daily_rollup(OLD.user_id, (OLD.recorded_at AT TIME ZONE 'Europe/Athens')::date);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR (NEW.user_id, NEW.recorded_at) IS DISTINCT FROM (OLD.user_id, OLD.recorded_at)) THEN
        PERFORM refresh_mood_daily_rollup(NEW.user_id, (NEW.recorded_at AT TIME ZONE 'Europe/Athens')::date);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER trg_mood_entries_daily_rollups
    AFTER INSERT OR DELETE OR UPDATE OF user_id, recorded_at, mood_score, sleep_quality, shared_with_therapist, deleted_at ON mood_entries
    FOR EACH ROW EXECUTE FUNCTION maintain_mood_daily_rollups();

-- Entries recorded before this migration.
SELECT refresh_mood_daily_rollup(days.user_id, days.day)
  FROM (SELECT DISTINCT user_id, (recorded_at AT TIME ZONE 'Europe/Athens')::date AS day FROM mood_entries) days;

REVOKE EXECUTE ON FUNCTION refresh_mood_daily_rollup(uuid, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION refresh_mood_daily_rollup(uuid, date) TO tf_system;
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
