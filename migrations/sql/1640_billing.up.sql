-- Billing (issue 13): prices frozen on appointments, gapless document numbers per issuer,
-- series and year, VAT per line with the health-services exemption, myDATA fields, card
-- payments through a provider (ids only), idempotent webhooks, payouts. Money columns stay the
-- seed's exact numeric(10,2); the application works in integer cents.
ALTER TYPE invoice_status ADD VALUE IF NOT EXISTS 'issued' AFTER 'draft';

-- A therapist's billing terms. The platform fee is set by a super admin, the rest by the therapist.
CREATE TABLE therapist_billing_settings (
    therapist_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    vat_exempt BOOLEAN NOT NULL DEFAULT TRUE,
    platform_fee_percentage percentage NOT NULL DEFAULT 20.00 CHECK (platform_fee_percentage BETWEEN 0 AND 100),
    late_cancellation_fee_percentage percentage NOT NULL DEFAULT 0 CHECK (late_cancellation_fee_percentage BETWEEN 0 AND 100),
    no_show_fee_percentage percentage NOT NULL DEFAULT 0 CHECK (no_show_fee_percentage BETWEEN 0 AND 100),
    tax_id VARCHAR(20),
    business_name VARCHAR(200),
    business_address VARCHAR(300),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TRIGGER trg_therapist_billing_settings_updated_at BEFORE UPDATE ON therapist_billing_settings
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- The exemption may differ per appointment type (e.g. a workshop that is not a health service).
CREATE TABLE therapist_type_vat (
    therapist_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    appointment_type_id UUID NOT NULL REFERENCES appointment_types(id) ON DELETE CASCADE,
    vat_exempt BOOLEAN NOT NULL,
    PRIMARY KEY (therapist_id, appointment_type_id)
);

-- The price shown at booking is frozen on the appointment; company-paid sessions at the corporate rate.
ALTER TABLE appointments
    ADD COLUMN price_cents INT CHECK (price_cents >= 0),
    ADD COLUMN billed_to TEXT CHECK (billed_to IN ('client', 'company')),
    ADD COLUMN billed_business_id UUID REFERENCES business_accounts(id) ON DELETE SET NULL;

-- The rate in force on a day (Europe/Athens) for a therapist and appointment type: a rate for the
-- type before a rate for every type, the one that started last first. Company-paid when the client
-- is an active employee (scheduling refuses sessions over the plan's limit).
CREATE FUNCTION appointment_price(p_therapist uuid, p_type uuid, p_client uuid, p_at timestamptz)
RETURNS TABLE (price_cents int, billed_to text, business_id uuid, list_price_cents int, sliding_scale_minimum_cents int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    WITH rate AS (
        SELECT r.* FROM therapist_rates r
         WHERE r.therapist_id = p_therapist
           AND (r.appointment_type_id = p_type OR r.appointment_type_id IS NULL)
           AND r.effective_from <= (p_at AT TIME ZONE 'Europe/Athens')::date
           AND (r.effective_to IS NULL OR r.effective_to >= (p_at AT TIME ZONE 'Europe/Athens')::date)
         ORDER BY (r.appointment_type_id IS NULL), r.effective_from DESC, r.id
         LIMIT 1
    ), employer AS (
        SELECT be.business_id FROM business_employees be
         WHERE be.user_id = p_client AND be.enrollment_status = 'active'
         ORDER BY be.business_id LIMIT 1
    )
    SELECT (round(CASE WHEN e.business_id IS NOT NULL THEN coalesce(r.corporate_rate, r.rate_amount) ELSE r.rate_amount END * 100))::int,
           CASE WHEN e.business_id IS NOT NULL THEN 'company' ELSE 'client' END,
           e.business_id,
           (round(r.rate_amount * 100))::int,
           CASE WHEN r.sliding_scale_available THEN (round(coalesce(r.sliding_scale_minimum, r.rate_amount) * 100))::int END
      FROM rate r LEFT JOIN employer e ON true
$$;

CREATE FUNCTION freeze_appointment_price() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
    quote record;
BEGIN
    IF NEW.price_cents IS NULL THEN
        SELECT * INTO quote FROM appointment_price(NEW.therapist_id, NEW.appointment_type_id, NEW.client_id, NEW.scheduled_start);
        IF FOUND THEN
            NEW.price_cents := quote.price_cents;
            NEW.billed_to := quote.billed_to;
            NEW.billed_business_id := quote.business_id;
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trg_appointments_freeze_price BEFORE INSERT ON appointments
    FOR EACH ROW EXECUTE FUNCTION freeze_appointment_price();

-- Documents: numbered per issuer (a therapist's id, or 'platform' for company invoices), series and
-- year without gaps: the counter row is locked until the issuing transaction ends, so a rolled back
-- issue gives its number back.
CREATE TABLE invoice_number_series (
    issuer_key TEXT NOT NULL,
    series VARCHAR(10) NOT NULL,
    fiscal_year INT NOT NULL,
    last_number INT NOT NULL DEFAULT 0 CHECK (last_number >= 0),
    PRIMARY KEY (issuer_key, series, fiscal_year)
);

ALTER TABLE invoices DROP CONSTRAINT invoices_invoice_number_key;
ALTER TABLE invoices ALTER COLUMN invoice_number DROP NOT NULL;
ALTER TABLE invoices
    ADD COLUMN issuer_key TEXT,
    ADD COLUMN series VARCHAR(10),
    ADD COLUMN fiscal_year INT,
    ADD COLUMN sequence_number INT CHECK (sequence_number > 0),
    ADD COLUMN kind TEXT NOT NULL DEFAULT 'receipt' CHECK (kind IN ('receipt', 'invoice', 'credit_note')),
    ADD COLUMN mydata_invoice_type VARCHAR(10),
    ADD COLUMN credited_invoice_id UUID REFERENCES invoices(id),
    ADD COLUMN appointment_id UUID REFERENCES appointments(id) ON DELETE SET NULL,
    ADD COLUMN billing_month DATE,
    ADD COLUMN issued_at TIMESTAMPTZ,
    ADD COLUMN cancelled_at TIMESTAMPTZ,
    ADD COLUMN issuer JSONB,
    ADD COLUMN recipient JSONB,
    ADD COLUMN language VARCHAR(2) NOT NULL DEFAULT 'el' CHECK (language IN ('el', 'en')),
    ADD COLUMN mydata_mark TEXT,
    ADD COLUMN mydata_uid TEXT,
    ADD COLUMN mydata_status TEXT CHECK (mydata_status IN ('pending', 'transmitted', 'failed')),
    ADD CONSTRAINT chk_invoice_numbered CHECK (status = 'draft' OR (invoice_number IS NOT NULL AND sequence_number IS NOT NULL)),
    ADD CONSTRAINT chk_credit_note_credits CHECK ((kind = 'credit_note') = (credited_invoice_id IS NOT NULL));
CREATE UNIQUE INDEX uq_invoices_number ON invoices (issuer_key, series, fiscal_year, sequence_number);
CREATE UNIQUE INDEX uq_invoices_per_appointment ON invoices (appointment_id) WHERE kind <> 'credit_note' AND appointment_id IS NOT NULL;
CREATE UNIQUE INDEX uq_invoices_company_month ON invoices (business_id, billing_month) WHERE kind <> 'credit_note' AND billing_month IS NOT NULL;
CREATE UNIQUE INDEX uq_invoices_one_credit_note ON invoices (credited_invoice_id) WHERE credited_invoice_id IS NOT NULL;

ALTER TABLE invoice_items
    ADD COLUMN position INT NOT NULL DEFAULT 1,
    ADD COLUMN vat_amount positive_money NOT NULL DEFAULT 0,
    ADD COLUMN vat_category INT NOT NULL DEFAULT 1,
    ADD COLUMN vat_exemption_category INT;

-- Cards: the provider's customer and payment-method ids and the last four digits, never a number.
ALTER TABLE payment_methods ADD COLUMN provider_payment_method_id VARCHAR(255);
CREATE UNIQUE INDEX uq_payment_methods_provider_id ON payment_methods (provider, provider_payment_method_id)
    WHERE provider_payment_method_id IS NOT NULL;

-- A provider's webhook event is applied once: its id is recorded in the same transaction.
CREATE TABLE payment_webhook_events (
    provider VARCHAR(50) NOT NULL,
    event_id VARCHAR(255) NOT NULL,
    event_type VARCHAR(100) NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id)
);

-- A money movement's status only moves forward, whatever order the provider's events arrive in.
CREATE FUNCTION transaction_status_rank(p_status transaction_status) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE p_status WHEN 'pending' THEN 0 WHEN 'processing' THEN 1 WHEN 'failed' THEN 2 WHEN 'cancelled' THEN 2 WHEN 'completed' THEN 3 END $$;

-- Which paid documents a payout counted, so none is paid out twice.
CREATE TABLE therapist_payout_items (
    payout_id UUID NOT NULL REFERENCES therapist_payouts(id) ON DELETE CASCADE,
    invoice_id UUID NOT NULL UNIQUE REFERENCES invoices(id),
    gross_amount positive_money NOT NULL,
    PRIMARY KEY (payout_id, invoice_id)
);

-- Upfront payment: a type that requires it is confirmed only once its document is paid.
CREATE FUNCTION check_paid_upfront() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF NEW.status = 'confirmed' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'confirmed')
       AND coalesce(NEW.billed_to, 'client') = 'client' AND coalesce(NEW.price_cents, 0) > 0
       AND EXISTS (SELECT 1 FROM appointment_types t WHERE t.id = NEW.appointment_type_id AND t.requires_payment_upfront)
       AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.appointment_id = NEW.id AND i.kind <> 'credit_note' AND i.status = 'paid') THEN
        RAISE EXCEPTION 'appointment % must be paid before it is confirmed', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_paid_upfront';
    END IF;
    RETURN NEW;
END;
$$;
-- Whether a booking at this time would have to be paid before it is confirmed (asked before booking).
CREATE FUNCTION requires_prepayment(p_therapist uuid, p_type uuid, p_client uuid, p_at timestamptz) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT coalesce((SELECT t.requires_payment_upfront FROM appointment_types t WHERE t.id = p_type), false)
       AND coalesce((SELECT p.billed_to = 'client' AND p.price_cents > 0 FROM appointment_price(p_therapist, p_type, p_client, p_at) p), false)
$$;
CREATE TRIGGER trg_appointments_paid_upfront BEFORE INSERT OR UPDATE OF status ON appointments
    FOR EACH ROW EXECUTE FUNCTION check_paid_upfront();

-- A company's finance and HR admins read the company's documents.
CREATE FUNCTION is_business_billing_admin_of(p_business_id uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM business_admins WHERE business_id = p_business_id AND user_id = app_current_user_id()
                     AND role IN ('owner', 'admin', 'finance_admin', 'hr_admin'))
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON therapist_billing_settings, therapist_type_vat, invoice_number_series,
    payment_webhook_events, therapist_payout_items TO tf_app, tf_system;
ALTER TABLE therapist_billing_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE therapist_billing_settings FORCE ROW LEVEL SECURITY;
ALTER TABLE therapist_type_vat ENABLE ROW LEVEL SECURITY;
ALTER TABLE therapist_type_vat FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_number_series ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_number_series FORCE ROW LEVEL SECURITY;
ALTER TABLE payment_webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_webhook_events FORCE ROW LEVEL SECURITY;
ALTER TABLE therapist_payout_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE therapist_payout_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tf_therapist_own ON therapist_billing_settings TO tf_app
    USING (therapist_id = app_current_user_id()) WITH CHECK (therapist_id = app_current_user_id());
CREATE POLICY tf_therapist_own ON therapist_type_vat TO tf_app
    USING (therapist_id = app_current_user_id()) WITH CHECK (therapist_id = app_current_user_id());
CREATE POLICY tf_therapist_own ON therapist_payout_items FOR SELECT TO tf_app
    USING (EXISTS (SELECT 1 FROM therapist_payouts p WHERE p.id = payout_id));
CREATE POLICY tf_company_billing ON invoices FOR SELECT TO tf_app
    USING (business_id IS NOT NULL AND user_id IS NULL AND is_business_billing_admin_of(business_id));
