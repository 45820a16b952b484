package app

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/opencsp/opencsp/internal/store"
)

// The indirect model (decision 186): an indirect provider bills the lines
// it bought for its resellers (the reseller of record) to the resellers,
// and each reseller bills its customers from those costs.

// billed answers who a line of the Microsoft invoice is billed to: its
// customer, or, for a line an indirect provider bought for one of its
// resellers (the reseller of record), that reseller, with the customer the
// line is for.
func (is *issuer) billed(ctx context.Context, tenantID uuid.UUID, resellerMpn string) (uuid.UUID, *uuid.UUID, error) {
	if resellerMpn == "" || is.partner.Type != csp.PartnerIndirectProvider {
		return tenantID, nil, nil
	}
	end := tenantID
	if id, ok := is.resellers[resellerMpn]; ok {
		return id, &end, nil
	}
	r, err := is.tx.GetPartnerByMpnID(ctx, resellerMpn)
	if err != nil {
		return uuid.Nil, nil, err
	}
	pricer, err := pricebook.NewPricer(is.book, pricebook.Book{})
	if err != nil {
		return uuid.Nil, nil, err
	}
	is.customers[r.ID] = &customerBill{tenant: &csp.Tenant{ID: r.ID, DisplayName: r.Name, Country: r.Country}, pricer: pricer, tax: is.taxes[r.Country],
		currency: csp.PricingCurrency(r.Country, func(cur string) bool { return slices.Contains(is.currencies, cur) }), external: true, reseller: r}
	if is.resellers == nil {
		is.resellers = map[string]uuid.UUID{}
	}
	is.resellers[resellerMpn] = r.ID
	return r.ID, &end, nil
}

// issueResellerInvoices issues an indirect reseller's invoices to its
// customers from the invoice its provider sent it (from): each line's cost
// is the provider's price to the reseller, priced by the reseller's books
// (its costs only: it never sees the provider's).
func (a *App) issueResellerInvoices(ctx context.Context, tx store.Tx, from *pricebook.Issued, reseller *csp.Partner, provider *issuer) error {
	is := &issuer{a: a, tx: tx, partner: reseller, from: &billing.Invoice{Period: provider.from.Period, Date: provider.from.Date},
		customers: map[uuid.UUID]*customerBill{}, open: map[[2]string]*openInvoice{}, plans: map[uuid.UUID]*csp.Subscription{},
		taxes: provider.taxes, rates: provider.rates, currencies: provider.currencies}
	book, err := tx.GetPriceBook(ctx, reseller.ID, nil)
	if err != nil {
		return err
	}
	if book != nil {
		is.book = book.Book
	}
	for after := 0; ; {
		page, err := tx.CustomerInvoiceLines(ctx, from.ID, after, closePage)
		if err != nil {
			return err
		}
		for _, l := range page {
			if l.EndCustomer == nil {
				continue
			}
			c := l.Line.Cost
			cost := pricebook.CostLine{SubscriptionID: c.SubscriptionID, ProductID: c.ProductID, SkuID: c.SkuID, ProductName: c.ProductName, SkuName: c.SkuName,
				ChargeType: c.ChargeType, Usage: c.Usage, UnitPrice: l.Line.UnitPrice, EffectiveUnitPrice: l.Line.EffectiveUnitPrice, Quantity: c.Quantity,
				BillableQuantity: c.BillableQuantity, Subtotal: l.Line.Amount, ChargeStart: c.ChargeStart, ChargeEnd: c.ChargeEnd, MeterName: c.MeterName}
			id := from.ID
			if err := is.add(ctx, *l.EndCustomer, cost.Subtotal.Currency, cost, pricebook.IssuedLine{FromInvoice: &id, FromSeq: l.Seq}); err != nil {
				return err
			}
		}
		if len(page) < closePage {
			break
		}
		after = page[len(page)-1].Seq
	}
	for _, oi := range is.order {
		if err := is.flush(ctx, oi); err != nil {
			return err
		}
		if err := tx.UpdateCustomerInvoiceTotals(ctx, oi.inv); err != nil {
			return err
		}
	}
	return nil
}
