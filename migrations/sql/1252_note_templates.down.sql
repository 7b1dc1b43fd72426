DELETE FROM note_templates WHERE therapist_id IS NULL;
DROP POLICY tf_platform_read ON note_templates;
ALTER TABLE note_templates DROP COLUMN language, ALTER COLUMN note_type DROP NOT NULL;
