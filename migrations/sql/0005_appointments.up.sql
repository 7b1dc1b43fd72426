-- Appointments (sketch §1 "Appointment and Session Management", §2 constraints).
-- appointments stays ONE table (the sketch's yearly partitions are dropped): the
-- double-booking exclusion constraints below cannot span partitions.
CREATE TABLE appointment_types (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(100) NOT NULL,
    duration_minutes INT NOT NULL CHECK (duration_minutes > 0),
    description TEXT,
    is_initial_assessment BOOLEAN NOT NULL DEFAULT FALSE,
    requires_payment_upfront BOOLEAN NOT NULL DEFAULT FALSE,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE recurring_appointments (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    therapist_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    appointment_type_id UUID REFERENCES appointment_types(id),
    frequency recurrence_frequency NOT NULL,
    day_of_week INT CHECK (day_of_week >= 0 AND day_of_week <= 6),
    time_of_day TIME,
    location_id UUID REFERENCES therapist_locations(id) ON DELETE SET NULL,
    session_type session_type,
    start_date DATE NOT NULL,
    end_date DATE,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT chk_recurring_dates CHECK (end_date IS NULL OR end_date >= start_date),
    CONSTRAINT chk_recurring_not_self CHECK (client_id <> therapist_id)
);
CREATE INDEX idx_recurring_appointments_client ON recurring_appointments(client_id);
CREATE INDEX idx_recurring_appointments_therapist ON recurring_appointments(therapist_id);
CREATE TRIGGER trg_recurring_appointments_updated_at BEFORE UPDATE ON recurring_appointments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE appointments (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    therapist_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    appointment_type_id UUID REFERENCES appointment_types(id),
    recurring_appointment_id UUID REFERENCES recurring_appointments(id) ON DELETE SET NULL,
    scheduled_start TIMESTAMPTZ NOT NULL,
    scheduled_end TIMESTAMPTZ NOT NULL,
    actual_start TIMESTAMPTZ,
    actual_end TIMESTAMPTZ,
    location_id UUID REFERENCES therapist_locations(id) ON DELETE SET NULL,
    is_online BOOLEAN NOT NULL DEFAULT FALSE,
    -- sketch column, derived from is_online so the two can never disagree
    session_type session_type NOT NULL
        GENERATED ALWAYS AS (CASE WHEN is_online THEN 'online'::session_type ELSE 'in_person'::session_type END) STORED,
    status appointment_status NOT NULL DEFAULT 'requested',
    cancellation_reason TEXT,
    cancelled_by UUID REFERENCES users(id) ON DELETE SET NULL,
    cancelled_at TIMESTAMPTZ,
    is_late_cancellation BOOLEAN NOT NULL DEFAULT FALSE,
    rescheduled_from UUID REFERENCES appointments(id) ON DELETE SET NULL,
    video_session_link VARCHAR(500),
    client_notes TEXT, -- written by the client
    therapist_private_notes BYTEA, -- encrypted by the application, therapist-only
    encryption_key_id TEXT,
    reminder_sent_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ, -- set by the retention job (soft_delete policy)
    CONSTRAINT chk_appointment_times CHECK (scheduled_end > scheduled_start),
    CONSTRAINT chk_actual_times CHECK (actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start),
    CONSTRAINT chk_no_self_appointment CHECK (client_id <> therapist_id),
    CONSTRAINT excl_appointments_therapist_overlap EXCLUDE USING gist (
        therapist_id WITH =,
        tstzrange(scheduled_start, scheduled_end, '[)') WITH &&
    ) WHERE (status IN ('requested', 'confirmed')),
    CONSTRAINT excl_appointments_client_overlap EXCLUDE USING gist (
        client_id WITH =,
        tstzrange(scheduled_start, scheduled_end, '[)') WITH &&
    ) WHERE (status IN ('requested', 'confirmed'))
);

CREATE INDEX idx_appointments_client_id ON appointments(client_id);
CREATE INDEX idx_appointments_therapist_id ON appointments(therapist_id);
CREATE INDEX idx_appointments_scheduled_start ON appointments(scheduled_start);
CREATE INDEX idx_appointments_status ON appointments(status);
CREATE INDEX idx_appointments_composite ON appointments(therapist_id, scheduled_start, status);
CREATE INDEX idx_appointment_conflicts ON appointments (therapist_id, scheduled_start, scheduled_end)
    WHERE status IN ('confirmed', 'completed');
CREATE INDEX idx_appointments_recurring ON appointments(recurring_appointment_id) WHERE recurring_appointment_id IS NOT NULL;
CREATE INDEX idx_appointments_rescheduled_from ON appointments(rescheduled_from) WHERE rescheduled_from IS NOT NULL;
-- reminder worker: upcoming confirmed appointments without a reminder yet
CREATE INDEX idx_appointments_reminders ON appointments(scheduled_start)
    WHERE status = 'confirmed' AND reminder_sent_at IS NULL;
CREATE TRIGGER trg_appointments_updated_at BEFORE UPDATE ON appointments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
