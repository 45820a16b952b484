-- +goose Up
-- Price books and customer invoices (OpenCSP additions, DESIGN.md "Price
-- books and customer invoices"). A partner's price book (tenant_id NULL)
-- and its per-customer books, each the book's JSON with a version for
-- If-Match; the customer invoices the month close issues from the
-- partner's Microsoft invoice and its own services, one per customer,
-- month and currency, numbered per partner from the invoice_numbers
-- counter named 'C:<partnerId>'; their lines, each priced from one source
-- that no other customer line bills: a ledger charge (a licence line or an
-- own service), one usage line of a Microsoft invoice, one line of an
-- imported file, or one line of the invoice its indirect provider sent an
-- indirect reseller (from_invoice, from_seq), whose end_customer is the
-- reseller's customer the line is for. tenant_id is the customer's id: the tenant's, or for an
-- import the file's CustomerId (no tenant of this program), whose name and
-- country the invoice keeps; source is '' for the month close's and the
-- import's id for an import's, so that each issues once per customer,
-- month and currency.
CREATE TABLE price_books (
    partner_id UUID NOT NULL REFERENCES partners (id),
    tenant_id  UUID REFERENCES tenants (id),
    book       TEXT NOT NULL,
    version    BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (partner_id, tenant_id)
);
-- NULLs are distinct in a UNIQUE key: the partner's own book has its own.
CREATE UNIQUE INDEX price_books_of_partner ON price_books (partner_id) WHERE tenant_id IS NULL;

-- A reconciliation file the partner imported (POST /v1/imports/reconciliation):
-- its kind, its lines and its SHA-256, so that importing the same file again
-- answers the first import; the customer invoices made from it name it.
CREATE TABLE imports (
    id         UUID PRIMARY KEY,
    partner_id UUID NOT NULL REFERENCES partners (id),
    kind       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    lines      INTEGER NOT NULL,
    period     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (partner_id, sha256)
);

CREATE TABLE customer_invoices (
    id                UUID PRIMARY KEY,
    number            TEXT NOT NULL,
    partner_id        UUID NOT NULL REFERENCES partners (id),
    tenant_id         UUID NOT NULL,
    customer_name     TEXT NOT NULL,
    customer_country  TEXT NOT NULL,
    import_id         UUID REFERENCES imports (id),
    source            TEXT NOT NULL,
    period            TEXT NOT NULL,
    currency          TEXT NOT NULL,
    issued_at         TIMESTAMPTZ NOT NULL,
    microsoft_invoice TEXT REFERENCES invoices (number),
    subtotal          NUMERIC(20,6) NOT NULL,
    tax_total         NUMERIC(20,6) NOT NULL,
    total             NUMERIC(20,6) NOT NULL,
    cost              NUMERIC(20,6) NOT NULL,
    profit            NUMERIC(20,6) NOT NULL,
    lines             INTEGER NOT NULL,
    UNIQUE (partner_id, tenant_id, period, currency, source),
    UNIQUE (partner_id, number)
);
CREATE INDEX customer_invoices_by_tenant ON customer_invoices (partner_id, tenant_id, number);
CREATE INDEX customer_invoices_by_period ON customer_invoices (partner_id, period, number);

CREATE TABLE customer_invoice_lines (
    invoice_id           UUID NOT NULL REFERENCES customer_invoices (id),
    seq                  INTEGER NOT NULL,
    charge_id            UUID UNIQUE REFERENCES charges (id),
    usage_invoice        TEXT,
    usage_seq            INTEGER,
    import_id            UUID,
    import_seq           INTEGER,
    from_invoice         UUID REFERENCES customer_invoices (id),
    from_seq             INTEGER,
    end_customer         UUID,
    product_id           TEXT NOT NULL,
    sku_id               TEXT NOT NULL,
    product_name         TEXT NOT NULL,
    charge_type          TEXT NOT NULL,
    partner_service      BOOLEAN NOT NULL,
    is_usage             BOOLEAN NOT NULL,
    charge_start         TIMESTAMPTZ NOT NULL,
    charge_end           TIMESTAMPTZ NOT NULL,
    description          TEXT NOT NULL,
    quantity             NUMERIC(24,10) NOT NULL,
    unit_price           NUMERIC(20,6) NOT NULL,
    effective_unit_price NUMERIC(20,6) NOT NULL,
    amount               NUMERIC(20,6) NOT NULL,
    tax_total            NUMERIC(20,6) NOT NULL,
    cost                 NUMERIC(20,6) NOT NULL,
    price_rule           TEXT NOT NULL,
    promotion            TEXT NOT NULL,
    promotion_id         TEXT NOT NULL,
    PRIMARY KEY (invoice_id, seq),
    UNIQUE (usage_invoice, usage_seq),
    UNIQUE (import_id, import_seq),
    UNIQUE (from_invoice, from_seq),
    FOREIGN KEY (usage_invoice, usage_seq) REFERENCES invoice_usage_lines (invoice_number, seq),
    CHECK ((CASE WHEN charge_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN usage_invoice IS NULL THEN 0 ELSE 1 END)
        + (CASE WHEN import_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN from_invoice IS NULL THEN 0 ELSE 1 END) = 1)
);

-- +goose Down
DROP TABLE customer_invoice_lines;
DROP TABLE customer_invoices;
DROP TABLE imports;
DROP TABLE price_books;
DELETE FROM invoice_numbers WHERE name LIKE 'C:%';
