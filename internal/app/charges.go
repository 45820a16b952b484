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
	Tenants map[uuid.UUID]*csp.Tenant
	Orders  map[uuid.UUID]*csp.Order
}

// UnbilledCharges lists the partner's Microsoft charges in a currency
// posted in [from, to) that no invoice holds yet, keyset-paged (billing
// roles). The partner's own services are its revenue, not Microsoft's bill.
func (a *App) UnbilledCharges(ctx context.Context, p csp.Principal, currency string, from, to time.Time, after *store.ChargeCursor, limit int) (*ChargePage, error) {
	if err := p.Can(csp.PermBillingRead); err != nil {
		return nil, err
	}
	page := &ChargePage{Tenants: map[uuid.UUID]*csp.Tenant{}, Orders: map[uuid.UUID]*csp.Order{}}
	err := a.store.Read(ctx, func(tx store.Tx) error {
		var err error
		if page.Partner, err = tx.GetPartner(ctx, p.PartnerID); err != nil {
			return err
		}
		page.Charges, err = tx.ListCharges(ctx, store.ChargeFilter{PartnerID: p.PartnerID, Currency: currency, From: from, To: to, Unbilled: true, MicrosoftOnly: true, After: after, Limit: limit})
		if err != nil {
			return err
		}
		for _, c := range page.Charges {
			if _, ok := page.Tenants[c.TenantID]; !ok {
				if page.Tenants[c.TenantID], err = tx.GetTenant(ctx, c.TenantID); err != nil {
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
