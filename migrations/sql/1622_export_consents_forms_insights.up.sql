-- GDPR export (issue 12): consent records, form answers (sealed; the privacy service opens them
-- like every sealed column), a therapist's own form templates and the daily mood rollups join
-- what 0400's export_user_data held. Sent forms (dynamic_forms) were in it already.
CREATE OR REPLACE FUNCTION export_user_data(user_id_param UUID)
RETURNS JSON
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    result jsonb;
BEGIN
    PERFORM refresh_mood_daily_rollups(user_id_param);
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
        'messages', (SELECT jsonb_agg(to_jsonb(m) ORDER BY m.created_at, m.id) FROM messages m
                      WHERE (m.sender_id = user_id_param OR m.recipient_id = user_id_param) AND m.deleted_at IS NULL),
        'comments', (SELECT jsonb_agg(to_jsonb(c) ORDER BY c.created_at) FROM comments c WHERE c.user_id = user_id_param),
        'forum_threads', (SELECT jsonb_agg(to_jsonb(t) ORDER BY t.created_at) FROM forum_threads t WHERE t.author_id = user_id_param),
        'forum_replies', (SELECT jsonb_agg(to_jsonb(r) ORDER BY r.created_at) FROM forum_replies r WHERE r.author_id = user_id_param),
        'business_memberships', (SELECT jsonb_agg(to_jsonb(b)) FROM business_employees b WHERE b.user_id = user_id_param),
        'consent_records', (SELECT jsonb_agg(to_jsonb(c) ORDER BY c.given_at, c.id) FROM consent_records c WHERE c.user_id = user_id_param),
        'form_responses', (SELECT jsonb_agg(to_jsonb(r) - 'sync_write' ORDER BY r.submitted_at, r.id) FROM form_responses r WHERE r.user_id = user_id_param),
        'form_templates', (SELECT jsonb_agg(to_jsonb(t) ORDER BY t.created_at, t.id) FROM form_templates t WHERE t.therapist_id = user_id_param),
        'mood_daily_rollups', (SELECT jsonb_agg(to_jsonb(d) ORDER BY d.day, d.scope) FROM mood_daily_rollups d WHERE d.user_id = user_id_param),
        'export_date', now()
    ) INTO result;

    RETURN result::json;
END;
$$;
