DROP TABLE IF EXISTS clinical_assessments CASCADE;
DROP TABLE IF EXISTS treatment_plans CASCADE;
DROP TABLE IF EXISTS patient_social_history CASCADE;
DROP TABLE IF EXISTS patient_psychiatric_history CASCADE;
DROP TABLE IF EXISTS patient_medical_history CASCADE;
DROP TABLE IF EXISTS note_templates CASCADE;
DROP TABLE IF EXISTS session_notes CASCADE;
