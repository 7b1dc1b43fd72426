-- A search document (about 2.5 kB) passed the 2 kB TOAST threshold, so its text vectors were moved
-- out of line: every match and rank read them back from the TOAST table, row by row (bench/search:
-- 15,800 buffer reads to match one word over 9,500 therapists). Kept inline up to a full page they
-- are read with the row. Existing documents are rewritten so they move back in.
ALTER TABLE therapist_search_documents SET (toast_tuple_target = 8160);
UPDATE therapist_search_documents
   SET search_el = search_el || ''::tsvector, search_en = search_en || ''::tsvector, search_latin = search_latin || '';
