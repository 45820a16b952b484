package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/plan"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/store"
)

// Channel plans (DESIGN.md "Purchasing channels"): the tenant's Global
// Administrator asks how to move everything to another CSP partner or to
// another channel; the answer is a plan of dated steps (internal/csp/plan
// works them out; whether a subscription may transfer now is the transfer
// context's own eligibility check). Applying the plan schedules its steps
// as a due job (plans_jobs.go), which carries each out on its day.
//
// Locks (docs/architecture.md "Concurrency"): a plan is locked first
// (after the clock), then what its steps change: the partners'
// relationships, the transfer or cart, the subscriptions.

// PlanDestination is a plan's destination as the customer names it:
// exactly one of PartnerID and Channel.
type PlanDestination struct {
	PartnerID *uuid.UUID
	Channel   string
}

// PlanView is a plan with what the console and the CLI show beside its
// steps: the names of the subscriptions' offers and of their partners.
type PlanView struct {
	Plan *plan.Plan
	// Sources names where each step's subscription is now, by subscription
	// id: a partner's name, or the channel (ea, direct, mcaE).
	Sources map[uuid.UUID]string
}

func requirePlanAdmin(p csp.Principal) error {
	if p.Kind != csp.PrincipalTenant {
		return csp.Errorf(csp.EWrongAPI, "channel plans are the customer's: use a key minted for the tenant's Global Administrator")
	}
	if !p.GlobalAdmin {
		return csp.Errorf(csp.EForbiddenRole, "channel plans are made and applied by the tenant's Global Administrator: use a Global Administrator's key")
	}
	return nil
}

// CreatePlan works out and stores a plan for moving the caller's tenant to
// dest (a CSP partner with a reseller relationship with the tenant, or
// the direct, ea or mcaE channel). Nothing else changes until it is
// applied.
func (a *App) CreatePlan(ctx context.Context, p csp.Principal, dest PlanDestination) (*PlanView, error) {
	if err := requirePlanAdmin(p); err != nil {
		return nil, err
	}
	var out *PlanView
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		t, err := tx.LockTenant(ctx, p.TenantID)
		if err != nil {
			return err
		}
		d, name, err := a.planDestination(ctx, tx, t, dest)
		if err != nil {
			return err
		}
		held, sources, err := a.planHeld(ctx, tx, now, t.ID, d)
		if err != nil {
			return err
		}
		steps, skipped := plan.Steps(held, d, now)
		if len(steps) == 0 {
			return csp.Errorf(csp.EPlanNothingToMove, "every live licence subscription of %s is already with %s (or the tenant has none): there is nothing to plan", t.DisplayName, name)
		}
		pl := &plan.Plan{ID: a.newID(), TenantID: t.ID, Destination: d, DestinationName: name, Steps: steps, Skipped: skipped, CreatedAt: now, CreatedBy: who(p)}
		if err := tx.CreatePlan(ctx, pl); err != nil {
			return err
		}
		out = &PlanView{Plan: pl, Sources: sources}
		return a.auditPlan(ctx, tx, now, p, t.DisplayName, pl, "create_channel_plan")
	})
	return out, err
}

// planDestination checks the destination: a CSP partner that has a
// reseller relationship with the tenant and may sell to it, or a channel
// other than csp. It answers the destination and its name.
func (a *App) planDestination(ctx context.Context, tx store.Tx, t *csp.Tenant, dest PlanDestination) (plan.Destination, string, error) {
	switch {
	case dest.PartnerID != nil && dest.Channel != "", dest.PartnerID == nil && dest.Channel == "":
		return plan.Destination{}, "", csp.Errorf(csp.EPlanDestination, "destination names either partnerId (another CSP partner) or channel (direct, ea or mcaE), exactly one of them")
	case dest.Channel != "":
		for _, c := range []csp.Channel{csp.ChannelDirect, csp.ChannelEA, csp.ChannelMCAE} {
			if strings.EqualFold(dest.Channel, string(c)) {
				return plan.Destination{Channel: c}, string(c), nil
			}
		}
		if strings.EqualFold(dest.Channel, string(csp.ChannelCSP)) {
			return plan.Destination{}, "", csp.Errorf(csp.EPlanChannelIsCSP, "destination.channel csp: a move within CSP goes to a partner; name it with destination.partnerId (GET /tenant/v1/relationships lists the tenant's partners)")
		}
		return plan.Destination{}, "", csp.Errorf(csp.EPlanChannelInvalid, "destination.channel %q is not a purchasing channel: use direct, ea or mcaE, or destination.partnerId for a CSP partner", dest.Channel)
	}
	partner, err := tx.GetPartner(ctx, *dest.PartnerID)
	if csp.ErrorCode(err) == csp.EPartnerNotFound {
		return plan.Destination{}, "", csp.Errorf(csp.EPlanPartnerNotFound, "destination.partnerId %s names no CSP partner: GET /tenant/v1/relationships lists the tenant's partners", *dest.PartnerID)
	}
	if err != nil {
		return plan.Destination{}, "", err
	}
	if _, err := tx.GetCustomer(ctx, partner.ID, t.ID, false); csp.ErrorCode(err) == csp.ERelationshipNotFound {
		return plan.Destination{}, "", csp.Errorf(csp.EPlanPartnerNotLinked,
			"partner %s has no reseller relationship with %s: accept its invitation first (POST /tenant/v1/relationships), since subscriptions move to or are bought from a partner of the tenant (commerce rule R-37)", partner.Name, t.DisplayName)
	} else if err != nil {
		return plan.Destination{}, "", err
	}
	if partner.Type == csp.PartnerIndirectReseller {
		return plan.Destination{}, "", csp.Errorf(csp.EPlanPartnerCannotSell, "partner %s is an indirect reseller: it holds no subscriptions from Microsoft; name its indirect provider as the destination (commerce rule R-32)", partner.Name)
	}
	if err := partner.CheckSale(t.Country, t.Region, t.Segment); err != nil {
		return plan.Destination{}, "", csp.Errorf(csp.EPlanPartnerCannotSell, "partner %s may not sell to %s: %s", partner.Name, t.DisplayName, csp.ErrorMessage(err)).
			WithData(fmt.Sprintf("rule=%d", csp.ErrorCode(err)))
	}
	id := partner.ID
	return plan.Destination{PartnerID: &id}, partner.Name, nil
}

// planHeld reads the tenant's live subscriptions of every partner and
// channel as the planner sees them, and where each is now (by id). For a
// partner destination, each CSP subscription of another partner carries
// the transfer rules' answer to whether it may move now.
func (a *App) planHeld(ctx context.Context, tx store.Tx, now time.Time, tenantID uuid.UUID, d plan.Destination) ([]plan.Held, map[uuid.UUID]string, error) {
	subs, err := allSubscriptions(ctx, tx, store.SubscriptionFilter{TenantID: &tenantID})
	if err != nil {
		return nil, nil, err
	}
	set, err := a.catalogIn(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	var held []plan.Held
	sources := map[uuid.UUID]string{}
	names := map[uuid.UUID]string{}
	for _, s := range subs {
		if !s.Live() || s.PartnerID == nil {
			continue
		}
		if _, ok := names[*s.PartnerID]; !ok {
			partner, err := tx.GetPartner(ctx, *s.PartnerID)
			if err != nil {
				return nil, nil, err
			}
			names[partner.ID] = partner.Name
		}
		sources[s.ID] = names[*s.PartnerID]
		h := plan.Held{ID: s.ID, Channel: csp.ChannelCSP, PartnerID: s.PartnerID, ProductID: s.ProductID, SkuID: s.SkuID, AvailabilityID: s.AvailabilityID,
			OfferName: s.OfferName, Quantity: s.Quantity, TermDuration: s.TermDuration, BillingCycle: s.BillingCycle, TermStart: s.TermStart, TermEnd: s.TermEnd,
			AutoRenew: s.AutoRenew, Licence: s.HasTerm() && !s.PartnerService}
		if d.PartnerID != nil && *s.PartnerID != *d.PartnerID && h.Licence {
			if h.TransferProblem, err = a.transferProblem(ctx, tx, now, s, *d.PartnerID); err != nil {
				return nil, nil, err
			}
		}
		held = append(held, h)
	}
	channels, err := a.channelSubscriptions(ctx, tx, tenantID)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range channels {
		if st := c.StatusOn(now); st != csp.StatusActive && st != csp.StatusPending {
			continue
		}
		start, end := c.TermOn(now)
		v := c.AsSubscription(set.msft, now)
		sources[c.ID] = string(c.Channel)
		held = append(held, plan.Held{ID: c.ID, Channel: c.Channel, ProductID: c.ProductID, SkuID: c.SkuID, OfferName: v.OfferName, Quantity: c.Quantity,
			TermStart: start, TermEnd: end, AutoRenew: c.AutoRenew, Licence: true})
	}
	return held, sources, nil
}

// transferProblem answers why s may not move from its partner to target
// now, by the transfer rules (transfer.CheckParties, transfer.CheckLine
// on a line of all its seats); nil when it may.
func (a *App) transferProblem(ctx context.Context, tx store.Tx, now time.Time, s *csp.Subscription, target uuid.UUID) (error, error) {
	ps, err := a.transferParties(ctx, tx, s.TenantID, *s.PartnerID, target, false)
	if err != nil {
		return nil, err
	}
	if problem := transfer.CheckParties(ps); problem != nil {
		return problem, nil
	}
	t := &transfer.Transfer{CustomerTenantID: s.TenantID, SourcePartnerID: *s.PartnerID, TargetPartnerID: target,
		Lines: []transfer.Line{{ID: 1, SubscriptionID: s.ID, Quantity: s.Quantity}}}
	tt, _, err := a.targetTerms(ctx, tx, t, ps)
	if err != nil {
		return nil, err
	}
	problem := a.lineProblem(ctx, tx, now, t, ps, tt, 0, s)
	if problem != nil && csp.ErrorCode(problem) == csp.EInternal {
		return nil, problem
	}
	return problem, nil
}

// ownPlan reads a plan of the caller's tenant (another tenant's is not
// found).
func ownPlan(ctx context.Context, tx store.Tx, p csp.Principal, id uuid.UUID, lock bool) (*plan.Plan, error) {
	pl, err := tx.GetPlan(ctx, id, lock)
	if err == nil && pl.TenantID != p.TenantID {
		err = csp.Errorf(csp.EPlanNotFound, "channel plan %s is not a plan of this tenant", id)
	}
	if csp.ErrorCode(err) == csp.EPlanNotFound {
		return nil, csp.Errorf(csp.EPlanNotFound, "channel plan %s was not found among this tenant's plans: POST /tenant/v1/channelPlans makes one", id)
	}
	return pl, err
}

// GetPlan reads a plan of the caller's tenant, with its steps' states.
func (a *App) GetPlan(ctx context.Context, p csp.Principal, id uuid.UUID) (*PlanView, error) {
	if err := requirePlanAdmin(p); err != nil {
		return nil, err
	}
	var out *PlanView
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		pl, err := ownPlan(ctx, tx, p, id, false)
		if err != nil {
			return err
		}
		out, err = a.planView(ctx, tx, pl)
		return err
	})
	return out, err
}

// TenantPlans lists the caller's tenant's plans, oldest first.
func (a *App) TenantPlans(ctx context.Context, p csp.Principal, pg Page[Cursor]) (Paged[*PlanView, Cursor], error) {
	if err := requirePlanAdmin(p); err != nil {
		return Paged[*PlanView, Cursor]{}, err
	}
	var out []*PlanView
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		got, err := tx.ListPlans(ctx, store.PlanFilter{TenantID: &p.TenantID, After: pg.After.store(), Limit: pg.limit()})
		for _, pl := range got {
			v, err := a.planView(ctx, tx, pl)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return err
	})
	return paged(out, pg, func(v *PlanView) Cursor { return Cursor{At: v.Plan.CreatedAt, ID: v.Plan.ID} }), err
}

// planView names where each step's subscription is (its partner, or its
// channel); a subscription gone since is named by nothing.
func (a *App) planView(ctx context.Context, tx store.Tx, pl *plan.Plan) (*PlanView, error) {
	v := &PlanView{Plan: pl, Sources: map[uuid.UUID]string{}}
	for _, s := range pl.Steps {
		if _, ok := v.Sources[s.SubscriptionID]; ok {
			continue
		}
		if sub, err := tx.GetSubscription(ctx, s.SubscriptionID); err == nil && sub.PartnerID != nil {
			partner, err := tx.GetPartner(ctx, *sub.PartnerID)
			if err != nil {
				return nil, err
			}
			v.Sources[s.SubscriptionID] = partner.Name
		} else if c, err := tx.GetChannelSubscription(ctx, pl.TenantID, s.SubscriptionID); err == nil {
			v.Sources[s.SubscriptionID] = string(c.Channel)
		}
	}
	return v, nil
}

// ApplyPlan schedules a plan's steps: the plan's job carries each out on
// its day. A plan is applied once, on the day it was made (its dates are
// that day's).
func (a *App) ApplyPlan(ctx context.Context, p csp.Principal, id uuid.UUID) (*PlanView, error) {
	if err := requirePlanAdmin(p); err != nil {
		return nil, err
	}
	var out *PlanView
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		pl, err := ownPlan(ctx, tx, p, id, true)
		if err != nil {
			return err
		}
		if pl.AppliedAt != nil {
			return csp.Errorf(csp.EPlanAlreadyApplied, "channel plan %s was applied on %s by %s: its steps are scheduled; GET it to follow them", pl.ID, pl.AppliedAt.Format(time.RFC3339), pl.AppliedBy)
		}
		if !csp.Day(pl.CreatedAt).Equal(csp.Day(now)) {
			return csp.Errorf(csp.EPlanStale, "channel plan %s was worked out on %s and its dates hold for that day only: create a new plan (POST /tenant/v1/channelPlans) and apply it the same day",
				pl.ID, pl.CreatedAt.Format(time.DateOnly))
		}
		pl.Apply(now, who(p))
		if err := tx.UpdatePlan(ctx, pl, pl.Due(now)); err != nil {
			return err
		}
		t, err := tx.GetTenant(ctx, pl.TenantID)
		if err != nil {
			return err
		}
		if out, err = a.planView(ctx, tx, pl); err != nil {
			return err
		}
		return a.auditPlan(ctx, tx, now, p, t.DisplayName, pl, "apply_channel_plan")
	})
	return out, err
}

// auditPlan records a plan's step in the tenant's audit (no partner's:
// the plan is the customer's; what its steps do to a partner's
// subscriptions is audited in that partner's log as it happens).
func (a *App) auditPlan(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, tenantName string, pl *plan.Plan, op string) error {
	rec := csp.AuditRecord{TenantID: &pl.TenantID, CustomerName: tenantName, ResourceType: "channel_plan", OperationType: op}
	return a.audit(ctx, tx, now, p, rec, nil, map[string]any{"planId": pl.ID, "destination": pl.Destination, "steps": len(pl.Steps)})
}
