DROP TRIGGER trg_session_notes_guard ON session_notes;
DROP TABLE session_note_amendments;
DROP TABLE session_note_versions;
DROP FUNCTION check_amended_note_signed();
DROP FUNCTION guard_sealed_record_change();
DROP FUNCTION guard_session_note_change();
DROP FUNCTION is_rekeying(text, text);
DROP TYPE note_amendment_kind;
