-- +goose Up
-- The partner user who recorded an agreement (Partner Center's userId).
ALTER TABLE agreements ADD COLUMN user_id TEXT;

-- +goose Down
SELECT 1;
