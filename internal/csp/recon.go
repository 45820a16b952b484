package csp

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// ReconLine is a ledger charge as a line of Partner Center's new-commerce
// reconciliation: the charge and what the partner reconciles it by.
type ReconLine struct {
	Charge
	Customer  *Tenant
	OrderDate *time.Time // nil when the charge has no order
	UnitType  string
	// The billing currency is the pricing currency until invoicing defines
	// billing currencies (docs/decisions.md 22): the rate is 1, dated the
	// first day of the month the charge was posted in.
	PricingCurrency        string
	PCToBCExchangeRate     decimal.Decimal
	PCToBCExchangeRateDate time.Time
	// Tax is not computed before invoicing: the line is pre-tax and its
	// total is its subtotal.
	TaxTotal         Money
	TotalForCustomer Money
	PublisherName    string
	// TermAndBillingCycle is Partner Center's "1 Year - Monthly"; the
	// frequency is its second half.
	TermAndBillingCycle string
	BillingFrequency    string
	// InvoiceNumber is the invoice that billed the line (empty while
	// unbilled).
	InvoiceNumber string
}

// Publisher of Microsoft's offers in reconciliation lines.
const PublisherMicrosoft = "Microsoft Corporation"

// Reconcile shapes a charge as a reconciliation line: c's customer t, its
// order o (nil when it has none), and whether an invoice holds it.
func Reconcile(c Charge, t *Tenant, o *Order, billed bool) (ReconLine, error) {
	tax := ZeroMoney(c.Subtotal.Currency)
	total, err := c.Subtotal.Add(tax)
	if err != nil {
		return ReconLine{}, err
	}
	term, freq := termAndBillingNames(c.TermAndBilling)
	if !billed || prepaidUpfront(c.TermAndBilling) {
		freq = ""
	}
	l := ReconLine{Charge: c, Customer: t, UnitType: "Licenses", PricingCurrency: c.Subtotal.Currency,
		PCToBCExchangeRate: decimal.NewFromInt(1), PCToBCExchangeRateDate: time.Date(c.PostedAt.Year(), c.PostedAt.Month(), 1, 0, 0, 0, 0, time.UTC),
		TaxTotal: tax, TotalForCustomer: total, PublisherName: PublisherMicrosoft, TermAndBillingCycle: term, BillingFrequency: freq}
	switch {
	case c.ChargeType == ChargeAddQuantity || c.ChargeType == ChargeRemoveQuantity:
		// A seat change's pair is dated the change day (C-2).
		day := c.ChargeStart
		l.OrderDate = &day
	case o != nil:
		l.OrderDate = &o.CreatedAt
	}
	return l, nil
}

var termNames = map[string]string{"P1M": "1 Month", "P1Y": "1 Year", "P3Y": "3 Years", "monthly": "Monthly", "annual": "Annual", "triennial": "Triennial"}

// termAndBillingNames renders "P1Y:monthly" as "1 Year - Monthly" and the
// frequency "Monthly".
func termAndBillingNames(key string) (string, string) {
	term, cycle, _ := strings.Cut(key, ":")
	return termNames[term] + " - " + termNames[cycle], termNames[cycle]
}

// prepaidUpfront tells a term paid in one charge for its whole length
// (P1Y billed annually, P3Y billed triennially), whose lines carry no
// BillingFrequency: Partner Center leaves it empty for one-time, prepaid
// upfront and unbilled lines (decision 58).
func prepaidUpfront(key string) bool {
	term, cycle, _ := strings.Cut(key, ":")
	return (term == "P1Y" && cycle == "annual") || cycle == "triennial"
}
