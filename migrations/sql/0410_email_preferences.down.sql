ALTER TABLE user_profiles DROP COLUMN email_new_messages, DROP COLUMN email_reminders;
