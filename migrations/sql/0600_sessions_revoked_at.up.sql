-- When every session of the account was ended (password changed or reset, 2FA turned on or off,
-- account suspended). An access token issued before it is refused, though its signature is still
-- good, and the account's sockets are closed: a stolen token stops working at once.
ALTER TABLE users ADD COLUMN sessions_revoked_at timestamptz;
