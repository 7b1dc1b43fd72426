DROP INDEX IF EXISTS idx_sms_queue_pending_dedupe;
DROP INDEX IF EXISTS idx_email_queue_pending_dedupe;
DROP INDEX IF EXISTS uq_appointments_series_occurrence;
DROP TABLE IF EXISTS recurring_appointment_conflicts;
DROP TABLE IF EXISTS calendar_feeds;
