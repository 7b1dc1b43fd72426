-- Payment and billing (sketch §1 "Payment and Billing", §2 chk_payment_method_owner).
CREATE TABLE payment_methods (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    type payment_method_type NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    provider VARCHAR(50), -- Stripe, PayPal, etc.
    provider_customer_id VARCHAR(255),
    last_four VARCHAR(4), -- cards
    card_brand VARCHAR(50),
    expiry_month INT CHECK (expiry_month BETWEEN 1 AND 12),
    expiry_year INT CHECK (expiry_year BETWEEN 2000 AND 2100),
    bank_name VARCHAR(100),
    account_last_four VARCHAR(4),
    billing_address JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_payment_methods_user ON payment_methods (user_id);
CREATE UNIQUE INDEX uq_payment_methods_one_default ON payment_methods (user_id) WHERE is_default;
CREATE TRIGGER trg_payment_methods_updated_at BEFORE UPDATE ON payment_methods
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE therapist_rates (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    therapist_id UUID NOT NULL REFERENCES therapist_profiles(user_id) ON DELETE CASCADE,
    appointment_type_id UUID REFERENCES appointment_types(id),
    rate_amount positive_money NOT NULL,
    currency VARCHAR(3) NOT NULL DEFAULT 'EUR',
    effective_from DATE NOT NULL,
    effective_to DATE,
    corporate_rate positive_money,
    sliding_scale_available BOOLEAN NOT NULL DEFAULT FALSE,
    sliding_scale_minimum positive_money,
    notes TEXT,
    CONSTRAINT chk_rate_dates CHECK (effective_to IS NULL OR effective_to >= effective_from)
);
CREATE INDEX idx_therapist_rates_therapist ON therapist_rates (therapist_id, appointment_type_id, effective_from DESC);

CREATE TABLE invoices (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_number VARCHAR(50) UNIQUE NOT NULL,
    user_id UUID REFERENCES users(id),
    business_id UUID REFERENCES business_accounts(id),
    therapist_id UUID REFERENCES users(id),
    invoice_date DATE NOT NULL,
    due_date DATE NOT NULL,
    subtotal positive_money NOT NULL,
    tax_rate percentage NOT NULL DEFAULT 24.00, -- Greek VAT
    tax_amount positive_money NOT NULL,
    total_amount positive_money NOT NULL,
    currency VARCHAR(3) NOT NULL DEFAULT 'EUR',
    status invoice_status NOT NULL DEFAULT 'draft',
    paid_at TIMESTAMPTZ,
    payment_method_id UUID REFERENCES payment_methods(id) ON DELETE SET NULL,
    notes TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT chk_invoice_dates CHECK (due_date >= invoice_date),
    CONSTRAINT chk_invoice_billed_party CHECK (user_id IS NOT NULL OR business_id IS NOT NULL)
);
CREATE INDEX idx_invoices_user ON invoices (user_id);
CREATE INDEX idx_invoices_business ON invoices (business_id);
CREATE INDEX idx_invoices_therapist ON invoices (therapist_id);
CREATE INDEX idx_invoices_status_due ON invoices (status, due_date);
CREATE TRIGGER trg_invoices_updated_at BEFORE UPDATE ON invoices
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE invoice_items (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id UUID NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    appointment_id UUID REFERENCES appointments(id) ON DELETE SET NULL, -- invoices outlive erased appointments
    description VARCHAR(500) NOT NULL,
    quantity INT NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price positive_money NOT NULL,
    total_price positive_money NOT NULL,
    tax_rate percentage,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_invoice_items_invoice ON invoice_items (invoice_id);
CREATE INDEX idx_invoice_items_appointment ON invoice_items (appointment_id);

CREATE TABLE transactions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID REFERENCES users(id),
    invoice_id UUID REFERENCES invoices(id),
    amount positive_money NOT NULL,
    currency VARCHAR(3) NOT NULL DEFAULT 'EUR',
    type transaction_type NOT NULL,
    status transaction_status NOT NULL DEFAULT 'pending',
    payment_method_id UUID REFERENCES payment_methods(id) ON DELETE SET NULL,
    provider VARCHAR(50),
    provider_transaction_id VARCHAR(255),
    provider_response JSONB,
    failure_reason TEXT,
    processed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ -- set by the retention job (soft_delete policy)
);
CREATE INDEX idx_transactions_user ON transactions (user_id);
CREATE INDEX idx_transactions_payment_method ON transactions (payment_method_id);
CREATE UNIQUE INDEX uq_transactions_provider_id ON transactions (provider, provider_transaction_id)
    WHERE provider_transaction_id IS NOT NULL;
CREATE INDEX idx_payment_reconciliation ON transactions (invoice_id, status, processed_at);

-- Sketch §2 chk_payment_method_owner (a CHECK with a subquery) as constraint triggers.
CREATE FUNCTION check_transaction_payment_method_owner()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF NEW.payment_method_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM payment_methods
         WHERE id = NEW.payment_method_id AND user_id IS NOT DISTINCT FROM NEW.user_id
         FOR SHARE
    ) THEN
        RAISE EXCEPTION 'payment method % does not belong to user %', NEW.payment_method_id, NEW.user_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_payment_method_owner';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER chk_payment_method_owner
    AFTER INSERT OR UPDATE OF payment_method_id, user_id ON transactions
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION check_transaction_payment_method_owner();

CREATE FUNCTION check_payment_method_owner_change()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM transactions
                WHERE payment_method_id = NEW.id AND user_id IS DISTINCT FROM NEW.user_id) THEN
        RAISE EXCEPTION 'payment method % is used by transactions of another user', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_payment_method_owner';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER chk_payment_method_owner_on_payment_methods
    AFTER UPDATE OF user_id ON payment_methods
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION check_payment_method_owner_change();

CREATE TABLE therapist_payouts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    therapist_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    total_sessions INT CHECK (total_sessions >= 0),
    gross_amount positive_money NOT NULL,
    platform_fee_percentage percentage NOT NULL DEFAULT 20.00,
    platform_fee_amount positive_money NOT NULL,
    net_amount positive_money NOT NULL,
    status payout_status NOT NULL DEFAULT 'pending',
    payout_method VARCHAR(50),
    payout_reference VARCHAR(255),
    paid_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT chk_payout_period CHECK (period_end >= period_start),
    UNIQUE (therapist_id, period_start, period_end)
);
