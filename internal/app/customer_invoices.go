package app

import (
	"context"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/opencsp/opencsp/internal/store"
)

// Customer invoices (OpenCSP additions, DESIGN.md "Price books and
// customer invoices"). The month close, in the transaction that makes the
// partner's Microsoft invoice, issues the partner's invoices to its
// customers: one per customer and currency, from that invoice's licence
// and usage lines and the partner's own services posted in the month
// (which Microsoft never bills), each priced by the partner's book and the
// customer's. A month's customer invoices are issued together or not at
// all; the unique keys of customer_invoice_lines keep any source on one
// customer invoice. Indirect resellers are not closed (their provider is
// billed): a distributor billing its resellers would be a source of its
// own.

// customerBill is what pricing one customer's lines needs.
type customerBill struct {
	tenant   *csp.Tenant
	currency string // its pricing currency: usage lines are converted to it
	pricer   *pricebook.Pricer
	tax      decimal.Decimal
	// external: the billed party is not a tenant of the partner's (an
	// imported file's customer, or an indirect reseller), so the invoice
	// keeps its name and country; reseller is the indirect reseller billed.
	external bool
	reseller *csp.Partner
}

// openInvoice is a customer invoice being issued and its lines not yet
// written.
type openInvoice struct {
	inv     *pricebook.Issued
	pending []pricebook.IssuedLine
	bill    *customerBill
}

// issuer issues one partner's customer invoices for a month.
type issuer struct {
	a          *App
	tx         store.Tx
	partner    *csp.Partner
	from       *billing.Invoice
	book       pricebook.Book
	rates      billing.Rates
	taxes      map[string]decimal.Decimal
	currencies []string // the catalog's pricing currencies
	customers  map[uuid.UUID]*customerBill
	open       map[[2]string]*openInvoice // tenant, currency
	order      []*openInvoice
	plans      map[uuid.UUID]*csp.Subscription
	// importID is the import whose lines the invoices bill (nil for the
	// month close's); its customers are the file's, set in customers
	// before their first line.
	importID *uuid.UUID
	// pending counts the lines priced and not yet written, across the
	// open invoices: at maxPending they are all written, so that memory
	// holds a bounded number of lines however many customers there are,
	// and each invoice's lines still go in multi-row statements.
	pending int
	// resellers are the indirect resellers billed so far, by partner id
	// (MPN id).
	resellers map[string]uuid.UUID
}

// maxPending bounds the lines an issuer holds before writing them.
const maxPending = 20 * closePage

// issueCustomerInvoices issues the customer invoices of inv's month: inv
// is the partner's Microsoft invoice, or (no Number) an invoice that was
// never opened, when only the partner's own services are billed. rates
// and taxes are those the close read.
func (a *App) issueCustomerInvoices(ctx context.Context, tx store.Tx, inv *billing.Invoice, partner *csp.Partner, rates billing.Rates,
	taxes map[string]decimal.Decimal) error {
	if done, err := tx.CustomerInvoicesIssued(ctx, partner.ID, inv.Period.String()); err != nil || done {
		return err
	}
	if inv.Number == "" { // most partners: skip the set-up when no own service was sold
		m := inv.Period
		some, err := tx.ListCharges(ctx, store.ChargeFilter{PartnerID: partner.ID, PartnerServiceOnly: true, From: m.Start(), To: m.End(), Limit: 1})
		if err != nil || len(some) == 0 {
			return err
		}
	}
	is := &issuer{a: a, tx: tx, partner: partner, from: inv, customers: map[uuid.UUID]*customerBill{}, open: map[[2]string]*openInvoice{},
		plans: map[uuid.UUID]*csp.Subscription{}, rates: rates, taxes: taxes}
	book, err := tx.GetPriceBook(ctx, partner.ID, nil)
	if err != nil {
		return err
	}
	if book != nil {
		is.book = book.Book
	}
	cat, err := a.catalogIn(ctx, tx)
	if err != nil {
		return err
	}
	is.currencies = cat.For(&partner.ID).Currencies()
	if inv.Number != "" {
		if err := is.licences(ctx); err != nil {
			return err
		}
		if err := is.usage(ctx); err != nil {
			return err
		}
	}
	if err := is.ownServices(ctx); err != nil {
		return err
	}
	for _, oi := range is.order {
		if err := is.flush(ctx, oi); err != nil {
			return err
		}
		if err := tx.UpdateCustomerInvoiceTotals(ctx, oi.inv); err != nil {
			return err
		}
	}
	// An indirect provider's invoices to its resellers are their costs:
	// each reseller's invoices to its customers follow from them.
	for _, oi := range is.order {
		if r := oi.bill.reseller; r != nil {
			if err := a.issueResellerInvoices(ctx, tx, oi.inv, r, is); err != nil {
				return err
			}
		}
	}
	return nil
}

// licences prices the Microsoft invoice's licence lines, in its order.
func (is *issuer) licences(ctx context.Context) error {
	after := 0
	for {
		page, err := is.tx.InvoiceLines(ctx, is.from.Number, after, closePage)
		if err != nil {
			return err
		}
		for _, b := range page {
			id := b.ID
			to, end, err := is.billed(ctx, b.TenantID, b.ResellerMpnID)
			if err != nil {
				return err
			}
			if err := is.add(ctx, to, b.Subtotal.Currency, chargeCost(b.Charge), pricebook.IssuedLine{ChargeID: &id, EndCustomer: end}); err != nil {
				return err
			}
		}
		if len(page) < closePage {
			return nil
		}
		after = page[len(page)-1].Line.Seq
	}
}

// usage prices the Microsoft invoice's daily usage lines in the
// customer's currency.
func (is *issuer) usage(ctx context.Context) error {
	after := 0
	for {
		page, err := is.tx.InvoiceUsageLines(ctx, is.from.Number, after, closePage)
		if err != nil {
			return err
		}
		for _, l := range page {
			to, end, err := is.billed(ctx, l.TenantID, l.ResellerMpnID)
			if err != nil {
				return err
			}
			c, err := is.customer(ctx, to, "")
			if err != nil {
				return err
			}
			cost, err := is.usageCost(ctx, l, c.currency)
			if err != nil {
				return err
			}
			if err := is.add(ctx, to, c.currency, cost, pricebook.IssuedLine{UsageInvoice: is.from.Number, UsageSeq: l.Seq, EndCustomer: end}); err != nil {
				return err
			}
		}
		if len(page) < closePage {
			return nil
		}
		after = page[len(page)-1].Seq
	}
}

// ownServices prices the partner's own services posted in the month, in
// posting order; each line stays in its own currency.
func (is *issuer) ownServices(ctx context.Context) error {
	m := is.from.Period
	var after *store.Cursor
	for {
		page, err := is.tx.ListCharges(ctx, store.ChargeFilter{PartnerID: is.partner.ID, PartnerServiceOnly: true, From: m.Start(), To: m.End(),
			After: after, Limit: closePage})
		if err != nil {
			return err
		}
		for _, ch := range page {
			id := ch.ID
			if err := is.add(ctx, ch.TenantID, ch.Subtotal.Currency, chargeCost(ch), pricebook.IssuedLine{ChargeID: &id}); err != nil {
				return err
			}
		}
		if len(page) < closePage {
			return nil
		}
		last := page[len(page)-1]
		after = &store.Cursor{At: last.PostedAt, ID: last.ID}
	}
}

// customer answers what pricing a tenant's lines needs, reading it on its
// first line: its currency is that of its first licence line (seen
// first), else its country's pricing currency.
func (is *issuer) customer(ctx context.Context, tenantID uuid.UUID, licenceCurrency string) (*customerBill, error) {
	if c, ok := is.customers[tenantID]; ok {
		return c, nil
	}
	t, err := is.tx.GetTenant(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	own, err := is.tx.GetPriceBook(ctx, is.partner.ID, &tenantID)
	if err != nil {
		return nil, err
	}
	var customerBook pricebook.Book
	if own != nil {
		customerBook = own.Book
	}
	pricer, err := pricebook.NewPricer(is.book, customerBook)
	if err != nil {
		return nil, err
	}
	c := &customerBill{tenant: t, currency: licenceCurrency, pricer: pricer, tax: is.taxes[t.Country]}
	if c.currency == "" {
		c.currency = csp.PricingCurrency(t.Country, func(cur string) bool { return slices.Contains(is.currencies, cur) })
	}
	is.customers[tenantID] = c
	return c, nil
}

// add prices one cost line for its customer onto the customer's invoice
// in the line's currency (opening it on its first line) with the source
// in line.
func (is *issuer) add(ctx context.Context, tenantID uuid.UUID, currency string, cost pricebook.CostLine, line pricebook.IssuedLine) error {
	c, err := is.customer(ctx, tenantID, currency)
	if err != nil {
		return err
	}
	cl, err := c.pricer.Price(cost)
	if err != nil {
		return err
	}
	key := [2]string{tenantID.String(), cl.Amount.Currency}
	oi, ok := is.open[key]
	if !ok {
		n, err := is.tx.NextCustomerInvoiceNumber(ctx, is.partner.ID)
		if err != nil {
			return err
		}
		inv := &pricebook.Issued{ID: is.a.newID(), Number: pricebook.InvoiceNumber(n), PartnerID: is.partner.ID, TenantID: tenantID,
			Period: is.from.Period.String(), Currency: cl.Amount.Currency, IssuedAt: is.from.Date}
		// Lines from Microsoft's invoice come first: an invoice whose
		// first line is an own service has none.
		if line.ChargeID == nil || !cost.PartnerService {
			inv.MicrosoftInvoice = is.from.Number
		}
		if c.external {
			inv.CustomerName, inv.CustomerCountry = c.tenant.DisplayName, c.tenant.Country
		}
		inv.ImportID = is.importID
		if err := is.tx.CreateCustomerInvoice(ctx, inv); err != nil {
			return err
		}
		oi = &openInvoice{inv: inv, bill: c}
		is.open[key] = oi
		is.order = append(is.order, oi)
	}
	line.Seq, line.Line, line.Tax = oi.inv.Lines+1, cl, billing.Tax(cl.Amount.Amount, c.tax)
	if err := oi.inv.Add(line); err != nil {
		return err
	}
	oi.pending = append(oi.pending, line)
	if is.pending++; is.pending < maxPending && len(oi.pending) < closePage {
		return nil
	}
	for _, o := range is.order {
		if err := is.flush(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

func (is *issuer) flush(ctx context.Context, oi *openInvoice) error {
	if len(oi.pending) == 0 {
		return nil
	}
	err := is.tx.AddCustomerInvoiceLines(ctx, oi.inv.ID, is.importID, oi.pending)
	is.pending -= len(oi.pending)
	oi.pending = oi.pending[:0]
	return err
}

// chargeCost is a ledger charge as the cost of a customer line, in its
// pricing currency.
func chargeCost(c csp.Charge) pricebook.CostLine {
	days, of := chargeDays(c)
	return pricebook.CostLine{SubscriptionID: c.SubscriptionID.String(), ProductID: c.ProductID, SkuID: c.SkuID, ProductName: c.ProductName,
		SkuName: c.SkuName, ChargeType: c.ChargeType, PartnerService: c.PartnerService, UnitPrice: c.UnitPrice, EffectiveUnitPrice: c.EffectiveUnitPrice,
		Quantity: c.Quantity, BillableQuantity: c.BillableQuantity, Subtotal: c.Subtotal, ChargeStart: c.ChargeStart, ChargeEnd: c.ChargeEnd,
		Days: days, PeriodDays: of}
}

// chargeDays is a charge's proration d/D (C-2): the days it charges, first
// and last included, of its billing period's nominal days, the period
// found from its term and billing cycle as the ledger found it (C-3). 0, 0
// when that is not how the charge was prorated: a billing plan change
// counts cycles (R-2a), and a charge whose end is not its period's.
func chargeDays(c csp.Charge) (int, int) {
	term, cycle, _ := strings.Cut(c.TermAndBilling, ":")
	if term == "" || cycle == "" || c.ChargeType == csp.ChargeChangeBillingPlan || c.SubscriptionStart.IsZero() {
		return 0, 0
	}
	s := csp.Subscription{TermDuration: term, BillingCycle: cycle, TermStart: c.SubscriptionStart, TermEnd: c.SubscriptionEnd}
	p := s.PeriodAt(c.ChargeStart)
	if !csp.Day(p.End).Equal(csp.Day(c.ChargeEnd)) || csp.Day(c.ChargeStart).Before(p.Start) {
		return 0, 0
	}
	return csp.DaysInclusive(c.ChargeStart, c.ChargeEnd), p.NominalDays()
}

// usageCost is a usage line as the cost of a customer line in currency:
// its pricing currency (USD) converted at the month's rate when they
// differ, the amount ROUND_HALF_AWAY(pricingPreTax × rate, 2) and the unit
// prices ROUND_HALF_AWAY(price × rate, 6).
func (is *issuer) usageCost(ctx context.Context, l billing.UsageLine, currency string) (pricebook.CostLine, error) {
	plan, ok := is.plans[l.PlanSubscriptionID]
	if !ok {
		var err error
		if plan, err = is.tx.GetSubscription(ctx, l.PlanSubscriptionID); err != nil {
			return pricebook.CostLine{}, err
		}
		is.plans[plan.ID] = plan
	}
	r := l.Rated
	unit, eup, amount := r.UnitPrice.Amount, l.EffectiveUnitPrice, l.PricingPreTax
	if r.UnitPrice.Currency != currency {
		rate, err := is.rates.PCToBC(r.UnitPrice.Currency, currency)
		if err != nil {
			return pricebook.CostLine{}, err
		}
		unit, eup = csp.RoundHalfAway(unit.Mul(rate), csp.PricePlaces), csp.RoundHalfAway(eup.Mul(rate), csp.PricePlaces)
		amount = csp.RoundHalfAway(amount.Mul(rate), 2)
	}
	day := csp.Day(r.UsageDate)
	return pricebook.CostLine{SubscriptionID: r.Subscription.String(), ProductID: plan.ProductID, SkuID: plan.SkuID, ProductName: plan.ProductName,
		ChargeType: usageChargeType, Usage: true, UnitPrice: csp.NewMoney(unit, currency), EffectiveUnitPrice: csp.NewMoney(eup, currency),
		BillableQuantity: r.Quantity, Subtotal: csp.NewMoney(amount, currency), ChargeStart: day, ChargeEnd: day, MeterName: r.Meter.Name}, nil
}

// usageChargeType names a usage line's charge on a customer invoice (not
// one of Microsoft's licence charge types).
const usageChargeType csp.ChargeType = "usage"
