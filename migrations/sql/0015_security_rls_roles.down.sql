-- Roles are cluster-wide and shared with other databases: they are never dropped.
DROP POLICY IF EXISTS super_admin_all ON journal_entries;
DROP POLICY IF EXISTS super_admin_all ON mood_entries;
DROP POLICY IF EXISTS super_admin_all ON client_profiles;
DROP POLICY IF EXISTS super_admin_all ON business_employees;
DROP POLICY IF EXISTS super_admin_all ON patient_medical_history;
DROP POLICY IF EXISTS super_admin_all ON session_notes;
DROP POLICY IF EXISTS super_admin_all ON appointments;
DROP POLICY IF EXISTS super_admin_all ON users;
DROP POLICY IF EXISTS journal_therapist_shared ON journal_entries;
DROP POLICY IF EXISTS journal_owner_access ON journal_entries;
DROP POLICY IF EXISTS mood_therapist_shared ON mood_entries;
DROP POLICY IF EXISTS mood_owner_access ON mood_entries;
DROP POLICY IF EXISTS therapist_client_profiles ON client_profiles;
DROP POLICY IF EXISTS client_profile_self ON client_profiles;
DROP POLICY IF EXISTS therapist_notes_privacy ON session_notes;
DROP POLICY IF EXISTS business_employee_access ON business_employees;
DROP POLICY IF EXISTS therapist_client_medical_history ON patient_medical_history;
DROP POLICY IF EXISTS client_own_data ON patient_medical_history;
DROP POLICY IF EXISTS therapist_update_appointments ON appointments;
DROP POLICY IF EXISTS client_own_appointments ON appointments;
DROP POLICY IF EXISTS therapist_client_access ON appointments;
DROP POLICY IF EXISTS users_self_access ON users;

ALTER TABLE journal_entries DISABLE ROW LEVEL SECURITY;
ALTER TABLE mood_entries DISABLE ROW LEVEL SECURITY;
ALTER TABLE client_profiles DISABLE ROW LEVEL SECURITY;
ALTER TABLE business_employees DISABLE ROW LEVEL SECURITY;
ALTER TABLE patient_medical_history DISABLE ROW LEVEL SECURITY;
ALTER TABLE session_notes DISABLE ROW LEVEL SECURITY;
ALTER TABLE appointments DISABLE ROW LEVEL SECURITY;
ALTER TABLE users DISABLE ROW LEVEL SECURITY;

REVOKE EXECUTE ON FUNCTION delete_user_data(uuid) FROM super_admin_role;
REVOKE EXECUTE ON FUNCTION export_user_data(uuid) FROM super_admin_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL PRIVILEGES ON TABLES FROM super_admin_role;
REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public
    FROM authenticated_user, client_role, therapist_role, business_admin_role, super_admin_role;

DROP FUNCTION IF EXISTS current_user_business_ids();
DROP FUNCTION IF EXISTS is_therapist_of(uuid);
DROP FUNCTION IF EXISTS app_current_user_id();
