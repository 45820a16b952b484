package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// ChargePage is a page of the partner's reconciliation line items with
// what the line items name: the partner and each charge's customer.
type ChargePage struct {
	Partner *csp.Partner
	Charges []csp.Charge
	// Tenants are the charges' customers as the partner records them.
	Tenants map[uuid.UUID]*csp.Tenant
	Orders  map[uuid.UUID]*csp.Order
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
	page := &ChargePage{Tenants: map[uuid.UUID]*csp.Tenant{}, Orders: map[uuid.UUID]*csp.Order{}}
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
		page.Charges, page.Next = pp.Items, pp.Next
		for _, c := range page.Charges {
			if _, ok := page.Tenants[c.TenantID]; !ok {
				// The partner's own record of the customer, or the tenant's
				// when the relationship has since ended.
				cust, err := tx.GetCustomer(ctx, p.PartnerID, c.TenantID, false)
				switch {
				case err == nil:
					page.Tenants[c.TenantID] = cust.Tenant
				case csp.ErrorCode(err) == csp.ERelationshipNotFound:
					if page.Tenants[c.TenantID], err = tx.GetTenant(ctx, c.TenantID); err != nil {
						return err
					}
				default:
					return err
				}
			}
			if c.OrderID != nil {
				if _, ok := page.Orders[*c.OrderID]; !ok {
					if page.Orders[*c.OrderID], err = tx.GetOrder(ctx, *c.OrderID); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	return page, err
}
