-- Continuing education (issue 12): a therapist's courses with credits and expiry, and a reminder
-- before their licence or a course's credits lapse. One reminder per thing and lapse date: the
-- daily job may run again (or on two nodes) without telling anyone twice.
ALTER TABLE continuing_education
    ADD CONSTRAINT chk_continuing_education_dates CHECK (expiry_date IS NULL OR completion_date IS NULL OR expiry_date >= completion_date);
CREATE INDEX idx_continuing_education_expiry ON continuing_education (expiry_date) WHERE expiry_date IS NOT NULL;

CREATE TABLE continuing_education_reminders (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    therapist_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- 'licence' (therapist_profiles.license_expiry_date) or 'credits' (a continuing_education row).
    subject TEXT NOT NULL CHECK (subject IN ('licence', 'credits')),
    continuing_education_id UUID REFERENCES continuing_education(id) ON DELETE CASCADE,
    lapses_on DATE NOT NULL,
    notified_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT chk_reminder_subject CHECK ((subject = 'credits') = (continuing_education_id IS NOT NULL))
);
CREATE UNIQUE INDEX uq_continuing_education_reminders ON continuing_education_reminders
    (therapist_id, subject, coalesce(continuing_education_id, '00000000-0000-0000-0000-000000000000'::uuid), lapses_on);

GRANT SELECT ON continuing_education_reminders TO tf_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON continuing_education_reminders TO tf_system;
ALTER TABLE continuing_education_reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE continuing_education_reminders FORCE ROW LEVEL SECURITY;
CREATE POLICY tf_therapist_own ON continuing_education_reminders FOR SELECT TO tf_app USING (therapist_id = app_current_user_id());
