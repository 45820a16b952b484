-- +goose Up
-- Azure (docs/decisions.md 83-92): Azure subscriptions under a tenant's
-- Azure plan with one partner (Partner Center's azureEntitlements), their
-- resource groups, resources and role assignments; the running intervals
-- that meter; hourly usage records; usage budgets and month-to-date spend.
-- Ids and names are compared case-insensitively: the *_key columns hold
-- the lower-cased ARM id, the others the spelling of the creating PUT.
CREATE TABLE azure_subscriptions (
    id                   TEXT PRIMARY KEY,
    tenant_id            TEXT NOT NULL REFERENCES tenants (id),
    partner_id           TEXT NOT NULL REFERENCES partners (id),
    plan_subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
    friendly_name        TEXT NOT NULL,
    status               TEXT NOT NULL,
    status_since         TIMESTAMP NOT NULL,
    created_at           TIMESTAMP NOT NULL,
    version              INTEGER NOT NULL
);
CREATE INDEX azure_subscriptions_by_plan ON azure_subscriptions (plan_subscription_id, created_at, id);

CREATE TABLE azure_resource_groups (
    subscription_id TEXT NOT NULL REFERENCES azure_subscriptions (id),
    name_key        TEXT NOT NULL,
    name            TEXT NOT NULL,
    location        TEXT NOT NULL,
    tags            TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (subscription_id, name_key)
);

-- global_key is type|name for the types whose names are unique across
-- Azure (storage accounts, SQL servers, web apps), NULL for the others.
CREATE TABLE azure_resources (
    id_key          TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES azure_subscriptions (id),
    group_key       TEXT NOT NULL,
    id              TEXT NOT NULL,
    type            TEXT NOT NULL,
    global_key      TEXT UNIQUE,
    location        TEXT NOT NULL,
    tags            TEXT NOT NULL,
    sku             TEXT NOT NULL,
    kind            TEXT NOT NULL,
    properties      TEXT NOT NULL,
    power_state     TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX azure_resources_by_group ON azure_resources (subscription_id, group_key, id_key);

-- A run is a resource's running interval (ended_at NULL while it runs),
-- with what its usage records carry.
CREATE TABLE azure_runs (
    subscription_id TEXT NOT NULL,
    resource_key    TEXT NOT NULL,
    started_at      TIMESTAMP NOT NULL,
    resource_id     TEXT NOT NULL,
    location        TEXT NOT NULL,
    tags            TEXT NOT NULL,
    sku             TEXT NOT NULL,
    ended_at        TIMESTAMP,
    PRIMARY KEY (subscription_id, resource_key, started_at)
) WITHOUT ROWID;
CREATE INDEX azure_runs_by_start ON azure_runs (subscription_id, started_at);

CREATE TABLE azure_role_assignments (
    id                 TEXT PRIMARY KEY,
    subscription_id    TEXT NOT NULL REFERENCES azure_subscriptions (id),
    scope_key          TEXT NOT NULL,
    scope              TEXT NOT NULL,
    role_definition_id TEXT NOT NULL,
    principal_id       TEXT NOT NULL,
    principal_type     TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX azure_role_assignments_by_subscription ON azure_role_assignments (subscription_id, created_at, id);

-- One row per hour, resource and meter: quantity in millionths (6
-- decimals, summed exactly by both engines); usage_day groups the hours.
CREATE TABLE azure_usage (
    subscription_id TEXT NOT NULL,
    usage_start     TIMESTAMP NOT NULL,
    resource_id     TEXT NOT NULL,
    meter_id        TEXT NOT NULL,
    usage_day       TIMESTAMP NOT NULL,
    quantity_micros INTEGER NOT NULL,
    location        TEXT NOT NULL,
    tags            TEXT NOT NULL,
    PRIMARY KEY (subscription_id, usage_start, resource_id, meter_id)
) WITHOUT ROWID;

CREATE TABLE azure_budgets (
    partner_id TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    amount     TEXT NOT NULL,
    currency   TEXT NOT NULL,
    PRIMARY KEY (partner_id, tenant_id)
);

CREATE TABLE azure_spend (
    partner_id TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    month      TIMESTAMP NOT NULL,
    amount     TEXT NOT NULL,
    currency   TEXT NOT NULL,
    PRIMARY KEY (partner_id, tenant_id, month)
);

-- +goose Down
DROP TABLE azure_spend;
DROP TABLE azure_budgets;
DROP TABLE azure_usage;
DROP TABLE azure_role_assignments;
DROP TABLE azure_runs;
DROP TABLE azure_resources;
DROP TABLE azure_resource_groups;
DROP TABLE azure_subscriptions;
