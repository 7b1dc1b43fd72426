-- The erasure (0650) under the row-level security wall (0900/0901).
--
-- 1. Who may erase whom stays the database's decision: delete_user_data acts on any user id, runs
--    as its owner (SECURITY DEFINER, past FORCEd policies: cancelling future appointments,
--    anonymising the users row, removing change_log rows and email_queue rows addressed to the
--    therapists, auditing; none of which tf_app's policies allow row by row) and nobody but the
--    owner may call it (0013 revoked it from PUBLIC). tf_app reaches it only through
--    erase_own_data, which now also refuses anyone but a client acting on their own account
--    (therapists keep clinical records by law; business and admin accounts go through support),
--    the same rule the privacy service applies before it.
-- 2. The retention purge (purge_erased_clinical_records, 0650) runs as the platform (runAsSystem,
--    tf_system): 0650 revoked it from PUBLIC, so tf_system gets EXECUTE; tf_app does not.

CREATE OR REPLACE FUNCTION erase_own_data(p_user_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF p_user_id IS DISTINCT FROM app_current_user_id() THEN
        RAISE EXCEPTION 'only the acting user''s own data' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF app_current_user_role() IS DISTINCT FROM 'client'
       OR NOT EXISTS (SELECT 1 FROM users WHERE id = p_user_id AND role = 'client') THEN
        RAISE EXCEPTION 'only a client erases their account here' USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM delete_user_data(p_user_id);
END
$$;
REVOKE ALL ON FUNCTION erase_own_data(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION erase_own_data(uuid) TO tf_app;

GRANT EXECUTE ON FUNCTION purge_erased_clinical_records() TO tf_system;
