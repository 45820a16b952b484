-- +goose Up
-- Promotions (R-27, docs/decisions.md 53): the promotion a subscription's
-- locked price carries for its term and the undiscounted list price beside
-- it (NULL without a promotion), and the promotion of each charge line.
ALTER TABLE subscriptions ADD COLUMN promotion_id TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN list_price TEXT;
ALTER TABLE charges ADD COLUMN promotion_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE charges DROP COLUMN promotion_id;
ALTER TABLE subscriptions DROP COLUMN list_price;
ALTER TABLE subscriptions DROP COLUMN promotion_id;
