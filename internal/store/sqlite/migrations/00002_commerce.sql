-- +goose Up
-- The commerce engine: subscriptions get their terms, the ledger of charges,
-- history events, orders, carts, agreements and the catalog document.
ALTER TABLE subscriptions ADD COLUMN order_id TEXT;
ALTER TABLE subscriptions ADD COLUMN reseller_mpn_id TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN parent_id TEXT;
ALTER TABLE subscriptions ADD COLUMN availability_id TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN product_name TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN friendly_name TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN unit_type TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN status_since TIMESTAMP;
ALTER TABLE subscriptions ADD COLUMN is_trial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN auto_renew INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN term_duration TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN billing_cycle TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN currency TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN unit_price TEXT NOT NULL DEFAULT '0';
ALTER TABLE subscriptions ADD COLUMN term_started_at TIMESTAMP;
ALTER TABLE subscriptions ADD COLUMN term_start TIMESTAMP;
ALTER TABLE subscriptions ADD COLUMN term_end TIMESTAMP;
ALTER TABLE subscriptions ADD COLUMN lots TEXT NOT NULL DEFAULT '[]';
ALTER TABLE subscriptions ADD COLUMN scheduled TEXT;
ALTER TABLE subscriptions ADD COLUMN next_event_at TIMESTAMP;
-- The scheduler reads due subscriptions in time order from this index.
CREATE INDEX subscriptions_due ON subscriptions (next_event_at, id) WHERE next_event_at IS NOT NULL;
CREATE INDEX subscriptions_by_partner ON subscriptions (partner_id, tenant_id, created_at, id);

CREATE TABLE subscription_events (
    id              TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
    event_date      TIMESTAMP NOT NULL,
    event_type      TEXT NOT NULL,
    changes         TEXT NOT NULL
);
CREATE INDEX subscription_events_by_subscription ON subscription_events (subscription_id, event_date, id);

-- charges is the ledger: one row per reconciliation line item. Money is
-- exact decimal text.
CREATE TABLE charges (
    id                   TEXT PRIMARY KEY,
    partner_id           TEXT NOT NULL REFERENCES partners (id),
    tenant_id            TEXT NOT NULL REFERENCES tenants (id),
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
    invoice_number       TEXT
);
CREATE INDEX charges_unbilled ON charges (partner_id, currency, posted_at, id) WHERE invoice_number IS NULL;
CREATE INDEX charges_by_subscription ON charges (subscription_id, posted_at, id);

CREATE TABLE orders (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    partner_id       TEXT NOT NULL REFERENCES partners (id),
    reseller_mpn_id  TEXT NOT NULL,
    currency         TEXT NOT NULL,
    billing_cycle    TEXT NOT NULL,
    status           TEXT NOT NULL,
    transaction_type TEXT NOT NULL,
    line_items       TEXT NOT NULL, -- JSON
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX orders_by_customer ON orders (partner_id, tenant_id, created_at, id);

CREATE TABLE carts (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants (id),
    partner_id         TEXT NOT NULL REFERENCES partners (id),
    status             TEXT NOT NULL,
    line_items         TEXT NOT NULL, -- JSON
    last_modified_user TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    modified_at        TIMESTAMP NOT NULL,
    expires_at         TIMESTAMP NOT NULL
);

CREATE TABLE agreements (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    partner_id     TEXT NOT NULL REFERENCES partners (id),
    agreement_type TEXT NOT NULL,
    template_id    TEXT NOT NULL,
    date_agreed    TIMESTAMP NOT NULL,
    contact        TEXT NOT NULL, -- JSON
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX agreements_by_customer ON agreements (tenant_id, partner_id);

-- +goose Down
DROP TABLE agreements;
DROP TABLE carts;
DROP TABLE orders;
DROP TABLE charges;
DROP TABLE subscription_events;
DROP INDEX subscriptions_by_partner;
DROP INDEX subscriptions_due;
