-- The therapist directory's search document (sketch §12 on PostgreSQL): one row per therapist,
-- kept current by triggers in the writing transaction, so a search reads indexed columns
-- instead of aggregating six tables and computing text vectors per query.
--
-- Matching (see server/src/search/postgres): per query word, any of
--   * Greek stems and prefixes: search_el @@ 'stem':*  (greek configuration on unaccented text);
--   * English stems and prefixes: search_en @@ 'stem':*;
--   * Greeklish: the word is spelled in Greek (f_latin_to_greek) and stemmed as Greek;
--   * substring of the phonetic Latin form (f_greeklish) of the whole document, both scripts
--     reduced to one spelling ("Ψυχολόγος", "psyxologos", "psychologos" → "psixologos");
--   * trigram word similarity of that form against the names (typos).

-- Phonetic Latin form, the same for Greek, Greeklish and Latin spellings of one word: the
-- letters Greeklish writers swap (η/ι/υ/ει/οι → i, ω → o, χ/ξ → x, θ → 8, β/b → v) become one,
-- doubled letters become one.
CREATE FUNCTION f_greeklish(text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
SET search_path = public, pg_temp
AS $$
    SELECT regexp_replace(
        translate(
            replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
            translate(
                replace(replace(replace(replace(replace(replace(replace(replace(replace(
                    f_search_normalize($1),
                    'ου', 'u'), 'αυ', 'av'), 'ευ', 'ev'), 'ει', 'i'), 'οι', 'i'), 'αι', 'e'), 'ψ', 'ps'), 'θ', '8'), 'μπ', 'b'),
                'αβγδεζηικλμνξοπρστυφχω', 'avgdeziiklmnxoprstifxo'),
            'th', '8'), 'ch', 'x'), 'ph', 'f'), 'ks', 'x'), 'ou', 'u'), 'au', 'av'), 'eu', 'ev'), 'ei', 'i'), 'oi', 'i'), 'ai', 'e'), 'ck', 'k'),
            'hywbcj', 'iiovkz'),
        '([a-z])\1+', '\1', 'g')
$$;

-- A Latin (Greeklish) word spelled in Greek letters, for the Greek stemmer ("agxos" → "αγχος").
CREATE FUNCTION f_latin_to_greek(text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
SET search_path = public, pg_temp
AS $$
    SELECT regexp_replace(
        translate(
            replace(replace(replace(replace(replace(replace(replace(replace(
                lower(f_unaccent($1)),
                'th', 'θ'), '8', 'θ'), 'ps', 'ψ'), 'ks', 'ξ'), 'ch', 'χ'), 'ph', 'φ'), 'ou', 'ου'), 'b', 'μπ'),
            'abgdezhiklmnxoprstyfwvcu', 'αβγδεζηικλμνχοπρστυφωβκυ'),
        'σ\M', 'ς', 'g')
$$;

-- Greek names as a reader of English expects them (ELOT 743, simplified): "Ελένη Παπαδάκη" → "Eleni Papadaki".
CREATE FUNCTION f_transliterate_greek(text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
SET search_path = public, pg_temp
AS $$
    SELECT initcap(
        translate(
            replace(replace(replace(replace(replace(replace(replace(replace(regexp_replace(
                translate(lower(f_unaccent($1)), 'ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩς', 'αβγδεζηθικλμνξοπρστυφχψωσ'),
                '\mμπ', 'b', 'g'), 'ου', 'ou'), 'αυ', 'av'), 'ευ', 'ev'), 'θ', 'th'), 'χ', 'ch'), 'ψ', 'ps'), 'γγ', 'ng'), 'ξ', 'x'),
            'αβγδεζηικλμνοπρστυφω', 'avgdeziiklmnoprstyfo'))
$$;

-- English names of Greek places, so "athens" finds "Αθήνα" (and the reverse).
CREATE TABLE place_names (
    name_el VARCHAR(100) PRIMARY KEY,
    name_en VARCHAR(100) NOT NULL
);
INSERT INTO place_names (name_el, name_en) VALUES
    ('Αθήνα', 'Athens'), ('Θεσσαλονίκη', 'Thessaloniki'), ('Πάτρα', 'Patras'), ('Ηράκλειο', 'Heraklion'),
    ('Λάρισα', 'Larissa'), ('Βόλος', 'Volos'), ('Ιωάννινα', 'Ioannina'), ('Χανιά', 'Chania'), ('Ρόδος', 'Rhodes'),
    ('Καλαμάτα', 'Kalamata'), ('Κέρκυρα', 'Corfu'), ('Πειραιάς', 'Piraeus'), ('Καβάλα', 'Kavala'), ('Σέρρες', 'Serres'),
    ('Αλεξανδρούπολη', 'Alexandroupoli'), ('Ξάνθη', 'Xanthi'), ('Κομοτηνή', 'Komotini'), ('Τρίκαλα', 'Trikala'),
    ('Λαμία', 'Lamia'), ('Χαλκίδα', 'Chalkida'), ('Κατερίνη', 'Katerini'), ('Κοζάνη', 'Kozani'), ('Ρέθυμνο', 'Rethymno'),
    ('Μαρούσι', 'Marousi'), ('Γλυφάδα', 'Glyfada'), ('Κηφισιά', 'Kifisia'), ('Χαλάνδρι', 'Chalandri'), ('Περιστέρι', 'Peristeri'),
    ('Καλλιθέα', 'Kallithea'), ('Νέα Σμύρνη', 'Nea Smyrni'), ('Κολωνάκι', 'Kolonaki'), ('Εξάρχεια', 'Exarchia');
GRANT SELECT ON place_names TO tf_app, tf_system;
ALTER TABLE place_names ENABLE ROW LEVEL SECURITY;
ALTER TABLE place_names FORCE ROW LEVEL SECURITY;
CREATE POLICY tf_public_read ON place_names FOR SELECT TO tf_app USING (true);

-- Every spelling a place filter or word may use: the stored name and its English name, in the phonetic form.
CREATE FUNCTION place_keys(place text)
RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = public, pg_temp
AS $$
    SELECT array_agg(DISTINCT k) FROM (
        SELECT f_greeklish(place) AS k
        UNION ALL
        SELECT f_greeklish(p.name_en) FROM place_names p WHERE f_greeklish(p.name_el) = f_greeklish(place)
        UNION ALL
        SELECT f_greeklish(p.name_el) FROM place_names p WHERE f_greeklish(p.name_en) = f_greeklish(place)
    ) keys WHERE k IS NOT NULL AND k <> ''
$$;

-- The prefix query for one word's stems in a text search configuration ('αγχος' → 'αγχ':*); NULL for stop words.
CREATE FUNCTION f_prefix_tsquery(config regconfig, word text)
RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
SET search_path = public, pg_temp
AS $$
    SELECT nullif(string_agg(quote_literal(lexeme) || ':*', ' & '), '')::tsquery
      FROM unnest(to_tsvector(config, f_unaccent(word)))
$$;

CREATE TABLE therapist_search_documents (
    therapist_id UUID PRIMARY KEY REFERENCES therapist_profiles(user_id) ON DELETE CASCADE,
    -- Verified, active therapist with an active account: the only rows a search returns.
    listed BOOLEAN NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    name_latin TEXT NOT NULL,
    photo_url TEXT,
    title TEXT,
    bio TEXT,
    gender gender,
    years_of_experience INT,
    accepts_insurance BOOLEAN NOT NULL,
    offers_online BOOLEAN NOT NULL,
    offers_in_person BOOLEAN NOT NULL,
    specialization_ids UUID[] NOT NULL,
    specializations_en TEXT[] NOT NULL,
    specializations_el TEXT[] NOT NULL,
    approach_ids UUID[] NOT NULL,
    approaches_en TEXT[] NOT NULL,
    approaches_el TEXT[] NOT NULL,
    languages TEXT[] NOT NULL,
    cities TEXT[] NOT NULL,
    city_keys TEXT[] NOT NULL,
    -- Lowest rate not yet ended, in EUR.
    price_from NUMERIC(10, 2),
    rating NUMERIC(3, 2),
    review_count INT NOT NULL,
    -- Filled by the search module's slot refresher from the scheduling rules; NULL checked_at = to refresh.
    next_free_slot TIMESTAMPTZ,
    next_slot_checked_at TIMESTAMPTZ,
    search_el TSVECTOR NOT NULL,
    search_en TSVECTOR NOT NULL,
    search_latin TEXT NOT NULL,
    names_latin TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_search_documents_el ON therapist_search_documents USING gin (search_el) WHERE listed;
CREATE INDEX idx_search_documents_en ON therapist_search_documents USING gin (search_en) WHERE listed;
CREATE INDEX idx_search_documents_latin ON therapist_search_documents USING gin (search_latin gin_trgm_ops) WHERE listed;
CREATE INDEX idx_search_documents_names ON therapist_search_documents USING gin (names_latin gin_trgm_ops) WHERE listed;
CREATE INDEX idx_search_documents_filters ON therapist_search_documents
    USING gin (specialization_ids, approach_ids, languages, city_keys) WHERE listed;
CREATE INDEX idx_search_documents_rating ON therapist_search_documents (rating DESC NULLS LAST, therapist_id) WHERE listed;
CREATE INDEX idx_search_documents_price ON therapist_search_documents (price_from, therapist_id) WHERE listed;
CREATE INDEX idx_search_documents_next_slot ON therapist_search_documents (next_free_slot, therapist_id) WHERE listed;
CREATE INDEX idx_search_documents_slot_refresh ON therapist_search_documents (next_slot_checked_at NULLS FIRST) WHERE listed;

GRANT SELECT ON therapist_search_documents TO tf_app;
GRANT SELECT, UPDATE ON therapist_search_documents TO tf_system;
ALTER TABLE therapist_search_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE therapist_search_documents FORCE ROW LEVEL SECURITY;
-- The public directory: listed therapists to anyone; one's own document always.
CREATE POLICY tf_public_read ON therapist_search_documents FOR SELECT TO tf_app
    USING (listed OR therapist_id = app_current_user_id());

-- Rebuilds one therapist's document from the source tables (or drops it when the profile is gone).
-- SECURITY DEFINER: triggers fire for whoever writes; the document is derived data nobody writes directly.
CREATE FUNCTION refresh_therapist_search_document(p_therapist_id UUID)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM therapist_profiles WHERE user_id = p_therapist_id) THEN
        DELETE FROM therapist_search_documents WHERE therapist_id = p_therapist_id;
        RETURN;
    END IF;
    INSERT INTO therapist_search_documents AS d (
        therapist_id, listed, first_name, last_name, name_latin, photo_url, title, bio, gender, years_of_experience,
        accepts_insurance, offers_online, offers_in_person, specialization_ids, specializations_en, specializations_el,
        approach_ids, approaches_en, approaches_el, languages, cities, city_keys, price_from, rating, review_count,
        next_slot_checked_at, search_el, search_en, search_latin, names_latin, updated_at)
    SELECT tp.user_id,
           tp.is_verified AND tp.is_active AND u.status = 'active' AND u.deleted_at IS NULL,
           up.first_name, up.last_name,
           f_transliterate_greek(up.first_name || ' ' || up.last_name),
           up.profile_photo_url, tp.professional_title, tp.bio, up.gender, tp.years_of_experience,
           tp.accepts_insurance, tp.offers_online_therapy, tp.offers_in_person_therapy,
           coalesce(s.ids, '{}'), coalesce(s.names_en, '{}'), coalesce(s.names_el, '{}'),
           coalesce(ap.ids, '{}'), coalesce(ap.names_en, '{}'), coalesce(ap.names_el, '{}'),
           coalesce(l.codes, '{}'), coalesce(loc.cities, '{}'), coalesce(loc.keys, '{}'),
           rt.price_from, r.avg_rating, coalesce(r.review_count, 0),
           NULL,
           to_tsvector('greek', f_unaccent(doc.text)),
           to_tsvector('english', f_unaccent(doc.text)),
           f_greeklish(doc.text),
           f_greeklish(up.first_name || ' ' || up.last_name),
           now()
      FROM therapist_profiles tp
      JOIN user_profiles up ON up.user_id = tp.user_id
      JOIN users u ON u.id = tp.user_id
      LEFT JOIN LATERAL (
          SELECT array_agg(sp.id ORDER BY sp.name_en) AS ids, array_agg(sp.name_en::text ORDER BY sp.name_en) AS names_en,
                 array_agg(sp.name_el::text ORDER BY sp.name_en) AS names_el
            FROM therapist_specializations ts JOIN specializations sp ON sp.id = ts.specialization_id AND sp.is_active
           WHERE ts.therapist_id = tp.user_id
      ) s ON TRUE
      LEFT JOIN LATERAL (
          SELECT array_agg(ta.id ORDER BY ta.name_en) AS ids, array_agg(ta.name_en::text ORDER BY ta.name_en) AS names_en,
                 array_agg(ta.name_el::text ORDER BY ta.name_en) AS names_el,
                 string_agg(ta.abbreviation, ' ') AS abbreviations
            FROM therapist_approaches tap JOIN therapeutic_approaches ta ON ta.id = tap.approach_id
           WHERE tap.therapist_id = tp.user_id
      ) ap ON TRUE
      LEFT JOIN LATERAL (
          SELECT array_agg(DISTINCT tl.language_code::text) AS codes FROM therapist_languages tl WHERE tl.therapist_id = tp.user_id
      ) l ON TRUE
      LEFT JOIN LATERAL (
          SELECT array_agg(DISTINCT tloc.city::text) AS cities,
                 (SELECT array_agg(DISTINCT k) FROM therapist_locations t2,
                         unnest(place_keys(t2.city) || coalesce(place_keys(t2.state_province), '{}')) AS k
                   WHERE t2.therapist_id = tp.user_id AND t2.is_active) AS keys,
                 string_agg(concat_ws(' ', tloc.city, tloc.state_province, tloc.address_line1, tloc.practice_name,
                                      (SELECT string_agg(p.name_en || ' ' || p.name_el, ' ') FROM place_names p
                                        WHERE f_greeklish(p.name_el) = f_greeklish(tloc.city) OR f_greeklish(p.name_en) = f_greeklish(tloc.city))), ' ') AS text
            FROM therapist_locations tloc WHERE tloc.therapist_id = tp.user_id AND tloc.is_active
      ) loc ON TRUE
      LEFT JOIN LATERAL (
          SELECT min(tr.rate_amount) AS price_from FROM therapist_rates tr
           WHERE tr.therapist_id = tp.user_id AND (tr.effective_to IS NULL OR tr.effective_to >= current_date)
      ) rt ON TRUE
      LEFT JOIN LATERAL (
          SELECT round(avg(rv.rating), 2) AS avg_rating, count(*)::int AS review_count
            FROM reviews rv WHERE rv.therapist_id = tp.user_id AND rv.status = 'approved'
      ) r ON TRUE
      CROSS JOIN LATERAL (
          SELECT concat_ws(' ', up.first_name, up.last_name, tp.professional_title, tp.bio,
                           array_to_string(s.names_en, ' '), array_to_string(s.names_el, ' '),
                           array_to_string(ap.names_en, ' '), array_to_string(ap.names_el, ' '), ap.abbreviations, loc.text) AS text
      ) doc
     WHERE tp.user_id = p_therapist_id
    ON CONFLICT (therapist_id) DO UPDATE SET
        listed = EXCLUDED.listed, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
        name_latin = EXCLUDED.name_latin, photo_url = EXCLUDED.photo_url, title = EXCLUDED.title, bio = EXCLUDED.bio,
        gender = EXCLUDED.gender, years_of_experience = EXCLUDED.years_of_experience,
        accepts_insurance = EXCLUDED.accepts_insurance, offers_online = EXCLUDED.offers_online,
        offers_in_person = EXCLUDED.offers_in_person, specialization_ids = EXCLUDED.specialization_ids,
        specializations_en = EXCLUDED.specializations_en, specializations_el = EXCLUDED.specializations_el,
        approach_ids = EXCLUDED.approach_ids, approaches_en = EXCLUDED.approaches_en, approaches_el = EXCLUDED.approaches_el,
        languages = EXCLUDED.languages, cities = EXCLUDED.cities, city_keys = EXCLUDED.city_keys,
        price_from = EXCLUDED.price_from, rating = EXCLUDED.rating, review_count = EXCLUDED.review_count,
        -- the next slot depends on the schedule: a change to any source asks for it again
        next_slot_checked_at = NULL,
        search_el = EXCLUDED.search_el, search_en = EXCLUDED.search_en, search_latin = EXCLUDED.search_latin,
        names_latin = EXCLUDED.names_latin, updated_at = now();
END;
$$;

-- Any write to a source row refreshes the documents of the therapist(s) it names (old and new).
CREATE FUNCTION refresh_search_document_of_row()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    old_id UUID := CASE WHEN TG_OP <> 'INSERT' THEN (to_jsonb(OLD) ->> TG_ARGV[0])::uuid END;
    new_id UUID := CASE WHEN TG_OP <> 'DELETE' THEN (to_jsonb(NEW) ->> TG_ARGV[0])::uuid END;
BEGIN
    IF old_id IS NOT NULL THEN
        PERFORM refresh_therapist_search_document(old_id);
    END IF;
    IF new_id IS NOT NULL AND new_id IS DISTINCT FROM old_id THEN
        PERFORM refresh_therapist_search_document(new_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_search_document AFTER INSERT OR UPDATE ON therapist_profiles
    FOR EACH ROW EXECUTE FUNCTION refresh_search_document_of_row('user_id');
CREATE TRIGGER trg_search_document AFTER UPDATE OF first_name, last_name, profile_photo_url, gender ON user_profiles
    FOR EACH ROW EXECUTE FUNCTION refresh_search_document_of_row('user_id');
CREATE TRIGGER trg_search_document AFTER UPDATE OF status, deleted_at ON users
    FOR EACH ROW EXECUTE FUNCTION refresh_search_document_of_row('id');
CREATE TRIGGER trg_search_document AFTER INSERT OR UPDATE OR DELETE ON therapist_specializations
    FOR EACH ROW EXECUTE FUNCTION refresh_search_document_of_row('therapist_id');
CREATE TRIGGER trg_search_document AFTER INSERT OR UPDATE OR DELETE ON therapist_approaches
    FOR EACH ROW EXECUTE FUNCTION refresh_search_document_of_row('therapist_id');
CREATE TRIGGER trg_search_document AFTER INSERT OR UPDATE OR DELETE ON therapist_languages
    FOR EACH ROW EXECUTE FUNCTION refresh_search_document_of_row('therapist_id');
CREATE TRIGGER trg_search_document AFTER INSERT OR UPDATE OR DELETE ON therapist_locations
    FOR EACH ROW EXECUTE FUNCTION refresh_search_document_of_row('therapist_id');
CREATE TRIGGER trg_search_document AFTER INSERT OR UPDATE OR DELETE ON therapist_rates
    FOR EACH ROW EXECUTE FUNCTION refresh_search_document_of_row('therapist_id');
CREATE TRIGGER trg_search_document AFTER INSERT OR UPDATE OR DELETE ON reviews
    FOR EACH ROW EXECUTE FUNCTION refresh_search_document_of_row('therapist_id');

-- A renamed catalogue entry refreshes every therapist who lists it.
CREATE FUNCTION refresh_search_documents_of_catalog_entry()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM refresh_therapist_search_document(d.therapist_id)
       FROM therapist_search_documents d
      WHERE NEW.id = ANY (CASE TG_TABLE_NAME WHEN 'specializations' THEN d.specialization_ids ELSE d.approach_ids END)
         OR (TG_TABLE_NAME = 'specializations' AND NEW.is_active AND NOT OLD.is_active AND EXISTS (
                SELECT 1 FROM therapist_specializations ts WHERE ts.therapist_id = d.therapist_id AND ts.specialization_id = NEW.id));
    RETURN NULL;
END;
$$;
CREATE TRIGGER trg_search_document AFTER UPDATE ON specializations
    FOR EACH ROW EXECUTE FUNCTION refresh_search_documents_of_catalog_entry();
CREATE TRIGGER trg_search_document AFTER UPDATE ON therapeutic_approaches
    FOR EACH ROW EXECUTE FUNCTION refresh_search_documents_of_catalog_entry();

-- The schedule changed: the next free slot is asked for again (by the slot refresher).
CREATE FUNCTION mark_next_slot_stale()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    UPDATE therapist_search_documents SET next_slot_checked_at = NULL
     WHERE therapist_id IN ((to_jsonb(OLD) ->> 'therapist_id')::uuid, (to_jsonb(NEW) ->> 'therapist_id')::uuid)
       AND next_slot_checked_at IS NOT NULL;
    RETURN NULL;
END;
$$;
CREATE TRIGGER trg_search_next_slot AFTER INSERT OR UPDATE OR DELETE ON availability_templates
    FOR EACH ROW EXECUTE FUNCTION mark_next_slot_stale();
CREATE TRIGGER trg_search_next_slot AFTER INSERT OR UPDATE OR DELETE ON availability_exceptions
    FOR EACH ROW EXECUTE FUNCTION mark_next_slot_stale();
CREATE TRIGGER trg_search_next_slot AFTER INSERT OR UPDATE OF status, scheduled_start, scheduled_end OR DELETE ON appointments
    FOR EACH ROW EXECUTE FUNCTION mark_next_slot_stale();

SELECT refresh_therapist_search_document(user_id) FROM therapist_profiles;
