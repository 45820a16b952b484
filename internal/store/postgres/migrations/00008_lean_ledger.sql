-- +goose Up
-- The ledger's rows are written once per lifecycle event, so each index and
-- foreign key on them is paid on every event:
--   * charges_by_event goes: a history page reads its events' charges
--     through charges_by_subscription (a subscription has few charges);
--   * charges keep their foreign key to the subscription and lose those to
--     the partner and the tenant, which are the subscription's own (every
--     charge copies them from it) and cost two more lookups and key-share
--     locks per row.
DROP INDEX charges_by_event;
ALTER TABLE charges DROP CONSTRAINT IF EXISTS charges_partner_id_fkey;
ALTER TABLE charges DROP CONSTRAINT IF EXISTS charges_tenant_id_fkey;

-- +goose Down
ALTER TABLE charges ADD CONSTRAINT charges_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES partners (id);
ALTER TABLE charges ADD CONSTRAINT charges_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id);
CREATE INDEX charges_by_event ON charges (event_id);
