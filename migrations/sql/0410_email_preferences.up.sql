-- Which emails a user wants besides the ones an account needs (verification, password reset):
-- appointment reminders and the "a message is waiting" email. Both on by default.
ALTER TABLE user_profiles
    ADD COLUMN email_reminders BOOLEAN NOT NULL DEFAULT TRUE,
    ADD COLUMN email_new_messages BOOLEAN NOT NULL DEFAULT TRUE;
