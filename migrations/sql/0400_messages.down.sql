-- Back to 0013's GDPR functions, then drop the table and its helpers.
CREATE OR REPLACE FUNCTION delete_user_data(user_id_param UUID)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid text := user_id_param::text;
BEGIN
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
            OR old_values ->> 'user_id' = v_uid OR new_values ->> 'user_id' = v_uid);

    INSERT INTO audit_logs (user_id, action, entity_type, entity_id, metadata)
    VALUES (user_id_param, 'GDPR_DELETE', 'user', user_id_param,
            jsonb_build_object('reason', 'user_requested', 'timestamp', now()));
END;
$$;

CREATE OR REPLACE FUNCTION export_user_data(user_id_param UUID)
RETURNS JSON
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    result jsonb;
BEGIN
    SELECT jsonb_build_object(
        'user', (SELECT to_jsonb(u) - ARRAY['password_hash', 'two_factor_secret', 'two_factor_pending_secret']
                   FROM users u WHERE u.id = user_id_param),
        'profile', (SELECT to_jsonb(up) FROM user_profiles up WHERE up.user_id = user_id_param),
        'client_profile', (SELECT to_jsonb(cp) FROM client_profiles cp WHERE cp.user_id = user_id_param),
        'therapist_profile', (SELECT to_jsonb(tp) FROM therapist_profiles tp WHERE tp.user_id = user_id_param),
        'appointments', (SELECT jsonb_agg(
                                    CASE WHEN a.therapist_id = user_id_param THEN to_jsonb(a)
                                         ELSE to_jsonb(a) - 'therapist_private_notes' END
                                    ORDER BY a.scheduled_start)
                           FROM appointments a
                          WHERE a.client_id = user_id_param OR a.therapist_id = user_id_param),
        'session_notes', (SELECT jsonb_agg(to_jsonb(n) ORDER BY n.created_at) FROM session_notes n WHERE n.client_id = user_id_param),
        'treatment_plans', (SELECT jsonb_agg(to_jsonb(t) ORDER BY t.start_date) FROM treatment_plans t WHERE t.client_id = user_id_param),
        'clinical_assessments', (SELECT jsonb_agg(to_jsonb(c) ORDER BY c.created_at) FROM clinical_assessments c WHERE c.client_id = user_id_param),
        'medical_history', (SELECT to_jsonb(h) FROM patient_medical_history h WHERE h.client_id = user_id_param),
        'psychiatric_history', (SELECT to_jsonb(h) FROM patient_psychiatric_history h WHERE h.client_id = user_id_param),
        'social_history', (SELECT to_jsonb(h) FROM patient_social_history h WHERE h.client_id = user_id_param),
        'mood_entries', (SELECT jsonb_agg(to_jsonb(m) ORDER BY m.recorded_at) FROM mood_entries m WHERE m.user_id = user_id_param),
        'journal_entries', (SELECT jsonb_agg(to_jsonb(j) ORDER BY j.created_at) FROM journal_entries j WHERE j.user_id = user_id_param),
        'habit_definitions', (SELECT jsonb_agg(to_jsonb(h) ORDER BY h.created_at) FROM habit_definitions h WHERE h.user_id = user_id_param),
        'habit_logs', (SELECT jsonb_agg(to_jsonb(l) ORDER BY l.logged_at) FROM habit_logs l WHERE l.user_id = user_id_param),
        'goals', (SELECT jsonb_agg(to_jsonb(g) ORDER BY g.created_at) FROM goals g WHERE g.user_id = user_id_param),
        'questionnaire_responses', (SELECT jsonb_agg(to_jsonb(q) ORDER BY q.created_at) FROM questionnaire_responses q WHERE q.client_id = user_id_param),
        'dynamic_forms', (SELECT jsonb_agg(to_jsonb(f) ORDER BY f.created_at) FROM dynamic_forms f WHERE f.client_id = user_id_param),
        'reviews', (SELECT jsonb_agg(to_jsonb(r) ORDER BY r.created_at) FROM reviews r WHERE r.client_id = user_id_param),
        'payment_methods', (SELECT jsonb_agg(to_jsonb(p) ORDER BY p.created_at) FROM payment_methods p WHERE p.user_id = user_id_param),
        'invoices', (SELECT jsonb_agg(to_jsonb(i) ORDER BY i.invoice_date) FROM invoices i WHERE i.user_id = user_id_param),
        'transactions', (SELECT jsonb_agg(to_jsonb(t) ORDER BY t.created_at) FROM transactions t WHERE t.user_id = user_id_param),
        'notifications', (SELECT jsonb_agg(to_jsonb(n) ORDER BY n.created_at) FROM notifications n WHERE n.user_id = user_id_param),
        'comments', (SELECT jsonb_agg(to_jsonb(c) ORDER BY c.created_at) FROM comments c WHERE c.user_id = user_id_param),
        'forum_threads', (SELECT jsonb_agg(to_jsonb(t) ORDER BY t.created_at) FROM forum_threads t WHERE t.author_id = user_id_param),
        'forum_replies', (SELECT jsonb_agg(to_jsonb(r) ORDER BY r.created_at) FROM forum_replies r WHERE r.author_id = user_id_param),
        'business_memberships', (SELECT jsonb_agg(to_jsonb(b)) FROM business_employees b WHERE b.user_id = user_id_param),
        'export_date', now()
    ) INTO result;

    RETURN result::json;
END;
$$;

DROP TABLE messages;
DROP FUNCTION record_message_change();
DROP FUNCTION may_message(uuid, uuid);
