package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// partnerHasLiveSubscriptions is R-34's refusal of a relationship's end,
// with the planner's answer for winding the subscriptions down: it names
// each live subscription, its term's last day and, when it auto-renews,
// the last day to turn auto-renew off, and points to POST
// /tenant/v1/channelPlans, which plans a move to another partner (a
// transfer now, where the transfer rules allow) or another channel
// (decision 155). Data: one "subscription=id;offer=...;quantity=n;
// termEndDate=d[;lastDayToTurnOffAutoRenew=d]" per subscription, then
// "plan=POST /tenant/v1/channelPlans".
func (a *App) partnerHasLiveSubscriptions(ctx context.Context, tx store.Tx, partnerID, tenantID uuid.UUID, n int) error {
	subs, err := allSubscriptions(ctx, tx, store.SubscriptionFilter{TenantID: &tenantID, PartnerID: &partnerID})
	if err != nil {
		return err
	}
	var names, data []string
	for _, s := range subs {
		if !s.Live() {
			continue
		}
		item := fmt.Sprintf("subscription=%s;offer=%s;quantity=%d", s.ID, s.OfferName, s.Quantity)
		name := fmt.Sprintf("%s (%s, %d seats", s.ID, s.OfferName, s.Quantity)
		if s.HasTerm() {
			end := s.TermEnd.Format(time.DateOnly)
			item += ";termEndDate=" + end
			name += ", term ends " + end
			if s.AutoRenew {
				item += ";lastDayToTurnOffAutoRenew=" + end
				name += ", auto-renew on: turn it off by " + end
			}
		}
		names = append(names, name+")")
		data = append(data, item)
	}
	return csp.Errorf(csp.EPartnerHasActiveSubs,
		"partner %s still has %d active subscription(s) on this tenant (commerce rule R-34): %s. They must be transferred, cancelled or left to expire before the relationship can end: POST /tenant/v1/channelPlans with destination {partnerId} (another partner: transfers now where the rules allow) or {channel} plans it, with the dates",
		partnerID, n, strings.Join(names, "; ")).WithData(append(data, "plan=POST /tenant/v1/channelPlans")...)
}
