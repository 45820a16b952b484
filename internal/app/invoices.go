package app

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/store"
)

// A partner's invoices from Microsoft and their lines (billing roles).

// ListInvoices pages through the partner's invoices, newest first; the
// cursor is the last invoice number of the page.
func (a *App) ListInvoices(ctx context.Context, p csp.Principal, pg Page[string]) (Paged[*billing.Invoice, string], error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return Paged[*billing.Invoice, string]{}, err
	}
	var out Paged[*billing.Invoice, string]
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		f := store.InvoiceFilter{PartnerID: p.PartnerID, Limit: pg.limit()}
		if pg.After != nil {
			f.Before = *pg.After
		}
		rows, err := tx.ListInvoices(ctx, f)
		out = paged(rows, pg, func(i *billing.Invoice) string { return i.Number })
		return err
	})
	return out, err
}

// GetInvoice reads one of the partner's invoices.
func (a *App) GetInvoice(ctx context.Context, p csp.Principal, number string) (*billing.Invoice, error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return nil, err
	}
	var inv *billing.Invoice
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		inv, err = tx.GetInvoice(ctx, p.PartnerID, number)
		return err
	})
	return inv, err
}

// InvoiceLinePage is a page of an invoice's licence lines.
type InvoiceLinePage struct {
	Partner *csp.Partner
	Invoice *billing.Invoice
	Lines   []csp.ReconLine
	Next    *int
}

// InvoiceLines pages through an invoice's licence lines in their order
// on the invoice, as reconciliation lines in its billing currency.
func (a *App) InvoiceLines(ctx context.Context, p csp.Principal, number string, pg Page[int]) (*InvoiceLinePage, error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return nil, err
	}
	out := &InvoiceLinePage{}
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		var err error
		if out.Partner, out.Invoice, err = invoiceOf(ctx, tx, p, number); err != nil {
			return err
		}
		rows, err := tx.InvoiceLines(ctx, number, afterSeq(pg), pg.limit())
		if err != nil {
			return err
		}
		pp := paged(rows, pg, func(b billing.BilledCharge) int { return b.Line.Seq })
		out.Next, out.Lines = pp.Next, make([]csp.ReconLine, len(pp.Items))
		tenants, orders := map[uuid.UUID]*csp.Tenant{}, map[uuid.UUID]*csp.Order{}
		for i, b := range pp.Items {
			t, err := a.billedTenant(ctx, tx, tenants, p.PartnerID, b.TenantID)
			if err != nil {
				return err
			}
			var o *csp.Order
			if b.OrderID != nil {
				var ok bool
				if o, ok = orders[*b.OrderID]; !ok {
					if o, err = tx.GetOrder(ctx, *b.OrderID); err != nil {
						return err
					}
					orders[*b.OrderID] = o
				}
			}
			if out.Lines[i], err = billing.Reconciled(b, t, o, out.Invoice); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// BilledUsageLine is an invoice's usage line with its customer, Azure plan
// and Azure subscription.
type BilledUsageLine struct {
	billing.UsageLine
	Customer    *csp.Tenant
	Plan        *csp.Subscription
	Entitlement *azure.Subscription
}

// InvoiceUsagePage is a page of an invoice's usage lines.
type InvoiceUsagePage struct {
	Partner *csp.Partner
	Invoice *billing.Invoice
	Lines   []BilledUsageLine
	Next    *int
}

// InvoiceUsageLines pages through an invoice's daily rated usage lines.
func (a *App) InvoiceUsageLines(ctx context.Context, p csp.Principal, number string, pg Page[int]) (*InvoiceUsagePage, error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return nil, err
	}
	out := &InvoiceUsagePage{}
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		var err error
		if out.Partner, out.Invoice, err = invoiceOf(ctx, tx, p, number); err != nil {
			return err
		}
		rows, err := tx.InvoiceUsageLines(ctx, number, afterSeq(pg), pg.limit())
		if err != nil {
			return err
		}
		pp := paged(rows, pg, func(l billing.UsageLine) int { return l.Seq })
		out.Next, out.Lines = pp.Next, make([]BilledUsageLine, len(pp.Items))
		tenants, plans := map[uuid.UUID]*csp.Tenant{}, map[uuid.UUID]*csp.Subscription{}
		for i, l := range pp.Items {
			t, err := a.billedTenant(ctx, tx, tenants, p.PartnerID, l.TenantID)
			if err != nil {
				return err
			}
			plan, ok := plans[l.PlanSubscriptionID]
			if !ok {
				if plan, err = tx.GetSubscription(ctx, l.PlanSubscriptionID); err != nil {
					return err
				}
				plans[plan.ID] = plan
			}
			out.Lines[i] = BilledUsageLine{UsageLine: l, Customer: t, Plan: plan,
				Entitlement: &azure.Subscription{ID: l.Rated.Subscription, FriendlyName: l.EntitlementName, TenantID: l.TenantID, PlanSubscriptionID: plan.ID}}
		}
		return nil
	})
	return out, err
}

// InvoiceSummary is an invoice summed per customer and kind of line (its
// statement).
type InvoiceSummary struct {
	Partner *csp.Partner
	Invoice *billing.Invoice
	Rows    []SummaryRow
}

// SummaryRow is one customer's lines of one kind.
type SummaryRow struct {
	Customer *csp.Tenant
	Usage    bool
	Totals   billing.Totals
}

// SummarizeInvoice sums an invoice's lines per customer, licences first
// then Azure usage, customers in the order their first line comes.
func (a *App) SummarizeInvoice(ctx context.Context, p csp.Principal, number string) (*InvoiceSummary, error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return nil, err
	}
	out := &InvoiceSummary{}
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		var err error
		if out.Partner, out.Invoice, err = invoiceOf(ctx, tx, p, number); err != nil {
			return err
		}
		tenants := map[uuid.UUID]*csp.Tenant{}
		rows := map[[2]any]int{}
		add := func(tenantID uuid.UUID, usage bool, subtotal, tax decimal.Decimal) error {
			k := [2]any{tenantID, usage}
			i, ok := rows[k]
			if !ok {
				t, err := a.billedTenant(ctx, tx, tenants, p.PartnerID, tenantID)
				if err != nil {
					return err
				}
				i = len(out.Rows)
				rows[k] = i
				out.Rows = append(out.Rows, SummaryRow{Customer: t, Usage: usage})
			}
			out.Rows[i].Totals.Add(subtotal, tax)
			return nil
		}
		for after := 0; ; {
			page, err := tx.InvoiceLines(ctx, number, after, closePage)
			if err != nil {
				return err
			}
			for _, b := range page {
				if err := add(b.TenantID, false, b.Line.Subtotal, b.Line.Tax); err != nil {
					return err
				}
			}
			if len(page) < closePage {
				break
			}
			after = page[len(page)-1].Line.Seq
		}
		for after := 0; ; {
			page, err := tx.InvoiceUsageLines(ctx, number, after, closePage)
			if err != nil {
				return err
			}
			for _, l := range page {
				if err := add(l.TenantID, true, l.Subtotal, l.Tax); err != nil {
					return err
				}
			}
			if len(page) < closePage {
				break
			}
			after = page[len(page)-1].Seq
		}
		return nil
	})
	return out, err
}

// invoiceOf reads the caller's partner and one of its invoices.
func invoiceOf(ctx context.Context, tx store.Tx, p csp.Principal, number string) (*csp.Partner, *billing.Invoice, error) {
	partner, err := tx.GetPartner(ctx, p.PartnerID)
	if err != nil {
		return nil, nil, err
	}
	inv, err := tx.GetInvoice(ctx, p.PartnerID, number)
	return partner, inv, err
}

// afterSeq is the line a page of an invoice's lines starts after.
func afterSeq(pg Page[int]) int {
	if pg.After == nil {
		return 0
	}
	return *pg.After
}
