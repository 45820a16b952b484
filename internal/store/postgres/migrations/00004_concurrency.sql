-- +goose Up
-- Correct under concurrent writers and crashes, with one scheduler.

-- Row versions: every change of a resource bumps its version, and its etag
-- names it (If-Match answers 412 on a stale one).
ALTER TABLE subscriptions ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE carts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE tenants ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE relationships ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

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
    due_at   TIMESTAMPTZ NOT NULL,
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
    expires_at TIMESTAMPTZ NOT NULL
);

-- The sandbox clock: one row, read and share-locked by every write; an
-- advance in progress is recorded here so that it survives a crash.
CREATE TABLE sandbox_clock (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    now          TIMESTAMPTZ NOT NULL,
    advancing_to TIMESTAMPTZ,
    advance_from TIMESTAMPTZ,
    processed    BIGINT NOT NULL DEFAULT 0
);

-- Idempotency claims carry a lease (renewed while the request runs) and
-- whether the request's work was committed. Answers stored so far may hold
-- one-time secrets: they are dropped.
DELETE FROM idempotent_requests;
ALTER TABLE idempotent_requests ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE idempotent_requests ADD COLUMN committed BOOLEAN NOT NULL DEFAULT FALSE;

-- Console sessions: the cookie holds a random id, the table its SHA-256.
CREATE TABLE console_sessions (
    id_hash    TEXT PRIMARY KEY,
    key_id     UUID,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);

-- Segment qualifications wait for validation before they change the tenant.
CREATE TABLE qualification_requests (
    id            UUID PRIMARY KEY,
    tenant_id     UUID NOT NULL REFERENCES tenants (id),
    partner_id    UUID NOT NULL REFERENCES partners (id),
    qualification TEXT NOT NULL,
    segment       TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    decided_at    TIMESTAMPTZ
);
CREATE INDEX qualification_requests_by_tenant ON qualification_requests (tenant_id, created_at, id);
CREATE INDEX qualification_requests_by_status ON qualification_requests (status, created_at, id);

-- A partner's own product ids are its own: another partner may use the same.
ALTER TABLE partner_products DROP CONSTRAINT partner_products_pkey;
ALTER TABLE partner_products ADD PRIMARY KEY (partner_id, product_id);

-- Paging a tenant's subscriptions, and a page of history events' charges.
CREATE INDEX subscriptions_by_tenant_created ON subscriptions (tenant_id, created_at, id);
CREATE INDEX charges_by_event ON charges (event_id);

-- +goose Down
DROP INDEX charges_by_event;
DROP INDEX subscriptions_by_tenant_created;
ALTER TABLE partner_products DROP CONSTRAINT partner_products_pkey;
ALTER TABLE partner_products ADD PRIMARY KEY (product_id);
DROP TABLE qualification_requests;
DROP TABLE console_sessions;
ALTER TABLE idempotent_requests DROP COLUMN committed;
ALTER TABLE idempotent_requests DROP COLUMN lease_until;
DROP TABLE sandbox_clock;
DROP TABLE leases;
CREATE INDEX subscriptions_due ON subscriptions (next_event_at, id) WHERE next_event_at IS NOT NULL;
DROP TABLE jobs;
ALTER TABLE relationships DROP COLUMN address;
ALTER TABLE relationships DROP COLUMN billing_profile;
ALTER TABLE relationships DROP COLUMN company_name;
ALTER TABLE relationships DROP COLUMN version;
ALTER TABLE tenants DROP COLUMN version;
ALTER TABLE carts DROP COLUMN version;
ALTER TABLE subscriptions DROP COLUMN version;
