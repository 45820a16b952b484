package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// cartCheck reads what checking the lines needs, locking the partner's
// relationship with the customer when lock is set (every cart change and
// checkout runs one after the other per customer); the rules are
// csp.CartCheck's.
func (a *App) cartCheck(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, customerID uuid.UUID, lock bool) (csp.CartCheck, error) {
	c, partner, cat, currency, err := a.customerMarket(ctx, tx, p, customerID, lock)
	if err != nil {
		return csp.CartCheck{}, err
	}
	if err := partnerSells(partner); err != nil {
		return csp.CartCheck{}, err
	}
	// Every partner's and channel's subscriptions of the tenant: the
	// partner's own are the ones quotas and prerequisites count, all of them
	// a first purchase.
	held, err := allSubscriptions(ctx, tx, store.SubscriptionFilter{TenantID: &customerID})
	if err != nil {
		return csp.CartCheck{}, err
	}
	var existing []*csp.Subscription
	for _, s := range held {
		if s.PartnerID != nil && *s.PartnerID == p.PartnerID {
			existing = append(existing, s)
		}
	}
	return csp.CartCheck{Now: now, Customer: c, Partner: partner, Catalog: cat, Prices: a.prices, Currency: currency,
		Existing: existing, Held: held}, nil
}

// checkLines reads the partners of record the lines name, then checks them.
func checkLines(ctx context.Context, tx store.Tx, check csp.CartCheck, lines []csp.CartLine) ([]csp.CartLine, map[int]csp.CheckedLine, error) {
	check.Resellers = map[string]*csp.Partner{}
	for _, mpn := range csp.PartnersOfRecord(lines) {
		if r, err := tx.GetPartnerByMpnID(ctx, mpn); err == nil {
			check.Resellers[mpn] = r
		} else if csp.ErrorCode(err) != csp.EPartnerNotFound {
			return nil, nil, err
		}
	}
	return check.Check(lines)
}

// CartQuote is a cart and what its lines cost as a checkout would price
// them now.
type CartQuote struct {
	Cart *csp.Cart
	// Priced are the lines the rules accept now, by line id, with their
	// unit price (csp.CheckedLine.Amount is the line's). Nil when the
	// partner cannot sell to the customer now.
	Priced map[int]csp.CheckedLine
}

// QuoteCart reads a cart and checks its lines as a checkout would now,
// without locking or changing anything: what a page shows beside the cart.
func (a *App) QuoteCart(ctx context.Context, p csp.Principal, customerID, cartID uuid.UUID) (*CartQuote, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, err
	}
	q := &CartQuote{}
	err := a.read(ctx, func(tx store.Tx, now time.Time) error {
		cart, err := a.ownCart(ctx, tx, now, p, customerID, cartID, false)
		if err != nil {
			return err
		}
		q.Cart, q.Priced = cart, nil
		if len(cart.Lines) == 0 {
			return nil
		}
		check, err := a.cartCheck(ctx, tx, now, p, customerID, false)
		if err != nil {
			if csp.ErrorCode(err) != csp.EInternal {
				return nil // a refusal of the sale itself: the lines have no price
			}
			return err
		}
		_, q.Priced, err = checkLines(ctx, tx, check, cart.Lines)
		return err
	})
	return q, err
}
