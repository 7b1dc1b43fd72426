-- The Elasticsearch backend's feed (issue 14): every committed change of a therapist's search
-- document (migration 1400) queues the therapist's id, in the writing transaction, while the feed
-- is on (a node choosing SEARCH_BACKEND=elasticsearch turns it on; the PostgreSQL backend turns
-- it off and empties the queue). The indexer sends the queued therapists' current documents to
-- Elasticsearch in bulk and deletes the rows only after Elasticsearch acknowledged them: the queue
-- is the checkpoint, so after a crash the index converges on exactly the committed state.
CREATE TABLE search_index_feed (
    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    enabled BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO search_index_feed (enabled) VALUES (FALSE);

CREATE TABLE search_index_queue (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    therapist_id UUID NOT NULL,
    queued_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

GRANT SELECT, UPDATE ON search_index_feed TO tf_system;
GRANT SELECT, DELETE ON search_index_queue TO tf_system;
ALTER TABLE search_index_feed ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_index_feed FORCE ROW LEVEL SECURITY;
ALTER TABLE search_index_queue ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_index_queue FORCE ROW LEVEL SECURITY;

CREATE FUNCTION queue_search_index_update()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF (SELECT enabled FROM search_index_feed) THEN
        INSERT INTO search_index_queue (therapist_id)
        VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.therapist_id ELSE NEW.therapist_id END);
        PERFORM pg_notify('change_log', '');
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_search_index_queue AFTER INSERT OR UPDATE OR DELETE ON therapist_search_documents
    FOR EACH ROW EXECUTE FUNCTION queue_search_index_update();
