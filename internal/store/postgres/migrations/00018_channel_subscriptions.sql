-- +goose Up
-- Subscriptions a tenant holds outside CSP (direct, ea, mcaE), recorded by
-- the operator (docs/decisions.md 136). Their status follows from the term
-- dates on the day they are read, so they have no job. term_start and
-- term_end are UTC days (00:00), term_end the last day of the term.
CREATE TABLE channel_subscriptions (
    id          UUID PRIMARY KEY,
    tenant_id   UUID NOT NULL REFERENCES tenants (id),
    channel     TEXT NOT NULL,
    product_id  TEXT NOT NULL,
    sku_id      TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    term_start  TIMESTAMPTZ NOT NULL,
    term_end    TIMESTAMPTZ NOT NULL,
    auto_renew  BOOLEAN NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX channel_subscriptions_by_tenant ON channel_subscriptions (tenant_id, created_at, id);

-- +goose Down
DROP TABLE channel_subscriptions;
