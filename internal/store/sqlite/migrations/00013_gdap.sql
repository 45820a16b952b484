-- +goose Up
-- GDAP: Microsoft Graph's delegatedAdminRelationship between a partner and a
-- customer tenant, and its delegatedAdminAccessAssignments to the partner's
-- security groups. A relationship's due time (its end, or the lapse of its
-- request) is a row of jobs (kind delegatedAdminRelationship, ref its id).
CREATE TABLE gdap_relationships (
    id               TEXT PRIMARY KEY,
    partner_id       TEXT NOT NULL REFERENCES partners (id),
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    customer_name    TEXT NOT NULL,
    display_name     TEXT NOT NULL,
    name_key         TEXT NOT NULL, -- trimmed, lower-cased display name: unique per partner
    duration_days    INTEGER NOT NULL,
    roles            TEXT NOT NULL, -- JSON array of Entra role template ids
    auto_extend_days INTEGER NOT NULL,
    status           TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    locked_at        TIMESTAMP,
    activated_at     TIMESTAMP,
    end_at           TIMESTAMP,
    modified_at      TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL
);
CREATE UNIQUE INDEX gdap_relationships_name ON gdap_relationships (partner_id, name_key);
CREATE INDEX gdap_relationships_by_partner ON gdap_relationships (partner_id, created_at, id);
CREATE INDEX gdap_relationships_by_tenant ON gdap_relationships (tenant_id, created_at, id);

CREATE TABLE gdap_access_assignments (
    id              TEXT PRIMARY KEY,
    relationship_id TEXT NOT NULL REFERENCES gdap_relationships (id),
    group_id        TEXT NOT NULL, -- a security group of the partner's own tenant
    roles           TEXT NOT NULL, -- JSON array of Entra role template ids
    status          TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    modified_at     TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX gdap_access_assignments_by_relationship ON gdap_access_assignments (relationship_id, created_at, id);
-- One active assignment per security group per relationship.
CREATE UNIQUE INDEX gdap_access_assignments_group ON gdap_access_assignments (relationship_id, group_id) WHERE status = 'active';

-- +goose Down
DELETE FROM jobs WHERE kind = 'delegatedAdminRelationship';
DROP TABLE gdap_access_assignments;
DROP TABLE gdap_relationships;
