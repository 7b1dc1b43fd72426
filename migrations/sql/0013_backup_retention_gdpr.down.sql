DROP FUNCTION IF EXISTS delete_user_data(uuid);
DROP FUNCTION IF EXISTS export_user_data(uuid);
DROP FUNCTION IF EXISTS cleanup_old_data();
DROP FUNCTION IF EXISTS anonymize_table_data(text, int);
DROP TABLE IF EXISTS anonymized_mood_daily_stats CASCADE;
DROP TABLE IF EXISTS data_retention_policies CASCADE;
DROP TABLE IF EXISTS backup_history CASCADE;
DROP TABLE IF EXISTS backup_policies CASCADE;
