-- The login roles the platform works as (issue 9, "row-level security as the second wall").
-- tf_app: requests, sockets and jobs acting for a user. Owns nothing, no superuser, subject to
--   row-level security: what it may see is decided by the policies of 0901 and the acting user
--   set per transaction (app.current_user_id / app.current_user_role).
-- tf_system: the platform's own work across users (change feed, delivery, reminders, retention,
--   domain event subscribers), on a small pool of its own. BYPASSRLS: a second login role is
--   simpler to audit than a policy branch that some function could switch on for tf_app.
-- Migrations run as the owner (DATABASE_URL). The platform gives the roles their passwords on
-- start (DATABASE_APP_PASSWORD / DATABASE_SYSTEM_PASSWORD), or the operator creates them and
-- gives DATABASE_APP_URL / DATABASE_SYSTEM_URL.
-- Roles are cluster-wide and these migrations run into many databases on one server at once:
-- created only if missing, attributes corrected only if wrong, never dropped by the down migration.
DO $$
DECLARE
    wanted record;
BEGIN
    FOR wanted IN SELECT * FROM (VALUES ('tf_app', false), ('tf_system', true)) AS r(name, bypass) LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = wanted.name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION %s',
                               wanted.name, CASE WHEN wanted.bypass THEN 'BYPASSRLS' ELSE 'NOBYPASSRLS' END);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- created concurrently by a migration of another database
            END;
        END IF;
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = wanted.name
                      AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls <> wanted.bypass)) THEN
            BEGIN
                EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE %s',
                               wanted.name, CASE WHEN wanted.bypass THEN 'BYPASSRLS' ELSE 'NOBYPASSRLS' END);
            EXCEPTION WHEN OTHERS THEN
                IF SQLERRM NOT LIKE '%concurrently%' THEN RAISE; END IF;
            END;
        END IF;
    END LOOP;
END
$$;

-- Table privileges: every table of the schema except the migration log, never a partition
-- directly (a partition has no policies of its own: rows are reached through the parent).
-- Tables added by later migrations need their own GRANT and policies (see README, "Row-level security").
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                AND c.relname <> 'schema_migrations' LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO tf_app, tf_system', t.relname);
    END LOOP;
END
$$;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tf_app, tf_system;

-- A request now runs in one transaction, where now() is the same for every row it writes: the
-- audit trail is ordered by when each thing happened.
ALTER TABLE audit_logs ALTER COLUMN performed_at SET DEFAULT clock_timestamp();
