DROP FUNCTION create_monthly_partitions(int, timestamptz);
DROP FUNCTION create_monthly_partitions(int);
DROP FUNCTION ensure_monthly_partitions(regclass, int, int);
DROP FUNCTION ensure_monthly_partitions(regclass, int, int, timestamptz);

CREATE FUNCTION ensure_monthly_partitions(parent regclass, months_ahead int DEFAULT 3, months_back int DEFAULT 1)
RETURNS SETOF text
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v_schema text;
    v_table text;
    v_key text;
    v_default regclass;
    v_month timestamp;
    v_from timestamptz;
    v_to timestamptz;
    v_name text;
    v_cols text;
    v_has_rows boolean;
BEGIN
    SELECT n.nspname, c.relname, a.attname, NULLIF(pt.partdefid, 0)::regclass
      INTO v_schema, v_table, v_key, v_default
      FROM pg_partitioned_table pt
      JOIN pg_class c ON c.oid = pt.partrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
     WHERE pt.partrelid = parent AND pt.partstrat = 'r' AND pt.partnatts = 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a table range-partitioned on one column', parent;
    END IF;

    SELECT string_agg(format('%I', attname), ', ' ORDER BY attnum)
      INTO v_cols
      FROM pg_attribute
     WHERE attrelid = parent AND attnum > 0 AND NOT attisdropped AND attgenerated = '';

    FOR i IN -months_back .. months_ahead LOOP
        v_month := date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i);
        v_from := v_month AT TIME ZONE 'UTC';
        v_to := (v_month + interval '1 month') AT TIME ZONE 'UTC';
        v_name := v_table || '_' || to_char(v_month, 'YYYY_MM');

        CONTINUE WHEN to_regclass(format('%I.%I', v_schema, v_name)) IS NOT NULL;

        v_has_rows := false;
        IF v_default IS NOT NULL THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I >= $1 AND %I < $2)',
                           v_default, v_key, v_key)
               INTO v_has_rows USING v_from, v_to;
        END IF;

        IF v_has_rows THEN
            -- Detach the default (ACCESS EXCLUSIVE on the parent until commit, so no
            -- insert can slip in), create the partition, move the rows, re-attach.
            EXECUTE format('ALTER TABLE %I.%I DETACH PARTITION %s', v_schema, v_table, v_default);
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                           v_schema, v_name, v_schema, v_table, v_from, v_to);
            EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %I >= $1 AND %I < $2 RETURNING %s) '
                           'INSERT INTO %I.%I (%s) SELECT %s FROM moved',
                           v_default, v_key, v_key, v_cols, v_schema, v_name, v_cols, v_cols)
               USING v_from, v_to;
            EXECUTE format('ALTER TABLE %I.%I ATTACH PARTITION %s DEFAULT', v_schema, v_table, v_default);
        ELSE
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                           v_schema, v_name, v_schema, v_table, v_from, v_to);
        END IF;
        RETURN NEXT v_name;
    END LOOP;
END;
$$;

CREATE FUNCTION create_monthly_partitions(months_ahead int DEFAULT 3)
RETURNS SETOF text
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['audit_logs', 'mood_entries', 'habit_logs'] LOOP
        IF to_regclass(t) IS NOT NULL THEN
            RETURN QUERY SELECT ensure_monthly_partitions(to_regclass(t), months_ahead, 0);
        END IF;
    END LOOP;
END;
$$;
