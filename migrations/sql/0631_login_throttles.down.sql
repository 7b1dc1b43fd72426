ALTER TABLE users
    ADD COLUMN failed_login_attempts INT NOT NULL DEFAULT 0 CHECK (failed_login_attempts >= 0),
    ADD COLUMN locked_until TIMESTAMPTZ;
DELETE FROM data_retention_policies WHERE table_name = 'login_throttles';
DROP TABLE login_throttles;
