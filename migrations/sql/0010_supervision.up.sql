-- Supervision and professional development (sketch §1, §2 chk_supervisor_is_therapist).
CREATE TABLE supervision_relationships (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    supervisor_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    supervisee_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    start_date DATE NOT NULL,
    end_date DATE,
    status supervision_relationship_status NOT NULL DEFAULT 'active',
    supervision_type VARCHAR(100),
    frequency VARCHAR(50),
    rate_per_session positive_money,
    notes TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (supervisor_id, supervisee_id),
    CONSTRAINT chk_supervision_not_self CHECK (supervisor_id <> supervisee_id),
    CONSTRAINT chk_supervision_dates CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX idx_supervision_relationships_supervisee ON supervision_relationships (supervisee_id);

-- Sketch's CHECK (EXISTS (SELECT ...)) as constraint triggers on both tables.
CREATE FUNCTION check_supervisor_is_therapist()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_role user_role;
BEGIN
    SELECT role INTO v_role FROM users WHERE id = NEW.supervisor_id FOR SHARE;
    IF v_role IS DISTINCT FROM 'therapist' THEN
        RAISE EXCEPTION 'supervisor % must have the therapist role (has %)', NEW.supervisor_id, v_role
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_supervisor_is_therapist';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER chk_supervisor_is_therapist
    AFTER INSERT OR UPDATE OF supervisor_id ON supervision_relationships
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION check_supervisor_is_therapist();

CREATE FUNCTION check_user_role_supervisor()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF NEW.role <> 'therapist' AND EXISTS (SELECT 1 FROM supervision_relationships WHERE supervisor_id = NEW.id) THEN
        RAISE EXCEPTION 'user % is a supervisor and must keep the therapist role', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_supervisor_is_therapist';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER chk_supervisor_is_therapist_on_users
    AFTER UPDATE OF role ON users
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION check_user_role_supervisor();

CREATE TABLE supervision_sessions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    relationship_id UUID NOT NULL REFERENCES supervision_relationships(id) ON DELETE CASCADE,
    scheduled_at TIMESTAMPTZ NOT NULL,
    duration_minutes INT CHECK (duration_minutes > 0),
    status supervision_session_status NOT NULL DEFAULT 'scheduled',
    topics_discussed TEXT[],
    action_items JSONB NOT NULL DEFAULT '[]',
    supervisee_notes TEXT,
    supervisor_notes BYTEA, -- encrypted by the application
    encryption_key_id TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_supervision_sessions_relationship ON supervision_sessions (relationship_id, scheduled_at DESC);

CREATE TABLE continuing_education (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    therapist_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_name VARCHAR(500) NOT NULL,
    provider VARCHAR(200),
    completion_date DATE,
    credits_earned DECIMAL(5, 2) CHECK (credits_earned >= 0),
    certificate_url VARCHAR(500),
    expiry_date DATE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_continuing_education_therapist ON continuing_education (therapist_id);
