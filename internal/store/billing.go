package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp/billing"
)

// BillingTx is the billing context's slice: the operator's exchange and
// tax rates, partners' invoices and their lines.
type BillingTx interface {
	// SetExchangeRates writes a month's rates (one unit in USD), replacing
	// the month's rates of the same currencies.
	SetExchangeRates(ctx context.Context, month string, rates billing.Rates) error
	// ExchangeRates answers, for each currency, its rate of the latest
	// month up to month that sets one (a month without rates keeps the
	// last ones set), and that month.
	ExchangeRates(ctx context.Context, month string) (billing.Rates, map[string]string, error)
	// SetTaxRates writes tax rates by customer country, replacing those of
	// the same countries.
	SetTaxRates(ctx context.Context, rates map[string]decimal.Decimal) error
	// TaxRates answers every tax rate set, by country.
	TaxRates(ctx context.Context) (map[string]decimal.Decimal, error)

	// NextInvoiceNumber takes the next invoice number (1, 2, ...) in the
	// transaction: a rolled-back close gives its number back.
	NextInvoiceNumber(ctx context.Context) (int64, error)
	// CreateInvoice inserts an invoice (its totals as they are so far);
	// EConflict-kind csp error when the partner has one for that currency
	// and month already.
	CreateInvoice(ctx context.Context, inv *billing.Invoice) error
	// UpdateInvoiceTotals writes an invoice's totals and line counts.
	UpdateInvoiceTotals(ctx context.Context, inv *billing.Invoice) error
	// AddInvoiceLines writes billed licence lines of an invoice and marks
	// their charges billed by it.
	AddInvoiceLines(ctx context.Context, number string, lines []billing.LicenceLine) error
	// AddInvoiceUsageLines writes usage lines of an invoice.
	AddInvoiceUsageLines(ctx context.Context, number string, lines []billing.UsageLine) error
	// GetInvoice reads one of a partner's invoices; EInvoiceNotFound if
	// absent or another partner's.
	GetInvoice(ctx context.Context, partnerID uuid.UUID, number string) (*billing.Invoice, error)
	// FindInvoice reads a partner's invoice for a currency and month (nil,
	// nil when there is none).
	FindInvoice(ctx context.Context, partnerID uuid.UUID, currency string, month billing.Month) (*billing.Invoice, error)
	// ListInvoices lists a partner's invoices, newest month first, after a
	// number (keyset: invoice numbers grow with the months).
	ListInvoices(ctx context.Context, f InvoiceFilter) ([]*billing.Invoice, error)
	// InvoiceLines lists an invoice's licence lines with their charges, by
	// seq after after.
	InvoiceLines(ctx context.Context, number string, after, limit int) ([]billing.BilledCharge, error)
	// InvoiceUsageLines lists an invoice's usage lines by seq after after.
	InvoiceUsageLines(ctx context.Context, number string, after, limit int) ([]billing.UsageLine, error)
	// ClosedMonth tells whether the partner has an invoice for the month
	// (in any currency): its usage is then billed, not unbilled.
	ClosedMonth(ctx context.Context, partnerID uuid.UUID, month billing.Month) (bool, error)
}

// InvoiceFilter pages a partner's invoices, newest first.
type InvoiceFilter struct {
	PartnerID uuid.UUID
	Before    string // an invoice number: those issued before it
	Limit     int
}
