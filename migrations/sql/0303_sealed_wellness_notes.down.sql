-- SQL cannot decrypt sealed notes back into text (the key is in the application's environment),
-- so undoing this migration refuses while sealed notes exist instead of destroying them.
-- Plaintext notes not yet sealed by `npm run rotate-keys` return to the notes column.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM mood_entries WHERE notes IS NOT NULL)
       OR EXISTS (SELECT 1 FROM habit_logs WHERE notes IS NOT NULL) THEN
        RAISE EXCEPTION 'cannot undo 0303_sealed_wellness_notes: mood_entries or habit_logs hold encrypted notes that SQL cannot decrypt'
            USING HINT = 'restore a backup taken before the migration, or clear those notes deliberately first';
    END IF;
END;
$$;

ALTER TABLE habit_logs DROP COLUMN encryption_key_id, DROP COLUMN notes;
ALTER TABLE habit_logs RENAME COLUMN notes_plaintext TO notes;

ALTER TABLE mood_entries DROP COLUMN encryption_key_id, DROP COLUMN notes;
ALTER TABLE mood_entries RENAME COLUMN notes_plaintext TO notes;
