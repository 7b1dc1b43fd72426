-- What a person writes about themselves is sealed like the text it labels (issue 9, hole 7): a
-- journal entry's title and tags, a mood entry's emotions and activities, a goal's title,
-- description and milestones, a habit's name and description become application-encrypted bytea
-- (AES-256-GCM, FieldCipher; arrays and milestones as their JSON), with the key's id in
-- encryption_key_id.
--
-- As in 0303, SQL cannot encrypt: values written before this migration move to
-- <column>_plaintext untouched. The sync loader reads them from there until `npm run rotate-keys`
-- seals them into the new column and empties <column>_plaintext; every write seals and empties it
-- too. A later migration drops the _plaintext columns once every deployment has run the command.
-- No query filters or sorts on these columns (tags and emotions are matched on devices only).
ALTER TABLE journal_entries RENAME COLUMN title TO title_plaintext;
ALTER TABLE journal_entries RENAME COLUMN tags TO tags_plaintext;
ALTER TABLE journal_entries ADD COLUMN title BYTEA, ADD COLUMN tags BYTEA;

-- ALTER on the partitioned parent changes every partition, the DEFAULT one included.
ALTER TABLE mood_entries RENAME COLUMN emotions TO emotions_plaintext;
ALTER TABLE mood_entries RENAME COLUMN activities TO activities_plaintext;
ALTER TABLE mood_entries ADD COLUMN emotions BYTEA, ADD COLUMN activities BYTEA;

ALTER TABLE goals RENAME COLUMN title TO title_plaintext;
ALTER TABLE goals RENAME COLUMN description TO description_plaintext;
ALTER TABLE goals RENAME COLUMN milestones TO milestones_plaintext;
ALTER TABLE goals ALTER COLUMN title_plaintext DROP NOT NULL,
                  ALTER COLUMN milestones_plaintext DROP NOT NULL,
                  ALTER COLUMN milestones_plaintext DROP DEFAULT;
ALTER TABLE goals ADD COLUMN title BYTEA, ADD COLUMN description BYTEA, ADD COLUMN milestones BYTEA, ADD COLUMN encryption_key_id TEXT;

ALTER TABLE habit_definitions RENAME COLUMN name TO name_plaintext;
ALTER TABLE habit_definitions RENAME COLUMN description TO description_plaintext;
ALTER TABLE habit_definitions ALTER COLUMN name_plaintext DROP NOT NULL;
ALTER TABLE habit_definitions ADD COLUMN name BYTEA, ADD COLUMN description BYTEA, ADD COLUMN encryption_key_id TEXT;
