ALTER TABLE therapist_search_documents RESET (toast_tuple_target);
