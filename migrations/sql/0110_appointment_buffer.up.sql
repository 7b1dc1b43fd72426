-- The buffer a therapist keeps between sessions is enforced by PostgreSQL, like overlaps, so that
-- two bookings made at the same moment cannot end up closer than the buffer. Each appointment
-- keeps the buffer in force when it was booked; the therapist's exclusion range runs from its
-- start to its end plus that buffer. Rows booked before this migration keep a buffer of 0.
ALTER TABLE appointments ADD COLUMN buffer_minutes INT NOT NULL DEFAULT 0 CHECK (buffer_minutes BETWEEN 0 AND 1440);

-- Adding minutes to a timestamptz does not depend on the session's time zone (days and months
-- would), so this is truly immutable, as an index expression must be.
CREATE FUNCTION appointment_blocked_period(p_start timestamptz, p_end timestamptz, p_buffer_minutes int)
RETURNS tstzrange
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT tstzrange(p_start, p_end + make_interval(mins => p_buffer_minutes), '[)') $$;

ALTER TABLE appointments DROP CONSTRAINT excl_appointments_therapist_overlap;
ALTER TABLE appointments ADD CONSTRAINT excl_appointments_therapist_overlap EXCLUDE USING gist (
    therapist_id WITH =,
    appointment_blocked_period(scheduled_start, scheduled_end, buffer_minutes) WITH &&
) WHERE (status IN ('requested', 'confirmed'));

-- A therapist who shortens the buffer can be booked closer at once: their active appointments
-- take the shorter buffer (a longer one applies to new bookings only; the slots offered use it).
CREATE FUNCTION shorten_appointment_buffers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE appointments SET buffer_minutes = NEW.buffer_minutes
     WHERE therapist_id = NEW.user_id AND status IN ('requested', 'confirmed')
       AND buffer_minutes > NEW.buffer_minutes AND scheduled_end > now();
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_therapist_profiles_shorter_buffer AFTER UPDATE OF buffer_minutes ON therapist_profiles
    FOR EACH ROW WHEN (NEW.buffer_minutes < OLD.buffer_minutes) EXECUTE FUNCTION shorten_appointment_buffers();
