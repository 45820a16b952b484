-- +goose Up
-- The ledger's rows are written once per lifecycle event, so each index and
-- foreign key on them is paid on every event:
--   * charges_by_subscription goes: its entries land anywhere in the index
--     (a page written per charge), while charges_by_event (event ids grow
--     with time) is appended to; a subscription's charges are found
--     through its events, which every charge belongs to;
--   * charges keep their foreign key to the subscription and lose those to
--     the partner and the tenant, which are the subscription's own (every
--     charge copies them from it) and cost two more lookups and key-share
--     locks per row.
DROP INDEX charges_by_subscription;
ALTER TABLE charges DROP CONSTRAINT IF EXISTS charges_partner_id_fkey;
ALTER TABLE charges DROP CONSTRAINT IF EXISTS charges_tenant_id_fkey;

-- +goose Down
ALTER TABLE charges ADD CONSTRAINT charges_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES partners (id);
ALTER TABLE charges ADD CONSTRAINT charges_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id);
CREATE INDEX charges_by_subscription ON charges (subscription_id, posted_at, id);
