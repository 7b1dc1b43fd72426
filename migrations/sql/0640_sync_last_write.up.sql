-- The write that produced each synced row as a device pushed it ({ id, device, base, at }, see
-- sync/src/replication/push.ts): a retried push of the same state is a no-op, and a push whose
-- earlier answer was lost is recognised as the same device's next edit, not as a conflict.
-- NULL for rows written any other way: an UPDATE that does not set it (REST, read receipts, key
-- rotation, erasure) clears it, so a device never mistakes someone else's change for its own.
CREATE FUNCTION clear_sync_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sync_write IS NOT DISTINCT FROM OLD.sync_write THEN
        NEW.sync_write := NULL;
    END IF;
    RETURN NEW;
END $$;

ALTER TABLE mood_entries ADD COLUMN sync_write JSONB;
ALTER TABLE journal_entries ADD COLUMN sync_write JSONB;
ALTER TABLE habit_definitions ADD COLUMN sync_write JSONB;
ALTER TABLE habit_logs ADD COLUMN sync_write JSONB;
ALTER TABLE goals ADD COLUMN sync_write JSONB;
ALTER TABLE notifications ADD COLUMN sync_write JSONB;
ALTER TABLE messages ADD COLUMN sync_write JSONB;

CREATE TRIGGER trg_mood_entries_clear_sync_write BEFORE UPDATE ON mood_entries FOR EACH ROW EXECUTE FUNCTION clear_sync_write();
CREATE TRIGGER trg_journal_entries_clear_sync_write BEFORE UPDATE ON journal_entries FOR EACH ROW EXECUTE FUNCTION clear_sync_write();
CREATE TRIGGER trg_habit_definitions_clear_sync_write BEFORE UPDATE ON habit_definitions FOR EACH ROW EXECUTE FUNCTION clear_sync_write();
CREATE TRIGGER trg_habit_logs_clear_sync_write BEFORE UPDATE ON habit_logs FOR EACH ROW EXECUTE FUNCTION clear_sync_write();
CREATE TRIGGER trg_goals_clear_sync_write BEFORE UPDATE ON goals FOR EACH ROW EXECUTE FUNCTION clear_sync_write();
CREATE TRIGGER trg_notifications_clear_sync_write BEFORE UPDATE ON notifications FOR EACH ROW EXECUTE FUNCTION clear_sync_write();
CREATE TRIGGER trg_messages_clear_sync_write BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION clear_sync_write();
