-- Mood and habit-log notes are clinical free text: like journal content they are sealed by the
-- application (AES-256-GCM, FieldCipher) into bytea, with the key's id in encryption_key_id.
--
-- SQL cannot encrypt (the key lives in the application's environment), so notes written before
-- this migration move to notes_plaintext untouched. `npm run rotate-keys` seals them into notes
-- and empties notes_plaintext; until it has run, those old notes read as null. A later
-- migration drops notes_plaintext once every deployment has run the command.
-- ALTER on the partitioned parent changes every partition, the DEFAULT ones included.
ALTER TABLE mood_entries RENAME COLUMN notes TO notes_plaintext;
ALTER TABLE mood_entries ADD COLUMN notes BYTEA, ADD COLUMN encryption_key_id TEXT;

ALTER TABLE habit_logs RENAME COLUMN notes TO notes_plaintext;
ALTER TABLE habit_logs ADD COLUMN notes BYTEA, ADD COLUMN encryption_key_id TEXT;
