package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// CotermQuery asks which custom end dates a term may take.
type CotermQuery struct {
	TermDuration string // P1M, P1Y or P3Y
	// Start is the term's first day; nil is today on the program's clock.
	Start *time.Time
	// Target, when set, limits the subscription-aligned dates to that
	// subscription's.
	Target *uuid.UUID
}

// CustomTermEndDates lists the customTermEndDate values a term of the
// query may take among the customer's subscriptions with the partner
// (csp.CotermDates): for a purchase today, or a renewal on a later start.
func (a *App) CustomTermEndDates(ctx context.Context, p csp.Principal, customerID uuid.UUID, q CotermQuery) ([]csp.CotermDate, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, err
	}
	duration := strings.ToUpper(q.TermDuration)
	if csp.TermMonths(duration) == 0 {
		return nil, csp.Errorf(csp.EInvalidQuery, "term_duration %q: use P1M, P1Y or P3Y", q.TermDuration)
	}
	var out []csp.CotermDate
	err := a.read(ctx, func(tx store.Tx, now time.Time) error {
		if _, err := a.customer(ctx, tx, p, customerID, false); err != nil {
			return err
		}
		start := csp.Day(now)
		if q.Start != nil {
			if start = csp.Day(*q.Start); start.Before(csp.Day(now)) {
				return csp.Errorf(csp.EInvalidQuery, "term_start_date %s is before today, %s: a term starts today (a purchase) or later (a renewal)",
					start.Format(time.DateOnly), csp.Day(now).Format(time.DateOnly))
			}
		}
		subs, err := allSubscriptions(ctx, tx, store.SubscriptionFilter{TenantID: &customerID, PartnerID: &p.PartnerID})
		if err != nil {
			return err
		}
		if q.Target != nil {
			i := slices.IndexFunc(subs, func(s *csp.Subscription) bool { return s.ID == *q.Target })
			if i < 0 {
				return csp.Errorf(csp.ESubscriptionNotFound, "target_coterm_subscription_id %s was not found among this partner's subscriptions of customer %s", *q.Target, customerID)
			}
			subs = subs[i : i+1]
		}
		out = csp.CotermDates(start, duration, subs)
		return nil
	})
	return out, err
}
