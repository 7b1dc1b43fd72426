DROP TRIGGER trg_goals_shared_once ON goals;
DROP TRIGGER trg_journal_entries_shared_once ON journal_entries;
DROP TRIGGER trg_mood_entries_shared_once ON mood_entries;
ALTER TABLE goals DROP COLUMN shared_once;
ALTER TABLE journal_entries DROP COLUMN shared_once;
ALTER TABLE mood_entries DROP COLUMN shared_once;
DROP FUNCTION remember_sharing();
