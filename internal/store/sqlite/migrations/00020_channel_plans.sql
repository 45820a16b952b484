-- +goose Up
-- Channel plans (DESIGN.md "Purchasing channels"): a tenant's plan for
-- moving to another CSP partner (destination_partner_id) or another
-- channel (destination_channel), its steps with each step's state (JSON),
-- and the subscriptions it leaves as they are (JSON). An applied plan's
-- next due step is a row of jobs (kind channelPlan, ref its id).
CREATE TABLE channel_plans (
    id                     TEXT PRIMARY KEY,
    tenant_id              TEXT NOT NULL REFERENCES tenants (id),
    destination_partner_id TEXT REFERENCES partners (id),
    destination_channel    TEXT NOT NULL,
    destination_name       TEXT NOT NULL,
    steps                  TEXT NOT NULL,
    skipped                TEXT NOT NULL,
    created_at             TIMESTAMP NOT NULL,
    created_by             TEXT NOT NULL,
    applied_at             TIMESTAMP,
    applied_by             TEXT NOT NULL,
    version                INTEGER NOT NULL
);
CREATE INDEX channel_plans_by_tenant ON channel_plans (tenant_id, created_at, id);

-- +goose Down
DELETE FROM jobs WHERE kind = 'channelPlan';
DROP TABLE channel_plans;
