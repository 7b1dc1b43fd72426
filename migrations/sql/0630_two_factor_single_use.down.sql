ALTER TABLE users DROP COLUMN two_factor_challenge_id, DROP COLUMN two_factor_last_step;
