-- check_database_health() as 0014 defined it, open to everyone again.
DROP FUNCTION check_database_health();
CREATE FUNCTION check_database_health()
RETURNS TABLE (
    metric_name TEXT,
    metric_value TEXT,
    status TEXT
)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v_default_rows bigint := 0;
    v_count bigint;
    d regclass;
BEGIN
    FOR d IN SELECT pt.partdefid::regclass FROM pg_partitioned_table pt
              JOIN pg_class c ON c.oid = pt.partrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE pt.partdefid <> 0 AND n.nspname = 'public' LOOP
        EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %s LIMIT 10000) x', d) INTO v_count;
        v_default_rows := v_default_rows + v_count;
    END LOOP;

    RETURN QUERY
    SELECT 'database_size'::text,
           pg_size_pretty(pg_database_size(current_database())),
           CASE WHEN pg_database_size(current_database()) > 1099511627776 THEN 'warning' ELSE 'ok' END
    UNION ALL
    SELECT 'active_connections',
           COUNT(*)::text,
           CASE WHEN COUNT(*) > 900 THEN 'critical' WHEN COUNT(*) > 700 THEN 'warning' ELSE 'ok' END
      FROM pg_stat_activity
    UNION ALL
    SELECT 'long_queries',
           COUNT(*)::text,
           CASE WHEN COUNT(*) > 10 THEN 'warning' ELSE 'ok' END
      FROM pg_stat_activity
     WHERE state = 'active' AND query_start < now() - INTERVAL '5 minutes'
    UNION ALL
    SELECT 'table_bloat',
           coalesce(ROUND(AVG(n_dead_tup::numeric / NULLIF(n_live_tup, 0) * 100), 2)::text, '0') || '%',
           CASE WHEN AVG(n_dead_tup::numeric / NULLIF(n_live_tup, 0)) > 0.2 THEN 'warning' ELSE 'ok' END
      FROM pg_stat_user_tables
    UNION ALL
    SELECT 'default_partition_rows',
           v_default_rows::text,
           CASE WHEN v_default_rows > 0 THEN 'warning' ELSE 'ok' END;
END;
$$;
DROP FUNCTION database_health();
