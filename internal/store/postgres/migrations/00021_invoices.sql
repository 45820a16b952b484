-- +goose Up
-- Month close (DESIGN.md "Billing"). A partner's billing currency ('' for
-- the default of its head office, billing.DefaultBillingCurrency); the
-- operator's exchange rates per month (the value of one unit in USD) and
-- tax rates per customer country; each partner's invoice for a month and
-- billing currency, numbered from the invoice_numbers counter; its licence
-- lines (the ledger's charges, with their billing-currency amounts: the
-- charge's invoice_number is set in the same transaction) and its usage
-- lines (the month's rated Azure usage, frozen at the close). A billing
-- run is a jobs row (kind billingRun) that makes one invoiceClose job per
-- partner.
ALTER TABLE partners ADD COLUMN billing_currency TEXT NOT NULL DEFAULT '';

CREATE TABLE exchange_rates (
    month    TEXT NOT NULL,
    currency TEXT NOT NULL,
    rate     NUMERIC(20,10) NOT NULL,
    PRIMARY KEY (month, currency)
);

CREATE TABLE tax_rates (
    country TEXT PRIMARY KEY,
    rate    NUMERIC(20,10) NOT NULL
);

CREATE TABLE invoice_numbers (
    name TEXT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE invoices (
    number           TEXT PRIMARY KEY,
    partner_id       UUID NOT NULL REFERENCES partners (id),
    currency         TEXT NOT NULL,
    period           TEXT NOT NULL,
    invoice_date     TIMESTAMPTZ NOT NULL,
    licence_subtotal NUMERIC(20,6) NOT NULL,
    licence_tax      NUMERIC(20,6) NOT NULL,
    usage_subtotal   NUMERIC(20,6) NOT NULL,
    usage_tax        NUMERIC(20,6) NOT NULL,
    total            NUMERIC(20,6) NOT NULL,
    licence_lines    INTEGER NOT NULL,
    usage_lines      INTEGER NOT NULL,
    UNIQUE (partner_id, currency, period)
);
CREATE INDEX invoices_by_partner ON invoices (partner_id, number);

CREATE TABLE invoice_lines (
    invoice_number TEXT NOT NULL REFERENCES invoices (number),
    seq            INTEGER NOT NULL,
    charge_id      UUID NOT NULL UNIQUE REFERENCES charges (id),
    pc_to_bc_rate  NUMERIC(20,10) NOT NULL,
    subtotal       NUMERIC(20,6) NOT NULL,
    tax_total      NUMERIC(20,6) NOT NULL,
    PRIMARY KEY (invoice_number, seq)
);

CREATE TABLE invoice_usage_lines (
    invoice_number        TEXT NOT NULL REFERENCES invoices (number),
    seq                   INTEGER NOT NULL,
    tenant_id             UUID NOT NULL,
    plan_subscription_id  UUID NOT NULL,
    azure_subscription_id UUID NOT NULL,
    entitlement_name      TEXT NOT NULL,
    reseller_mpn_id       TEXT NOT NULL,
    usage_date            TIMESTAMPTZ NOT NULL,
    resource_uri          TEXT NOT NULL,
    resource_group        TEXT NOT NULL,
    location              TEXT NOT NULL,
    consumed_service      TEXT NOT NULL,
    meter_id              UUID NOT NULL,
    quantity              NUMERIC(24,10) NOT NULL,
    unit_price            NUMERIC(20,6) NOT NULL,
    effective_unit_price  NUMERIC(20,6) NOT NULL,
    pricing_currency      TEXT NOT NULL,
    pricing_pre_tax       NUMERIC(20,6) NOT NULL,
    pc_to_bc_rate         NUMERIC(20,10) NOT NULL,
    subtotal              NUMERIC(20,6) NOT NULL,
    tax_total             NUMERIC(20,6) NOT NULL,
    pec_percent           NUMERIC(10,4) NOT NULL,
    tags                  TEXT NOT NULL,
    PRIMARY KEY (invoice_number, seq)
);

-- +goose Down
DELETE FROM jobs WHERE kind IN ('billingRun', 'invoiceClose');
UPDATE charges SET invoice_number = NULL;
DROP TABLE invoice_usage_lines;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE invoice_numbers;
DROP TABLE tax_rates;
DROP TABLE exchange_rates;
ALTER TABLE partners DROP COLUMN billing_currency;
