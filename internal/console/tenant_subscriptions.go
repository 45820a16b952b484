package console

import (
	"context"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// subscriptionRow is one of the tenant's subscriptions, whoever sold it:
// a CSP partner or another purchasing channel.
type subscriptionRow struct {
	Product, Offer, Source, Channel, Status, Term string
	Seats                                         int
	AutoRenew                                     bool
}

// subscriptionsSection is the tenant's all-channel view: its first page
// of subscriptions and whether more exist (the customer API pages on).
type subscriptionsSection struct {
	Rows []subscriptionRow
	More bool
}

// loadSubscriptions reads the tenant's subscriptions from every partner and
// channel; names maps partner ids to their names.
func (h *handler) loadSubscriptions(ctx context.Context, p csp.Principal, names map[uuid.UUID]string) (*subscriptionsSection, error) {
	pg, err := h.app.TenantSubscriptions(ctx, p, app.Page[app.Cursor]{Size: pageSize})
	if err != nil {
		return nil, err
	}
	sec := &subscriptionsSection{More: pg.Next != nil}
	for _, s := range pg.Items {
		ch := string(s.Channel)
		if ch == "" {
			ch = string(csp.ChannelCSP)
		}
		sec.Rows = append(sec.Rows, subscriptionRow{Product: s.ProductName, Offer: s.OfferName, Source: sourceName(s.PartnerID, ch, names),
			Channel: ch, Status: string(s.Status), Seats: s.Quantity, AutoRenew: s.AutoRenew,
			Term: termDates(s)})
	}
	return sec, nil
}

// termDates is a subscription's current term, or nothing for one without a
// term (an Azure plan).
func termDates(s *csp.Subscription) string {
	if s.TermEnd.IsZero() {
		return ""
	}
	return formatDate(s.TermStart) + " to " + formatDate(s.TermEnd)
}
