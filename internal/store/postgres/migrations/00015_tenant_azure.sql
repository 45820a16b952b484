-- +goose Up
-- The console's tenant page lists a tenant's Azure subscriptions under every
-- partner's Azure plan (docs/decisions.md 120).
CREATE INDEX azure_subscriptions_by_tenant ON azure_subscriptions (tenant_id, created_at, id);

-- +goose Down
DROP INDEX azure_subscriptions_by_tenant;
