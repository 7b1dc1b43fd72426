-- Failed logins, counted per account ('account') and per account and client address (the
-- address as scope), keyed by the SHA-256 of the normalised email so that an address without an
-- account is throttled exactly like one with (the answers must not tell them apart). Each lock of
-- a scope lasts twice as long as its previous one, capped; a lock of one address leaves the
-- owner's other addresses alone. Replaces users.failed_login_attempts/locked_until, which let
-- anyone lock an account for everybody, again and again.
CREATE TABLE login_throttles (
    account_key TEXT NOT NULL,
    scope TEXT NOT NULL,
    failures INT NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locks INT NOT NULL DEFAULT 0 CHECK (locks >= 0),
    locked_until TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (account_key, scope)
);

INSERT INTO data_retention_policies (table_name, timestamp_column, retention_days, deletion_strategy)
VALUES ('login_throttles', 'updated_at', 7, 'hard_delete');

ALTER TABLE users DROP COLUMN failed_login_attempts, DROP COLUMN locked_until;
