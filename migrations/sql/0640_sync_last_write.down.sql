DROP TRIGGER trg_messages_clear_sync_write ON messages;
DROP TRIGGER trg_notifications_clear_sync_write ON notifications;
DROP TRIGGER trg_goals_clear_sync_write ON goals;
DROP TRIGGER trg_habit_logs_clear_sync_write ON habit_logs;
DROP TRIGGER trg_habit_definitions_clear_sync_write ON habit_definitions;
DROP TRIGGER trg_journal_entries_clear_sync_write ON journal_entries;
DROP TRIGGER trg_mood_entries_clear_sync_write ON mood_entries;

ALTER TABLE messages DROP COLUMN sync_write;
ALTER TABLE notifications DROP COLUMN sync_write;
ALTER TABLE goals DROP COLUMN sync_write;
ALTER TABLE habit_logs DROP COLUMN sync_write;
ALTER TABLE habit_definitions DROP COLUMN sync_write;
ALTER TABLE journal_entries DROP COLUMN sync_write;
ALTER TABLE mood_entries DROP COLUMN sync_write;

DROP FUNCTION clear_sync_write();
