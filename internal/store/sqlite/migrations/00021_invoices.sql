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
    rate     TEXT NOT NULL,
    PRIMARY KEY (month, currency)
);

CREATE TABLE tax_rates (
    country TEXT PRIMARY KEY,
    rate    TEXT NOT NULL
);

CREATE TABLE invoice_numbers (
    name TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE invoices (
    number           TEXT PRIMARY KEY,
    partner_id       TEXT NOT NULL REFERENCES partners (id),
    currency         TEXT NOT NULL,
    period           TEXT NOT NULL,
    invoice_date     TIMESTAMP NOT NULL,
    licence_subtotal TEXT NOT NULL,
    licence_tax      TEXT NOT NULL,
    usage_subtotal   TEXT NOT NULL,
    usage_tax        TEXT NOT NULL,
    total            TEXT NOT NULL,
    licence_lines    INTEGER NOT NULL,
    usage_lines      INTEGER NOT NULL,
    UNIQUE (partner_id, currency, period)
);
CREATE INDEX invoices_by_partner ON invoices (partner_id, number);

CREATE TABLE invoice_lines (
    invoice_number TEXT NOT NULL REFERENCES invoices (number),
    seq            INTEGER NOT NULL,
    charge_id      TEXT NOT NULL UNIQUE REFERENCES charges (id),
    pc_to_bc_rate  TEXT NOT NULL,
    subtotal       TEXT NOT NULL,
    tax_total      TEXT NOT NULL,
    PRIMARY KEY (invoice_number, seq)
);

CREATE TABLE invoice_usage_lines (
    invoice_number        TEXT NOT NULL REFERENCES invoices (number),
    seq                   INTEGER NOT NULL,
    tenant_id             TEXT NOT NULL,
    plan_subscription_id  TEXT NOT NULL,
    azure_subscription_id TEXT NOT NULL,
    entitlement_name      TEXT NOT NULL,
    reseller_mpn_id       TEXT NOT NULL,
    usage_date            TIMESTAMP NOT NULL,
    resource_uri          TEXT NOT NULL,
    resource_group        TEXT NOT NULL,
    location              TEXT NOT NULL,
    consumed_service      TEXT NOT NULL,
    meter_id              TEXT NOT NULL,
    quantity              TEXT NOT NULL,
    unit_price            TEXT NOT NULL,
    effective_unit_price  TEXT NOT NULL,
    pricing_currency      TEXT NOT NULL,
    pricing_pre_tax       TEXT NOT NULL,
    pc_to_bc_rate         TEXT NOT NULL,
    subtotal              TEXT NOT NULL,
    tax_total             TEXT NOT NULL,
    pec_percent           TEXT NOT NULL,
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
