-- +goose Up
-- Transfers between CSP partners (Partner Center's TransferEntity): the
-- target partner's request to move a customer's subscriptions from the
-- source partner, with its line items (JSON, TransferLineItem's fields). An
-- open transfer's expiry is a row of jobs (kind transfer, ref its id).
CREATE TABLE transfers (
    id                   UUID PRIMARY KEY,
    tenant_id            UUID NOT NULL REFERENCES tenants (id),
    source_partner_id    UUID NOT NULL REFERENCES partners (id),
    target_partner_id    UUID NOT NULL REFERENCES partners (id),
    customer_name        TEXT NOT NULL,
    customer_email       TEXT NOT NULL,
    source_partner_name  TEXT NOT NULL,
    target_partner_name  TEXT NOT NULL,
    target_partner_email TEXT NOT NULL,
    partner_on_record    TEXT NOT NULL,
    product_types        TEXT, -- JSON array, NULL for every type
    transfer_type        INTEGER NOT NULL,
    status               TEXT NOT NULL,
    lines                TEXT NOT NULL, -- JSON array of line items
    created_at           TIMESTAMPTZ NOT NULL,
    modified_at          TIMESTAMPTZ NOT NULL,
    modified_by          TEXT NOT NULL,
    completed_at         TIMESTAMPTZ,
    expires_at           TIMESTAMPTZ NOT NULL,
    version              INTEGER NOT NULL
);
CREATE INDEX transfers_by_tenant ON transfers (tenant_id, created_at, id);
CREATE INDEX transfers_by_source ON transfers (source_partner_id, created_at, id);
CREATE INDEX transfers_by_target ON transfers (target_partner_id, created_at, id);

-- Each partner's outgoing transfer policy; no row is automatic.
CREATE TABLE transfer_policies (
    partner_id  UUID PRIMARY KEY REFERENCES partners (id),
    outgoing    TEXT NOT NULL
);

-- +goose Down
DELETE FROM jobs WHERE kind = 'transfer';
DROP TABLE transfer_policies;
DROP TABLE transfers;
