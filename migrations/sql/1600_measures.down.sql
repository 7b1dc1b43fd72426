DELETE FROM questionnaire_templates WHERE short_name IN ('PHQ-9', 'GAD-7', 'WHO-5') AND version = '1.0' AND created_by IS NULL
   AND NOT EXISTS (SELECT 1 FROM questionnaire_responses r WHERE r.questionnaire_id = questionnaire_templates.id);

DROP POLICY IF EXISTS tf_assigning_therapist ON questionnaire_responses;
DROP POLICY IF EXISTS tf_own_answers ON questionnaire_responses;
CREATE POLICY tf_current_therapist ON questionnaire_responses TO tf_app
    USING (client_id = app_current_user_id() OR is_current_therapist(app_current_user_id(), client_id))
    WITH CHECK (client_id = app_current_user_id() OR is_current_therapist(app_current_user_id(), client_id));

DROP TRIGGER IF EXISTS trg_questionnaire_responses_risk_alert ON questionnaire_responses;
DROP FUNCTION IF EXISTS raise_measure_risk_alert();
DROP TABLE IF EXISTS measure_risk_alerts;
DROP TRIGGER IF EXISTS trg_questionnaire_responses_change_log ON questionnaire_responses;
DROP TRIGGER IF EXISTS trg_questionnaire_responses_fixed ON questionnaire_responses;
DROP TRIGGER IF EXISTS trg_questionnaire_responses_therapist_notes ON questionnaire_responses;
DROP FUNCTION IF EXISTS guard_questionnaire_therapist_notes();
DROP TRIGGER IF EXISTS trg_questionnaire_responses_score ON questionnaire_responses;
DROP FUNCTION IF EXISTS score_questionnaire_response();
DROP FUNCTION IF EXISTS measure_response_refusal(uuid, uuid, uuid, jsonb);
DROP FUNCTION IF EXISTS measure_answers_problem(uuid, jsonb);
DROP TRIGGER IF EXISTS trg_questionnaire_responses_clear_sync_write ON questionnaire_responses;
DROP INDEX IF EXISTS idx_questionnaire_responses_assignment;
ALTER TABLE questionnaire_responses
    DROP COLUMN IF EXISTS sync_write,
    DROP COLUMN IF EXISTS client_comment,
    DROP COLUMN IF EXISTS risk_reasons,
    DROP COLUMN IF EXISTS severity,
    DROP COLUMN IF EXISTS assignment_id;
DROP TABLE IF EXISTS measure_assignments;
DROP FUNCTION IF EXISTS may_measure(uuid, uuid);
DROP TYPE IF EXISTS measure_schedule;
DROP FUNCTION IF EXISTS current_measure_template(text);
DROP TRIGGER IF EXISTS trg_questionnaire_templates_fixed ON questionnaire_templates;
ALTER TABLE questionnaire_templates DROP CONSTRAINT IF EXISTS uq_questionnaire_templates_short_name_version;
