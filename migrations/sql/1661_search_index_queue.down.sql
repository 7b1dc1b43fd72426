DROP TRIGGER IF EXISTS trg_search_index_queue ON therapist_search_documents;
DROP FUNCTION IF EXISTS queue_search_index_update();
DROP TABLE IF EXISTS search_index_queue;
DROP TABLE IF EXISTS search_index_feed;
