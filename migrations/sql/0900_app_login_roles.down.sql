-- Roles are cluster-wide and shared with other databases: they are never dropped, only their
-- privileges in this database go.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM tf_app, tf_system;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM tf_app, tf_system;
ALTER TABLE audit_logs ALTER COLUMN performed_at SET DEFAULT now();
