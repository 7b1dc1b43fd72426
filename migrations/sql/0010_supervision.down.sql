DROP TABLE IF EXISTS continuing_education CASCADE;
DROP TABLE IF EXISTS supervision_sessions CASCADE;
DROP TRIGGER IF EXISTS chk_supervisor_is_therapist_on_users ON users;
DROP FUNCTION IF EXISTS check_user_role_supervisor() CASCADE;
DROP TABLE IF EXISTS supervision_relationships CASCADE;
DROP FUNCTION IF EXISTS check_supervisor_is_therapist() CASCADE;
