-- Back to 0901: erase_own_data without the client check, the purge the owner's alone.
REVOKE EXECUTE ON FUNCTION purge_erased_clinical_records() FROM tf_system;

CREATE OR REPLACE FUNCTION erase_own_data(p_user_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF p_user_id IS DISTINCT FROM app_current_user_id() THEN
        RAISE EXCEPTION 'only the acting user''s own data' USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM delete_user_data(p_user_id);
END
$$;
