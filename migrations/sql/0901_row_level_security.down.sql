-- Undoes 0901: policies, FORCE and RLS on tables 0015/0400 did not enable, the helpers, and the
-- SECURITY DEFINER of trigger functions. The super admin policies of 0015/0400 stay dropped:
-- putting clinical access back for a platform admin is not something a down migration should do.
DO $$
DECLARE
    p record;
    t record;
BEGIN
    FOR p IN SELECT policyname, tablename FROM pg_policies
              WHERE schemaname = 'public' AND 'tf_app' = ANY (roles) LOOP
        EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename);
    END LOOP;
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relforcerowsecurity LOOP
        EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t.relname);
        IF t.relname NOT IN ('users', 'appointments', 'session_notes', 'patient_medical_history', 'business_employees',
                             'client_profiles', 'mood_entries', 'journal_entries', 'messages') THEN
            EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t.relname);
        END IF;
    END LOOP;
END
$$;
DROP FUNCTION published_review_author(uuid);
DROP FUNCTION erase_own_data(uuid);
DROP FUNCTION export_own_data(uuid);
DROP FUNCTION business_sessions_by_month(uuid, int);
DROP FUNCTION therapist_busy_times(uuid, timestamptz, timestamptz);
DROP FUNCTION is_employee_of(uuid);
DROP FUNCTION is_business_admin_of(uuid);
DROP FUNCTION is_party_of_appointment(uuid);
DROP FUNCTION shares_appointment_with(uuid);
DROP FUNCTION app_current_user_role();
GRANT UPDATE, DELETE ON audit_logs TO tf_app;
REVOKE SELECT ON therapist_search_view FROM tf_app, tf_system;
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
              WHERE p.pronamespace = 'public'::regnamespace AND p.prorettype = 'trigger'::regtype
                AND p.proname IN ('set_updated_at', 'forbid_column_change', 'queue_before_write', 'invalidate_cache',
                                  'record_change', 'shorten_appointment_buffers', 'record_wellness_change',
                                  'record_care_relationship_change', 'remember_sharing', 'record_message_change') LOOP
        EXECUTE format('ALTER FUNCTION %s SECURITY INVOKER RESET search_path', f.signature);
    END LOOP;
END
$$;
