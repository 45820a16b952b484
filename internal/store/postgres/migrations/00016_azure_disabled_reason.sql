-- +goose Up
-- Who disabled an Azure subscription: 'partner' (its cancel) or
-- 'nonPayment' (Microsoft, the operator); '' while active. Only the party
-- that disabled it may enable it (docs/decisions.md 124). A subscription
-- disabled before reasons were kept was disabled by its partner.
ALTER TABLE azure_subscriptions ADD COLUMN disabled_reason TEXT NOT NULL DEFAULT '';
UPDATE azure_subscriptions SET disabled_reason = 'partner' WHERE status = 'disabled';

-- +goose Down
ALTER TABLE azure_subscriptions DROP COLUMN disabled_reason;
