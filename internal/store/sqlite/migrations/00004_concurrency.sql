-- +goose Up
-- Correct under concurrent writers and crashes, with one scheduler. SQLite
-- serialises write transactions (BEGIN IMMEDIATE), so it needs no row locks;
-- the tables are PostgreSQL's.

-- Row versions: every change of a resource bumps its version, and its etag
-- names it (If-Match answers 412 on a stale one).
ALTER TABLE subscriptions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE carts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenants ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE relationships ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Each partner keeps its own copy of its customer's company name, billing
-- contact and address: a partner's change never shows to another partner of
-- a shared tenant.
ALTER TABLE relationships ADD COLUMN company_name TEXT NOT NULL DEFAULT '';
ALTER TABLE relationships ADD COLUMN billing_profile TEXT NOT NULL DEFAULT '{}';
ALTER TABLE relationships ADD COLUMN address TEXT NOT NULL DEFAULT '{}';
UPDATE relationships SET
    company_name = (SELECT t.display_name FROM tenants t WHERE t.id = relationships.tenant_id),
    billing_profile = (SELECT t.billing_profile FROM tenants t WHERE t.id = relationships.tenant_id),
    address = (SELECT t.address FROM tenants t WHERE t.id = relationships.tenant_id);

-- Due jobs of every kind, read in (due_at, priority) order by the one
-- scheduler. A subscription's job mirrors its next_event_at and is written
-- with it.
CREATE TABLE jobs (
    kind     TEXT NOT NULL,
    ref      TEXT NOT NULL,
    due_at   TIMESTAMP NOT NULL,
    priority INTEGER NOT NULL,
    PRIMARY KEY (kind, ref)
);
CREATE INDEX jobs_due ON jobs (due_at, priority, kind, ref);
INSERT INTO jobs (kind, ref, due_at, priority)
    SELECT 'subscription', CAST(id AS TEXT), next_event_at, 1 FROM subscriptions WHERE next_event_at IS NOT NULL;
DROP INDEX subscriptions_due;

-- Leases: the scheduler's (one runner at a time across instances).
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- The sandbox clock: one row, read by every write; an advance in progress
-- is recorded here so that it survives a crash.
CREATE TABLE sandbox_clock (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    now          TIMESTAMP NOT NULL,
    advancing_to TIMESTAMP,
    advance_from TIMESTAMP,
    processed    INTEGER NOT NULL DEFAULT 0
);

-- Idempotency claims carry a lease (renewed while the request runs) and
-- whether the request's work was committed. Answers stored so far may hold
-- one-time secrets: they are dropped.
DELETE FROM idempotent_requests;
ALTER TABLE idempotent_requests ADD COLUMN lease_until TIMESTAMP;
ALTER TABLE idempotent_requests ADD COLUMN committed INTEGER NOT NULL DEFAULT 0;

-- Console sessions: the cookie holds a random id, the table its SHA-256.
CREATE TABLE console_sessions (
    id_hash    TEXT PRIMARY KEY,
    key_id     TEXT,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);

-- Segment qualifications wait for validation before they change the tenant.
CREATE TABLE qualification_requests (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    partner_id    TEXT NOT NULL REFERENCES partners (id),
    qualification TEXT NOT NULL,
    segment       TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    decided_at    TIMESTAMP
);
CREATE INDEX qualification_requests_by_tenant ON qualification_requests (tenant_id, created_at, id);
CREATE INDEX qualification_requests_by_status ON qualification_requests (status, created_at, id);

-- A partner's own product ids are its own: another partner may use the same.
CREATE TABLE partner_products_new (
    product_id TEXT NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    document   TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (partner_id, product_id)
);
INSERT INTO partner_products_new SELECT product_id, partner_id, document, created_at FROM partner_products;
DROP TABLE partner_products;
ALTER TABLE partner_products_new RENAME TO partner_products;

-- Paging a tenant's subscriptions, and a page of history events' charges.
CREATE INDEX subscriptions_by_tenant_created ON subscriptions (tenant_id, created_at, id);
CREATE INDEX charges_by_event ON charges (event_id);

-- +goose Down
DROP INDEX charges_by_event;
DROP INDEX subscriptions_by_tenant_created;
DROP TABLE qualification_requests;
DROP TABLE console_sessions;
DROP TABLE sandbox_clock;
DROP TABLE leases;
CREATE INDEX subscriptions_due ON subscriptions (next_event_at, id) WHERE next_event_at IS NOT NULL;
DROP TABLE jobs;
