-- +goose Up
-- A P3Y term's pending billing plan change (R-2a), Partner Center's
-- nextChargeInstructions: JSON {billingCycle, unitPrice}, NULL when none.
ALTER TABLE subscriptions ADD COLUMN next_charge TEXT;

-- +goose Down
ALTER TABLE subscriptions DROP COLUMN next_charge;
