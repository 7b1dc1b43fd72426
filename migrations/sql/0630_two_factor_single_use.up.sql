-- A TOTP code and a login challenge work once. two_factor_last_step: the last 30-second TOTP
-- step a code was accepted for (a code of that step or an earlier one is refused);
-- two_factor_challenge_id: the jti of the one pending login challenge, cleared when it is used.
ALTER TABLE users
    ADD COLUMN two_factor_last_step BIGINT,
    ADD COLUMN two_factor_challenge_id UUID;
