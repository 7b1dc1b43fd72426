-- What a POST with an `Idempotency-Key` header answered, per account and key. The row is inserted
-- in the request's own transaction before its work and completed after it, so the work and the
-- stored answer commit together (a crash in between leaves neither) and a concurrent retry waits
-- on the row's unique key, then replays. Kept a day (retention policy), then the key may be reused.
CREATE TABLE idempotency_keys (
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_fingerprint TEXT NOT NULL,
    status_code INT CHECK (status_code BETWEEN 200 AND 499),
    content_type TEXT,
    response_body TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO tf_app, tf_system;
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tf_own_rows ON idempotency_keys TO tf_app
    USING (user_id = app_current_user_id()) WITH CHECK (user_id = app_current_user_id());

INSERT INTO data_retention_policies (table_name, timestamp_column, retention_days, deletion_strategy)
VALUES ('idempotency_keys', 'created_at', 1, 'hard_delete');
