-- The sketch's health check (implementation §2, 0014) as numbers, for /metrics and the admin health
-- route; check_database_health() keeps its shape for people (psql) and formats these.
-- SECURITY DEFINER: the owner's view of pg_stat_activity (another role's sessions show no state to
-- tf_system) and of every default partition (row-level security would hide rows from the caller).
-- Connections are judged against max_connections: the sketch's 700/900 assumed a limit of 1000.
CREATE FUNCTION database_health()
RETURNS TABLE (metric_name text, metric_value double precision, unit text, status text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_size bigint := pg_database_size(current_database());
    v_max_connections int := current_setting('max_connections')::int;
    v_connections bigint;
    v_long_queries bigint;
    v_dead_ratio numeric;
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
    SELECT count(*) INTO v_connections FROM pg_stat_activity WHERE backend_type = 'client backend';
    SELECT count(*) INTO v_long_queries FROM pg_stat_activity
     WHERE backend_type = 'client backend' AND state = 'active' AND query_start < now() - interval '5 minutes';
    SELECT coalesce(avg(n_dead_tup::numeric / NULLIF(n_live_tup, 0)), 0) INTO v_dead_ratio FROM pg_stat_user_tables;

    RETURN QUERY VALUES
        ('database_size', v_size::float8, 'bytes', CASE WHEN v_size > 1099511627776 THEN 'warning' ELSE 'ok' END),
        ('active_connections', v_connections::float8, 'connections',
         CASE WHEN v_connections > 0.9 * v_max_connections THEN 'critical'
              WHEN v_connections > 0.7 * v_max_connections THEN 'warning' ELSE 'ok' END),
        ('long_queries', v_long_queries::float8, 'queries', CASE WHEN v_long_queries > 10 THEN 'warning' ELSE 'ok' END),
        ('table_bloat', round(v_dead_ratio * 100, 2)::float8, 'percent', CASE WHEN v_dead_ratio > 0.2 THEN 'warning' ELSE 'ok' END),
        ('default_partition_rows', v_default_rows::float8, 'rows', CASE WHEN v_default_rows > 0 THEN 'warning' ELSE 'ok' END);
END;
$$;
REVOKE ALL ON FUNCTION database_health() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION database_health() TO tf_system;

CREATE OR REPLACE FUNCTION check_database_health()
RETURNS TABLE (metric_name text, metric_value text, status text)
LANGUAGE sql
SET search_path = public, pg_temp
AS $$
    SELECT h.metric_name,
           CASE h.unit
               WHEN 'bytes' THEN pg_size_pretty(h.metric_value::bigint)
               WHEN 'percent' THEN h.metric_value::text || '%'
               ELSE h.metric_value::bigint::text
           END,
           h.status
      FROM database_health() h;
$$;
REVOKE ALL ON FUNCTION check_database_health() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION check_database_health() TO tf_system;
