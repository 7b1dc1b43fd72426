DROP POLICY tf_company_billing ON invoices;
DROP FUNCTION is_business_billing_admin_of(uuid);
DROP TRIGGER trg_appointments_paid_upfront ON appointments;
DROP FUNCTION check_paid_upfront();
DROP FUNCTION requires_prepayment(uuid, uuid, uuid, timestamptz);
DROP FUNCTION transaction_status_rank(transaction_status);
DROP TABLE therapist_payout_items;
DROP TABLE payment_webhook_events;
DROP INDEX uq_payment_methods_provider_id;
ALTER TABLE payment_methods DROP COLUMN provider_payment_method_id;
ALTER TABLE invoice_items DROP COLUMN position, DROP COLUMN vat_amount, DROP COLUMN vat_category, DROP COLUMN vat_exemption_category;
DELETE FROM invoices WHERE invoice_number IS NULL;
ALTER TABLE invoices
    DROP CONSTRAINT chk_invoice_numbered, DROP CONSTRAINT chk_credit_note_credits,
    DROP COLUMN issuer_key, DROP COLUMN series, DROP COLUMN fiscal_year, DROP COLUMN sequence_number, DROP COLUMN kind,
    DROP COLUMN mydata_invoice_type, DROP COLUMN credited_invoice_id, DROP COLUMN appointment_id, DROP COLUMN billing_month,
    DROP COLUMN issued_at, DROP COLUMN cancelled_at, DROP COLUMN issuer, DROP COLUMN recipient, DROP COLUMN language,
    DROP COLUMN mydata_mark, DROP COLUMN mydata_uid, DROP COLUMN mydata_status;
ALTER TABLE invoices ALTER COLUMN invoice_number SET NOT NULL;
ALTER TABLE invoices ADD CONSTRAINT invoices_invoice_number_key UNIQUE (invoice_number);
DROP TABLE invoice_number_series;
DROP TRIGGER trg_appointments_freeze_price ON appointments;
DROP FUNCTION freeze_appointment_price();
DROP FUNCTION appointment_price(uuid, uuid, uuid, timestamptz);
ALTER TABLE appointments DROP COLUMN price_cents, DROP COLUMN billed_to, DROP COLUMN billed_business_id;
DROP TABLE therapist_type_vat;
DROP TABLE therapist_billing_settings;
-- invoice_status keeps 'issued': PostgreSQL cannot drop a value from an enum.
