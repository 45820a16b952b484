-- +goose Up
-- The directory context (issue 10): Entra ID users gain Graph's fields,
-- directory role membership replaces the global_admin flag, security groups
-- (in customer tenants and in partners' own tenants, whose id is the
-- partner's), licence assignments, and the tenant-scoped tokens of
-- POST /{tenantId}/oauth2/v2.0/token (only their SHA-256 is kept).
ALTER TABLE tenant_users ADD COLUMN given_name TEXT NOT NULL DEFAULT '';
ALTER TABLE tenant_users ADD COLUMN surname TEXT NOT NULL DEFAULT '';
ALTER TABLE tenant_users ADD COLUMN mail_nickname TEXT NOT NULL DEFAULT '';
ALTER TABLE tenant_users ADD COLUMN usage_location TEXT NOT NULL DEFAULT '';
ALTER TABLE tenant_users ADD COLUMN blocked BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE tenant_users ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
UPDATE tenant_users SET mail_nickname = split_part(upn, '@', 1);
CREATE INDEX tenant_users_by_tenant ON tenant_users (tenant_id, upn);

CREATE TABLE directory_role_members (
    tenant_id UUID NOT NULL,
    role_id   UUID NOT NULL,
    user_id   UUID NOT NULL REFERENCES tenant_users (id),
    PRIMARY KEY (tenant_id, role_id, user_id)
);
CREATE INDEX directory_role_members_by_user ON directory_role_members (user_id);
INSERT INTO directory_role_members (tenant_id, role_id, user_id)
    SELECT tenant_id, '62e90394-69f5-4237-9190-012177145e10', id FROM tenant_users WHERE global_admin = TRUE;
ALTER TABLE tenant_users DROP COLUMN global_admin;

-- tenant_id is a customer tenant's id or a partner's (its own tenant).
CREATE TABLE directory_groups (
    id            UUID PRIMARY KEY,
    tenant_id     UUID NOT NULL,
    display_name  TEXT NOT NULL,
    description   TEXT NOT NULL,
    mail_nickname TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT NOT NULL
);
CREATE INDEX directory_groups_by_tenant ON directory_groups (tenant_id, created_at, id);

-- member_id is a tenant user's id, or a partner user's in a partner's group.
CREATE TABLE directory_group_members (
    group_id  UUID NOT NULL REFERENCES directory_groups (id),
    member_id UUID NOT NULL,
    added_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX directory_group_members_by_member ON directory_group_members (member_id);

CREATE TABLE license_assignments (
    user_id        UUID NOT NULL REFERENCES tenant_users (id),
    tenant_id      UUID NOT NULL,
    sku_id         UUID NOT NULL,
    disabled_plans TEXT NOT NULL,
    assigned_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, sku_id)
);
CREATE INDEX license_assignments_by_tenant ON license_assignments (tenant_id, sku_id);

CREATE TABLE access_tokens (
    token_hash TEXT PRIMARY KEY,
    key_id     UUID NOT NULL,
    tenant_id  UUID NOT NULL,
    audience   TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_tokens_by_expiry ON access_tokens (expires_at);

-- Premium features: conditional access policies (their conditions and
-- grant controls as JSON) and PIM eligible role assignments.
CREATE TABLE conditional_access_policies (
    id           UUID PRIMARY KEY,
    tenant_id    UUID NOT NULL REFERENCES tenants (id),
    display_name TEXT NOT NULL,
    state        TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    modified_at  TIMESTAMPTZ NOT NULL,
    version      BIGINT NOT NULL
);
CREATE INDEX conditional_access_policies_by_tenant ON conditional_access_policies (tenant_id, created_at, id);

CREATE TABLE role_eligibilities (
    id            UUID PRIMARY KEY,
    tenant_id     UUID NOT NULL REFERENCES tenants (id),
    principal_id  UUID NOT NULL REFERENCES tenant_users (id),
    role_id       UUID NOT NULL,
    action        TEXT NOT NULL,
    justification TEXT NOT NULL,
    start_at      TIMESTAMPTZ NOT NULL,
    end_at        TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX role_eligibilities_by_tenant ON role_eligibilities (tenant_id, created_at, id);

-- +goose Down
DROP TABLE role_eligibilities;
DROP TABLE conditional_access_policies;
DROP TABLE access_tokens;
DROP TABLE license_assignments;
DROP TABLE directory_group_members;
DROP TABLE directory_groups;
ALTER TABLE tenant_users ADD COLUMN global_admin BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE tenant_users SET global_admin = TRUE WHERE id IN (SELECT user_id FROM directory_role_members WHERE role_id = '62e90394-69f5-4237-9190-012177145e10');
DROP TABLE directory_role_members;
DROP INDEX tenant_users_by_tenant;
ALTER TABLE tenant_users DROP COLUMN version;
ALTER TABLE tenant_users DROP COLUMN blocked;
ALTER TABLE tenant_users DROP COLUMN usage_location;
ALTER TABLE tenant_users DROP COLUMN surname;
ALTER TABLE tenant_users DROP COLUMN mail_nickname;
ALTER TABLE tenant_users DROP COLUMN given_name;
