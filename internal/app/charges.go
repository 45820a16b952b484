package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// ChargePage is a page of the partner's reconciliation line items.
type ChargePage struct {
	Partner *csp.Partner
	Lines   []csp.ReconLine
	// Next is the next page's cursor; nil when no charge follows.
	Next *Cursor
}

// UnbilledCharges lists the partner's Microsoft charges in a currency
// posted in [from, to) that no invoice holds yet, keyset-paged (billing
// roles). The partner's own services are its revenue, not Microsoft's bill.
func (a *App) UnbilledCharges(ctx context.Context, p csp.Principal, currency string, from, to time.Time, pg Page[Cursor]) (*ChargePage, error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return nil, err
	}
	page := &ChargePage{}
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		var err error
		if page.Partner, err = tx.GetPartner(ctx, p.PartnerID); err != nil {
			return err
		}
		rows, err := tx.ListCharges(ctx, store.ChargeFilter{PartnerID: p.PartnerID, Currency: currency, From: from, To: to, Unbilled: true, MicrosoftOnly: true,
			After: pg.After.store(), Limit: pg.limit()})
		if err != nil {
			return err
		}
		pp := paged(rows, pg, func(c csp.Charge) Cursor { return Cursor{At: c.PostedAt, ID: c.ID} })
		page.Lines, page.Next = make([]csp.ReconLine, len(pp.Items)), pp.Next
		tenants, orders := map[uuid.UUID]*csp.Tenant{}, map[uuid.UUID]*csp.Order{}
		for i, c := range pp.Items {
			t, ok := tenants[c.TenantID]
			if !ok {
				// The partner's own record of the customer, or the tenant's
				// when the relationship has since ended.
				cust, err := tx.GetCustomer(ctx, p.PartnerID, c.TenantID, false)
				switch {
				case err == nil:
					t = cust.Tenant
				case csp.ErrorCode(err) == csp.ERelationshipNotFound:
					if t, err = tx.GetTenant(ctx, c.TenantID); err != nil {
						return err
					}
				default:
					return err
				}
				tenants[c.TenantID] = t
			}
			var o *csp.Order
			if c.OrderID != nil {
				if o, ok = orders[*c.OrderID]; !ok {
					if o, err = tx.GetOrder(ctx, *c.OrderID); err != nil {
						return err
					}
					orders[*c.OrderID] = o
				}
			}
			if page.Lines[i], err = csp.Reconcile(c, t, o, false); err != nil {
				return err
			}
		}
		return nil
	})
	return page, err
}
