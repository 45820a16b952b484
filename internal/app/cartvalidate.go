package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// cartCheck locks the partner's relationship with the customer (every cart
// change and checkout runs one after the other per customer) and reads
// what checking the lines needs; the rules are csp.CartCheck's.
func (a *App) cartCheck(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, customerID uuid.UUID) (csp.CartCheck, error) {
	c, partner, cat, currency, err := a.customerMarket(ctx, tx, p, customerID, true)
	if err != nil {
		return csp.CartCheck{}, err
	}
	if err := partnerSells(partner); err != nil {
		return csp.CartCheck{}, err
	}
	existing, err := allSubscriptions(ctx, tx, store.SubscriptionFilter{TenantID: &customerID, PartnerID: &p.PartnerID})
	if err != nil {
		return csp.CartCheck{}, err
	}
	return csp.CartCheck{Now: now, Customer: c, Partner: partner, Catalog: cat, Prices: a.prices, Currency: currency,
		Existing: existing}, nil
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
