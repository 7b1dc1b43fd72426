-- SQL cannot decrypt sealed values back into text (the key is in the application's environment),
-- so undoing this migration refuses while sealed values exist instead of destroying them.
-- Plaintext not yet sealed by `npm run rotate-keys` returns to its column.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM journal_entries WHERE title IS NOT NULL OR tags IS NOT NULL)
       OR EXISTS (SELECT 1 FROM mood_entries WHERE emotions IS NOT NULL OR activities IS NOT NULL)
       OR EXISTS (SELECT 1 FROM goals WHERE title IS NOT NULL OR description IS NOT NULL OR milestones IS NOT NULL)
       OR EXISTS (SELECT 1 FROM habit_definitions WHERE name IS NOT NULL OR description IS NOT NULL) THEN
        RAISE EXCEPTION 'cannot undo 0651_sealed_wellness_labels: wellness titles, tags, emotions, goals or habits are encrypted and SQL cannot decrypt them'
            USING HINT = 'restore a backup taken before the migration, or clear those values deliberately first';
    END IF;
END;
$$;

ALTER TABLE habit_definitions DROP COLUMN encryption_key_id, DROP COLUMN description, DROP COLUMN name;
ALTER TABLE habit_definitions RENAME COLUMN description_plaintext TO description;
ALTER TABLE habit_definitions RENAME COLUMN name_plaintext TO name;
ALTER TABLE habit_definitions ALTER COLUMN name SET NOT NULL;

ALTER TABLE goals DROP COLUMN encryption_key_id, DROP COLUMN milestones, DROP COLUMN description, DROP COLUMN title;
ALTER TABLE goals RENAME COLUMN milestones_plaintext TO milestones;
ALTER TABLE goals RENAME COLUMN description_plaintext TO description;
ALTER TABLE goals RENAME COLUMN title_plaintext TO title;
UPDATE goals SET milestones = '[]' WHERE milestones IS NULL;
ALTER TABLE goals ALTER COLUMN title SET NOT NULL,
                  ALTER COLUMN milestones SET NOT NULL,
                  ALTER COLUMN milestones SET DEFAULT '[]';

ALTER TABLE mood_entries DROP COLUMN activities, DROP COLUMN emotions;
ALTER TABLE mood_entries RENAME COLUMN activities_plaintext TO activities;
ALTER TABLE mood_entries RENAME COLUMN emotions_plaintext TO emotions;

ALTER TABLE journal_entries DROP COLUMN tags, DROP COLUMN title;
ALTER TABLE journal_entries RENAME COLUMN tags_plaintext TO tags;
ALTER TABLE journal_entries RENAME COLUMN title_plaintext TO title;
