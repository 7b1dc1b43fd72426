-- Row-level security and database roles (sketch §15).
-- The application connects as the table owner, so RLS is enabled but NOT forced: it
-- applies to the NOLOGIN roles below (reporting, support tools, future direct access).
-- Roles are cluster-wide and these migrations run into many databases on one server:
-- they are created only if missing and never dropped by the down migration.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['authenticated_user', 'client_role', 'therapist_role', 'business_admin_role', 'super_admin_role'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- created concurrently by a migration of another database
            END;
        END IF;
    END LOOP;

    FOREACH r IN ARRAY ARRAY['client_role', 'therapist_role', 'business_admin_role', 'super_admin_role'] LOOP
        IF NOT pg_has_role(r, 'authenticated_user', 'MEMBER') THEN
            EXECUTE format('GRANT authenticated_user TO %I', r);
        END IF;
    END LOOP;
    IF NOT pg_has_role('therapist_role', 'client_role', 'MEMBER') THEN
        GRANT client_role TO therapist_role; -- therapists inherit client permissions
    END IF;
END
$$;

-- Current application user from the per-transaction setting (NULL when unset/invalid).
CREATE FUNCTION app_current_user_id()
RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN s ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN s::uuid END
      FROM (SELECT current_setting('app.current_user_id', true) AS s) x
$$;

-- SECURITY DEFINER so policies can consult appointments/business_admins without
-- granting those tables to the caller.
CREATE FUNCTION is_therapist_of(p_client_id uuid)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM appointments
         WHERE therapist_id = app_current_user_id()
           AND client_id = p_client_id
           AND status IN ('confirmed', 'completed')
    )
$$;

CREATE FUNCTION current_user_business_ids()
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT business_id FROM business_admins WHERE user_id = app_current_user_id()
$$;

-- Grants (sketch §15). Deviation: users gets column-level SELECT and no UPDATE: the
-- sketch's UPDATE let a client change its own role/status columns.
GRANT SELECT (id, email, email_normalized, role, status, email_verified, email_verified_at,
              two_factor_enabled, created_at, updated_at, deleted_at, last_login_at)
    ON users TO authenticated_user;
GRANT SELECT, INSERT, UPDATE ON appointments TO client_role;
GRANT SELECT, INSERT, UPDATE ON mood_entries TO client_role;
GRANT SELECT, INSERT, UPDATE ON journal_entries TO client_role;
GRANT SELECT, INSERT, UPDATE ON patient_medical_history TO client_role;
GRANT SELECT, INSERT, UPDATE ON client_profiles TO client_role;

GRANT SELECT, INSERT, UPDATE ON session_notes TO therapist_role;
GRANT SELECT, UPDATE ON therapist_profiles TO therapist_role;
GRANT SELECT ON client_profiles TO therapist_role;

GRANT SELECT ON business_employees TO business_admin_role;
GRANT SELECT ON aggregated_analytics TO business_admin_role;
GRANT SELECT, INSERT, UPDATE ON business_accounts TO business_admin_role;

GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO super_admin_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL PRIVILEGES ON TABLES TO super_admin_role;
GRANT EXECUTE ON FUNCTION export_user_data(uuid) TO super_admin_role;
GRANT EXECUTE ON FUNCTION delete_user_data(uuid) TO super_admin_role;

-- RLS (enabled, not forced)
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE appointments ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE patient_medical_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE business_employees ENABLE ROW LEVEL SECURITY;
ALTER TABLE client_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE mood_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal_entries ENABLE ROW LEVEL SECURITY;

CREATE POLICY users_self_access ON users
    FOR ALL TO authenticated_user
    USING (id = app_current_user_id());

CREATE POLICY therapist_client_access ON appointments
    FOR SELECT TO therapist_role
    USING (therapist_id = app_current_user_id() OR client_id = app_current_user_id());

CREATE POLICY client_own_appointments ON appointments
    FOR ALL TO client_role
    USING (client_id = app_current_user_id())
    WITH CHECK (client_id = app_current_user_id());

CREATE POLICY therapist_update_appointments ON appointments
    FOR UPDATE TO therapist_role
    USING (therapist_id = app_current_user_id())
    WITH CHECK (therapist_id = app_current_user_id());

CREATE POLICY client_own_data ON patient_medical_history
    FOR ALL TO client_role
    USING (client_id = app_current_user_id());

CREATE POLICY therapist_client_medical_history ON patient_medical_history
    FOR SELECT TO therapist_role
    USING (is_therapist_of(client_id));

CREATE POLICY business_employee_access ON business_employees
    FOR SELECT TO business_admin_role
    USING (business_id IN (SELECT current_user_business_ids()));

CREATE POLICY therapist_notes_privacy ON session_notes
    FOR ALL TO therapist_role
    USING (therapist_id = app_current_user_id())
    WITH CHECK (therapist_id = app_current_user_id());

CREATE POLICY client_profile_self ON client_profiles
    FOR ALL TO client_role
    USING (user_id = app_current_user_id());

CREATE POLICY therapist_client_profiles ON client_profiles
    FOR SELECT TO therapist_role
    USING (is_therapist_of(user_id));

CREATE POLICY mood_owner_access ON mood_entries
    FOR ALL TO client_role
    USING (user_id = app_current_user_id());

CREATE POLICY mood_therapist_shared ON mood_entries
    FOR SELECT TO therapist_role
    USING (shared_with_therapist AND deleted_at IS NULL AND is_therapist_of(user_id));

CREATE POLICY journal_owner_access ON journal_entries
    FOR ALL TO client_role
    USING (user_id = app_current_user_id());

CREATE POLICY journal_therapist_shared ON journal_entries
    FOR SELECT TO therapist_role
    USING (shared_with_therapist AND deleted_at IS NULL
           AND (therapist_can_read = app_current_user_id()
                OR (therapist_can_read IS NULL AND is_therapist_of(user_id))));

CREATE POLICY super_admin_all ON users FOR ALL TO super_admin_role USING (true) WITH CHECK (true);
CREATE POLICY super_admin_all ON appointments FOR ALL TO super_admin_role USING (true) WITH CHECK (true);
CREATE POLICY super_admin_all ON session_notes FOR ALL TO super_admin_role USING (true) WITH CHECK (true);
CREATE POLICY super_admin_all ON patient_medical_history FOR ALL TO super_admin_role USING (true) WITH CHECK (true);
CREATE POLICY super_admin_all ON business_employees FOR ALL TO super_admin_role USING (true) WITH CHECK (true);
CREATE POLICY super_admin_all ON client_profiles FOR ALL TO super_admin_role USING (true) WITH CHECK (true);
CREATE POLICY super_admin_all ON mood_entries FOR ALL TO super_admin_role USING (true) WITH CHECK (true);
CREATE POLICY super_admin_all ON journal_entries FOR ALL TO super_admin_role USING (true) WITH CHECK (true);
