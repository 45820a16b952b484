-- +goose Up
-- Azure transfers (docs/decisions.md 141-147): who held an Azure
-- subscription before its current partner. held_since is when the current
-- partner's holding began (NULL: since the subscription was created); each
-- azure_holdings row is a past partner's holding [start_at, end_at) under
-- its Azure plan, so that usage before a transfer hour stays billed to the
-- source and its month-to-date spend with it.
ALTER TABLE azure_subscriptions ADD COLUMN held_since TIMESTAMP;
CREATE TABLE azure_holdings (
    subscription_id      TEXT NOT NULL REFERENCES azure_subscriptions (id),
    tenant_id            TEXT NOT NULL REFERENCES tenants (id),
    partner_id           TEXT NOT NULL REFERENCES partners (id),
    plan_subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
    transfer_id          TEXT NOT NULL,
    start_at             TIMESTAMP NOT NULL,
    end_at               TIMESTAMP NOT NULL,
    PRIMARY KEY (subscription_id, end_at)
);
CREATE INDEX azure_holdings_by_partner ON azure_holdings (partner_id, subscription_id, end_at);

-- +goose Down
DROP TABLE azure_holdings;
ALTER TABLE azure_subscriptions DROP COLUMN held_since;
