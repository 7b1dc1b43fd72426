-- Row-level security as the second wall (issue 9): the app role tf_app (0900) sees and changes
-- only what the code's access rules allow the acting user (app.current_user_id, set per
-- transaction with app.current_user_role). Outside a user (nobody) it sees public data only.
-- The platform's own work runs as tf_system (BYPASSRLS) and owners are subject to FORCE too.
-- A platform admin (super_admin) manages accounts, verifications and reviews: no clinical access.

CREATE FUNCTION app_current_user_role() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.current_user_role', true), '') $$;

-- The helpers below look at appointments/business tables the caller may not see row by row:
-- SECURITY DEFINER, each answers one yes/no or aggregate question about the acting user.
CREATE FUNCTION shares_appointment_with(p_other uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM appointments
         WHERE (client_id = app_current_user_id() AND therapist_id = p_other)
            OR (therapist_id = app_current_user_id() AND client_id = p_other)
    )
$$;

CREATE FUNCTION is_party_of_appointment(p_appointment_id uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM appointments
         WHERE id = p_appointment_id AND app_current_user_id() IN (client_id, therapist_id)
    )
$$;

CREATE FUNCTION is_business_admin_of(p_business_id uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM business_admins WHERE business_id = p_business_id AND user_id = app_current_user_id())
$$;

CREATE FUNCTION is_employee_of(p_business_id uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM business_employees WHERE business_id = p_business_id AND user_id = app_current_user_id())
$$;

-- Slot search needs when a therapist is busy, never with whom: times only.
CREATE FUNCTION therapist_busy_times(p_therapist_id uuid, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (id uuid, start timestamptz, "end" timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT a.id, a.scheduled_start, a.scheduled_end FROM appointments a
     WHERE a.therapist_id = p_therapist_id AND a.status IN ('requested', 'confirmed') AND a.deleted_at IS NULL
       AND a.scheduled_start < p_to AND a.scheduled_end > p_from
$$;

-- A company sees aggregates of its employees' sessions, never an appointment: months with fewer
-- than p_minimum employees in session are left out as a whole.
CREATE FUNCTION business_sessions_by_month(p_business_id uuid, p_minimum int)
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
       AND (is_business_admin_of(p_business_id) OR app_current_user_role() = 'super_admin'
            -- the platform (a subscriber pushing totals to the company room) sees every row anyway
            OR (SELECT rolbypassrls FROM pg_roles WHERE rolname = session_user))
     GROUP BY 1
    HAVING count(DISTINCT be.user_id) >= p_minimum
     ORDER BY 1
$$;

-- A published review is signed with its author's name (unless anonymous); their profile stays theirs.
CREATE FUNCTION published_review_author(p_review_id uuid) RETURNS TABLE (first_name varchar, last_name varchar)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT up.first_name, up.last_name FROM reviews r JOIN user_profiles up ON up.user_id = r.client_id
     WHERE r.id = p_review_id AND r.status = 'approved' AND NOT r.is_anonymous
$$;

-- The GDPR functions (0013) act on any user id and bypass the policies; the app role reaches
-- them only through these guards, for the acting user's own data.
CREATE FUNCTION export_own_data(p_user_id uuid) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF p_user_id IS DISTINCT FROM app_current_user_id() THEN
        RAISE EXCEPTION 'only the acting user''s own data' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN export_user_data(p_user_id);
END
$$;
CREATE FUNCTION erase_own_data(p_user_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF p_user_id IS DISTINCT FROM app_current_user_id() THEN
        RAISE EXCEPTION 'only the acting user''s own data' USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM delete_user_data(p_user_id);
END
$$;
REVOKE ALL ON FUNCTION export_own_data(uuid), erase_own_data(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION export_own_data(uuid), erase_own_data(uuid) TO tf_app;

-- Triggers keep the platform's books (change log, audit, cache, checks across tables) for every
-- party of a change, whoever caused it: they run as the owner.
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
              WHERE p.pronamespace = 'public'::regnamespace AND p.prorettype = 'trigger'::regtype LOOP
        EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = public, pg_temp', f.signature);
    END LOOP;
END
$$;

-- 0015/0400 let super_admin_role read and change every clinical row and audit row: no longer.
DROP POLICY IF EXISTS super_admin_all ON session_notes;
DROP POLICY IF EXISTS super_admin_all ON patient_medical_history;
DROP POLICY IF EXISTS super_admin_all ON mood_entries;
DROP POLICY IF EXISTS super_admin_all ON journal_entries;
DROP POLICY IF EXISTS super_admin_all ON messages;
DROP POLICY IF EXISTS super_admin_all ON appointments;
DROP POLICY IF EXISTS super_admin_all ON client_profiles;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_logs FROM super_admin_role;
REVOKE ALL ON session_notes, treatment_plans, patient_medical_history, patient_psychiatric_history,
    patient_social_history, questionnaire_responses, clinical_assessments, dynamic_forms,
    supervision_sessions, mood_entries, journal_entries, goals, habit_definitions, habit_logs, messages
    FROM super_admin_role;

-- FORCE on every table the app role may touch: row-level security applies even to an owner.
-- Tables deliberately public to the app role (catalogues, directory) get an open SELECT policy.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                AND c.relname <> 'schema_migrations' LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.relname);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t.relname);
    END LOOP;
END
$$;

-- Views run as their owner, past every policy: the app role reads only the public directory's.
-- (aggregated_analytics, mood_daily_avg and therapist_analytics stay the owner's.)
GRANT SELECT ON therapist_search_view TO tf_app, tf_system;

-- Own rows only: a user reads and writes their own.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['api_rate_limits', 'article_interactions', 'payment_methods', 'transactions',
                             'user_tokens', 'refresh_tokens', 'habit_definitions', 'habit_logs', 'comments'] LOOP
        EXECUTE format('CREATE POLICY tf_own_rows ON %I TO tf_app USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id())', t);
    END LOOP;
END
$$;

-- Public catalogues and the therapist directory: anyone reads; therapists keep their own entries.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['specializations', 'therapeutic_approaches', 'forum_categories', 'articles',
                             'appointment_types', 'questionnaire_templates', 'therapeutic_resources',
                             'backup_policies', 'data_retention_policies', 'anonymized_mood_daily_stats'] LOOP
        EXECUTE format('CREATE POLICY tf_public_read ON %I FOR SELECT TO tf_app USING (true)', t);
        EXECUTE format('CREATE POLICY tf_super_admin_write ON %I TO tf_app USING (app_current_user_role() = ''super_admin'') WITH CHECK (app_current_user_role() = ''super_admin'')', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['therapist_approaches', 'therapist_languages', 'therapist_locations', 'therapist_rates',
                             'therapist_specializations', 'availability_templates', 'availability_exceptions', 'note_templates',
                             'continuing_education'] LOOP
        IF t NOT IN ('note_templates', 'continuing_education') THEN
            EXECUTE format('CREATE POLICY tf_public_read ON %I FOR SELECT TO tf_app USING (true)', t);
        END IF;
        EXECUTE format('CREATE POLICY tf_therapist_own ON %I TO tf_app USING (therapist_id = app_current_user_id()) WITH CHECK (therapist_id = app_current_user_id())', t);
    END LOOP;
END
$$;
CREATE POLICY tf_public_read ON therapist_profiles FOR SELECT TO tf_app USING (true);
CREATE POLICY tf_therapist_own ON therapist_profiles TO tf_app
    USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
CREATE POLICY tf_super_admin_verifies ON therapist_profiles FOR UPDATE TO tf_app
    USING (app_current_user_role() = 'super_admin') WITH CHECK (app_current_user_role() = 'super_admin');

-- The calendar feed's token hash is the therapist's alone.
CREATE POLICY tf_therapist_own ON calendar_feeds TO tf_app
    USING (therapist_id = app_current_user_id()) WITH CHECK (therapist_id = app_current_user_id());

-- Accounts: one's own; therapists are public (directory); the other party of an appointment
-- (names and reminder addresses); a super admin manages accounts.
CREATE POLICY tf_account_read ON users FOR SELECT TO tf_app
    USING (id = app_current_user_id() OR role = 'therapist' OR shares_appointment_with(id)
           OR app_current_user_role() = 'super_admin');
CREATE POLICY tf_account_own ON users FOR UPDATE TO tf_app
    USING (id = app_current_user_id() OR app_current_user_role() = 'super_admin')
    WITH CHECK (id = app_current_user_id() OR app_current_user_role() = 'super_admin');
CREATE POLICY tf_profile_read ON user_profiles FOR SELECT TO tf_app
    USING (user_id = app_current_user_id() OR shares_appointment_with(user_id) OR app_current_user_role() = 'super_admin'
           OR EXISTS (SELECT 1 FROM therapist_profiles tp WHERE tp.user_id = user_profiles.user_id));
CREATE POLICY tf_profile_own ON user_profiles TO tf_app
    USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
CREATE POLICY tf_client_profile ON client_profiles TO tf_app
    USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
CREATE POLICY tf_client_profile_therapist ON client_profiles FOR SELECT TO tf_app
    USING (is_current_therapist(app_current_user_id(), user_id));

-- Appointments: the two parties.
CREATE POLICY tf_parties ON appointments TO tf_app
    USING (app_current_user_id() IN (client_id, therapist_id))
    WITH CHECK (app_current_user_id() IN (client_id, therapist_id));
CREATE POLICY tf_parties ON recurring_appointments TO tf_app
    USING (app_current_user_id() IN (client_id, therapist_id))
    WITH CHECK (app_current_user_id() IN (client_id, therapist_id));
CREATE POLICY tf_parties ON recurring_appointment_conflicts TO tf_app
    USING (EXISTS (SELECT 1 FROM recurring_appointments r WHERE r.id = recurring_appointment_id))
    WITH CHECK (EXISTS (SELECT 1 FROM recurring_appointments r WHERE r.id = recurring_appointment_id));

-- Clinical records: the therapist in a current care relationship (notes and plans: their author).
CREATE POLICY tf_author ON session_notes TO tf_app
    USING (therapist_id = app_current_user_id()) WITH CHECK (therapist_id = app_current_user_id());
CREATE POLICY tf_author ON treatment_plans TO tf_app
    USING (therapist_id = app_current_user_id()) WITH CHECK (therapist_id = app_current_user_id());
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['patient_medical_history', 'patient_psychiatric_history', 'patient_social_history'] LOOP
        EXECUTE format('CREATE POLICY tf_current_therapist ON %I TO tf_app
            USING (is_current_therapist(app_current_user_id(), client_id))
            WITH CHECK (is_current_therapist(app_current_user_id(), client_id))', t);
        -- The client's own record, for the GDPR export.
        EXECUTE format('CREATE POLICY tf_own_record ON %I FOR SELECT TO tf_app USING (client_id = app_current_user_id())', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['clinical_assessments', 'dynamic_forms'] LOOP
        EXECUTE format('CREATE POLICY tf_current_therapist ON %I TO tf_app
            USING (therapist_id = app_current_user_id() AND is_current_therapist(therapist_id, client_id))
            WITH CHECK (therapist_id = app_current_user_id() AND is_current_therapist(therapist_id, client_id))', t);
    END LOOP;
END
$$;
CREATE POLICY tf_current_therapist ON questionnaire_responses TO tf_app
    USING (client_id = app_current_user_id() OR is_current_therapist(app_current_user_id(), client_id))
    WITH CHECK (client_id = app_current_user_id() OR is_current_therapist(app_current_user_id(), client_id));
CREATE POLICY tf_parties ON supervision_relationships TO tf_app
    USING (app_current_user_id() IN (supervisor_id, supervisee_id))
    WITH CHECK (app_current_user_id() IN (supervisor_id, supervisee_id));
CREATE POLICY tf_parties ON supervision_sessions TO tf_app
    USING (EXISTS (SELECT 1 FROM supervision_relationships r WHERE r.id = relationship_id))
    WITH CHECK (EXISTS (SELECT 1 FROM supervision_relationships r WHERE r.id = relationship_id));

-- Wellness: the owner; a current therapist reads what the client shared with them.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['mood_entries', 'journal_entries', 'goals'] LOOP
        EXECUTE format('CREATE POLICY tf_owner ON %I TO tf_app
            USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id())', t);
        -- Once shared (0302): sync sends a therapist the tombstone of an entry no longer shared or
        -- deleted, so its row must stay visible to them; its content then goes out only while shared.
        EXECUTE format('CREATE POLICY tf_shared_with_therapist ON %I FOR SELECT TO tf_app
            USING (shared_once AND is_current_therapist(app_current_user_id(), user_id))', t);
    END LOOP;
END
$$;

-- Messages: the two parties; only a sender in care with the recipient writes one.
CREATE POLICY tf_parties ON messages FOR SELECT TO tf_app
    USING (app_current_user_id() IN (sender_id, recipient_id));
CREATE POLICY tf_parties_update ON messages FOR UPDATE TO tf_app
    USING (app_current_user_id() IN (sender_id, recipient_id))
    WITH CHECK (app_current_user_id() IN (sender_id, recipient_id));
CREATE POLICY tf_sender ON messages FOR INSERT TO tf_app
    WITH CHECK (sender_id = app_current_user_id() AND may_message(sender_id, recipient_id));
CREATE POLICY tf_sender_delete ON messages FOR DELETE TO tf_app
    USING (sender_id = app_current_user_id());

-- Notifications: the recipient; anyone acting may notify someone (their action is the cause).
CREATE POLICY tf_recipient ON notifications TO tf_app
    USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());
CREATE POLICY tf_notify ON notifications FOR INSERT TO tf_app
    WITH CHECK (app_current_user_id() IS NOT NULL);

-- Outgoing mail and SMS: queued by the acting user's action (a booking's reminders go to both
-- parties), removed with their appointment; read and sent by the platform only.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['email_queue', 'sms_queue'] LOOP
        EXECUTE format('CREATE POLICY tf_enqueue ON %I FOR INSERT TO tf_app WITH CHECK (app_current_user_id() IS NOT NULL)', t);
        EXECUTE format('CREATE POLICY tf_own_or_appointment ON %I FOR SELECT TO tf_app
            USING (user_id = app_current_user_id()
                   OR (dedupe_key ~ ''^appointment:[0-9a-f-]{36}:'' AND is_party_of_appointment(substring(dedupe_key from 13 for 36)::uuid)))', t);
        EXECUTE format('CREATE POLICY tf_remove_own_or_appointment ON %I FOR DELETE TO tf_app
            USING (user_id = app_current_user_id()
                   OR (dedupe_key ~ ''^appointment:[0-9a-f-]{36}:'' AND is_party_of_appointment(substring(dedupe_key from 13 for 36)::uuid)))', t);
    END LOOP;
END
$$;

-- Audit: append-only for the app role, each row in the acting user's name (or none). Nobody
-- reads it through the app; it is read by operators as the owner.
CREATE POLICY tf_append ON audit_logs FOR INSERT TO tf_app
    WITH CHECK (user_id IS NULL OR user_id = app_current_user_id());
REVOKE UPDATE, DELETE, TRUNCATE ON audit_logs FROM tf_app;

-- Change log: what a recipient's devices are told about; written by triggers (as the owner).
CREATE POLICY tf_recipient ON change_log FOR SELECT TO tf_app USING (recipient_id = app_current_user_id());
CREATE POLICY tf_recipient ON change_log_recipients FOR SELECT TO tf_app USING (recipient_id = app_current_user_id());

-- Companies: their admins and employees see the company; admins see their employees (no session
-- detail: aggregates come from business_sessions_by_month); a user sees their own employment.
CREATE POLICY tf_members ON business_accounts FOR SELECT TO tf_app
    USING (is_business_admin_of(id) OR is_employee_of(id) OR app_current_user_role() = 'super_admin');
CREATE POLICY tf_admins ON business_accounts FOR UPDATE TO tf_app
    USING (is_business_admin_of(id)) WITH CHECK (is_business_admin_of(id));
CREATE POLICY tf_members ON business_admins FOR SELECT TO tf_app
    USING (user_id = app_current_user_id() OR is_business_admin_of(business_id) OR app_current_user_role() = 'super_admin');
-- A booking counts the session on the employee's row and a cancellation gives it back, done by
-- either party of the appointment (scheduling): they read and update that row too.
CREATE POLICY tf_members ON business_employees FOR SELECT TO tf_app
    USING (user_id = app_current_user_id() OR is_business_admin_of(business_id) OR app_current_user_role() = 'super_admin'
           OR shares_appointment_with(user_id));
CREATE POLICY tf_members_update ON business_employees FOR UPDATE TO tf_app
    USING (user_id = app_current_user_id() OR is_business_admin_of(business_id) OR app_current_user_role() = 'super_admin'
           OR shares_appointment_with(user_id))
    WITH CHECK (user_id = app_current_user_id() OR is_business_admin_of(business_id) OR app_current_user_role() = 'super_admin'
           OR shares_appointment_with(user_id));
CREATE POLICY tf_admins_insert ON business_employees FOR INSERT TO tf_app
    WITH CHECK (is_business_admin_of(business_id) OR app_current_user_role() = 'super_admin');
CREATE POLICY tf_admins_delete ON business_employees FOR DELETE TO tf_app
    USING (is_business_admin_of(business_id) OR app_current_user_role() = 'super_admin');

-- Reviews: published ones are public; a client writes their own; a super admin moderates.
CREATE POLICY tf_public_read ON reviews FOR SELECT TO tf_app
    USING (status = 'approved' OR client_id = app_current_user_id() OR therapist_id = app_current_user_id()
           OR app_current_user_role() = 'super_admin');
CREATE POLICY tf_author ON reviews TO tf_app
    USING (client_id = app_current_user_id()) WITH CHECK (client_id = app_current_user_id());
CREATE POLICY tf_moderation ON reviews FOR UPDATE TO tf_app
    USING (app_current_user_role() = 'super_admin') WITH CHECK (app_current_user_role() = 'super_admin');

-- Billing: the payer and the therapist paid.
CREATE POLICY tf_parties ON invoices FOR SELECT TO tf_app
    USING (app_current_user_id() IN (user_id, therapist_id));
CREATE POLICY tf_parties ON invoice_items FOR SELECT TO tf_app
    USING (EXISTS (SELECT 1 FROM invoices i WHERE i.id = invoice_id));
CREATE POLICY tf_therapist_own ON therapist_payouts FOR SELECT TO tf_app
    USING (therapist_id = app_current_user_id());

-- Community: public reading, authors write their own.
CREATE POLICY tf_public_read ON forum_threads FOR SELECT TO tf_app USING (true);
CREATE POLICY tf_author ON forum_threads TO tf_app USING (author_id = app_current_user_id()) WITH CHECK (author_id = app_current_user_id());
CREATE POLICY tf_public_read ON forum_replies FOR SELECT TO tf_app USING (true);
CREATE POLICY tf_author ON forum_replies TO tf_app USING (author_id = app_current_user_id()) WITH CHECK (author_id = app_current_user_id());
-- Left to the platform (tf_system) and the owner, no policy for tf_app: change_log_cursors,
-- backup_history. FORCEd above, so the app role sees none of their rows.
