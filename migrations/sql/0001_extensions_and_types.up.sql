-- Extensions, domains, enum types and generic helper functions (sketch §3, §4, §9).
-- TimescaleDB, pg_cron and PostGIS are not used: native partitioning, the app's job
-- runner and earthdistance replace them. earthdistance is not a trusted extension:
-- this file needs a superuser unless the extensions already exist.
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS earthdistance WITH SCHEMA public;

-- Domains (§3)
CREATE DOMAIN email_address AS VARCHAR(255)
    CHECK (VALUE ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$');

CREATE DOMAIN phone_number AS VARCHAR(20)
    CHECK (VALUE ~ '^\+?[0-9\s\-\(\)]+$');

CREATE DOMAIN positive_money AS DECIMAL(10, 2)
    CHECK (VALUE >= 0);

CREATE DOMAIN percentage AS DECIMAL(5, 2)
    CHECK (VALUE >= 0 AND VALUE <= 100);

CREATE TYPE permission_set AS (
    resource VARCHAR(50),
    actions VARCHAR(20)[]
);

-- Enum types (the sketch's inline ENUM(...) columns)
CREATE TYPE user_role AS ENUM ('client', 'therapist', 'business_admin', 'super_admin');
CREATE TYPE user_status AS ENUM ('pending', 'active', 'suspended', 'deleted');
CREATE TYPE gender AS ENUM ('male', 'female', 'other', 'prefer_not_to_say');
CREATE TYPE marital_status AS ENUM ('single', 'married', 'divorced', 'widowed', 'partnership');
CREATE TYPE business_plan_type AS ENUM ('starter', 'professional', 'enterprise');
CREATE TYPE business_account_status AS ENUM ('trial', 'active', 'suspended', 'cancelled');
CREATE TYPE business_admin_role_type AS ENUM ('owner', 'admin', 'hr_admin', 'finance_admin', 'wellness_coordinator', 'viewer');
CREATE TYPE employee_enrollment_status AS ENUM ('invited', 'active', 'inactive', 'departed');
CREATE TYPE user_token_purpose AS ENUM ('email_verification', 'password_reset');
CREATE TYPE approach_proficiency AS ENUM ('basic', 'intermediate', 'advanced', 'expert');
CREATE TYPE language_proficiency AS ENUM ('basic', 'conversational', 'fluent', 'native');
CREATE TYPE location_type AS ENUM ('primary', 'secondary');
CREATE TYPE availability_session_type AS ENUM ('in_person', 'online', 'both');
CREATE TYPE session_type AS ENUM ('in_person', 'online');
CREATE TYPE appointment_status AS ENUM ('requested', 'confirmed', 'declined', 'cancelled', 'completed', 'no_show', 'rescheduled');
CREATE TYPE recurrence_frequency AS ENUM ('weekly', 'biweekly', 'monthly');
CREATE TYPE note_type AS ENUM ('soap', 'dap', 'birp', 'custom');
CREATE TYPE treatment_plan_status AS ENUM ('active', 'completed', 'terminated');
CREATE TYPE habit_frequency AS ENUM ('daily', 'weekly', 'custom');
CREATE TYPE goal_progress_type AS ENUM ('percentage', 'milestone', 'binary');
CREATE TYPE payment_method_type AS ENUM ('card', 'bank_transfer', 'paypal', 'corporate');
CREATE TYPE invoice_status AS ENUM ('draft', 'sent', 'paid', 'overdue', 'cancelled');
CREATE TYPE transaction_type AS ENUM ('payment', 'refund', 'chargeback', 'payout');
CREATE TYPE transaction_status AS ENUM ('pending', 'processing', 'completed', 'failed', 'cancelled');
CREATE TYPE payout_status AS ENUM ('pending', 'processing', 'completed', 'failed');
CREATE TYPE article_status AS ENUM ('draft', 'published', 'archived');
CREATE TYPE article_interaction_type AS ENUM ('view', 'like', 'bookmark', 'share');
CREATE TYPE review_status AS ENUM ('pending', 'approved', 'rejected', 'hidden');
CREATE TYPE supervision_relationship_status AS ENUM ('active', 'completed', 'terminated');
CREATE TYPE supervision_session_status AS ENUM ('scheduled', 'completed', 'cancelled');
CREATE TYPE queue_status AS ENUM ('pending', 'sending', 'sent', 'failed');
CREATE TYPE backup_schedule_type AS ENUM ('continuous', 'daily', 'weekly', 'monthly');
CREATE TYPE backup_type AS ENUM ('full', 'incremental', 'differential');
CREATE TYPE backup_status AS ENUM ('running', 'completed', 'failed');
CREATE TYPE retention_strategy AS ENUM ('hard_delete', 'soft_delete', 'anonymize');

-- IMMUTABLE wrapper around unaccent so it can be used in index expressions
-- (unaccent() itself is only STABLE). Schema-qualified so it also works under the
-- restricted search_path PostgreSQL 17+ uses for index builds and REFRESH.
CREATE FUNCTION f_unaccent(text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- Accent- and case-insensitive form for LIKE / trigram matching. lower() only folds
-- Greek when the database ctype is not "C", so Greek capitals are folded explicitly;
-- final sigma is folded to sigma.
CREATE FUNCTION f_search_normalize(text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
    SELECT pg_catalog.translate(
        pg_catalog.lower(public.f_unaccent($1)),
        'ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩς',
        'αβγδεζηθικλμνξοπρστυφχψωσ')
$$;

-- Keeps updated_at current unless the statement set it explicitly.
CREATE FUNCTION set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;

-- Rejects an UPDATE that changes any column named in the trigger arguments (used for
-- the (id, time) keys of partitioned rows, which offline clients use as identity).
CREATE FUNCTION forbid_column_change()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    c text;
    o jsonb := to_jsonb(OLD);
    n jsonb := to_jsonb(NEW);
BEGIN
    FOREACH c IN ARRAY TG_ARGV LOOP
        IF o -> c IS DISTINCT FROM n -> c THEN
            RAISE EXCEPTION '%.% cannot be changed after creation', TG_TABLE_NAME, c
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NEW;
END;
$$;

-- Creates the monthly range partitions (UTC month bounds) of a table partitioned by
-- one timestamptz column, from months_back before to months_ahead after the current
-- month. Rows already sitting in the DEFAULT partition for a new month are moved into
-- the new partition (PostgreSQL refuses to create it otherwise). Returns the names of
-- the partitions created. Run by the app's job runner (no pg_cron) at least monthly.
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

-- Drops the range partitions of parent whose upper bound is <= older_than (never the
-- DEFAULT partition). Used by retention (cleanup_old_data). Returns the dropped names.
CREATE FUNCTION drop_old_partitions(parent regclass, older_than timestamptz)
RETURNS SETOF text
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    p record;
BEGIN
    FOR p IN
        SELECT c.oid::regclass AS part, c.relname,
               substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']+)''\)') AS upper_bound
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = parent
    LOOP
        IF p.upper_bound IS NOT NULL AND p.upper_bound::timestamptz <= older_than THEN
            EXECUTE format('DROP TABLE %s', p.part);
            RETURN NEXT p.relname;
        END IF;
    END LOOP;
END;
$$;

-- Sketch §4 helpers, kept for ad-hoc/ops use only. Clinical columns are NOT encrypted
-- in the database: the application encrypts them (AES-256-GCM, key from its
-- environment, key id stored in each table's encryption_key_id) and stores bytea.
-- These use pgp_sym_encrypt (salted, integrity-checked) instead of raw 'aes' and need
-- app.encryption_key set in the session; they are not SECURITY DEFINER.
CREATE FUNCTION encrypt_sensitive_data(data text)
RETURNS text
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN encode(pgp_sym_encrypt(data, current_setting('app.encryption_key'), 'cipher-algo=aes256'), 'base64');
END;
$$;

CREATE FUNCTION decrypt_sensitive_data(encrypted_data text)
RETURNS text
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN pgp_sym_decrypt(decode(encrypted_data, 'base64'), current_setting('app.encryption_key'));
END;
$$;
