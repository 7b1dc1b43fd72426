-- System and audit tables (sketch §1 "System and Audit Tables", §5 audit triggers,
-- §9 partition creation).
-- audit_logs is partitioned by month on performed_at (PK must include it). It has no
-- foreign key to users: audit rows must outlive the users they mention.
CREATE TABLE audit_logs (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    user_id UUID,
    action VARCHAR(100) NOT NULL,
    entity_type VARCHAR(50),
    entity_id UUID,
    old_values JSONB,
    new_values JSONB,
    ip_address INET,
    user_agent TEXT,
    performed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    metadata JSONB NOT NULL DEFAULT '{}',
    PRIMARY KEY (id, performed_at)
) PARTITION BY RANGE (performed_at);

CREATE TABLE audit_logs_default PARTITION OF audit_logs DEFAULT;

CREATE INDEX idx_audit_logs_user ON audit_logs (user_id, performed_at DESC);
CREATE INDEX idx_audit_logs_entity ON audit_logs (entity_type, entity_id, performed_at DESC);
CREATE INDEX idx_audit_logs_action ON audit_logs (action, performed_at DESC);

SELECT ensure_monthly_partitions('audit_logs', 3, 2);

-- Creates next months' partitions of every time-partitioned table. The sketch ran this
-- from pg_cron for a partitioned appointments table; here the app's job runner calls
-- it (daily is fine, it is idempotent) and appointments is not partitioned.
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

-- Generic audit trigger (sketch §5). bytea columns (app-encrypted data) and the
-- columns named in the trigger arguments are written as "[redacted]" so clinical
-- content and credentials never reach audit_logs. Context comes from session settings
-- the app sets per transaction: app.current_user_id, app.user_agent, app.client_ip.
CREATE FUNCTION audit_trigger_function()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_user text := current_setting('app.current_user_id', true);
    v_old jsonb;
    v_new jsonb;
    v_entity text;
    v_col text;
    v_redact text[];
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        v_old := to_jsonb(OLD);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        v_new := to_jsonb(NEW);
    END IF;

    SELECT coalesce(array_agg(attname::text), '{}') INTO v_redact
      FROM pg_attribute
     WHERE attrelid = TG_RELID AND attnum > 0 AND NOT attisdropped AND atttypid = 'bytea'::regtype;
    v_redact := v_redact || TG_ARGV;
    FOREACH v_col IN ARRAY v_redact LOOP
        IF v_old ->> v_col IS NOT NULL THEN
            v_old := jsonb_set(v_old, ARRAY[v_col], '"[redacted]"');
        END IF;
        IF v_new ->> v_col IS NOT NULL THEN
            v_new := jsonb_set(v_new, ARRAY[v_col], '"[redacted]"');
        END IF;
    END LOOP;

    v_entity := coalesce(v_new, v_old) ->> 'id';

    INSERT INTO audit_logs (user_id, action, entity_type, entity_id, old_values, new_values,
                            ip_address, user_agent, metadata)
    VALUES (
        CASE WHEN v_user ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN v_user::uuid END,
        TG_OP,
        TG_TABLE_NAME,
        CASE WHEN v_entity ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN v_entity::uuid END,
        v_old,
        v_new,
        inet_client_addr(),
        nullif(current_setting('app.user_agent', true), ''),
        jsonb_strip_nulls(jsonb_build_object('client_ip', nullif(current_setting('app.client_ip', true), '')))
    );
    RETURN NULL;
END;
$$;

CREATE TRIGGER audit_users AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function('password_hash');

CREATE TRIGGER audit_appointments AFTER INSERT OR UPDATE OR DELETE ON appointments
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function('client_notes');

CREATE TRIGGER audit_session_notes AFTER INSERT OR UPDATE OR DELETE ON session_notes
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();

CREATE TRIGGER audit_transactions AFTER INSERT OR UPDATE OR DELETE ON transactions
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();

-- API rate limiting (Redis does the hot path; this table keeps per-key windows).
CREATE TABLE api_rate_limits (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID REFERENCES users(id) ON DELETE CASCADE,
    api_key VARCHAR(255),
    endpoint VARCHAR(255),
    requests_count INT NOT NULL DEFAULT 0 CHECK (requests_count >= 0),
    window_start TIMESTAMPTZ NOT NULL DEFAULT now(),
    window_end TIMESTAMPTZ
);
CREATE INDEX idx_api_rate_limits_lookup ON api_rate_limits (user_id, endpoint, window_start DESC);
CREATE INDEX idx_api_rate_limits_window ON api_rate_limits (window_start);

CREATE TABLE notifications (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    type VARCHAR(50) NOT NULL,
    title VARCHAR(200),
    message TEXT NOT NULL,
    data JSONB NOT NULL DEFAULT '{}',
    is_read BOOLEAN NOT NULL DEFAULT FALSE,
    read_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_notifications_user ON notifications (user_id, created_at DESC);
CREATE INDEX idx_notifications_unread ON notifications (user_id) WHERE NOT is_read;

-- Delivery queues. A worker claims rows with
--   UPDATE ... SET status = 'sending', locked_at = now(), attempts = attempts + 1
--   WHERE id IN (SELECT id FROM email_queue WHERE status = 'pending' AND next_attempt_at <= now()
--                ORDER BY priority, next_attempt_at LIMIT n FOR UPDATE SKIP LOCKED)
-- dedupe_key (e.g. 'reminder:24h:<appointment id>') makes enqueueing idempotent:
-- INSERT ... ON CONFLICT (dedupe_key) DO NOTHING.
-- The sketch's template_name/template_data are kept and mirror template/payload.
CREATE TABLE email_queue (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID REFERENCES users(id) ON DELETE SET NULL,
    to_email email_address NOT NULL,
    from_email email_address NOT NULL DEFAULT 'noreply@therapyfield.gr',
    subject VARCHAR(500),
    body_html TEXT,
    body_text TEXT,
    template TEXT,
    language VARCHAR(5) NOT NULL DEFAULT 'el',
    payload JSONB NOT NULL DEFAULT '{}',
    template_name VARCHAR(100),
    template_data JSONB,
    priority INT NOT NULL DEFAULT 5,
    status queue_status NOT NULL DEFAULT 'pending',
    attempts INT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts INT NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    next_attempt_at TIMESTAMPTZ NOT NULL, -- defaults to scheduled_for, else now() (trigger)
    locked_at TIMESTAMPTZ,
    last_error TEXT, -- error of the latest attempt
    error_message TEXT, -- final error once status = 'failed'
    dedupe_key TEXT UNIQUE,
    sent_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    scheduled_for TIMESTAMPTZ,
    CONSTRAINT chk_email_content CHECK (template IS NOT NULL OR (subject IS NOT NULL AND body_html IS NOT NULL))
);
CREATE INDEX idx_email_queue_due ON email_queue (priority, next_attempt_at) WHERE status = 'pending';
CREATE INDEX idx_email_queue_sending ON email_queue (locked_at) WHERE status = 'sending';
CREATE INDEX idx_email_queue_user ON email_queue (user_id);

CREATE TABLE sms_queue (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID REFERENCES users(id) ON DELETE SET NULL,
    to_phone phone_number NOT NULL,
    message TEXT,
    template TEXT,
    language VARCHAR(5) NOT NULL DEFAULT 'el',
    payload JSONB NOT NULL DEFAULT '{}',
    status queue_status NOT NULL DEFAULT 'pending',
    provider VARCHAR(50),
    provider_message_id VARCHAR(255),
    attempts INT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts INT NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_at TIMESTAMPTZ,
    last_error TEXT,
    error_message TEXT,
    dedupe_key TEXT UNIQUE,
    sent_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    scheduled_for TIMESTAMPTZ,
    CONSTRAINT chk_sms_content CHECK (template IS NOT NULL OR message IS NOT NULL)
);
CREATE INDEX idx_sms_queue_due ON sms_queue (next_attempt_at) WHERE status = 'pending';
CREATE INDEX idx_sms_queue_sending ON sms_queue (locked_at) WHERE status = 'sending';
CREATE INDEX idx_sms_queue_user ON sms_queue (user_id);

CREATE FUNCTION queue_before_write()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.next_attempt_at := coalesce(NEW.next_attempt_at, NEW.scheduled_for, now());
    ELSIF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
    END IF;
    IF TG_TABLE_NAME = 'email_queue' THEN
        NEW.template := coalesce(NEW.template, NEW.template_name);
        NEW.template_name := coalesce(NEW.template_name, NEW.template);
        IF NEW.template_data IS NOT NULL AND NEW.payload = '{}'::jsonb THEN
            NEW.payload := NEW.template_data;
        END IF;
        NEW.template_data := coalesce(NEW.template_data, NEW.payload);
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER trg_email_queue_before_write BEFORE INSERT OR UPDATE ON email_queue
    FOR EACH ROW EXECUTE FUNCTION queue_before_write();
CREATE TRIGGER trg_sms_queue_before_write BEFORE INSERT OR UPDATE ON sms_queue
    FOR EACH ROW EXECUTE FUNCTION queue_before_write();
