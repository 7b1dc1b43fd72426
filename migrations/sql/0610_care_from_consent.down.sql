-- PostgreSQL cannot drop an enum value: `proposed` stays in appointment_status, unused; proposals
-- still waiting become declined.
DELETE FROM recurring_appointment_conflicts WHERE reason = 'unavailable';
ALTER TABLE recurring_appointment_conflicts DROP CONSTRAINT recurring_appointment_conflicts_reason_check;
ALTER TABLE recurring_appointment_conflicts ADD CONSTRAINT recurring_appointment_conflicts_reason_check
    CHECK (reason IN ('exception', 'overlap', 'session_limit'));

ALTER TABLE recurring_appointments DROP COLUMN proposal_status;

UPDATE appointments SET status = 'declined' WHERE status = 'proposed';
