package billing

import (
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

// Invoice is Microsoft's invoice to a partner for one month in one billing
// currency: Partner Center's new-commerce invoice ("G" number) for its
// licence charges of every type and the month's rated Azure usage.
type Invoice struct {
	Number    string
	PartnerID uuid.UUID
	Currency  string // the billing currency
	Period    Month
	Date      time.Time // when the billing run issued it
	Licence   Totals
	Usage     Totals
}

// Total is the licence and usage lines together.
func (i *Invoice) Total() Totals { return i.Licence.Plus(i.Usage) }

// LicenceLine is a ledger charge as the invoice bills it: seq is its place
// on the invoice, rate the month's pricing-to-billing rate, subtotal and
// tax in the billing currency.
type LicenceLine struct {
	Seq      int
	ChargeID uuid.UUID
	Rate     decimal.Decimal
	Subtotal decimal.Decimal
	Tax      decimal.Decimal
}

// BilledCharge is a billed licence line with the charge it bills.
type BilledCharge struct {
	csp.Charge
	Line LicenceLine
}

// UsageLine is one daily rated usage line of an invoice: the day's usage of
// one meter by one resource of an Azure subscription, priced in its
// pricing currency and billed in the invoice's.
type UsageLine struct {
	Seq                int
	TenantID           uuid.UUID
	PlanSubscriptionID uuid.UUID // the Azure plan
	ResellerMpnID      string
	EntitlementName    string // the Azure subscription's friendly name
	Rated              azure.RatedLine
	// EffectiveUnitPrice is the unit price after partner earned credit
	// (equal to the unit price without it).
	EffectiveUnitPrice decimal.Decimal
	PECPercent         decimal.Decimal
	PricingPreTax      decimal.Decimal // ROUNDDOWN(effectiveUnitPrice × quantity, 2), pricing currency
	Rate               decimal.Decimal
	Subtotal           decimal.Decimal // billing currency
	Tax                decimal.Decimal
}

// BillUsage prices a rated line for the invoice: without partner earned
// credit, effectiveUnitPrice is the unit price; the pricing pre-tax total
// is ROUNDDOWN(effectiveUnitPrice × quantity, 2), the subtotal
// ROUNDDOWN(that × rate, 2) (partner-center-api.md §12) and the tax
// ROUND_HALF_AWAY(subtotal × taxRate, 2).
func BillUsage(l azure.RatedLine, pecPercent, rate, taxRate decimal.Decimal) (eup, pricing, subtotal, tax decimal.Decimal) {
	eup = l.UnitPrice.Amount
	if pecPercent.IsPositive() {
		eup = csp.RoundHalfAway(eup.Mul(decimal.NewFromInt(100).Sub(pecPercent)).Div(decimal.NewFromInt(100)), csp.PricePlaces)
	}
	pricing = eup.Mul(l.Quantity).Truncate(2)
	subtotal = UsageSubtotal(pricing, rate)
	return eup, pricing, subtotal, Tax(subtotal, taxRate)
}

// Reconciled is a billed licence line as Partner Center's reconciliation
// shows it: the charge's line (csp.Reconcile) with the invoice's number,
// the billing currency's subtotal, tax and total, and the month's
// pricing-to-billing rate dated the first of the invoice's month.
func Reconciled(b BilledCharge, t *csp.Tenant, o *csp.Order, inv *Invoice) (csp.ReconLine, error) {
	l, err := csp.Reconcile(b.Charge, t, o, true)
	if err != nil {
		return l, err
	}
	l.InvoiceNumber = inv.Number
	l.Subtotal = csp.NewMoney(b.Line.Subtotal, inv.Currency)
	l.TaxTotal = csp.NewMoney(b.Line.Tax, inv.Currency)
	l.TotalForCustomer = csp.NewMoney(b.Line.Subtotal.Add(b.Line.Tax), inv.Currency)
	l.PCToBCExchangeRate, l.PCToBCExchangeRateDate = b.Line.Rate, inv.Period.Start()
	return l, nil
}

// Hold is a span [From, To) during which a partner held a role that earns
// partner earned credit on an Azure subscription (Owner or Contributor at
// its scope, for its admin agents or one of its security groups); To is
// zero while it still holds it.
type Hold struct{ From, To time.Time }

// HeldWholeDay tells whether holds cover the whole UTC day that starts at
// day (R-23: credit is earned for each day the partner held the rights for
// the whole day). Overlapping and adjacent holds add up.
func HeldWholeDay(holds []Hold, day time.Time) bool {
	at, end := day, day.Add(24*time.Hour)
	for moved := true; moved && at.Before(end); {
		moved = false
		for _, h := range holds {
			if !h.From.After(at) && (h.To.IsZero() || h.To.After(at)) {
				if h.To.IsZero() {
					return true
				}
				at, moved = h.To, true
			}
		}
	}
	return !at.Before(end)
}

// Import is a reconciliation file a partner imported: its kind ("licence"
// for the new-commerce reconciliation file, "usage" for the daily rated
// usage file), its SHA-256 (the same file imported again answers this
// import), its lines and the month its customer invoices carry: that of
// its latest charge start or usage day.
type Import struct {
	ID        uuid.UUID
	PartnerID uuid.UUID
	Kind      string
	SHA256    string
	Lines     int
	Period    Month
	CreatedAt time.Time
	CreatedBy string
}
