-- The merged erasure (0650, branch erasure-sealing) under the row-level security wall (0900/0901).
--
-- 1. 0650's delete_user_data still reset users.failed_login_attempts/locked_until, which 0631 moved
--    to login_throttles (dropped from users): every erasure failed. Same function without them.
--    Login throttles are keyed by a hash of the address, not the account, and expire after 7 days
--    (data_retention_policies), so nothing of the account is left there for long.
-- 2. Who may erase whom stays the database's decision: delete_user_data acts on any user id, runs
--    as its owner (SECURITY DEFINER, past FORCEd policies: cancelling future appointments,
--    anonymising the users row, removing change_log rows and email_queue rows addressed to the
--    therapists, auditing; none of which tf_app's policies allow row by row) and nobody but the
--    owner may call it (0013 revoked it from PUBLIC; CREATE OR REPLACE keeps that). tf_app reaches
--    it only through erase_own_data, which now also refuses anyone but a client acting on their
--    own account (therapists keep clinical records by law; business and admin accounts go through
--    support), the same rule the privacy service applies before it.
-- 3. The retention purge (purge_erased_clinical_records, 0650) runs as the platform (runAsSystem,
--    tf_system): 0650 revoked it from PUBLIC, so tf_system gets EXECUTE; tf_app does not.

CREATE OR REPLACE FUNCTION delete_user_data(user_id_param UUID)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    -- Strings that name the person, gathered before the profile is anonymised.
    v_identity text[];
    -- Dedupe keys of the emails and SMS about the person's appointments and series.
    v_about_them text[];
    -- Their therapists, the only others who were ever written to about them.
    v_therapists uuid[];
    v_tombstone_email text := 'erased-' || gen_random_uuid() || '@erased.invalid';
BEGIN
    SELECT array_remove(ARRAY[lower(u.email), lower(u.email_normalized),
                              lower(nullif(trim(concat_ws(' ', up.first_name, up.last_name)), '')),
                              lower(nullif(trim(up.display_name), '')), nullif(up.phone::text, '')], NULL)
      INTO v_identity
      FROM users u LEFT JOIN user_profiles up ON up.user_id = u.id
     WHERE u.id = user_id_param;
    IF v_identity IS NULL THEN
        RETURN;
    END IF;
    SELECT coalesce(array_agg(prefix), '{}') INTO v_about_them FROM (
        SELECT 'appointment:' || a.id || ':%' AS prefix FROM appointments a WHERE a.client_id = user_id_param
        UNION ALL
        SELECT 'series:' || r.id || ':%' FROM recurring_appointments r WHERE r.client_id = user_id_param
    ) prefixes;
    SELECT coalesce(array_agg(DISTINCT therapist_id), '{}') INTO v_therapists FROM (
        SELECT a.therapist_id FROM appointments a WHERE a.client_id = user_id_param
        UNION ALL
        SELECT r.therapist_id FROM recurring_appointments r WHERE r.client_id = user_id_param
    ) therapists;

    -- What the person wrote or holds for themselves, and their account's machinery: deleted.
    DELETE FROM messages WHERE sender_id = user_id_param;
    DELETE FROM journal_entries WHERE user_id = user_id_param;
    DELETE FROM mood_entries WHERE user_id = user_id_param;
    DELETE FROM habit_logs WHERE user_id = user_id_param;
    DELETE FROM habit_definitions WHERE user_id = user_id_param;
    DELETE FROM goals WHERE user_id = user_id_param;
    DELETE FROM dynamic_forms WHERE client_id = user_id_param;
    DELETE FROM reviews WHERE client_id = user_id_param;
    DELETE FROM recurring_appointments WHERE client_id = user_id_param;
    DELETE FROM payment_methods WHERE user_id = user_id_param;
    DELETE FROM business_employees WHERE user_id = user_id_param;
    DELETE FROM notifications WHERE user_id = user_id_param;
    DELETE FROM email_queue WHERE user_id = user_id_param;
    DELETE FROM sms_queue WHERE user_id = user_id_param;
    DELETE FROM refresh_tokens WHERE user_id = user_id_param;
    DELETE FROM user_tokens WHERE user_id = user_id_param;
    DELETE FROM api_rate_limits WHERE user_id = user_id_param;
    DELETE FROM client_profiles WHERE user_id = user_id_param;

    -- Text written for their therapists that names the person (sent or not).
    DELETE FROM email_queue q
     WHERE q.dedupe_key LIKE ANY (v_about_them)
        OR ((q.user_id = ANY (v_therapists) OR q.user_id IS NULL)
            AND EXISTS (SELECT 1 FROM unnest(v_identity) i WHERE strpos(lower(q::text), i) > 0));
    DELETE FROM sms_queue q
     WHERE q.dedupe_key LIKE ANY (v_about_them)
        OR ((q.user_id = ANY (v_therapists) OR q.user_id IS NULL)
            AND EXISTS (SELECT 1 FROM unnest(v_identity) i WHERE strpos(lower(q::text), i) > 0));
    DELETE FROM notifications n
     WHERE n.user_id = ANY (v_therapists)
       AND EXISTS (SELECT 1 FROM unnest(v_identity) i WHERE strpos(lower(n::text), i) > 0);

    -- The clinical record stays. The person's own words on their bookings (booking notes, their
    -- cancellation reasons) go like their messages, and sessions not yet held are cancelled (the
    -- slot is free again).
    UPDATE appointments SET client_notes = NULL WHERE client_id = user_id_param AND client_notes IS NOT NULL;
    UPDATE appointments SET cancellation_reason = NULL
     WHERE client_id = user_id_param AND cancelled_by = user_id_param AND cancellation_reason IS NOT NULL;
    UPDATE appointments
       SET status = 'cancelled', cancelled_by = user_id_param, cancelled_at = now(), cancellation_reason = 'client account erased'
     WHERE client_id = user_id_param AND status IN ('requested', 'confirmed') AND scheduled_start > now();

    -- The identity row becomes a tombstone the kept records point to, shown as "Former client".
    UPDATE user_profiles
       SET first_name = 'Former', last_name = 'client', display_name = 'Former client',
           phone = NULL, phone_verified = FALSE, birth_date = NULL, gender = NULL, profile_photo_url = NULL,
           email_reminders = FALSE, email_new_messages = FALSE
     WHERE user_id = user_id_param;
    UPDATE users
       SET email = v_tombstone_email,
           email_normalized = v_tombstone_email,
           password_hash = 'ERASED',
           status = 'deleted',
           email_verified = FALSE,
           email_verified_at = NULL,
           two_factor_enabled = FALSE,
           two_factor_secret = NULL,
           two_factor_pending_secret = NULL,
           encryption_key_id = NULL,
           last_login_ip = NULL,
           deleted_at = now()
     WHERE id = user_id_param;

    -- The account's own change feed (ids only) ends with it; the rows above told the therapist's devices.
    DELETE FROM change_log WHERE recipient_id = user_id_param;
    DELETE FROM change_log_recipients WHERE recipient_id = user_id_param;

    INSERT INTO audit_logs (user_id, action, entity_type, entity_id, metadata)
    VALUES (user_id_param, 'GDPR_DELETE', 'user', user_id_param,
            jsonb_build_object('reason', 'user_requested', 'timestamp', now()));
END;
$$;
REVOKE ALL ON FUNCTION delete_user_data(uuid) FROM PUBLIC;

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
