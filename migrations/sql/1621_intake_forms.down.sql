DROP TABLE form_responses;
DROP FUNCTION close_answered_form();
DROP POLICY tf_client_own ON dynamic_forms;
DROP TRIGGER trg_dynamic_forms_change_log ON dynamic_forms;
DROP INDEX uq_dynamic_forms_intake;
ALTER TABLE dynamic_forms DROP COLUMN appointment_id, DROP COLUMN template_id;
DROP TABLE form_templates;
DROP FUNCTION guard_form_template();
