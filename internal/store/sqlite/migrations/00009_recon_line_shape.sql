-- +goose Up
-- Reconciliation lines in Microsoft's shape (docs/decisions.md 50): the
-- referenceId that ties a seat change's pair or an upgrade's two sides,
-- and the productQualifiers of a trial's lines ("Trial"). Lines written
-- before keep their shape; their referenceId is their event.
ALTER TABLE charges ADD COLUMN reference_id TEXT;
ALTER TABLE charges ADD COLUMN product_qualifiers TEXT NOT NULL DEFAULT '';
UPDATE charges SET reference_id = event_id;

-- +goose Down
ALTER TABLE charges DROP COLUMN product_qualifiers;
ALTER TABLE charges DROP COLUMN reference_id;
