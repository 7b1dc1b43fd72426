-- Core user management (sketch §1 "Core User Management Tables").
CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email VARCHAR(255) UNIQUE NOT NULL,
    email_normalized VARCHAR(255) UNIQUE NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    role user_role NOT NULL,
    status user_status NOT NULL DEFAULT 'pending',
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    email_verified_at TIMESTAMPTZ,
    two_factor_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    -- 2FA secrets are encrypted by the application (bytea); the pending secret holds an
    -- enrolment until the user confirms a first code.
    two_factor_secret BYTEA,
    two_factor_pending_secret BYTEA,
    encryption_key_id TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    last_login_at TIMESTAMPTZ,
    last_login_ip INET,
    failed_login_attempts INT NOT NULL DEFAULT 0 CHECK (failed_login_attempts >= 0),
    locked_until TIMESTAMPTZ,
    CONSTRAINT chk_email_format CHECK (email ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$'),
    CONSTRAINT chk_two_factor_secret CHECK (NOT two_factor_enabled OR two_factor_secret IS NOT NULL)
);

CREATE INDEX idx_users_email_normalized ON users(email_normalized);
CREATE INDEX idx_users_role ON users(role);
CREATE INDEX idx_users_status ON users(status);
CREATE INDEX idx_users_created_at ON users(created_at);
CREATE TRIGGER trg_users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE user_profiles (
    user_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    display_name VARCHAR(200),
    phone phone_number,
    phone_verified BOOLEAN NOT NULL DEFAULT FALSE,
    birth_date DATE,
    gender gender,
    profile_photo_url VARCHAR(500),
    language VARCHAR(5) NOT NULL DEFAULT 'el',
    timezone VARCHAR(50) NOT NULL DEFAULT 'Europe/Athens',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Sketch used to_tsvector('english', ...): names are not English words, so 'simple'
-- (no stemming) on the unaccented name; trigram index for partial/typo matches.
CREATE INDEX idx_user_search ON user_profiles
    USING gin (to_tsvector('simple', f_unaccent(first_name || ' ' || last_name)));
CREATE INDEX idx_user_profiles_name_trgm ON user_profiles
    USING gin (f_search_normalize(first_name || ' ' || last_name) gin_trgm_ops);
CREATE TRIGGER trg_user_profiles_updated_at BEFORE UPDATE ON user_profiles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE client_profiles (
    user_id UUID PRIMARY KEY REFERENCES user_profiles(user_id) ON DELETE CASCADE,
    occupation VARCHAR(100),
    marital_status marital_status,
    emergency_contact_name VARCHAR(200),
    emergency_contact_phone phone_number,
    emergency_contact_relationship VARCHAR(50),
    referral_source VARCHAR(100),
    insurance_provider VARCHAR(100),
    insurance_number VARCHAR(100),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TRIGGER trg_client_profiles_updated_at BEFORE UPDATE ON client_profiles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE therapist_profiles (
    user_id UUID PRIMARY KEY REFERENCES user_profiles(user_id) ON DELETE CASCADE,
    license_number VARCHAR(50) UNIQUE NOT NULL,
    license_type VARCHAR(100),
    license_issued_date DATE,
    license_expiry_date DATE,
    professional_title VARCHAR(200),
    bio TEXT,
    years_of_experience INT CHECK (years_of_experience >= 0),
    education_level VARCHAR(50),
    supervisor_status BOOLEAN NOT NULL DEFAULT FALSE,
    accepts_insurance BOOLEAN NOT NULL DEFAULT TRUE,
    offers_online_therapy BOOLEAN NOT NULL DEFAULT TRUE,
    offers_in_person_therapy BOOLEAN NOT NULL DEFAULT TRUE,
    -- scheduling settings
    timezone TEXT NOT NULL DEFAULT 'Europe/Athens',
    buffer_minutes INT NOT NULL DEFAULT 10 CHECK (buffer_minutes >= 0),
    min_notice_minutes INT NOT NULL DEFAULT 720 CHECK (min_notice_minutes >= 0),
    booking_horizon_days INT NOT NULL DEFAULT 60 CHECK (booking_horizon_days > 0),
    instant_confirmation BOOLEAN NOT NULL DEFAULT FALSE,
    is_verified BOOLEAN NOT NULL DEFAULT FALSE,
    verified_at TIMESTAMPTZ,
    verified_by UUID REFERENCES users(id) ON DELETE SET NULL,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT chk_license_dates CHECK (license_expiry_date IS NULL OR license_issued_date IS NULL OR license_expiry_date >= license_issued_date)
);
CREATE TRIGGER trg_therapist_profiles_updated_at BEFORE UPDATE ON therapist_profiles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE business_accounts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    company_name VARCHAR(200) NOT NULL,
    company_tax_id VARCHAR(50) UNIQUE,
    industry VARCHAR(100),
    employee_count_range VARCHAR(50),
    billing_email email_address,
    billing_address JSONB,
    plan_type business_plan_type NOT NULL,
    plan_employee_limit INT CHECK (plan_employee_limit > 0),
    contract_start_date DATE,
    contract_end_date DATE,
    status business_account_status NOT NULL DEFAULT 'trial',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT chk_contract_dates CHECK (contract_end_date IS NULL OR contract_start_date IS NULL OR contract_end_date >= contract_start_date)
);
CREATE TRIGGER trg_business_accounts_updated_at BEFORE UPDATE ON business_accounts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE business_admins (
    business_id UUID REFERENCES business_accounts(id) ON DELETE CASCADE,
    user_id UUID REFERENCES users(id) ON DELETE CASCADE,
    role business_admin_role_type NOT NULL,
    permissions JSONB NOT NULL DEFAULT '{}',
    added_by UUID REFERENCES users(id) ON DELETE SET NULL,
    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, user_id)
);
CREATE INDEX idx_business_admins_user ON business_admins(user_id);

CREATE TABLE business_employees (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id UUID NOT NULL REFERENCES business_accounts(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    employee_identifier VARCHAR(100), -- internal employee ID (hashed)
    department VARCHAR(100),
    role_title VARCHAR(100),
    enrollment_status employee_enrollment_status NOT NULL DEFAULT 'invited',
    invited_at TIMESTAMPTZ,
    enrolled_at TIMESTAMPTZ,
    last_active_at TIMESTAMPTZ,
    therapy_sessions_limit INT CHECK (therapy_sessions_limit >= 0),
    therapy_sessions_used INT NOT NULL DEFAULT 0 CHECK (therapy_sessions_used >= 0),
    UNIQUE (business_id, user_id)
);
CREATE INDEX idx_business_employees_user ON business_employees(user_id);
CREATE INDEX idx_business_employee_analytics ON business_employees
    (business_id, enrollment_status, last_active_at);

-- Sketch §2 chk_employee_role used CHECK (EXISTS (SELECT ...)), which PostgreSQL does
-- not allow: enforced by constraint triggers on both sides of the relation.
CREATE FUNCTION check_business_employee_role()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_role user_role;
BEGIN
    SELECT role INTO v_role FROM users WHERE id = NEW.user_id FOR SHARE;
    IF v_role IS DISTINCT FROM 'client' THEN
        RAISE EXCEPTION 'business employee % must have the client role (has %)', NEW.user_id, v_role
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_employee_role';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER chk_employee_role
    AFTER INSERT OR UPDATE OF user_id ON business_employees
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION check_business_employee_role();

CREATE FUNCTION check_user_role_employee()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF NEW.role <> 'client' AND EXISTS (SELECT 1 FROM business_employees WHERE user_id = NEW.id) THEN
        RAISE EXCEPTION 'user % is a business employee and must keep the client role', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_employee_role';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER chk_employee_role_on_users
    AFTER UPDATE OF role ON users
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION check_user_role_employee();
