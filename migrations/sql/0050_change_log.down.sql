DROP TRIGGER IF EXISTS trg_notifications_change_log ON notifications;
DROP TRIGGER IF EXISTS trg_appointments_change_log ON appointments;
DROP FUNCTION IF EXISTS sequence_change_log(INT);
DROP FUNCTION IF EXISTS record_change();
DROP TABLE IF EXISTS change_log_cursors;
DROP TABLE IF EXISTS change_log_recipients;
DROP SEQUENCE IF EXISTS change_log_delivery_seq;
DROP TABLE IF EXISTS change_log;
