-- +goose Up
-- Times are TIMESTAMP columns holding fixed-width UTC text
-- (2006-01-02T15:04:05.000000Z), so text order is time order.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE partners (
    id           TEXT PRIMARY KEY,
    mpn_id       TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    partner_type TEXT NOT NULL,
    provider_id  TEXT REFERENCES partners (id),
    country      TEXT NOT NULL,
    locations    TEXT NOT NULL, -- JSON array of ISO countries, head office first
    sale_policy  TEXT,          -- JSON {segments, regions} or NULL
    created_at   TIMESTAMP NOT NULL
);

CREATE TABLE partner_users (
    id           TEXT PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES partners (id),
    display_name TEXT NOT NULL,
    email        TEXT NOT NULL,
    roles        TEXT NOT NULL, -- comma-separated
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (partner_id, email)
);

CREATE TABLE tenants (
    id              TEXT PRIMARY KEY,
    commerce_id     TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    domain_prefix   TEXT NOT NULL UNIQUE,
    country         TEXT NOT NULL,
    region          TEXT NOT NULL,
    segment         TEXT NOT NULL,
    address         TEXT NOT NULL, -- JSON
    billing_profile TEXT NOT NULL, -- JSON
    org_reg_number  TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);

CREATE TABLE tenant_users (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    upn          TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    global_admin INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL
);

CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    kind        TEXT NOT NULL,
    partner_id  TEXT REFERENCES partners (id),
    user_id     TEXT,
    tenant_id   TEXT REFERENCES tenants (id),
    description TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP,
    revoked_at  TIMESTAMP
);

-- name_key copies the tenant's sort key so that a partner's customer list is
-- one index range scan (keyset paging at any depth).
CREATE TABLE relationships (
    partner_id        TEXT NOT NULL REFERENCES partners (id),
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    relationship_type TEXT NOT NULL,
    name_key          TEXT NOT NULL,
    since             TIMESTAMP NOT NULL,
    PRIMARY KEY (partner_id, tenant_id)
);
CREATE INDEX relationships_by_name ON relationships (partner_id, name_key, tenant_id);
CREATE INDEX relationships_by_tenant ON relationships (tenant_id);

CREATE TABLE subscriptions (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    partner_id TEXT REFERENCES partners (id),
    channel    TEXT NOT NULL,
    offer_id   TEXT NOT NULL,
    offer_name TEXT NOT NULL,
    quantity   INTEGER NOT NULL,
    status     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX subscriptions_by_tenant ON subscriptions (tenant_id, partner_id);

CREATE TABLE multitenant_orgs (
    id              TEXT PRIMARY KEY,
    owner_tenant_id TEXT NOT NULL UNIQUE REFERENCES tenants (id),
    display_name    TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);

CREATE TABLE multitenant_org_members (
    org_id             TEXT NOT NULL REFERENCES multitenant_orgs (id),
    tenant_id          TEXT NOT NULL UNIQUE REFERENCES tenants (id),
    role               TEXT NOT NULL,
    state              TEXT NOT NULL,
    added_by_tenant_id TEXT NOT NULL,
    added_at           TIMESTAMP NOT NULL,
    joined_at          TIMESTAMP,
    PRIMARY KEY (org_id, tenant_id)
);

CREATE TABLE audit_records (
    id                  TEXT PRIMARY KEY,
    partner_id          TEXT,
    tenant_id           TEXT,
    customer_name       TEXT NOT NULL,
    user_principal_name TEXT NOT NULL,
    application_id      TEXT NOT NULL,
    resource_type       TEXT NOT NULL,
    operation_type      TEXT NOT NULL,
    operation_status    TEXT NOT NULL,
    resource_old_value  TEXT NOT NULL,
    resource_new_value  TEXT NOT NULL,
    operation_date      TIMESTAMP NOT NULL,
    correlation_id      TEXT NOT NULL
);
CREATE INDEX audit_by_partner ON audit_records (partner_id, operation_date, id);

CREATE TABLE idempotent_requests (
    scope        TEXT NOT NULL,
    request_id   TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         BLOB,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, request_id)
);
CREATE INDEX idempotent_requests_by_age ON idempotent_requests (created_at);

-- +goose Down
DROP TABLE idempotent_requests;
DROP TABLE audit_records;
DROP TABLE multitenant_org_members;
DROP TABLE multitenant_orgs;
DROP TABLE subscriptions;
DROP TABLE relationships;
DROP TABLE api_keys;
DROP TABLE tenant_users;
DROP TABLE tenants;
DROP TABLE partner_users;
DROP TABLE partners;
DROP TABLE settings;
