-- Therapist specialization and availability (sketch §1).
-- Sketch column "name" is name_en: every catalogue entry has an English and a Greek name.
CREATE TABLE specializations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name_en VARCHAR(100) NOT NULL UNIQUE,
    name_el VARCHAR(100) NOT NULL UNIQUE, -- Greek name
    category VARCHAR(50),
    description TEXT,
    is_active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX idx_specializations_name_en_trgm ON specializations USING gin (f_search_normalize(name_en) gin_trgm_ops);
CREATE INDEX idx_specializations_name_el_trgm ON specializations USING gin (f_search_normalize(name_el) gin_trgm_ops);

CREATE TABLE therapist_specializations (
    therapist_id UUID REFERENCES therapist_profiles(user_id) ON DELETE CASCADE,
    specialization_id UUID REFERENCES specializations(id) ON DELETE CASCADE,
    years_experience INT CHECK (years_experience >= 0),
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (therapist_id, specialization_id)
);
CREATE INDEX idx_therapist_search_specializations ON therapist_specializations(therapist_id, specialization_id);
CREATE INDEX idx_therapist_specializations_spec ON therapist_specializations(specialization_id);

CREATE TABLE therapeutic_approaches (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name_en VARCHAR(100) NOT NULL UNIQUE,
    name_el VARCHAR(100) NOT NULL UNIQUE,
    abbreviation VARCHAR(20),
    description TEXT
);
CREATE INDEX idx_therapeutic_approaches_name_en_trgm ON therapeutic_approaches USING gin (f_search_normalize(name_en) gin_trgm_ops);
CREATE INDEX idx_therapeutic_approaches_name_el_trgm ON therapeutic_approaches USING gin (f_search_normalize(name_el) gin_trgm_ops);

CREATE TABLE therapist_approaches (
    therapist_id UUID REFERENCES therapist_profiles(user_id) ON DELETE CASCADE,
    approach_id UUID REFERENCES therapeutic_approaches(id) ON DELETE CASCADE,
    proficiency_level approach_proficiency,
    PRIMARY KEY (therapist_id, approach_id)
);
CREATE INDEX idx_therapist_search_approaches ON therapist_approaches(therapist_id, approach_id);
CREATE INDEX idx_therapist_approaches_approach ON therapist_approaches(approach_id);

CREATE TABLE therapist_languages (
    therapist_id UUID REFERENCES therapist_profiles(user_id) ON DELETE CASCADE,
    language_code VARCHAR(5),
    proficiency_level language_proficiency,
    PRIMARY KEY (therapist_id, language_code)
);
CREATE INDEX idx_therapist_search_languages ON therapist_languages(therapist_id, language_code);
CREATE INDEX idx_therapist_languages_code ON therapist_languages(language_code);

CREATE TABLE therapist_locations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    therapist_id UUID NOT NULL REFERENCES therapist_profiles(user_id) ON DELETE CASCADE,
    location_type location_type NOT NULL DEFAULT 'primary',
    practice_name VARCHAR(200),
    address_line1 VARCHAR(255) NOT NULL,
    address_line2 VARCHAR(255),
    city VARCHAR(100) NOT NULL,
    state_province VARCHAR(100),
    postal_code VARCHAR(20),
    country VARCHAR(2) NOT NULL DEFAULT 'GR',
    latitude DECIMAL(10, 8) CHECK (latitude BETWEEN -90 AND 90),
    longitude DECIMAL(11, 8) CHECK (longitude BETWEEN -180 AND 180),
    google_place_id VARCHAR(255),
    phone phone_number,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_therapist_locations_therapist ON therapist_locations(therapist_id);
-- earthdistance instead of PostGIS: query with earth_box(ll_to_earth(lat, lon), metres) @> ll_to_earth(latitude, longitude)
CREATE INDEX idx_therapist_location ON therapist_locations
    USING gist (ll_to_earth(latitude, longitude));
CREATE INDEX idx_therapist_locations_city ON therapist_locations (f_search_normalize(city));
CREATE TRIGGER trg_therapist_locations_updated_at BEFORE UPDATE ON therapist_locations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- day_of_week: 0 = Sunday .. 6 = Saturday (as EXTRACT(DOW)); times are in the
-- therapist's timezone (therapist_profiles.timezone).
CREATE TABLE availability_templates (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    therapist_id UUID NOT NULL REFERENCES therapist_profiles(user_id) ON DELETE CASCADE,
    day_of_week INT NOT NULL CHECK (day_of_week >= 0 AND day_of_week <= 6),
    start_time TIME NOT NULL,
    end_time TIME NOT NULL,
    location_id UUID REFERENCES therapist_locations(id) ON DELETE SET NULL,
    session_type availability_session_type NOT NULL DEFAULT 'both',
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT chk_time_order CHECK (end_time > start_time)
);
CREATE INDEX idx_availability_templates_therapist ON availability_templates(therapist_id, day_of_week);
CREATE TRIGGER trg_availability_templates_updated_at BEFORE UPDATE ON availability_templates
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE availability_exceptions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    therapist_id UUID NOT NULL REFERENCES therapist_profiles(user_id) ON DELETE CASCADE,
    exception_date DATE NOT NULL,
    start_time TIME,
    end_time TIME,
    is_available BOOLEAN NOT NULL DEFAULT FALSE,
    reason VARCHAR(200),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (therapist_id, exception_date),
    CONSTRAINT chk_exception_time_order CHECK (start_time IS NULL OR end_time IS NULL OR end_time > start_time)
);
