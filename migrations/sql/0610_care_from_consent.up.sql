-- Care (clinical reads, shared entries, messages) starts only from a client's own booking that the
-- therapist confirmed, or from a therapist's proposal that the client accepted.
--
-- A therapist's proposal (one appointment, or the occurrences of a proposed series) waits as
-- `proposed` until the client accepts it (it becomes `confirmed`) or declines it. A proposal holds
-- no slot (the exclusion constraints cover requested and confirmed only: an acceptance that now
-- overlaps is refused), uses none of the client's company-paid sessions (acceptance does) and
-- grants no care right: is_current_therapist, and with it is_therapist_of (RLS), may_message and
-- the sharing triggers, counts confirmed and completed appointments only.
-- PostgreSQL cannot use a new enum value in the transaction that adds it, so nothing below does.
ALTER TYPE appointment_status ADD VALUE IF NOT EXISTS 'proposed';

-- NULL: the client created the series (its occurrences follow the therapist's confirmation policy).
-- Otherwise the therapist proposed it and the client's answer decides.
ALTER TABLE recurring_appointments ADD COLUMN proposal_status TEXT
    CHECK (proposal_status IN ('proposed', 'accepted', 'declined'));

-- `unavailable`: the occurrence is not one of the therapist's bookable slots (hours, notice).
ALTER TABLE recurring_appointment_conflicts DROP CONSTRAINT recurring_appointment_conflicts_reason_check;
ALTER TABLE recurring_appointment_conflicts ADD CONSTRAINT recurring_appointment_conflicts_reason_check
    CHECK (reason IN ('exception', 'overlap', 'session_limit', 'unavailable'));
