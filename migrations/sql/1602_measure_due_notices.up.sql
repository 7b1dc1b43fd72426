-- When the client was last told a measure is due (its assignment counts as a notice): the hourly
-- job tells them again once it is due and they have not answered since, at most weekly.
ALTER TABLE measure_assignments ADD COLUMN due_notified_at TIMESTAMPTZ NOT NULL DEFAULT now();
