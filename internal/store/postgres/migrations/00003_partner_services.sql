-- +goose Up
-- Partners' own services: catalog products only their partner sells. Their
-- subscriptions and charges are the partner's revenue, not Microsoft's, so
-- both carry a flag that keeps them out of Microsoft's reconciliation.
CREATE TABLE partner_products (
    product_id TEXT PRIMARY KEY,
    partner_id UUID NOT NULL REFERENCES partners (id),
    document   TEXT NOT NULL, -- the csp.Product as JSON
    created_at TIMESTAMPTZ NOT NULL
);
ALTER TABLE subscriptions ADD COLUMN partner_service BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE charges ADD COLUMN partner_service BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
DROP TABLE partner_products;
