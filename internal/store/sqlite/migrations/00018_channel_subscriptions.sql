-- +goose Up
-- Subscriptions a tenant holds outside CSP (direct, ea, mcaE), recorded by
-- the operator (docs/decisions.md 136). Their status follows from the term
-- dates on the day they are read, so they have no job. term_start and
-- term_end are UTC days (00:00), term_end the last day of the term.
CREATE TABLE channel_subscriptions (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    channel     TEXT NOT NULL,
    product_id  TEXT NOT NULL,
    sku_id      TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    term_start  TIMESTAMP NOT NULL,
    term_end    TIMESTAMP NOT NULL,
    auto_renew  INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX channel_subscriptions_by_tenant ON channel_subscriptions (tenant_id, created_at, id);

-- +goose Down
DROP TABLE channel_subscriptions;
