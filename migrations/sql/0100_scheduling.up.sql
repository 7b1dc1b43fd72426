-- Scheduling (issue 3): ICS feed tokens, series collisions reported to the therapist, and an
-- index for removing an appointment's pending reminders by dedupe key prefix.

-- Only the SHA-256 of the secret token is stored; revoking sets revoked_at.
CREATE TABLE calendar_feeds (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    therapist_id UUID NOT NULL REFERENCES therapist_profiles(user_id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX uq_calendar_feeds_one_active ON calendar_feeds (therapist_id) WHERE revoked_at IS NULL;

-- An occurrence of a series that could not be booked; one row per occurrence, so the
-- materializer reports it once and does not retry it on every run.
CREATE TABLE recurring_appointment_conflicts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    recurring_appointment_id UUID NOT NULL REFERENCES recurring_appointments(id) ON DELETE CASCADE,
    occurrence_start TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('exception', 'overlap', 'session_limit')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (recurring_appointment_id, occurrence_start)
);

CREATE UNIQUE INDEX uq_appointments_series_occurrence ON appointments (recurring_appointment_id, scheduled_start)
    WHERE recurring_appointment_id IS NOT NULL AND status NOT IN ('rescheduled');

CREATE INDEX idx_email_queue_pending_dedupe ON email_queue (dedupe_key text_pattern_ops) WHERE status = 'pending';
CREATE INDEX idx_sms_queue_pending_dedupe ON sms_queue (dedupe_key text_pattern_ops) WHERE status = 'pending';
