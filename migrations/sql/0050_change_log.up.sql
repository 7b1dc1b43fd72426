-- The change log: every change a user should see, numbered per recipient in COMMIT order.
--
-- Triggers insert rows with seq NULL inside the writing transaction. A single sequencer (one
-- node at a time, under an advisory lock) later numbers the committed rows: per recipient
-- 1, 2, 3… with no gaps (so a client sees a gap and asks again), and globally in delivery_id
-- for the deliverer's cursor. Because numbers are given only to committed rows, a transaction
-- that started early but commits late gets a later number and is never jumped over.

CREATE TABLE change_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient_id UUID NOT NULL,
    collection TEXT NOT NULL,
    record_id UUID NOT NULL,
    operation TEXT NOT NULL CHECK (operation IN ('upsert', 'delete')),
    -- Per-recipient, gap-free, commit-ordered; NULL until sequenced.
    seq BIGINT,
    -- Global commit order for the deliverer's cursor; NULL until sequenced.
    delivery_id BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX idx_change_log_recipient_seq ON change_log (recipient_id, seq) WHERE seq IS NOT NULL;
CREATE UNIQUE INDEX idx_change_log_delivery ON change_log (delivery_id) WHERE delivery_id IS NOT NULL;
CREATE INDEX idx_change_log_unsequenced ON change_log (id) WHERE seq IS NULL;
CREATE INDEX idx_change_log_created ON change_log (created_at);

CREATE SEQUENCE change_log_delivery_seq;

-- Per recipient: the last number given, and the last number pruned by retention (a client
-- resuming from before that must resync).
CREATE TABLE change_log_recipients (
    recipient_id UUID PRIMARY KEY,
    last_seq BIGINT NOT NULL DEFAULT 0,
    pruned_through BIGINT NOT NULL DEFAULT 0
);

-- Named cursors of consumers of the global order (the live deliverer).
CREATE TABLE change_log_cursors (
    name TEXT PRIMARY KEY,
    delivery_id BIGINT NOT NULL DEFAULT 0
);

-- Trigger: record_change('collection', 'recipient_column' [, 'recipient_column' …]).
-- One row per distinct non-null recipient of the old and new row; NOTIFY wakes the sequencer
-- (PostgreSQL folds identical notifications of one transaction into one).
CREATE FUNCTION record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    collection_name TEXT := TG_ARGV[0];
    recipient_column TEXT;
    recipients UUID[] := '{}';
    recipient UUID;
    changed_row JSONB := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
BEGIN
    FOR i IN 1 .. TG_NARGS - 1 LOOP
        recipient_column := TG_ARGV[i];
        IF TG_OP <> 'INSERT' THEN
            recipients := recipients || (to_jsonb(OLD) ->> recipient_column)::uuid;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            recipients := recipients || (to_jsonb(NEW) ->> recipient_column)::uuid;
        END IF;
    END LOOP;
    FOR recipient IN SELECT DISTINCT r FROM unnest(recipients) AS r WHERE r IS NOT NULL LOOP
        INSERT INTO change_log (recipient_id, collection, record_id, operation)
        VALUES (recipient, collection_name, (changed_row ->> 'id')::uuid, CASE WHEN TG_OP = 'DELETE' THEN 'delete' ELSE 'upsert' END);
    END LOOP;
    PERFORM pg_notify('change_log', '');
    RETURN NULL;
END;
$$;

-- Numbers up to batch_size committed, unnumbered rows. Call it while holding the sequencer lock
-- (pg_advisory_xact_lock on the key the application uses) so that one sequencer runs at a time.
CREATE FUNCTION sequence_change_log(batch_size INT) RETURNS INT
LANGUAGE plpgsql AS $$
DECLARE
    numbered INT;
BEGIN
    WITH pending AS (
        SELECT id, recipient_id,
               row_number() OVER (PARTITION BY recipient_id ORDER BY id) AS position
        FROM (SELECT id, recipient_id FROM change_log WHERE seq IS NULL ORDER BY id LIMIT batch_size) AS oldest
    ),
    counts AS (
        SELECT recipient_id, count(*) AS added FROM pending GROUP BY recipient_id
    ),
    advanced AS (
        INSERT INTO change_log_recipients AS r (recipient_id, last_seq)
        SELECT recipient_id, added FROM counts
        ON CONFLICT (recipient_id) DO UPDATE SET last_seq = r.last_seq + EXCLUDED.last_seq
        RETURNING r.recipient_id, r.last_seq
    ),
    ordered AS (
        SELECT p.id, a.last_seq - c.added + p.position AS seq
        FROM pending p JOIN counts c USING (recipient_id) JOIN advanced a USING (recipient_id)
        ORDER BY p.id
    )
    UPDATE change_log l
    SET seq = o.seq, delivery_id = nextval('change_log_delivery_seq')
    FROM ordered o
    WHERE l.id = o.id;
    GET DIAGNOSTICS numbered = ROW_COUNT;
    RETURN numbered;
END;
$$;

-- Users see their own appointments and notifications change live.
CREATE TRIGGER trg_appointments_change_log AFTER INSERT OR UPDATE OR DELETE ON appointments
    FOR EACH ROW EXECUTE FUNCTION record_change('appointments', 'client_id', 'therapist_id');
CREATE TRIGGER trg_notifications_change_log AFTER INSERT OR UPDATE OR DELETE ON notifications
    FOR EACH ROW EXECUTE FUNCTION record_change('notifications', 'user_id');
