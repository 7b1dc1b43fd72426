DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['therapist_search_documents', 'therapist_profiles', 'user_profiles', 'users',
        'therapist_specializations', 'therapist_approaches', 'therapist_languages', 'therapist_rates',
        'therapist_locations', 'specializations', 'therapeutic_approaches', 'appointment_types',
        'availability_templates', 'availability_exceptions', 'appointments', 'business_employees', 'business_accounts', 'consent_records'] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS trg_cache_invalidation ON %I', t);
    END LOOP;
END
$$;
DROP FUNCTION IF EXISTS record_cache_invalidation();
DROP FUNCTION IF EXISTS cache_tags_of_row(TEXT, JSONB);
DROP TABLE IF EXISTS cache_invalidations;

-- 0014's notify-only invalidation, as it was.
-- Sketch §11: the app listens on channel 'cache_invalidation' and deletes the Redis
-- keys (patterns ending in '*'). pg_notify is delivered at commit only.
CREATE FUNCTION invalidate_cache()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    j jsonb;
    cache_keys text[] := '{}';
BEGIN
    FOREACH j IN ARRAY ARRAY[
        CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
        CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END
    ] LOOP
        CONTINUE WHEN j IS NULL;
        CASE TG_TABLE_NAME
            WHEN 'therapist_profiles' THEN
                cache_keys := cache_keys || ARRAY[
                    'therapist:profile:' || (j ->> 'user_id'),
                    'search:therapists:*'
                ];
            WHEN 'appointments' THEN
                cache_keys := cache_keys || ARRAY[
                    'appointments:user:' || (j ->> 'client_id'),
                    'appointments:user:' || (j ->> 'therapist_id'),
                    'schedule:' || (j ->> 'therapist_id') || ':*',
                    'therapist:availability:' || (j ->> 'therapist_id') || ':*'
                ];
            WHEN 'availability_templates', 'availability_exceptions' THEN
                cache_keys := cache_keys || ARRAY[
                    'therapist:availability:' || (j ->> 'therapist_id') || ':*'
                ];
            ELSE
                NULL;
        END CASE;
    END LOOP;

    IF cardinality(cache_keys) > 0 THEN
        PERFORM pg_notify('cache_invalidation', json_build_object(
            'table', TG_TABLE_NAME,
            'op', TG_OP,
            'keys', (SELECT array_agg(DISTINCT k) FROM unnest(cache_keys) AS k),
            'timestamp', now()
        )::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER invalidate_therapist_cache
    AFTER INSERT OR UPDATE OR DELETE ON therapist_profiles
    FOR EACH ROW EXECUTE FUNCTION invalidate_cache();

CREATE TRIGGER invalidate_appointment_cache
    AFTER INSERT OR UPDATE OR DELETE ON appointments
    FOR EACH ROW EXECUTE FUNCTION invalidate_cache();

CREATE TRIGGER invalidate_availability_cache
    AFTER INSERT OR UPDATE OR DELETE ON availability_templates
    FOR EACH ROW EXECUTE FUNCTION invalidate_cache();

CREATE TRIGGER invalidate_availability_exception_cache
    AFTER INSERT OR UPDATE OR DELETE ON availability_exceptions
    FOR EACH ROW EXECUTE FUNCTION invalidate_cache();
