DROP TABLE IF EXISTS availability_exceptions CASCADE;
DROP TABLE IF EXISTS availability_templates CASCADE;
DROP TABLE IF EXISTS therapist_locations CASCADE;
DROP TABLE IF EXISTS therapist_languages CASCADE;
DROP TABLE IF EXISTS therapist_approaches CASCADE;
DROP TABLE IF EXISTS therapeutic_approaches CASCADE;
DROP TABLE IF EXISTS therapist_specializations CASCADE;
DROP TABLE IF EXISTS specializations CASCADE;
