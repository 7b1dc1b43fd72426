-- A client's erasure (GDPR art. 17) no longer destroys the clinical record their therapist must
-- keep by law (art. 17(3)(c) and (b); Greek medical records: the retention of
-- data_retention_policies' `session_notes` row, 2555 days). The record is kept detached from the
-- person and removed by the retention job once that period has passed. What is erased, what is
-- kept and why: server/src/privacy/README.md.

-- 1. Clinical records no longer go with a users row: deleting a person who still has a clinical
--    record is refused instead of silently deleting the record.
ALTER TABLE appointments
    DROP CONSTRAINT appointments_client_id_fkey,
    DROP CONSTRAINT appointments_therapist_id_fkey,
    ADD CONSTRAINT appointments_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE RESTRICT,
    ADD CONSTRAINT appointments_therapist_id_fkey FOREIGN KEY (therapist_id) REFERENCES users(id) ON DELETE RESTRICT;
ALTER TABLE session_notes
    DROP CONSTRAINT session_notes_client_id_fkey,
    DROP CONSTRAINT session_notes_therapist_id_fkey,
    DROP CONSTRAINT session_notes_appointment_id_fkey,
    ADD CONSTRAINT session_notes_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE RESTRICT,
    ADD CONSTRAINT session_notes_therapist_id_fkey FOREIGN KEY (therapist_id) REFERENCES users(id) ON DELETE RESTRICT,
    ADD CONSTRAINT session_notes_appointment_id_fkey FOREIGN KEY (appointment_id) REFERENCES appointments(id) ON DELETE RESTRICT;
ALTER TABLE treatment_plans
    DROP CONSTRAINT treatment_plans_client_id_fkey,
    DROP CONSTRAINT treatment_plans_therapist_id_fkey,
    ADD CONSTRAINT treatment_plans_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE RESTRICT,
    ADD CONSTRAINT treatment_plans_therapist_id_fkey FOREIGN KEY (therapist_id) REFERENCES users(id) ON DELETE RESTRICT;
ALTER TABLE clinical_assessments
    DROP CONSTRAINT clinical_assessments_client_id_fkey,
    DROP CONSTRAINT clinical_assessments_therapist_id_fkey,
    ADD CONSTRAINT clinical_assessments_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE RESTRICT,
    ADD CONSTRAINT clinical_assessments_therapist_id_fkey FOREIGN KEY (therapist_id) REFERENCES users(id) ON DELETE RESTRICT;
ALTER TABLE patient_medical_history
    DROP CONSTRAINT patient_medical_history_client_id_fkey,
    ADD CONSTRAINT patient_medical_history_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE RESTRICT;
ALTER TABLE patient_psychiatric_history
    DROP CONSTRAINT patient_psychiatric_history_client_id_fkey,
    ADD CONSTRAINT patient_psychiatric_history_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE RESTRICT;
ALTER TABLE patient_social_history
    DROP CONSTRAINT patient_social_history_client_id_fkey,
    ADD CONSTRAINT patient_social_history_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE RESTRICT;
ALTER TABLE questionnaire_responses
    DROP CONSTRAINT questionnaire_responses_client_id_fkey,
    ADD CONSTRAINT questionnaire_responses_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE RESTRICT;

-- 2. Audit rows never hold an account's email or login address: the users audit trigger redacts
--    them like the password hash, and rows written before this migration are redacted once.
DROP TRIGGER audit_users ON users;
CREATE TRIGGER audit_users AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function('password_hash', 'email', 'email_normalized', 'last_login_ip');

CREATE FUNCTION redact_audit_values(p_values jsonb, p_keys text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
    SELECT p_values || coalesce(
        (SELECT jsonb_object_agg(e.key, '[redacted]') FROM jsonb_each(p_values) e
          WHERE e.key = ANY(p_keys) AND e.value <> 'null'::jsonb),
        '{}'::jsonb)
$$;

UPDATE audit_logs
   SET old_values = redact_audit_values(old_values, ARRAY['email', 'email_normalized', 'last_login_ip']),
       new_values = redact_audit_values(new_values, ARRAY['email', 'email_normalized', 'last_login_ip'])
 WHERE entity_type = 'users'
   AND (old_values ?| ARRAY['email', 'email_normalized', 'last_login_ip'] OR new_values ?| ARRAY['email', 'email_normalized', 'last_login_ip']);

DROP FUNCTION redact_audit_values(jsonb, text[]);

-- 3. The erasure: personal data that is not a clinical record is deleted, the clinical record is
--    kept under the anonymised account (the "former client"), and text written for others that
--    names the person (reminder emails and SMS, series notices) is removed.
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

-- 4. The retention job (daily, server/src/privacy): an erased client's clinical record goes as a
--    whole once the medical-record retention (data_retention_policies' `session_notes` row) has
--    passed since its last session or change. Returns the number of former clients purged.
CREATE FUNCTION purge_erased_clinical_records()
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_retention_days int;
    v_clients uuid[];
BEGIN
    SELECT retention_days INTO v_retention_days FROM data_retention_policies WHERE table_name = 'session_notes' AND is_active;
    IF v_retention_days IS NULL THEN
        RETURN 0;
    END IF;
    SELECT coalesce(array_agg(u.id), '{}') INTO v_clients
      FROM users u
     WHERE u.status = 'deleted'
       AND greatest(
             (SELECT max(greatest(a.scheduled_end, a.updated_at)) FROM appointments a WHERE a.client_id = u.id),
             (SELECT max(n.updated_at) FROM session_notes n WHERE n.client_id = u.id),
             (SELECT max(t.updated_at) FROM treatment_plans t WHERE t.client_id = u.id),
             (SELECT max(c.created_at) FROM clinical_assessments c WHERE c.client_id = u.id),
             (SELECT max(q.updated_at) FROM questionnaire_responses q WHERE q.client_id = u.id),
             (SELECT max(h.updated_at) FROM patient_medical_history h WHERE h.client_id = u.id),
             (SELECT max(h.updated_at) FROM patient_psychiatric_history h WHERE h.client_id = u.id),
             (SELECT max(h.updated_at) FROM patient_social_history h WHERE h.client_id = u.id)
           ) < now() - make_interval(days => v_retention_days);
    IF cardinality(v_clients) = 0 THEN
        RETURN 0;
    END IF;
    DELETE FROM session_notes WHERE client_id = ANY (v_clients);
    DELETE FROM treatment_plans WHERE client_id = ANY (v_clients);
    DELETE FROM clinical_assessments WHERE client_id = ANY (v_clients);
    DELETE FROM questionnaire_responses WHERE client_id = ANY (v_clients);
    DELETE FROM patient_medical_history WHERE client_id = ANY (v_clients);
    DELETE FROM patient_psychiatric_history WHERE client_id = ANY (v_clients);
    DELETE FROM patient_social_history WHERE client_id = ANY (v_clients);
    DELETE FROM appointments WHERE client_id = ANY (v_clients);
    INSERT INTO audit_logs (action, entity_type, entity_id, metadata)
    SELECT 'retention.clinical_record_purged', 'user', c, jsonb_build_object('retention_days', v_retention_days)
      FROM unnest(v_clients) c;
    RETURN cardinality(v_clients);
END;
$$;

REVOKE ALL ON FUNCTION purge_erased_clinical_records() FROM PUBLIC;
