ALTER TABLE measure_assignments DROP COLUMN IF EXISTS due_notified_at;
