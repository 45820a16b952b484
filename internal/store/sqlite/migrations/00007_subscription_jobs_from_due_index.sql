-- +goose Up
-- A subscription's job is its next_event_at, read through this index; the
-- jobs table keeps the other kinds. Writing a subscription no longer
-- writes a second row (and its two index entries) for its job.
CREATE INDEX subscriptions_due ON subscriptions (next_event_at, id) WHERE next_event_at IS NOT NULL;
DELETE FROM jobs WHERE kind = 'subscription';
-- (tenant_id, partner_id) is served by subscriptions_by_partner
-- (partner_id, tenant_id, ...) and a tenant alone by
-- subscriptions_by_tenant_created: one index fewer to write per change.
DROP INDEX subscriptions_by_tenant;

-- +goose Down
CREATE INDEX subscriptions_by_tenant ON subscriptions (tenant_id, partner_id);
INSERT INTO jobs (kind, ref, due_at, priority)
    SELECT 'subscription', CAST(id AS TEXT), next_event_at, 1 FROM subscriptions WHERE next_event_at IS NOT NULL;
DROP INDEX subscriptions_due;
