-- Back to 0901/0650: erase_own_data without the client check, the purge the owner's alone, and
-- 0650's delete_user_data (which names the users columns 0631 dropped).
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
           failed_login_attempts = 0,
           locked_until = NULL,
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
