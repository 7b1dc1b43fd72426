DROP TRIGGER trg_therapist_profiles_shorter_buffer ON therapist_profiles;
DROP FUNCTION shorten_appointment_buffers();
ALTER TABLE appointments DROP CONSTRAINT excl_appointments_therapist_overlap;
ALTER TABLE appointments ADD CONSTRAINT excl_appointments_therapist_overlap EXCLUDE USING gist (
    therapist_id WITH =,
    tstzrange(scheduled_start, scheduled_end, '[)') WITH &&
) WHERE (status IN ('requested', 'confirmed'));
DROP FUNCTION appointment_blocked_period(timestamptz, timestamptz, int);
ALTER TABLE appointments DROP COLUMN buffer_minutes;
