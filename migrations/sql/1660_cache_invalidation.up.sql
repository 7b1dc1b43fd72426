-- Seed §11's cache invalidation, made durable. 0014's invalidate_cache() sent pg_notify only:
-- lost whenever no node was listening, and naming keys by pattern. Here a write records the cache
-- tags its row touches in cache_invalidations, in the writing transaction, so only committed
-- changes invalidate and none is lost; a node drains the table (under an advisory lock, one at a
-- time), bumps each tag's version in Redis and deletes the rows. Entries remember the tag versions
-- they were read under, so every node agrees at once. NOTIFY on the change-log channel wakes the
-- nodes (the change feed's listener); a node drains after each write request it served as well.
DROP TRIGGER IF EXISTS invalidate_therapist_cache ON therapist_profiles;
DROP TRIGGER IF EXISTS invalidate_appointment_cache ON appointments;
DROP TRIGGER IF EXISTS invalidate_availability_cache ON availability_templates;
DROP TRIGGER IF EXISTS invalidate_availability_exception_cache ON availability_exceptions;
DROP FUNCTION IF EXISTS invalidate_cache();

CREATE TABLE cache_invalidations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tags TEXT[] NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Written only by the trigger (SECURITY DEFINER), drained by the platform.
GRANT SELECT, DELETE ON cache_invalidations TO tf_system;
ALTER TABLE cache_invalidations ENABLE ROW LEVEL SECURITY;
ALTER TABLE cache_invalidations FORCE ROW LEVEL SECURITY;

-- The tags of one row version of the table the trigger fired on. The tag names are the cache's
-- (server/src/cache/cache-tags.ts).
CREATE FUNCTION cache_tags_of_row(table_name TEXT, r JSONB)
RETURNS TEXT[]
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN CASE table_name
        WHEN 'therapist_search_documents' THEN ARRAY['search', 'therapist:' || (r ->> 'therapist_id')]
        -- Time zone, notice, buffer and horizon shape slots and how appointments read.
        WHEN 'therapist_profiles' THEN ARRAY['therapist:' || (r ->> 'user_id'), 'schedule:' || (r ->> 'user_id'), 'therapist-settings']
        WHEN 'user_profiles' THEN ARRAY['therapist:' || (r ->> 'user_id')]
        WHEN 'users' THEN ARRAY['therapist:' || (r ->> 'id'), 'schedule:' || (r ->> 'id')]
        WHEN 'therapist_specializations' THEN ARRAY['therapist:' || (r ->> 'therapist_id')]
        WHEN 'therapist_approaches' THEN ARRAY['therapist:' || (r ->> 'therapist_id')]
        WHEN 'therapist_languages' THEN ARRAY['therapist:' || (r ->> 'therapist_id')]
        WHEN 'therapist_rates' THEN ARRAY['therapist:' || (r ->> 'therapist_id')]
        WHEN 'therapist_locations' THEN ARRAY['therapist:' || (r ->> 'therapist_id'), 'schedule:' || (r ->> 'therapist_id')]
        WHEN 'specializations' THEN ARRAY['catalog']
        WHEN 'therapeutic_approaches' THEN ARRAY['catalog']
        WHEN 'appointment_types' THEN ARRAY['appointment-types']
        WHEN 'availability_templates' THEN ARRAY['schedule:' || (r ->> 'therapist_id')]
        WHEN 'availability_exceptions' THEN ARRAY['schedule:' || (r ->> 'therapist_id')]
        WHEN 'appointments' THEN ARRAY[
                'schedule:' || (r ->> 'therapist_id'),
                'appointments:' || (r ->> 'client_id'),
                'appointments:' || (r ->> 'therapist_id')]
            || ARRAY(SELECT 'business:' || be.business_id FROM business_employees be WHERE be.user_id = (r ->> 'client_id')::uuid)
        WHEN 'business_employees' THEN ARRAY['business:' || (r ->> 'business_id')]
        -- An employee's consent to business analytics decides whether their sessions count (1250).
        WHEN 'consent_records' THEN ARRAY(SELECT 'business:' || be.business_id FROM business_employees be WHERE be.user_id = (r ->> 'user_id')::uuid)
        WHEN 'business_accounts' THEN ARRAY['business:' || (r ->> 'id')]
    END;
END;
$$;

CREATE FUNCTION record_cache_invalidation()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    tags TEXT[] := '{}';
BEGIN
    IF TG_OP <> 'INSERT' THEN
        tags := tags || cache_tags_of_row(TG_TABLE_NAME, to_jsonb(OLD));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        tags := tags || cache_tags_of_row(TG_TABLE_NAME, to_jsonb(NEW));
    END IF;
    tags := ARRAY(SELECT DISTINCT t FROM unnest(tags) AS t WHERE t IS NOT NULL);
    IF cardinality(tags) > 0 THEN
        INSERT INTO cache_invalidations (tags) VALUES (tags);
        PERFORM pg_notify('change_log', '');
    END IF;
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['therapist_search_documents', 'therapist_profiles', 'user_profiles', 'users',
        'therapist_specializations', 'therapist_approaches', 'therapist_languages', 'therapist_rates',
        'therapist_locations', 'specializations', 'therapeutic_approaches', 'appointment_types',
        'availability_templates', 'availability_exceptions', 'appointments', 'business_employees', 'business_accounts', 'consent_records'] LOOP
        EXECUTE format('CREATE TRIGGER trg_cache_invalidation AFTER INSERT OR UPDATE OR DELETE ON %I
                        FOR EACH ROW EXECUTE FUNCTION record_cache_invalidation()', t);
    END LOOP;
END
$$;
