package pricebook

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
)

// Issued is a customer invoice as the month close issued it: one
// customer's lines of one month in one currency. Subtotal is the lines'
// amounts, Tax their taxes, Cost what the partner paid for them; every sum
// is exact (never rounded again), so the lines always add up to it.
type Issued struct {
	ID        uuid.UUID
	Number    string // "C" and 9 digits, counted per partner
	PartnerID uuid.UUID
	// TenantID is the customer: its tenant, or for an imported file the
	// file's CustomerId, whose name and country the invoice keeps.
	TenantID uuid.UUID
	ImportID *uuid.UUID
	// CustomerName and CustomerCountry are an imported customer's (empty
	// for a tenant of the program, read from the partner's records).
	CustomerName, CustomerCountry string
	Period                        string // the month, YYYY-MM
	Currency                      string
	IssuedAt                      time.Time
	// MicrosoftInvoice is the partner's invoice from Microsoft the lines
	// come from; "" when they are the partner's own services only.
	MicrosoftInvoice                   string
	Subtotal, Tax, Total, Cost, Profit decimal.Decimal
	Lines                              int
}

// IssuedLine is one line of an issued invoice and its source: a ledger
// charge (ChargeID) or one usage line of a Microsoft invoice (UsageInvoice
// and UsageSeq). Read back from storage, Line.Cost holds what the invoice
// keeps of its cost line: the offer, charge type and dates, the billable
// quantity and, in Subtotal, the line's cost (CostAmount).
type IssuedLine struct {
	Seq          int
	ChargeID     *uuid.UUID
	UsageInvoice string
	UsageSeq     int
	// ImportSeq is the line's number in its imported file (the invoice's
	// import).
	ImportSeq int
	// FromInvoice and FromSeq are the line of the invoice an indirect
	// provider sent the reseller that this line bills on (EndCustomer is
	// the reseller's customer); on a provider's invoice to a reseller,
	// EndCustomer is the customer the line is for.
	FromInvoice *uuid.UUID
	FromSeq     int
	EndCustomer *uuid.UUID
	Line        CustomerLine
	Tax         decimal.Decimal
}

// InvoiceNumber is the n-th customer invoice of a partner: "C" and 9
// digits (C000000001).
func InvoiceNumber(n int64) string { return fmt.Sprintf("C%09d", n) }

// Add counts one line of the invoice: its amount, tax and cost.
func (inv *Issued) Add(l IssuedLine) error {
	if l.Line.Amount.Currency != inv.Currency {
		return csp.Errorf(csp.EPriceBookLineCurrency, "a line in %s on customer invoice %s in %s", l.Line.Amount.Currency, inv.Number, inv.Currency)
	}
	cost := l.Line.Cost.CostAmount().Amount
	inv.Subtotal = inv.Subtotal.Add(l.Line.Amount.Amount)
	inv.Tax = inv.Tax.Add(l.Tax)
	inv.Total = inv.Subtotal.Add(inv.Tax)
	inv.Cost = inv.Cost.Add(cost)
	inv.Profit = inv.Subtotal.Sub(inv.Cost)
	inv.Lines++
	return nil
}

// Offer is the line's "productId:skuId", the key of profit per product.
func (l IssuedLine) Offer() string { return l.Line.Cost.ProductID + ":" + l.Line.Cost.SkuID }
