DROP TABLE IF EXISTS therapeutic_resources CASCADE;
DROP TABLE IF EXISTS dynamic_forms CASCADE;
DROP TABLE IF EXISTS questionnaire_responses CASCADE;
DROP TABLE IF EXISTS questionnaire_templates CASCADE;
