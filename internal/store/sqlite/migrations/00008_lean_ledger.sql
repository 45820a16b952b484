-- +goose Up
-- The ledger's rows are written once per lifecycle event, so each index and
-- foreign key on them is paid on every event:
--   * charges_by_subscription goes: its entries land anywhere in the index
--     (a page written per charge), while charges_by_event (event ids grow
--     with time) is appended to; a subscription's charges are found
--     through its events, which every charge belongs to;
--   * charges keep their foreign key to the subscription and lose those to
--     the partner and the tenant, which are the subscription's own (every
--     charge copies them from it) and were checked once more per row.
-- SQLite drops a foreign key by rebuilding the table.
--   * subscription_events is kept in the order it is read, by subscription
--     (WITHOUT ROWID on (subscription_id, event_date, id)): one B-tree per
--     event written instead of three (the rowid table, the id index and
--     subscription_events_by_subscription). Nothing reads an event by id.
CREATE TABLE charges_new (
    id                   TEXT PRIMARY KEY,
    partner_id           TEXT NOT NULL,
    tenant_id            TEXT NOT NULL,
    subscription_id      TEXT NOT NULL REFERENCES subscriptions (id),
    event_id             TEXT NOT NULL,
    order_id             TEXT,
    reseller_mpn_id      TEXT NOT NULL,
    charge_type          TEXT NOT NULL,
    product_id           TEXT NOT NULL,
    sku_id               TEXT NOT NULL,
    availability_id      TEXT NOT NULL,
    product_name         TEXT NOT NULL,
    sku_name             TEXT NOT NULL,
    quantity             INTEGER NOT NULL,
    billable_quantity    TEXT NOT NULL,
    unit_price           TEXT NOT NULL,
    effective_unit_price TEXT NOT NULL,
    subtotal             TEXT NOT NULL,
    currency             TEXT NOT NULL,
    charge_start         TIMESTAMP NOT NULL,
    charge_end           TIMESTAMP NOT NULL,
    subscription_start   TIMESTAMP NOT NULL,
    subscription_end     TIMESTAMP NOT NULL,
    term_and_billing     TEXT NOT NULL,
    posted_at            TIMESTAMP NOT NULL,
    invoice_number       TEXT,
    partner_service      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO charges_new SELECT id, partner_id, tenant_id, subscription_id, event_id, order_id, reseller_mpn_id, charge_type, product_id,
    sku_id, availability_id, product_name, sku_name, quantity, billable_quantity, unit_price, effective_unit_price, subtotal, currency,
    charge_start, charge_end, subscription_start, subscription_end, term_and_billing, posted_at, invoice_number, partner_service FROM charges;
DROP TABLE charges;
ALTER TABLE charges_new RENAME TO charges;
CREATE INDEX charges_unbilled ON charges (partner_id, currency, posted_at, id) WHERE invoice_number IS NULL;
CREATE INDEX charges_by_event ON charges (event_id);

CREATE TABLE subscription_events_new (
    id              TEXT NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
    event_date      TIMESTAMP NOT NULL,
    event_type      TEXT NOT NULL,
    changes         TEXT NOT NULL,
    PRIMARY KEY (subscription_id, event_date, id)
) WITHOUT ROWID;
INSERT INTO subscription_events_new (id, subscription_id, event_date, event_type, changes)
    SELECT id, subscription_id, event_date, event_type, changes FROM subscription_events;
DROP TABLE subscription_events;
ALTER TABLE subscription_events_new RENAME TO subscription_events;

-- +goose Down
-- (The two foreign keys are not rebuilt, they were redundant; events stay
-- keyed by subscription.)
CREATE INDEX charges_by_subscription ON charges (subscription_id, posted_at, id);
