package app

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/opencsp/opencsp/internal/store"
)

// The partner's invoices to its customers, as issued by the month close
// (customer_invoices.go), and the partner's profit on them (billing
// roles).

// CustomerInvoiceQuery filters a listing: one customer's, one month's.
type CustomerInvoiceQuery struct {
	CustomerID *uuid.UUID
	Period     string // YYYY-MM; "" for every month
}

// parsePeriod reads an optional YYYY-MM period.
func parsePeriod(s string, required bool) (string, error) {
	if s == "" && !required {
		return "", nil
	}
	m, err := billing.ParseMonth(s)
	if err != nil {
		if e, ok := err.(*csp.Error); ok {
			e.Message, e.Data = "period: "+e.Message, []string{"field=period"}
		}
		return "", err
	}
	return m.String(), nil
}

// ListCustomerInvoices pages through the partner's customer invoices,
// newest first; the cursor is the last invoice number of the page.
func (a *App) ListCustomerInvoices(ctx context.Context, p csp.Principal, q CustomerInvoiceQuery, pg Page[string]) (Paged[*pricebook.Issued, string], error) {
	var out Paged[*pricebook.Issued, string]
	if err := p.Can(csp.PermBillingRead); err != nil {
		return out, err
	}
	period, err := parsePeriod(q.Period, false)
	if err != nil {
		return out, err
	}
	err = a.read(ctx, func(tx store.Tx, _ time.Time) error {
		f := store.CustomerInvoiceFilter{PartnerID: p.PartnerID, TenantID: q.CustomerID, Period: period, Limit: pg.limit()}
		if pg.After != nil {
			f.Before = *pg.After
		}
		rows, err := tx.ListCustomerInvoices(ctx, f)
		out = paged(rows, pg, func(i *pricebook.Issued) string { return i.Number })
		return err
	})
	return out, err
}

// CustomerInvoiceView is a customer invoice with every line, the partner
// that issued it and its customer (the partner's profile of it while it
// is the partner's customer, else the tenant's own).
type CustomerInvoiceView struct {
	Invoice  *pricebook.Issued
	Lines    []pricebook.IssuedLine
	Partner  *csp.Partner
	Customer *csp.Tenant
}

// GetCustomerInvoice reads one of the partner's customer invoices with
// all its lines (its documents print them all).
func (a *App) GetCustomerInvoice(ctx context.Context, p csp.Principal, id uuid.UUID) (*CustomerInvoiceView, error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return nil, err
	}
	out := &CustomerInvoiceView{}
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		var err error
		if out.Invoice, err = tx.GetCustomerInvoice(ctx, p.PartnerID, id); err != nil {
			return err
		}
		if out.Partner, err = tx.GetPartner(ctx, p.PartnerID); err != nil {
			return err
		}
		if out.Customer, err = customerOrTenant(ctx, tx, p.PartnerID, out.Invoice); err != nil {
			return err
		}
		out.Lines, err = allCustomerLines(ctx, tx, id)
		return err
	})
	return out, err
}

func allCustomerLines(ctx context.Context, tx store.Tx, id uuid.UUID) ([]pricebook.IssuedLine, error) {
	var out []pricebook.IssuedLine
	for {
		page, err := tx.CustomerInvoiceLines(ctx, id, len(out), store.MaxLimit)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < store.MaxLimit {
			return out, nil
		}
	}
}

// customerOrTenant is the partner's customer, or the tenant when it is
// the partner's no more (its invoices stay).
func customerOrTenant(ctx context.Context, tx store.Tx, partnerID uuid.UUID, inv *pricebook.Issued) (*csp.Tenant, error) {
	if inv.CustomerName != "" { // an imported file's customer or an indirect reseller, as the invoice names it
		return &csp.Tenant{ID: inv.TenantID, DisplayName: inv.CustomerName, Country: inv.CustomerCountry}, nil
	}
	tenantID := inv.TenantID
	c, err := tx.GetCustomer(ctx, partnerID, tenantID, false)
	if err == nil {
		return c.Tenant, nil
	}
	if csp.ErrorCode(err) != csp.ERelationshipNotFound {
		return nil, err
	}
	return tx.GetTenant(ctx, tenantID)
}

// CustomerProfit is one customer's invoices of a month in one currency.
type CustomerProfit struct {
	CustomerID   uuid.UUID
	CustomerName string
	pricebook.Total
	Invoices []string // their numbers
}

// ProfitReport is what a month's customer invoices sell, cost and earn:
// per customer and per product ("productId:skuId"), each in one currency,
// the sums exact.
type ProfitReport struct {
	Period    string
	Customers []CustomerProfit
	Products  []pricebook.ProductTotal
	Totals    []pricebook.Total
}

// CustomerInvoiceProfit sums the partner's customer invoices of a month:
// customers in the order of their first invoice, products and totals by
// currency then offer.
func (a *App) CustomerInvoiceProfit(ctx context.Context, p csp.Principal, period string) (*ProfitReport, error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return nil, err
	}
	month, err := parsePeriod(period, true)
	if err != nil {
		return nil, err
	}
	out := &ProfitReport{Period: month}
	err = a.read(ctx, func(tx store.Tx, _ time.Time) error {
		customers := map[[2]string]*CustomerProfit{}
		var order []*CustomerProfit
		products, totals := map[string]*pricebook.Total{}, map[string]*pricebook.Total{}
		before := ""
		for {
			page, err := tx.ListCustomerInvoices(ctx, store.CustomerInvoiceFilter{PartnerID: p.PartnerID, Period: month, Before: before, Limit: store.MaxLimit})
			if err != nil {
				return err
			}
			for _, inv := range slices.Backward(page) { // oldest first
				key := [2]string{inv.TenantID.String(), inv.Currency}
				c, ok := customers[key]
				if !ok {
					t, err := customerOrTenant(ctx, tx, p.PartnerID, inv)
					if err != nil {
						return err
					}
					c = &CustomerProfit{CustomerID: inv.TenantID, CustomerName: t.DisplayName, Total: zeroTotal(inv.Currency)}
					customers[key] = c
					order = append(order, c)
				}
				c.Invoices = append(c.Invoices, inv.Number)
				addTotal(&c.Total, inv.Subtotal, inv.Cost)
				addTotal(totalOf(totals, inv.Currency, inv.Currency), inv.Subtotal, inv.Cost)
				lines, err := allCustomerLines(ctx, tx, inv.ID)
				if err != nil {
					return err
				}
				for _, l := range lines {
					addTotal(totalOf(products, inv.Currency+"\x00"+l.Offer(), inv.Currency), l.Line.Amount.Amount, l.Line.Cost.CostAmount().Amount)
				}
			}
			if len(page) < store.MaxLimit {
				break
			}
			before = page[len(page)-1].Number
		}
		// Invoices came newest page first: order customers by first invoice.
		slices.SortStableFunc(order, func(x, y *CustomerProfit) int { return strings.Compare(x.Invoices[0], y.Invoices[0]) })
		for _, c := range order {
			out.Customers = append(out.Customers, *c)
		}
		for _, k := range slices.Sorted(maps.Keys(products)) {
			_, offer, _ := strings.Cut(k, "\x00")
			out.Products = append(out.Products, pricebook.ProductTotal{Offer: offer, Total: *products[k]})
		}
		for _, k := range slices.Sorted(maps.Keys(totals)) {
			out.Totals = append(out.Totals, *totals[k])
		}
		return nil
	})
	return out, err
}

func zeroTotal(currency string) pricebook.Total {
	return pricebook.Total{Amount: csp.ZeroMoney(currency), Cost: csp.ZeroMoney(currency), Profit: csp.ZeroMoney(currency)}
}

func totalOf(m map[string]*pricebook.Total, key, currency string) *pricebook.Total {
	t, ok := m[key]
	if !ok {
		z := zeroTotal(currency)
		t = &z
		m[key] = t
	}
	return t
}

// addTotal counts an amount and its cost: profit is their difference.
func addTotal(t *pricebook.Total, amount, cost decimal.Decimal) {
	t.Amount.Amount = t.Amount.Amount.Add(amount)
	t.Cost.Amount = t.Cost.Amount.Add(cost)
	t.Profit.Amount = t.Amount.Amount.Sub(t.Cost.Amount)
}

// ResellerCosts pages through the invoices an indirect reseller's provider
// sent it (its costs), newest first: the reseller sees these and its own
// invoices to its customers, never its provider's costs or other
// resellers'.
func (a *App) ResellerCosts(ctx context.Context, p csp.Principal, period string, pg Page[string]) (Paged[*pricebook.Issued, string], error) {
	var out Paged[*pricebook.Issued, string]
	if err := p.Can(csp.PermBillingRead); err != nil {
		return out, err
	}
	month, err := parsePeriod(period, false)
	if err != nil {
		return out, err
	}
	err = a.read(ctx, func(tx store.Tx, _ time.Time) error {
		me, err := tx.GetPartner(ctx, p.PartnerID)
		if err != nil {
			return err
		}
		if me.Type != csp.PartnerIndirectReseller || me.ProviderID == nil {
			return csp.Errorf(csp.EForbiddenRole, "only an indirect reseller has costs from its provider: a partner Microsoft bills reads its invoices (GET /v1/invoices)")
		}
		f := store.CustomerInvoiceFilter{PartnerID: *me.ProviderID, TenantID: &me.ID, Period: month, Limit: pg.limit()}
		if pg.After != nil {
			f.Before = *pg.After
		}
		rows, err := tx.ListCustomerInvoices(ctx, f)
		out = paged(rows, pg, func(i *pricebook.Issued) string { return i.Number })
		return err
	})
	return out, err
}

// ResellerCost reads one of the invoices an indirect reseller's provider
// sent it, with its lines; another's answers ECustomerInvoiceNotFound.
func (a *App) ResellerCost(ctx context.Context, p csp.Principal, id uuid.UUID) (*CustomerInvoiceView, error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return nil, err
	}
	out := &CustomerInvoiceView{}
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		me, err := tx.GetPartner(ctx, p.PartnerID)
		if err != nil {
			return err
		}
		if me.Type != csp.PartnerIndirectReseller || me.ProviderID == nil {
			return csp.Errorf(csp.EForbiddenRole, "only an indirect reseller has costs from its provider: a partner Microsoft bills reads its invoices (GET /v1/invoices)")
		}
		if out.Invoice, err = tx.GetCustomerInvoice(ctx, *me.ProviderID, id); err != nil {
			return err
		}
		if out.Invoice.TenantID != me.ID {
			return csp.Errorf(csp.ECustomerInvoiceNotFound, "no invoice %s from your provider: GET /v1/resellercosts lists them", id)
		}
		if out.Partner, err = tx.GetPartner(ctx, *me.ProviderID); err != nil {
			return err
		}
		out.Customer = &csp.Tenant{ID: me.ID, DisplayName: out.Invoice.CustomerName, Country: out.Invoice.CustomerCountry}
		out.Lines, err = allCustomerLines(ctx, tx, id)
		return err
	})
	return out, err
}
