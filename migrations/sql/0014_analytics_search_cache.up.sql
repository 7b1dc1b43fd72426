-- Read optimisation (sketch §10), cache invalidation (§11), search (§12), time-series
-- analytics (§13) and health check (Implementation Guidelines §2).
-- Month/day buckets use Europe/Athens so they do not depend on the session TimeZone.

CREATE MATERIALIZED VIEW therapist_analytics AS
SELECT
    t.user_id,
    COUNT(DISTINCT a.client_id) AS total_clients,
    COUNT(a.id) AS total_appointments,
    AVG(EXTRACT(EPOCH FROM (a.actual_end - a.actual_start)) / 60) AS avg_session_duration,
    COUNT(*) FILTER (WHERE a.status = 'completed') AS completed_sessions,
    COUNT(*) FILTER (WHERE a.status = 'no_show') AS no_show_count,
    (date_trunc('month', a.scheduled_start AT TIME ZONE 'Europe/Athens'))::date AS month
FROM therapist_profiles t
JOIN appointments a ON t.user_id = a.therapist_id
WHERE a.scheduled_start >= now() - INTERVAL '1 year'
GROUP BY t.user_id, (date_trunc('month', a.scheduled_start AT TIME ZONE 'Europe/Athens'))::date;

CREATE UNIQUE INDEX uq_therapist_analytics ON therapist_analytics (user_id, month);

-- Replaces the TimescaleDB continuous aggregate.
CREATE MATERIALIZED VIEW mood_daily_avg AS
SELECT
    user_id,
    (recorded_at AT TIME ZONE 'Europe/Athens')::date AS day,
    AVG(mood_score) AS avg_mood,
    AVG(energy_level) AS avg_energy,
    AVG(anxiety_level) AS avg_anxiety,
    AVG(sleep_quality) AS avg_sleep,
    COUNT(*) AS entry_count
FROM mood_entries
WHERE deleted_at IS NULL
GROUP BY user_id, (recorded_at AT TIME ZONE 'Europe/Athens')::date;

CREATE UNIQUE INDEX uq_mood_daily_avg ON mood_daily_avg (user_id, day);

-- Granted to business_admin_role by the sketch but never defined: per-company monthly
-- usage, with groups of fewer than 5 employees suppressed so no individual shows.
CREATE MATERIALIZED VIEW aggregated_analytics AS
SELECT
    be.business_id,
    (date_trunc('month', a.scheduled_start AT TIME ZONE 'Europe/Athens'))::date AS month,
    COUNT(DISTINCT be.user_id) AS employees_with_sessions,
    COUNT(*) FILTER (WHERE a.status = 'completed') AS completed_sessions,
    COUNT(*) FILTER (WHERE a.status = 'cancelled') AS cancelled_sessions,
    COUNT(*) FILTER (WHERE a.status = 'no_show') AS no_show_sessions
FROM business_employees be
JOIN appointments a ON a.client_id = be.user_id
WHERE a.scheduled_start >= now() - INTERVAL '1 year'
GROUP BY be.business_id, (date_trunc('month', a.scheduled_start AT TIME ZONE 'Europe/Athens'))::date
HAVING COUNT(DISTINCT be.user_id) >= 5;

CREATE UNIQUE INDEX uq_aggregated_analytics ON aggregated_analytics (business_id, month);

-- Run by the app's job runner (sketch: every 6 hours via pg_cron).
CREATE FUNCTION refresh_analytics_views()
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v regclass;
BEGIN
    FOREACH v IN ARRAY ARRAY['therapist_analytics', 'mood_daily_avg', 'aggregated_analytics']::regclass[] LOOP
        IF (SELECT relispopulated FROM pg_class WHERE oid = v) THEN
            EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %s', v);
        ELSE
            EXECUTE format('REFRESH MATERIALIZED VIEW %s', v);
        END IF;
    END LOOP;
END;
$$;

-- Sketch §10 view; names in both languages, only approved reviews, active locations.
CREATE VIEW therapist_search_view AS
SELECT
    tp.user_id,
    up.first_name,
    up.last_name,
    up.profile_photo_url,
    tp.professional_title,
    tp.bio,
    tp.years_of_experience,
    tp.offers_online_therapy,
    tp.offers_in_person_therapy,
    tp.is_verified,
    tp.is_active,
    u.status AS user_status,
    coalesce(s.names_en, '{}') AS specializations,
    coalesce(s.names_el, '{}') AS specializations_el,
    coalesce(ap.names_en, '{}') AS approaches,
    coalesce(ap.names_el, '{}') AS approaches_el,
    coalesce(ap.abbreviations, '{}') AS approach_abbreviations,
    coalesce(l.codes, '{}') AS languages,
    coalesce(loc.cities, '{}') AS cities,
    r.avg_rating,
    coalesce(r.review_count, 0) AS review_count
FROM therapist_profiles tp
JOIN user_profiles up ON up.user_id = tp.user_id
JOIN users u ON u.id = tp.user_id
LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT sp.name_en::text) AS names_en, array_agg(DISTINCT sp.name_el::text) AS names_el
      FROM therapist_specializations ts
      JOIN specializations sp ON sp.id = ts.specialization_id AND sp.is_active
     WHERE ts.therapist_id = tp.user_id
) s ON TRUE
LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT ta.name_en::text) AS names_en, array_agg(DISTINCT ta.name_el::text) AS names_el,
           array_agg(DISTINCT ta.abbreviation::text) FILTER (WHERE ta.abbreviation IS NOT NULL) AS abbreviations
      FROM therapist_approaches tap
      JOIN therapeutic_approaches ta ON ta.id = tap.approach_id
     WHERE tap.therapist_id = tp.user_id
) ap ON TRUE
LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT tl.language_code::text) AS codes
      FROM therapist_languages tl WHERE tl.therapist_id = tp.user_id
) l ON TRUE
LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT tloc.city::text) AS cities
      FROM therapist_locations tloc WHERE tloc.therapist_id = tp.user_id AND tloc.is_active
) loc ON TRUE
LEFT JOIN LATERAL (
    SELECT round(AVG(rv.rating), 2) AS avg_rating, COUNT(*) AS review_count
      FROM reviews rv WHERE rv.therapist_id = tp.user_id AND rv.status = 'approved'
) r ON TRUE;

-- Sketch §12. The sketch created its own "greek" configuration; PostgreSQL 12+ ships
-- pg_catalog.greek (greek_stem for Greek words, english_stem for Latin-script words),
-- which is used instead. Matching is accent-insensitive (f_unaccent) in three ways:
-- full text with the greek and english configurations (stems, several words), substring
-- on f_search_normalize (prefixes while typing) and pg_trgm word similarity (typos;
-- needs a non-"C" database ctype for Greek letters).
CREATE INDEX idx_therapist_bio_search ON therapist_profiles
    USING gin (to_tsvector('greek', f_unaccent(coalesce(bio, ''))));

CREATE FUNCTION search_therapists(
    search_query TEXT DEFAULT NULL,
    specialization_filter UUID[] DEFAULT NULL,
    city_filter TEXT[] DEFAULT NULL,
    online_only BOOLEAN DEFAULT FALSE,
    limit_count INT DEFAULT 20,
    offset_count INT DEFAULT 0
)
RETURNS TABLE (
    therapist_id UUID,
    name TEXT,
    bio TEXT,
    specializations TEXT[],
    cities TEXT[],
    rating DECIMAL,
    rank REAL,
    specializations_el TEXT[],
    approaches TEXT[],
    review_count BIGINT
)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
    WITH q AS (
        SELECT f_unaccent(nullif(btrim(search_query), '')) AS text_q,
               f_search_normalize(nullif(btrim(search_query), '')) AS norm_q,
               (SELECT array_agg(f_search_normalize(c)) FROM unnest(city_filter) AS c) AS cities_q
    ),
    candidates AS (
        SELECT v.*,
               concat_ws(' ', v.first_name, v.last_name, v.professional_title, v.bio,
                         array_to_string(v.specializations, ' '), array_to_string(v.specializations_el, ' '),
                         array_to_string(v.approaches, ' '), array_to_string(v.approaches_el, ' '),
                         array_to_string(v.approach_abbreviations, ' '), array_to_string(v.cities, ' ')) AS doc
          FROM therapist_search_view v
         WHERE v.user_status = 'active'
           AND v.is_active
           AND (NOT coalesce(online_only, FALSE) OR v.offers_online_therapy)
           AND (specialization_filter IS NULL OR EXISTS (
                   SELECT 1 FROM therapist_specializations ts
                    WHERE ts.therapist_id = v.user_id AND ts.specialization_id = ANY (specialization_filter)))
           AND (city_filter IS NULL OR EXISTS (
                   SELECT 1 FROM therapist_locations tl, q
                    WHERE tl.therapist_id = v.user_id AND tl.is_active
                      AND f_search_normalize(tl.city) = ANY (q.cities_q)))
    ),
    scored AS (
        SELECT c.*,
               to_tsvector('greek', f_unaccent(c.doc)) AS gr_doc,
               to_tsvector('english', f_unaccent(c.doc)) AS en_doc,
               f_search_normalize(c.doc) AS norm_doc
          FROM candidates c
    )
    SELECT s.user_id,
           s.first_name || ' ' || s.last_name,
           s.bio,
           s.specializations,
           s.cities,
           s.avg_rating,
           CASE WHEN q.norm_q IS NULL THEN 0::real
                ELSE (ts_rank(s.gr_doc, plainto_tsquery('greek', q.text_q))
                      + ts_rank(s.en_doc, plainto_tsquery('english', q.text_q))
                      + CASE WHEN strpos(s.norm_doc, q.norm_q) > 0 THEN 0.5 ELSE 0 END
                      + word_similarity(q.norm_q, s.norm_doc))::real
           END AS rank,
           s.specializations_el,
           s.approaches,
           s.review_count
      FROM scored s, q
     WHERE q.norm_q IS NULL
        OR s.gr_doc @@ plainto_tsquery('greek', q.text_q)
        OR s.en_doc @@ plainto_tsquery('english', q.text_q)
        OR strpos(s.norm_doc, q.norm_q) > 0
        OR q.norm_q <% s.norm_doc
     ORDER BY rank DESC, s.avg_rating DESC NULLS LAST, s.review_count DESC, s.user_id
     LIMIT limit_count
    OFFSET offset_count
$$;

-- Sketch §13 mood trends. p_end_date is inclusive.
CREATE FUNCTION analyze_mood_trends(
    p_client_id UUID,
    p_start_date DATE,
    p_end_date DATE
)
RETURNS TABLE (
    period DATE,
    avg_mood DECIMAL,
    mood_volatility DECIMAL,
    trend_direction TEXT,
    correlation_with_sleep DECIMAL
)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
    WITH daily_moods AS (
        SELECT (recorded_at AT TIME ZONE 'Europe/Athens')::date AS day,
               AVG(mood_score) AS daily_mood,
               AVG(sleep_quality) AS daily_sleep,
               STDDEV(mood_score) AS mood_stddev
          FROM mood_entries
         WHERE user_id = p_client_id
           AND deleted_at IS NULL
           AND recorded_at >= (p_start_date::timestamp AT TIME ZONE 'Europe/Athens')
           AND recorded_at < ((p_end_date + 1)::timestamp AT TIME ZONE 'Europe/Athens')
         GROUP BY 1
    ),
    mood_trends AS (
        SELECT day, daily_mood, mood_stddev, daily_sleep,
               AVG(daily_mood) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS weekly_avg
          FROM daily_moods
    )
    SELECT day,
           ROUND(daily_mood, 2),
           ROUND(mood_stddev, 2),
           CASE
               WHEN weekly_avg > LAG(weekly_avg, 7) OVER (ORDER BY day) THEN 'improving'
               WHEN weekly_avg < LAG(weekly_avg, 7) OVER (ORDER BY day) THEN 'declining'
               ELSE 'stable'
           END,
           ROUND((CORR(daily_mood, daily_sleep) OVER (ORDER BY day ROWS BETWEEN 29 PRECEDING AND CURRENT ROW))::numeric, 2)
      FROM mood_trends
     ORDER BY day
$$;

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

-- Sketch "Monitoring and Maintenance"; run by the app's job runner. Adds a check that
-- no rows pile up in DEFAULT partitions (a sign the partition job stopped running).
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
