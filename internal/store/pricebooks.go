package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
)

// PriceBookTx is the price books' slice: a partner's book and its
// customers' books, and the customer invoices the month close issues.
type PriceBookTx interface {
	// GetPriceBook reads the partner's book (tenantID nil) or a customer's;
	// nil, nil when none was ever set.
	GetPriceBook(ctx context.Context, partnerID uuid.UUID, tenantID *uuid.UUID) (*PriceBook, error)
	// PutPriceBook replaces a book: version is the version read (0: there
	// was none) and the book stored gets version+1. EConcurrentChange when
	// the book stored is not at version any more.
	PutPriceBook(ctx context.Context, b *PriceBook, version int64) error

	// NextCustomerInvoiceNumber takes the partner's next customer invoice
	// number (1, 2, ...) in the transaction.
	NextCustomerInvoiceNumber(ctx context.Context, partnerID uuid.UUID) (int64, error)
	// CreateCustomerInvoice inserts a customer invoice (its sums as they
	// are so far); EConcurrentChange when the customer has one for that
	// month and currency already.
	CreateCustomerInvoice(ctx context.Context, inv *pricebook.Issued) error
	// UpdateCustomerInvoiceTotals writes an invoice's sums and line count.
	UpdateCustomerInvoiceTotals(ctx context.Context, inv *pricebook.Issued) error
	// AddCustomerInvoiceLines writes lines of an invoice; EConcurrentChange
	// when a line's source is on a customer invoice already.
	AddCustomerInvoiceLines(ctx context.Context, invoiceID uuid.UUID, importID *uuid.UUID, lines []pricebook.IssuedLine) error
	// CustomerInvoicesIssued tells whether the partner has any customer
	// invoice of the month close for the month (an import's do not count):
	// a month's are issued in one transaction.
	CustomerInvoicesIssued(ctx context.Context, partnerID uuid.UUID, period string) (bool, error)
	// GetCustomerInvoice reads one of a partner's customer invoices;
	// ECustomerInvoiceNotFound if absent or another partner's.
	GetCustomerInvoice(ctx context.Context, partnerID, id uuid.UUID) (*pricebook.Issued, error)
	// ListCustomerInvoices lists a partner's customer invoices, newest
	// first (numbers grow with the closes).
	ListCustomerInvoices(ctx context.Context, f CustomerInvoiceFilter) ([]*pricebook.Issued, error)
	// CreateImport records an imported file.
	CreateImport(ctx context.Context, imp *billing.Import) error
	// FindImport reads the partner's import of a file (by its SHA-256);
	// nil, nil when there is none.
	FindImport(ctx context.Context, partnerID uuid.UUID, sha256 string) (*billing.Import, error)
	// CustomerInvoiceLines lists an invoice's lines by seq after after.
	CustomerInvoiceLines(ctx context.Context, invoiceID uuid.UUID, after, limit int) ([]pricebook.IssuedLine, error)
}

// PriceBook is a stored book: the partner's (TenantID nil) or a
// customer's.
type PriceBook struct {
	PartnerID uuid.UUID
	TenantID  *uuid.UUID
	Book      pricebook.Book
	Version   int64
	UpdatedAt time.Time
}

// CustomerInvoiceFilter pages a partner's customer invoices, newest first.
type CustomerInvoiceFilter struct {
	PartnerID uuid.UUID
	TenantID  *uuid.UUID // one customer's
	Period    string     // one month's, YYYY-MM
	ImportID  *uuid.UUID // one import's
	Before    string     // an invoice number: those issued before it
	Limit     int
}
