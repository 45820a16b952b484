package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/plan"
	"github.com/opencsp/opencsp/internal/store"
)

// ChannelAction is a step of an applied plan that happens outside CSP, so
// the operator records it (decision 154): a purchase in another channel
// (POST /admin/v1/tenants/{tenantId}/channelSubscriptions with the step's
// SKU, seats and termStartDate = its date), or a channel subscription's
// auto-renew turned off (recorded again without it).
type ChannelAction struct {
	PlanID     uuid.UUID
	TenantID   uuid.UUID
	TenantName string
	// Channel is the channel to record in: the destination's for a
	// purchase, the subscription's own for auto-renew.
	Channel csp.Channel
	Step    plan.Step
	// Recorded is the channel subscription that shows the step done, once
	// the operator recorded it: for a purchase, one of the tenant's in
	// the channel, of the SKU, whose recorded term covers the step's day;
	// for auto-renew, the subscription when it no longer auto-renews.
	Recorded *uuid.UUID
}

// PlanChannelActions lists the steps of every applied plan that the
// operator records (operator only), plan by plan (oldest first), each
// with whether it is recorded yet.
func (a *App) PlanChannelActions(ctx context.Context, p csp.Principal) ([]ChannelAction, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	var out []ChannelAction
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		f := store.PlanFilter{Applied: true, Limit: store.MaxLimit}
		for {
			page, err := tx.ListPlans(ctx, f)
			if err != nil {
				return err
			}
			for _, pl := range page {
				acts, err := a.channelActions(ctx, tx, pl)
				if err != nil {
					return err
				}
				out = append(out, acts...)
			}
			if len(page) < f.Limit {
				return nil
			}
			last := page[len(page)-1]
			f.After = &store.Cursor{At: last.CreatedAt, ID: last.ID}
		}
	})
	return out, err
}

func (a *App) channelActions(ctx context.Context, tx store.Tx, pl *plan.Plan) ([]ChannelAction, error) {
	var out []ChannelAction
	var held []*csp.ChannelSubscription
	t, err := tx.GetTenant(ctx, pl.TenantID)
	if err != nil {
		return nil, err
	}
	for _, s := range pl.Steps {
		act := ChannelAction{PlanID: pl.ID, TenantID: pl.TenantID, TenantName: t.DisplayName, Step: s}
		switch {
		case s.Action == plan.BuyAtDestination && pl.Destination.PartnerID == nil:
			act.Channel = pl.Destination.Channel
		case s.Action == plan.TurnOffAutoRenew:
			c, err := tx.GetChannelSubscription(ctx, pl.TenantID, s.SubscriptionID)
			if csp.ErrorCode(err) == csp.EChannelNotFound {
				continue // a CSP subscription's: the plan's job turns it off
			}
			if err != nil {
				return nil, err
			}
			act.Channel = c.Channel
			if !c.AutoRenew {
				act.Recorded = &c.ID
			}
			out = append(out, act)
			continue
		default:
			continue
		}
		if held == nil {
			if held, err = a.channelSubscriptions(ctx, tx, pl.TenantID); err != nil {
				return nil, err
			}
		}
		day := s.Day()
		for _, c := range held {
			if c.Channel == act.Channel && c.ProductID == s.ProductID && c.SkuID == s.SkuID && !c.TermStart.After(day) && !c.TermEnd.Before(day) {
				id := c.ID
				act.Recorded = &id
				break
			}
		}
		out = append(out, act)
	}
	return out, nil
}
