-- +goose Up
-- Partners' own services: catalog products only their partner sells. Their
-- subscriptions and charges are the partner's revenue, not Microsoft's, so
-- both carry a flag that keeps them out of Microsoft's reconciliation.
CREATE TABLE partner_products (
    product_id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    document   TEXT NOT NULL, -- the csp.Product as JSON
    created_at TIMESTAMP NOT NULL
);
ALTER TABLE subscriptions ADD COLUMN partner_service INTEGER NOT NULL DEFAULT 0;
ALTER TABLE charges ADD COLUMN partner_service INTEGER NOT NULL DEFAULT 0;

-- +goose Down
DROP TABLE partner_products;
