DROP TABLE IF EXISTS therapist_payouts CASCADE;
DROP TRIGGER IF EXISTS chk_payment_method_owner_on_payment_methods ON payment_methods;
DROP FUNCTION IF EXISTS check_payment_method_owner_change() CASCADE;
DROP TABLE IF EXISTS transactions CASCADE;
DROP FUNCTION IF EXISTS check_transaction_payment_method_owner() CASCADE;
DROP TABLE IF EXISTS invoice_items CASCADE;
DROP TABLE IF EXISTS invoices CASCADE;
DROP TABLE IF EXISTS therapist_rates CASCADE;
DROP TABLE IF EXISTS payment_methods CASCADE;
