-- Backup bookkeeping (sketch §6), data retention (§7) and GDPR export/erasure (§8).
-- The sketch's ALTER SYSTEM (wal_level, archive_*) and CREATE PUBLICATION are server
-- configuration, not schema: ALTER SYSTEM cannot run in a transaction and both need a
-- superuser, so they belong to the ops setup (see migrations/README.md).
CREATE TABLE backup_policies (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    policy_name VARCHAR(100) NOT NULL UNIQUE,
    schedule_type backup_schedule_type NOT NULL,
    retention_days INT NOT NULL CHECK (retention_days > 0),
    encryption_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    storage_location VARCHAR(500),
    last_backup_at TIMESTAMPTZ,
    next_backup_at TIMESTAMPTZ,
    is_active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE backup_history (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    policy_id UUID REFERENCES backup_policies(id) ON DELETE SET NULL,
    backup_type backup_type NOT NULL,
    start_time TIMESTAMPTZ NOT NULL,
    end_time TIMESTAMPTZ,
    size_bytes BIGINT CHECK (size_bytes >= 0),
    status backup_status NOT NULL DEFAULT 'running',
    error_message TEXT,
    file_path VARCHAR(500),
    checksum VARCHAR(64),
    CONSTRAINT chk_backup_times CHECK (end_time IS NULL OR end_time >= start_time)
);
CREATE INDEX idx_backup_history_policy ON backup_history (policy_id, start_time DESC);

-- timestamp_column added: not every table has created_at (audit_logs, api_rate_limits,
-- the time-series tables).
CREATE TABLE data_retention_policies (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    table_name VARCHAR(100) NOT NULL UNIQUE,
    timestamp_column VARCHAR(63) NOT NULL DEFAULT 'created_at',
    retention_days INT NOT NULL CHECK (retention_days > 0),
    deletion_strategy retention_strategy NOT NULL,
    last_cleanup_at TIMESTAMPTZ,
    is_active BOOLEAN NOT NULL DEFAULT TRUE
);

INSERT INTO data_retention_policies (table_name, timestamp_column, retention_days, deletion_strategy) VALUES
    ('audit_logs', 'performed_at', 365, 'hard_delete'),
    ('email_queue', 'created_at', 30, 'hard_delete'),
    ('sms_queue', 'created_at', 30, 'hard_delete'),
    ('api_rate_limits', 'window_start', 1, 'hard_delete'),
    ('refresh_tokens', 'expires_at', 30, 'hard_delete'),
    ('user_tokens', 'expires_at', 7, 'hard_delete'),
    ('mood_entries', 'recorded_at', 730, 'anonymize'),   -- 2 years
    ('habit_logs', 'logged_at', 365, 'hard_delete'),     -- sketch §13 retention policy
    ('session_notes', 'created_at', 2555, 'soft_delete'), -- 7 years (medical records)
    ('appointments', 'created_at', 2555, 'soft_delete'),
    ('transactions', 'created_at', 2555, 'soft_delete');

-- Population-level daily mood figures kept after raw entries pass retention: no user id.
CREATE TABLE anonymized_mood_daily_stats (
    day DATE PRIMARY KEY,
    entry_count BIGINT NOT NULL,
    mood_score_sum BIGINT NOT NULL,
    energy_level_sum BIGINT NOT NULL DEFAULT 0,
    energy_level_count BIGINT NOT NULL DEFAULT 0,
    anxiety_level_sum BIGINT NOT NULL DEFAULT 0,
    anxiety_level_count BIGINT NOT NULL DEFAULT 0,
    sleep_quality_sum BIGINT NOT NULL DEFAULT 0,
    sleep_quality_count BIGINT NOT NULL DEFAULT 0
);

-- Referenced by the sketch's cleanup_old_data but never defined. Returns rows removed.
CREATE FUNCTION anonymize_table_data(p_table_name text, p_retention_days int)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v_cutoff timestamptz := now() - make_interval(days => p_retention_days);
    v_count bigint;
    v_deleted bigint;
BEGIN
    IF p_table_name = 'mood_entries' THEN
        SELECT count(*) INTO v_count FROM mood_entries WHERE recorded_at < v_cutoff;
        INSERT INTO anonymized_mood_daily_stats AS s
               (day, entry_count, mood_score_sum, energy_level_sum, energy_level_count,
                anxiety_level_sum, anxiety_level_count, sleep_quality_sum, sleep_quality_count)
        SELECT (recorded_at AT TIME ZONE 'Europe/Athens')::date, count(*), sum(mood_score),
               coalesce(sum(energy_level), 0), count(energy_level),
               coalesce(sum(anxiety_level), 0), count(anxiety_level),
               coalesce(sum(sleep_quality), 0), count(sleep_quality)
          FROM mood_entries
         WHERE recorded_at < v_cutoff AND deleted_at IS NULL
         GROUP BY 1
        ON CONFLICT (day) DO UPDATE SET
            entry_count = s.entry_count + EXCLUDED.entry_count,
            mood_score_sum = s.mood_score_sum + EXCLUDED.mood_score_sum,
            energy_level_sum = s.energy_level_sum + EXCLUDED.energy_level_sum,
            energy_level_count = s.energy_level_count + EXCLUDED.energy_level_count,
            anxiety_level_sum = s.anxiety_level_sum + EXCLUDED.anxiety_level_sum,
            anxiety_level_count = s.anxiety_level_count + EXCLUDED.anxiety_level_count,
            sleep_quality_sum = s.sleep_quality_sum + EXCLUDED.sleep_quality_sum,
            sleep_quality_count = s.sleep_quality_count + EXCLUDED.sleep_quality_count;
        PERFORM drop_old_partitions('mood_entries', v_cutoff);
        DELETE FROM mood_entries WHERE recorded_at < v_cutoff;
        GET DIAGNOSTICS v_deleted = ROW_COUNT;
        RETURN v_count;
    END IF;
    RAISE NOTICE 'anonymize_table_data: no anonymization rule for table %', p_table_name;
    RETURN 0;
END;
$$;

-- Run daily by the app's job runner (no pg_cron): SELECT * FROM cleanup_old_data();
-- Returns one row per applied policy. Partitioned tables drop whole expired partitions
-- first, then delete the remaining expired rows.
CREATE FUNCTION cleanup_old_data()
RETURNS TABLE (policy_table text, strategy retention_strategy, rows_affected bigint, partitions_dropped text[])
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    p record;
    v_rel regclass;
    v_cutoff timestamptz;
BEGIN
    FOR p IN SELECT * FROM data_retention_policies r WHERE r.is_active ORDER BY r.table_name LOOP
        v_rel := to_regclass(p.table_name);
        IF v_rel IS NULL OR NOT EXISTS (
            SELECT 1 FROM pg_attribute
             WHERE attrelid = v_rel AND attname = p.timestamp_column AND NOT attisdropped) THEN
            RAISE NOTICE 'cleanup_old_data: skipping %.%: no such table or column', p.table_name, p.timestamp_column;
            CONTINUE;
        END IF;
        v_cutoff := now() - make_interval(days => p.retention_days);
        policy_table := p.table_name;
        strategy := p.deletion_strategy;
        rows_affected := 0;
        partitions_dropped := '{}';

        CASE p.deletion_strategy
            WHEN 'hard_delete' THEN
                IF EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = v_rel) THEN
                    partitions_dropped := ARRAY(SELECT drop_old_partitions(v_rel, v_cutoff));
                END IF;
                EXECUTE format('DELETE FROM %s WHERE %I < $1', v_rel, p.timestamp_column) USING v_cutoff;
                GET DIAGNOSTICS rows_affected = ROW_COUNT;
            WHEN 'soft_delete' THEN
                IF NOT EXISTS (SELECT 1 FROM pg_attribute
                                WHERE attrelid = v_rel AND attname = 'deleted_at' AND NOT attisdropped) THEN
                    RAISE NOTICE 'cleanup_old_data: skipping %: no deleted_at column', p.table_name;
                    CONTINUE;
                END IF;
                EXECUTE format('UPDATE %s SET deleted_at = now() WHERE %I < $1 AND deleted_at IS NULL',
                               v_rel, p.timestamp_column) USING v_cutoff;
                GET DIAGNOSTICS rows_affected = ROW_COUNT;
            WHEN 'anonymize' THEN
                rows_affected := anonymize_table_data(p.table_name, p.retention_days);
        END CASE;

        UPDATE data_retention_policies SET last_cleanup_at = now() WHERE id = p.id;
        RETURN NEXT;
    END LOOP;
END;
$$;

-- GDPR right of access. Encrypted (bytea) columns come out as hex strings ("\x..."):
-- the application decrypts them before handing the export to the user.
CREATE FUNCTION export_user_data(user_id_param UUID)
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

-- GDPR right to erasure. Clinical and wellness data are deleted; the users row is
-- anonymised (invoices/transactions must be kept for tax law and keep their foreign
-- keys); audit rows about the user keep who/what/when but lose their values.
CREATE FUNCTION delete_user_data(user_id_param UUID)
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

REVOKE ALL ON FUNCTION export_user_data(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION delete_user_data(uuid) FROM PUBLIC;
