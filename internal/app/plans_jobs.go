package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/plan"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/schedule"
	"github.com/opencsp/opencsp/internal/store"
)

// planJobs carries out an applied plan's steps on their days (decision
// 153): a transfer request made on the destination partner's behalf, with
// the plan's lines, for the source partner to submit; auto-renew turned
// off through the subscription use case, in the partner's audit log; a
// cart of the destination partner waiting for its checkout; a purchase
// in another channel (or a channel subscription's auto-renew) listed for
// the operator (PlanChannelActions). A step that cannot be done on its
// day fails, with the reason, and the plan goes on.
type planJobs struct{ a *App }

func (planJobs) Kind() csp.JobKind { return csp.JobChannelPlan }

// Solo: a step changes subscriptions through their use case, which the
// subscriptions' batch would otherwise have read (and would write back)
// around it.
func (planJobs) Solo() bool { return true }

// planActor is who a plan's step acts as: the partner whose subscription
// or cart it is, named after the plan in the audit logs.
func planActor(partnerID uuid.UUID, pl *plan.Plan) csp.Principal {
	return csp.Principal{Kind: csp.PrincipalPartner, PartnerID: partnerID, UserPrincipalName: "channelPlan " + pl.ID.String(), Roles: []csp.Role{csp.RoleAdminAgent}}
}

func (h planJobs) Begin(ctx context.Context, tx store.Tx, _ time.Time, jobs []csp.Job) (schedule.Batch, error) {
	ids, err := jobIDs(jobs)
	if err != nil {
		return nil, err
	}
	pls, err := tx.LockPlans(ctx, ids)
	if err != nil {
		return nil, err
	}
	b := planBatch{a: h.a, tx: tx, plans: make(map[string]*plan.Plan, len(pls))}
	for _, pl := range pls {
		b.plans[pl.ID.String()] = pl
	}
	return b, nil
}

type planBatch struct {
	a     *App
	tx    store.Tx
	plans map[string]*plan.Plan
}

func (b planBatch) Do(ctx context.Context, j csp.Job) (schedule.Outcome, error) {
	pl := b.plans[j.Ref]
	if pl == nil {
		return schedule.Outcome{}, b.tx.DeleteJob(ctx, csp.JobChannelPlan, j.Ref)
	}
	due := pl.DueSteps(j.Due)
	var transfers []int
	for _, i := range due {
		s := &pl.Steps[i]
		if s.Action == plan.TransferNow {
			transfers = append(transfers, i)
			continue
		}
		if err := b.step(ctx, j.Due, pl, s); err != nil {
			return schedule.Outcome{}, err
		}
	}
	if err := b.transfers(ctx, j.Due, pl, transfers); err != nil {
		return schedule.Outcome{}, err
	}
	next := pl.Due(j.Due)
	if err := b.tx.UpdatePlan(ctx, pl, next); err != nil {
		return schedule.Outcome{}, err
	}
	return schedule.Outcome{Next: next, Events: len(due)}, nil
}

func (planBatch) Flush(context.Context) error { return nil }

// settle records a step's outcome: a refusal fails the step (with its
// message), anything else stops the batch.
func settle(s *plan.Step, now time.Time, state plan.State, result string, err error) error {
	if err != nil {
		if csp.ErrorCode(err) == csp.EInternal {
			return err
		}
		state, result = plan.StateFailed, csp.ErrorMessage(err)
	}
	s.State, s.Result, s.DoneAt = state, result, &now
	return nil
}

// step carries out one step other than a transfer.
func (b planBatch) step(ctx context.Context, now time.Time, pl *plan.Plan, s *plan.Step) error {
	switch s.Action {
	case plan.WaitForTermEnd:
		return settle(s, now, plan.StateDone, "", nil)
	case plan.TurnOffAutoRenew:
		sub, err := b.tx.GetSubscription(ctx, s.SubscriptionID)
		if csp.ErrorCode(err) == csp.ESubscriptionNotFound { // another channel's: the operator records it
			return settle(s, now, plan.StateListed, "", nil)
		}
		if err != nil || sub.PartnerID == nil {
			return settle(s, now, plan.StateFailed, "", err)
		}
		if !sub.AutoRenew {
			return settle(s, now, plan.StateDone, "auto-renew was off already", nil)
		}
		p := planActor(*sub.PartnerID, pl)
		off := false
		locked, err := b.a.subscriptionFor(ctx, b.tx, p, pl.TenantID, sub.ID, true)
		if err == nil {
			err = b.a.applySubscriptionChange(ctx, b.tx, now, p, pl.TenantID, locked, func(*csp.Subscription) (csp.Change, error) { return csp.Change{AutoRenew: &off}, nil })
		}
		return settle(s, now, plan.StateDone, "", err)
	case plan.BuyAtDestination:
		if pl.Destination.PartnerID == nil {
			return settle(s, now, plan.StateListed, "", nil)
		}
		cart, err := b.cart(ctx, now, pl, s)
		result := ""
		if cart != nil {
			result = cart.ID.String()
		}
		return settle(s, now, plan.StateRequested, result, err)
	}
	return nil
}

// cart makes the destination partner's cart for a buy step: the step's
// catalog item, or (for a subscription of another channel) the SKU's
// availability the partner sells to the tenant with the step's term.
func (b planBatch) cart(ctx context.Context, now time.Time, pl *plan.Plan, s *plan.Step) (*csp.Cart, error) {
	p := planActor(*pl.Destination.PartnerID, pl)
	t, err := b.tx.GetTenant(ctx, pl.TenantID)
	if err != nil {
		return nil, err
	}
	set, err := b.a.catalogIn(ctx, b.tx)
	if err != nil {
		return nil, err
	}
	item := csp.CatalogItemID{Product: s.ProductID, Sku: s.SkuID, Availability: s.AvailabilityID}
	if item.Availability == "" {
		_, sku, ok := set.For(pl.Destination.PartnerID).FindSku(s.ProductID + ":" + s.SkuID)
		if ok {
			for _, av := range sku.Availabilities {
				if _, has := av.Term(s.TermDuration, s.BillingCycle); has && av.Segment == t.Segment && av.OfferedIn(t.Country) {
					item.Availability = av.ID
					break
				}
			}
		}
		if item.Availability == "" {
			return nil, csp.Errorf(csp.EProductNotFound, "%s:%s is not sold with term %s billed %s to %s's segment and country", s.ProductID, s.SkuID, s.TermDuration, s.BillingCycle, t.DisplayName)
		}
	}
	line := csp.CartLine{CatalogItemID: item.String(), Quantity: s.Quantity, TermDuration: s.TermDuration, BillingCycle: s.BillingCycle}
	cart, err := b.a.newCart(ctx, b.tx, now, p, pl.TenantID, []csp.CartLine{line})
	if err != nil {
		return nil, err
	}
	// A cart its partner could not check out is not made: the step fails
	// with the line's refusal (decision 171).
	if e := cart.Lines[0].Error; e != nil {
		return nil, csp.Errorf(csp.EPlanCartRefused, "%s cannot buy %s for %s: %s (%s)", pl.DestinationName, item, t.DisplayName, e.ErrorDescription, e.ErrorCode)
	}
	return cart, b.tx.CreateCart(ctx, cart)
}

// transfers makes one transfer request per source partner for the due
// transferNow steps, on the destination partner's behalf (decision 152):
// Active, with the plan's lines (all seats of each subscription), for the
// source to submit; it expires as any other.
func (b planBatch) transfers(ctx context.Context, now time.Time, pl *plan.Plan, steps []int) error {
	if len(steps) == 0 || pl.Destination.PartnerID == nil {
		return nil
	}
	bySource := map[uuid.UUID][]int{}
	var sources []uuid.UUID
	for _, i := range steps {
		sub, err := b.tx.GetSubscription(ctx, pl.Steps[i].SubscriptionID)
		if err != nil || sub.PartnerID == nil {
			if err := settle(&pl.Steps[i], now, plan.StateFailed, "", err); err != nil {
				return err
			}
			continue
		}
		if _, ok := bySource[*sub.PartnerID]; !ok {
			sources = append(sources, *sub.PartnerID)
		}
		bySource[*sub.PartnerID] = append(bySource[*sub.PartnerID], i)
	}
	slices.SortFunc(sources, func(x, y uuid.UUID) int { return strings.Compare(x.String(), y.String()) })
	target := *pl.Destination.PartnerID
	for _, src := range sources {
		idx := bySource[src]
		for start := 0; start < len(idx); start += transfer.MaxLines {
			chunk := idx[start:min(start+transfer.MaxLines, len(idx))]
			id, err := b.transfer(ctx, now, pl, src, target, chunk)
			for _, i := range chunk {
				if err := settle(&pl.Steps[i], now, plan.StateRequested, id, err); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (b planBatch) transfer(ctx context.Context, now time.Time, pl *plan.Plan, source, target uuid.UUID, steps []int) (string, error) {
	r := transfer.Request{SourcePartnerID: source, CustomerEmailID: pl.AppliedBy, Type: transfer.TypeNewCommerce}
	if err := r.Check(); err != nil {
		return "", err
	}
	ps, err := b.a.transferParties(ctx, b.tx, pl.TenantID, source, target, true)
	if err != nil {
		return "", err
	}
	if err := transfer.CheckParties(ps); err != nil {
		return "", err
	}
	by := "channelPlan " + pl.ID.String()
	t := transfer.New(b.a.newID(), r, ps.Customer, ps.Source, ps.Target, by, now)
	for k, i := range steps {
		sub, err := b.tx.GetSubscription(ctx, pl.Steps[i].SubscriptionID)
		if err != nil {
			return "", err
		}
		t.Lines = append(t.Lines, transfer.Describe(transfer.Line{ID: k + 1, SubscriptionID: sub.ID, Quantity: sub.Quantity}, sub))
	}
	if err := b.a.checkTransferLines(ctx, b.tx, now, t, ps); err != nil {
		return "", err
	}
	if err := b.tx.CreateTransfer(ctx, t); err != nil {
		return "", err
	}
	return t.ID.String(), b.a.auditTransfer(ctx, b.tx, now, planActor(target, pl), t, "create_transfer", map[string]any{"channelPlanId": pl.ID})
}
