ALTER TABLE appointments DROP COLUMN client_admitted_at;
