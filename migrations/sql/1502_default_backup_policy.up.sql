-- The daily backup the `database-backup` job makes when BACKUP_ENCRYPTION_KEY is set, kept two
-- weeks in BACKUP_DIR (storage_location NULL). Operators add, change or deactivate policies.
INSERT INTO backup_policies (policy_name, schedule_type, retention_days, encryption_enabled)
VALUES ('daily', 'daily', 14, TRUE)
ON CONFLICT (policy_name) DO NOTHING;
