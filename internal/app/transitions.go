package app

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// TransitionRequest is Partner Center's POST transitions body.
type TransitionRequest struct {
	ToCatalogItemID  string
	ToSubscriptionID *uuid.UUID
	Quantity         int
	TermDuration     string
	BillingCycle     string
	TransitionType   string
	// IfMatch, when set, must be the source subscription's etag.
	IfMatch string
}

// Eligibility is one possible target of a subscription's transition.
type Eligibility = csp.Eligibility

// TransitionEligibilities lists the offers a subscription may move to now
// (eligibilityType immediate: upgrades, R-16, or a trial's paid offer,
// R-26) or at renewal (scheduled: R-15), each with what blocks it.
func (a *App) TransitionEligibilities(ctx context.Context, p csp.Principal, customerID, subID uuid.UUID, eligibilityType string) ([]Eligibility, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, err
	}
	var out []Eligibility
	err := a.read(ctx, func(tx store.Tx, now time.Time) error {
		out = nil
		s, err := a.subscriptionFor(ctx, tx, p, customerID, subID, false)
		if err != nil {
			return err
		}
		set, err := a.catalogIn(ctx, tx)
		if err != nil {
			return err
		}
		subs, err := allSubscriptions(ctx, tx, store.SubscriptionFilter{TenantID: &customerID, PartnerID: s.PartnerID})
		if err != nil {
			return err
		}
		out, err = s.TransitionEligibilities(eligibilityType, set.For(s.PartnerID), subs, now)
		return err
	})
	return out, err
}

// TransitionResult is a completed transition.
type TransitionResult struct {
	OperationID uuid.UUID
	// From is the source as it was before; To is the subscription that
	// holds the seats now (the source itself after an upgrade in place).
	From, To *csp.Subscription
	Request  TransitionRequest
	Events   []*csp.Event
}

// Transition upgrades a subscription, fully or partly, into a
// new subscription or an existing one, or converts a trial to paid.
func (a *App) Transition(ctx context.Context, p csp.Principal, customerID, subID uuid.UUID, req TransitionRequest) (*TransitionResult, error) {
	if err := p.Can(csp.PermSubscriptionsWrite); err != nil {
		return nil, err
	}
	var res *TransitionResult
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		// Both subscriptions are locked in one call (in id order), so that
		// this transition and a scheduler batch never wait on each other in
		// a cycle.
		ids := []uuid.UUID{subID}
		if req.ToSubscriptionID != nil && *req.ToSubscriptionID != subID {
			ids = append(ids, *req.ToSubscriptionID)
		}
		locked, err := a.lockSubscriptions(ctx, tx, p, customerID, ids)
		if err != nil {
			return err
		}
		s := locked[subID]
		if err := csp.CheckETag("subscription", s.ID, s.Version, req.IfMatch); err != nil {
			return err
		}
		set, err := a.catalogIn(ctx, tx)
		if err != nil {
			return err
		}
		cat := set.For(s.PartnerID)
		if err := a.catchUp(ctx, tx, s, set, now); err != nil {
			return err
		}
		id, ok := csp.ParseCatalogItemID(req.ToCatalogItemID)
		item, found := cat.Find(id)
		if !ok || !found || !item.Product.VisibleTo(p.PartnerID) {
			return csp.Errorf(csp.ETransitionNotEligible, "toCatalogItemId %q is not in the catalog", req.ToCatalogItemID).WithData(csp.TransitionTargetNotFound)
		}
		if req.Quantity == 0 {
			req.Quantity = s.Quantity
		}
		termDur, cycle := strings.ToUpper(req.TermDuration), strings.ToLower(req.BillingCycle)
		if termDur == "" && !s.IsTrial {
			termDur = s.TermDuration
		}
		if cycle == "" && !s.IsTrial {
			cycle = s.BillingCycle
		}
		term, ok := item.Availability.Term(termDur, cycle)
		if !ok {
			return csp.Errorf(csp.ETransitionNotEligible, "%s is not sold with termDuration %q and billingCycle %q", id, termDur, cycle).WithData(csp.TransitionBillingCycle)
		}
		price, ok := a.prices.UnitPrice(item, term, s.UnitPrice.Currency, now)
		if !ok {
			return csp.Errorf(csp.ETransitionNotEligible, "%s has no %s price for %s", id, s.UnitPrice.Currency, term).WithData(csp.TransitionTargetNotFound)
		}
		tt := csp.TransitionTarget{Item: item, Term: term, Price: price, Quantity: req.Quantity, NewID: a.newID(), OperationID: a.newID(), At: now}
		// A full upgrade to a longer term is the upgrade in place on the
		// current term, then, the same day, the lengthening of R-2b (R-17's
		// default), when the target sells the current term.
		var lengthen *csp.Term
		if req.ToSubscriptionID == nil && !s.IsTrial && req.Quantity == s.Quantity && csp.TermMonths(term.Duration) > csp.TermMonths(s.TermDuration) {
			if cur, ok := item.Availability.Term(s.TermDuration, s.BillingCycle); ok {
				if curPrice, ok := a.prices.UnitPrice(item, cur, s.UnitPrice.Currency, now); ok {
					lengthen, tt.Term, tt.Price = &term, cur, curPrice
				}
			}
		}
		if req.ToSubscriptionID != nil {
			into := locked[*req.ToSubscriptionID]
			if err := a.catchUp(ctx, tx, into, set, now); err != nil {
				return err
			}
			tt.Into = into
		}
		_, src, _ := cat.FindSku(s.OfferID())
		if problems := s.TransitionProblems(src, tt); len(problems) > 0 {
			var codes, msgs []string
			for _, pr := range problems {
				codes, msgs = append(codes, pr.Code), append(msgs, pr.Description)
			}
			return csp.Errorf(csp.ETransitionNotEligible, "subscription %s cannot move to %s: %s", s.ID, id, strings.Join(msgs, "; ")).WithData(codes...)
		}
		from := *s
		target, srcEv, tgtEv := s.Transition(now, tt)
		if lengthen != nil {
			ev, err := s.Lengthen(now, lengthen.Duration, lengthen.BillingCycle, cat, a.prices)
			if err != nil {
				return err
			}
			// Upgraded seats stay outside any window, even in the new term
			// (R-17b wins over R-2b's new window).
			s.Lots = nil
			srcEv.Charges, srcEv.Changes.TermDuration, srcEv.Changes.BillingCycle, srcEv.Changes.CommitmentEnd =
				append(srcEv.Charges, ev.Charges...), ev.Changes.TermDuration, ev.Changes.BillingCycle, ev.Changes.CommitmentEnd
		}
		opID := tt.OperationID
		switch {
		case target == s: // in place: a full upgrade or a trial's conversion
		case tt.Into == nil:
			if err := tx.CreateSubscription(ctx, target); err != nil {
				return err
			}
		default:
			if err := tx.UpdateSubscription(ctx, target); err != nil {
				return err
			}
		}
		if err := tx.UpdateSubscription(ctx, s); err != nil {
			return err
		}
		events := []*csp.Event{srcEv}
		if err := a.record(ctx, tx, s.ID, srcEv); err != nil {
			return err
		}
		if tgtEv != nil {
			events = append(events, tgtEv)
			if err := a.record(ctx, tx, target.ID, tgtEv); err != nil {
				return err
			}
		}
		if err := a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &customerID, ResourceType: "subscription", OperationType: "transition_subscription"},
			map[string]any{"subscriptionId": s.ID, "offerId": from.OfferID()},
			map[string]any{"operationId": opID, "toSubscriptionId": target.ID, "toOfferId": target.OfferID(), "quantity": req.Quantity}); err != nil {
			return err
		}
		res = &TransitionResult{OperationID: opID, From: &from, To: target, Request: req, Events: events}
		return nil
	})
	return res, err
}

// lockSubscriptions locks the partner's relationship with the customer,
// then the subscriptions (in id order), and answers them by id: each must
// be one the partner transacted for that customer.
func (a *App) lockSubscriptions(ctx context.Context, tx store.Tx, p csp.Principal, customerID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]*csp.Subscription, error) {
	if _, err := a.customer(ctx, tx, p, customerID, true); err != nil {
		return nil, err
	}
	subs, err := tx.LockSubscriptions(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]*csp.Subscription, len(subs))
	for _, s := range subs {
		if s.TenantID == customerID && s.PartnerID != nil && *s.PartnerID == p.PartnerID {
			out[s.ID] = s
		}
	}
	for _, id := range ids {
		if out[id] == nil {
			return nil, csp.Errorf(csp.ESubscriptionNotFound, "subscription %s was not found among this partner's subscriptions of customer %s", id, customerID)
		}
	}
	return out, nil
}
