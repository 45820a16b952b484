-- +goose Up
-- Azure (docs/decisions.md 83-92): Azure subscriptions under a tenant's
-- Azure plan with one partner (Partner Center's azureEntitlements), their
-- resource groups, resources and role assignments; the running intervals
-- that meter; hourly usage records; usage budgets and month-to-date spend.
-- Ids and names are compared case-insensitively: the *_key columns hold
-- the lower-cased ARM id, the others the spelling of the creating PUT.
CREATE TABLE azure_subscriptions (
    id                   UUID PRIMARY KEY,
    tenant_id            UUID NOT NULL REFERENCES tenants (id),
    partner_id           UUID NOT NULL REFERENCES partners (id),
    plan_subscription_id UUID NOT NULL REFERENCES subscriptions (id),
    friendly_name        TEXT NOT NULL,
    status               TEXT NOT NULL,
    status_since         TIMESTAMPTZ NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    version              BIGINT NOT NULL
);
CREATE INDEX azure_subscriptions_by_plan ON azure_subscriptions (plan_subscription_id, created_at, id);

CREATE TABLE azure_resource_groups (
    subscription_id UUID NOT NULL REFERENCES azure_subscriptions (id),
    name_key        TEXT COLLATE "C" NOT NULL,
    name            TEXT NOT NULL,
    location        TEXT NOT NULL,
    tags            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subscription_id, name_key)
);

-- global_key is type|name for the types whose names are unique across
-- Azure (storage accounts, SQL servers, web apps), NULL for the others.
CREATE TABLE azure_resources (
    id_key          TEXT COLLATE "C" PRIMARY KEY,
    subscription_id UUID NOT NULL REFERENCES azure_subscriptions (id),
    group_key       TEXT COLLATE "C" NOT NULL,
    id              TEXT NOT NULL,
    type            TEXT NOT NULL,
    global_key      TEXT UNIQUE,
    location        TEXT NOT NULL,
    tags            TEXT NOT NULL,
    sku             TEXT NOT NULL,
    kind            TEXT NOT NULL,
    properties      TEXT NOT NULL,
    power_state     TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX azure_resources_by_group ON azure_resources (subscription_id, group_key, id_key);

-- A run is a resource's running interval (ended_at NULL while it runs),
-- with what its usage records carry.
CREATE TABLE azure_runs (
    subscription_id UUID NOT NULL,
    resource_key    TEXT COLLATE "C" NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    resource_id     TEXT COLLATE "C" NOT NULL,
    location        TEXT NOT NULL,
    tags            TEXT NOT NULL,
    sku             TEXT NOT NULL,
    ended_at        TIMESTAMPTZ,
    PRIMARY KEY (subscription_id, resource_key, started_at)
);
CREATE INDEX azure_runs_by_start ON azure_runs (subscription_id, started_at);

CREATE TABLE azure_role_assignments (
    id                 UUID PRIMARY KEY,
    subscription_id    UUID NOT NULL REFERENCES azure_subscriptions (id),
    scope_key          TEXT COLLATE "C" NOT NULL,
    scope              TEXT NOT NULL,
    role_definition_id UUID NOT NULL,
    principal_id       UUID NOT NULL,
    principal_type     TEXT NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX azure_role_assignments_by_subscription ON azure_role_assignments (subscription_id, created_at, id);

-- One row per hour, resource and meter: quantity in millionths (6
-- decimals, summed exactly by both engines); usage_day groups the hours.
CREATE TABLE azure_usage (
    subscription_id UUID NOT NULL,
    usage_start     TIMESTAMPTZ NOT NULL,
    resource_id     TEXT COLLATE "C" NOT NULL,
    meter_id        UUID NOT NULL,
    usage_day       TIMESTAMPTZ NOT NULL,
    quantity_micros BIGINT NOT NULL,
    location        TEXT NOT NULL,
    tags            TEXT NOT NULL,
    PRIMARY KEY (subscription_id, usage_start, resource_id, meter_id)
);

CREATE TABLE azure_budgets (
    partner_id UUID NOT NULL,
    tenant_id  UUID NOT NULL,
    amount     NUMERIC(20,6) NOT NULL,
    currency   TEXT NOT NULL,
    PRIMARY KEY (partner_id, tenant_id)
);

CREATE TABLE azure_spend (
    partner_id UUID NOT NULL,
    tenant_id  UUID NOT NULL,
    month      TIMESTAMPTZ NOT NULL,
    amount     NUMERIC(20,6) NOT NULL,
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
