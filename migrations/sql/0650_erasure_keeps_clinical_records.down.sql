-- Back to 0400: the erasure deletes the clinical record and clinical records cascade from users.
-- Audit rows redacted by the up migration stay redacted (the values are gone).
DROP FUNCTION purge_erased_clinical_records();

CREATE OR REPLACE FUNCTION delete_user_data(user_id_param UUID)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid text := user_id_param::text;
BEGIN
    DELETE FROM messages WHERE sender_id = user_id_param;
    DELETE FROM journal_entries WHERE user_id = user_id_param;
    DELETE FROM mood_entries WHERE user_id = user_id_param;
    DELETE FROM habit_logs WHERE user_id = user_id_param;
    DELETE FROM habit_definitions WHERE user_id = user_id_param;
    DELETE FROM goals WHERE user_id = user_id_param;
    DELETE FROM questionnaire_responses WHERE client_id = user_id_param;
    DELETE FROM dynamic_forms WHERE client_id = user_id_param;
    DELETE FROM clinical_assessments WHERE client_id = user_id_param;
    DELETE FROM treatment_plans WHERE client_id = user_id_param;
    DELETE FROM patient_social_history WHERE client_id = user_id_param;
    DELETE FROM patient_psychiatric_history WHERE client_id = user_id_param;
    DELETE FROM patient_medical_history WHERE client_id = user_id_param;
    DELETE FROM session_notes WHERE client_id = user_id_param;
    DELETE FROM reviews WHERE client_id = user_id_param;
    DELETE FROM appointments WHERE client_id = user_id_param;
    DELETE FROM recurring_appointments WHERE client_id = user_id_param;
    DELETE FROM payment_methods WHERE user_id = user_id_param;
    DELETE FROM business_employees WHERE user_id = user_id_param;
    DELETE FROM notifications WHERE user_id = user_id_param;
    DELETE FROM email_queue WHERE user_id = user_id_param;
    DELETE FROM sms_queue WHERE user_id = user_id_param;
    DELETE FROM refresh_tokens WHERE user_id = user_id_param;
    DELETE FROM user_tokens WHERE user_id = user_id_param;
    DELETE FROM client_profiles WHERE user_id = user_id_param;
    DELETE FROM user_profiles WHERE user_id = user_id_param;

    UPDATE users
       SET email = 'deleted_' || id || '@deleted.com',
           email_normalized = 'deleted_' || id || '@deleted.com',
           password_hash = 'DELETED',
           status = 'deleted',
           two_factor_enabled = FALSE,
           two_factor_secret = NULL,
           two_factor_pending_secret = NULL,
           last_login_ip = NULL,
           deleted_at = now()
     WHERE id = user_id_param;

    UPDATE audit_logs
       SET old_values = NULL, new_values = NULL,
           metadata = metadata || jsonb_build_object('values_erased', 'gdpr')
     WHERE (old_values IS NOT NULL OR new_values IS NOT NULL)
       AND (entity_id = user_id_param
            OR old_values ->> 'client_id' = v_uid OR new_values ->> 'client_id' = v_uid
            OR old_values ->> 'user_id' = v_uid OR new_values ->> 'user_id' = v_uid
            OR old_values ->> 'sender_id' = v_uid OR new_values ->> 'sender_id' = v_uid);

    INSERT INTO audit_logs (user_id, action, entity_type, entity_id, metadata)
    VALUES (user_id_param, 'GDPR_DELETE', 'user', user_id_param,
            jsonb_build_object('reason', 'user_requested', 'timestamp', now()));
END;
$$;

DROP TRIGGER audit_users ON users;
CREATE TRIGGER audit_users AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function('password_hash');

ALTER TABLE appointments
    DROP CONSTRAINT appointments_client_id_fkey,
    DROP CONSTRAINT appointments_therapist_id_fkey,
    ADD CONSTRAINT appointments_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE CASCADE,
    ADD CONSTRAINT appointments_therapist_id_fkey FOREIGN KEY (therapist_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE session_notes
    DROP CONSTRAINT session_notes_client_id_fkey,
    DROP CONSTRAINT session_notes_therapist_id_fkey,
    DROP CONSTRAINT session_notes_appointment_id_fkey,
    ADD CONSTRAINT session_notes_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE CASCADE,
    ADD CONSTRAINT session_notes_therapist_id_fkey FOREIGN KEY (therapist_id) REFERENCES users(id) ON DELETE CASCADE,
    ADD CONSTRAINT session_notes_appointment_id_fkey FOREIGN KEY (appointment_id) REFERENCES appointments(id) ON DELETE CASCADE;
ALTER TABLE treatment_plans
    DROP CONSTRAINT treatment_plans_client_id_fkey,
    DROP CONSTRAINT treatment_plans_therapist_id_fkey,
    ADD CONSTRAINT treatment_plans_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE CASCADE,
    ADD CONSTRAINT treatment_plans_therapist_id_fkey FOREIGN KEY (therapist_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE clinical_assessments
    DROP CONSTRAINT clinical_assessments_client_id_fkey,
    DROP CONSTRAINT clinical_assessments_therapist_id_fkey,
    ADD CONSTRAINT clinical_assessments_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE CASCADE,
    ADD CONSTRAINT clinical_assessments_therapist_id_fkey FOREIGN KEY (therapist_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE patient_medical_history
    DROP CONSTRAINT patient_medical_history_client_id_fkey,
    ADD CONSTRAINT patient_medical_history_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE patient_psychiatric_history
    DROP CONSTRAINT patient_psychiatric_history_client_id_fkey,
    ADD CONSTRAINT patient_psychiatric_history_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE patient_social_history
    DROP CONSTRAINT patient_social_history_client_id_fkey,
    ADD CONSTRAINT patient_social_history_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE questionnaire_responses
    DROP CONSTRAINT questionnaire_responses_client_id_fkey,
    ADD CONSTRAINT questionnaire_responses_client_id_fkey FOREIGN KEY (client_id) REFERENCES users(id) ON DELETE CASCADE;
