-- +goose Up
-- Partner earned credit (R-23) is earned for each day a partner held Owner
-- or Contributor on an Azure subscription for the whole day, so the life
-- of a role assignment made at a subscription's own scope is kept after it
-- is deleted: one row per assignment, removed_at set when it is deleted
-- (the current ones are copied in, as held since they were made).
CREATE TABLE azure_role_history (
    assignment_id      UUID PRIMARY KEY,
    subscription_id    UUID NOT NULL,
    scope_key          TEXT COLLATE "C" NOT NULL,
    role_definition_id UUID NOT NULL,
    principal_id       UUID NOT NULL,
    principal_type     TEXT NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    removed_at         TIMESTAMPTZ
);
CREATE INDEX azure_role_history_by_subscription ON azure_role_history (subscription_id, created_at);
INSERT INTO azure_role_history (assignment_id, subscription_id, scope_key, role_definition_id, principal_id, principal_type, created_at)
    SELECT id, subscription_id, scope_key, role_definition_id, principal_id, principal_type, created_at FROM azure_role_assignments
    WHERE scope_key = '/subscriptions/' || subscription_id::text;

-- +goose Down
DROP TABLE azure_role_history;
