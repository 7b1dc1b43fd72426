-- Consent records (issue 12): what a person agreed to, which version of the text, when and from
-- where, and when they withdrew it. A record is evidence: it is never edited, only withdrawn once
-- (or replaced, when the person accepts a newer version of the same text).
--
-- What a withdrawal stops (consent_withdrawn): without any record of a kind, the person's own acts
-- are the consent (a booked online session, an entry they shared, an employer's programme they
-- enrolled in); a withdrawal overrides them until consent is given again.
CREATE TYPE consent_kind AS ENUM ('terms', 'data_processing', 'therapist_sharing', 'telehealth', 'business_analytics');

CREATE TABLE consent_records (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind consent_kind NOT NULL,
    text_version VARCHAR(40) NOT NULL CHECK (text_version <> ''),
    given_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    given_ip INET,
    given_user_agent TEXT,
    withdrawn_at TIMESTAMPTZ,
    withdrawn_ip INET,
    -- Set with withdrawn_at when a newer version of the text was accepted: not a withdrawal.
    replaced_by UUID REFERENCES consent_records(id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT chk_consent_withdrawn_after_given CHECK (withdrawn_at IS NULL OR withdrawn_at >= given_at),
    CONSTRAINT chk_consent_replaced_is_closed CHECK (replaced_by IS NULL OR withdrawn_at IS NOT NULL)
);
-- One standing consent per kind and person.
CREATE UNIQUE INDEX uq_consent_records_standing ON consent_records (user_id, kind) WHERE withdrawn_at IS NULL;
CREATE INDEX idx_consent_records_user ON consent_records (user_id, given_at DESC);

-- Trigger functions run as the owner, like every other (0901).
CREATE FUNCTION guard_consent_record_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF OLD.withdrawn_at IS NOT NULL OR NEW.withdrawn_at IS NULL
       OR (NEW.id, NEW.user_id, NEW.kind, NEW.text_version, NEW.given_at, NEW.given_ip, NEW.given_user_agent)
          IS DISTINCT FROM (OLD.id, OLD.user_id, OLD.kind, OLD.text_version, OLD.given_at, OLD.given_ip, OLD.given_user_agent) THEN
        RAISE EXCEPTION 'a consent record changes only by its withdrawal, once'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_consent_record_immutable';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trg_consent_records_immutable BEFORE UPDATE ON consent_records
    FOR EACH ROW EXECUTE FUNCTION guard_consent_record_update();

-- True when the person withdrew this kind of consent and has not given it again.
CREATE FUNCTION consent_withdrawn(p_user_id uuid, p_kind consent_kind) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM consent_records WHERE user_id = p_user_id AND kind = p_kind AND withdrawn_at IS NOT NULL AND replaced_by IS NULL)
       AND NOT EXISTS (SELECT 1 FROM consent_records WHERE user_id = p_user_id AND kind = p_kind AND withdrawn_at IS NULL)
$$;
GRANT EXECUTE ON FUNCTION consent_withdrawn(uuid, consent_kind) TO tf_app, tf_system;

-- Withdrawing (or giving again) the consent to share with the therapist takes the client's shared
-- entries off (or puts them back on) their therapists' devices, as a change of care does (0300).
CREATE FUNCTION record_sharing_consent_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    operation TEXT := CASE WHEN consent_withdrawn(NEW.user_id, 'therapist_sharing') THEN 'delete' ELSE 'upsert' END;
BEGIN
    IF NEW.kind <> 'therapist_sharing' OR NEW.replaced_by IS NOT NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO change_log (recipient_id, collection, record_id, operation)
    SELECT therapists.therapist_id, entries.collection, entries.id, operation
      FROM (SELECT DISTINCT a.therapist_id FROM appointments a
             WHERE a.client_id = NEW.user_id AND is_current_therapist(a.therapist_id, NEW.user_id)) therapists
     CROSS JOIN (
            SELECT 'mood_entries' AS collection, id FROM mood_entries
             WHERE user_id = NEW.user_id AND shared_with_therapist AND deleted_at IS NULL
            UNION ALL
            SELECT 'journal_entries', id FROM journal_entries
             WHERE user_id = NEW.user_id AND shared_with_therapist AND deleted_at IS NULL
            UNION ALL
            SELECT 'goals', id FROM goals
             WHERE user_id = NEW.user_id AND shared_with_therapist AND deleted_at IS NULL) entries;
    PERFORM pg_notify('change_log', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER trg_consent_records_sharing AFTER INSERT OR UPDATE OF withdrawn_at ON consent_records
    FOR EACH ROW EXECUTE FUNCTION record_sharing_consent_change();

-- A company's monthly aggregates leave out employees who withdrew consent to business analytics.
CREATE OR REPLACE FUNCTION business_sessions_by_month(p_business_id uuid, p_minimum int)
RETURNS TABLE (month text, booked int, completed int, cancelled int, no_show int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT to_char(a.scheduled_start AT TIME ZONE 'Europe/Athens', 'YYYY-MM'),
           count(*) FILTER (WHERE a.status <> 'declined')::int,
           count(*) FILTER (WHERE a.status = 'completed')::int,
           count(*) FILTER (WHERE a.status = 'cancelled')::int,
           count(*) FILTER (WHERE a.status = 'no_show')::int
      FROM business_employees be JOIN appointments a ON a.client_id = be.user_id AND a.deleted_at IS NULL
     WHERE be.business_id = p_business_id AND a.scheduled_start >= now() - interval '1 year'
       AND NOT consent_withdrawn(be.user_id, 'business_analytics')
       AND (is_business_admin_of(p_business_id) OR app_current_user_role() = 'super_admin'
            -- the platform (a subscriber pushing totals to the company room) sees every row anyway
            OR (SELECT rolbypassrls FROM pg_roles WHERE rolname = session_user))
     GROUP BY 1
    HAVING count(DISTINCT be.user_id) >= p_minimum
     ORDER BY 1
$$;

GRANT SELECT, INSERT, UPDATE ON consent_records TO tf_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON consent_records TO tf_system;
ALTER TABLE consent_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE consent_records FORCE ROW LEVEL SECURITY;
-- One's own consents only; a therapist or company learns their effect, never the records.
CREATE POLICY tf_own ON consent_records TO tf_app
    USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
