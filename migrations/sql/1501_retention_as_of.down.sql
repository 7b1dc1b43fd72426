DROP FUNCTION cleanup_old_data(timestamptz);
DROP FUNCTION anonymize_table_data(text, int, timestamptz);
DROP FUNCTION cleanup_old_data();
DROP FUNCTION anonymize_table_data(text, int);
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
