package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// SubscriptionView is what a customer's subscription resources show beside
// the subscriptions: the program's time, the customer's country (the market
// of their catalog links) and the catalog as the partner sees it (which
// add-ons they can carry).
type SubscriptionView struct {
	Now     time.Time
	Country string
	Catalog *csp.Catalog
}

// SubscriptionView reads the view of a customer the partner may see.
func (a *App) SubscriptionView(ctx context.Context, p csp.Principal, customerID uuid.UUID) (SubscriptionView, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return SubscriptionView{}, err
	}
	var v SubscriptionView
	err := a.read(ctx, func(tx store.Tx, now time.Time) error {
		c, err := a.customer(ctx, tx, p, customerID, false)
		if err != nil {
			return err
		}
		set, err := a.catalogIn(ctx, tx)
		if err != nil {
			return err
		}
		v = SubscriptionView{Now: now, Country: c.Tenant.Country, Catalog: set.For(&p.PartnerID)}
		return nil
	})
	return v, err
}
