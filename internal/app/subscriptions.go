package app

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// SubscriptionPatch is Partner Center's PATCH on a subscription: each
// non-nil field is a change. Scheduled is set when the request carried
// scheduledNextTermInstructions; its inner value nil clears them.
type SubscriptionPatch struct {
	Quantity     *int
	Status       *string
	AutoRenew    *bool
	FriendlyName *string
	Scheduled    **csp.NextTerm
}

// subscriptionFor reads a subscription of a customer that the partner
// transacted, or (reading only) that names the partner as indirect
// reseller of record. Anything else answers ESubscriptionNotFound.
func (a *App) subscriptionFor(ctx context.Context, tx store.Tx, p csp.Principal, customerID, subID uuid.UUID, write bool) (*csp.Subscription, error) {
	if _, err := a.customer(ctx, tx, p, customerID); err != nil {
		return nil, err
	}
	notFound := csp.Errorf(csp.ESubscriptionNotFound, "subscription %s was not found among this partner's subscriptions of customer %s", subID, customerID)
	s, err := tx.GetSubscription(ctx, subID)
	if csp.ErrorCode(err) == csp.ESubscriptionNotFound {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	if s.TenantID != customerID {
		return nil, notFound
	}
	if s.PartnerID != nil && *s.PartnerID == p.PartnerID {
		return s, nil
	}
	if !write && s.ResellerMpnID != "" {
		partner, err := tx.GetPartner(ctx, p.PartnerID)
		if err != nil {
			return nil, err
		}
		if partner.MpnID == s.ResellerMpnID {
			return s, nil
		}
	}
	return nil, notFound
}

// ListSubscriptions lists a customer's subscriptions that the partner
// transacted or is reseller of record on.
func (a *App) ListSubscriptions(ctx context.Context, p csp.Principal, customerID uuid.UUID, orderID *uuid.UUID) ([]*csp.Subscription, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, err
	}
	var out []*csp.Subscription
	err := a.store.Read(ctx, func(tx store.Tx) error {
		if _, err := a.customer(ctx, tx, p, customerID); err != nil {
			return err
		}
		partner, err := tx.GetPartner(ctx, p.PartnerID)
		if err != nil {
			return err
		}
		f := store.SubscriptionFilter{TenantID: &customerID, OrderID: orderID}
		if partner.Type == csp.PartnerIndirectReseller {
			f.ResellerMpnID = partner.MpnID
		} else {
			f.PartnerID = &p.PartnerID
		}
		out, err = tx.ListSubscriptions(ctx, f)
		return err
	})
	return out, err
}

// GetSubscription reads one subscription.
func (a *App) GetSubscription(ctx context.Context, p csp.Principal, customerID, subID uuid.UUID) (*csp.Subscription, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, err
	}
	var s *csp.Subscription
	err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		s, err = a.subscriptionFor(ctx, tx, p, customerID, subID, false)
		return err
	})
	return s, err
}

// SubscriptionHistory lists a subscription's events with their charges.
func (a *App) SubscriptionHistory(ctx context.Context, p csp.Principal, customerID, subID uuid.UUID) ([]*csp.Event, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, err
	}
	var out []*csp.Event
	err := a.store.Read(ctx, func(tx store.Tx) error {
		if _, err := a.subscriptionFor(ctx, tx, p, customerID, subID, false); err != nil {
			return err
		}
		var err error
		out, err = tx.SubscriptionEvents(ctx, subID)
		return err
	})
	return out, err
}

// SubscriptionHistoryByID is SubscriptionHistory for callers that know only
// the subscription id (the CLI's "subscriptions history ID").
func (a *App) SubscriptionHistoryByID(ctx context.Context, p csp.Principal, subID uuid.UUID) (*csp.Subscription, []*csp.Event, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, nil, err
	}
	var sub *csp.Subscription
	var out []*csp.Event
	err := a.store.Read(ctx, func(tx store.Tx) error {
		s, err := tx.GetSubscription(ctx, subID)
		if csp.ErrorCode(err) == csp.ESubscriptionNotFound {
			return csp.Errorf(csp.ESubscriptionNotFound, "subscription %s was not found among this partner's subscriptions", subID)
		}
		if err != nil {
			return err
		}
		if sub, err = a.subscriptionFor(ctx, tx, p, s.TenantID, subID, false); err != nil {
			if code := csp.ErrorCode(err); code == csp.ECustomerNotFound {
				err = csp.Errorf(csp.ESubscriptionNotFound, "subscription %s was not found among this partner's subscriptions", subID)
			}
			return err
		}
		out, err = tx.SubscriptionEvents(ctx, subID)
		return err
	})
	return sub, out, err
}

// PatchSubscription applies a partner's changes to a subscription, each by
// its rule: cancel (status deleted, R-11), suspend and reactivate,
// seats, auto-renew, next-term changes.
func (a *App) PatchSubscription(ctx context.Context, p csp.Principal, customerID, subID uuid.UUID, patch SubscriptionPatch) (*csp.Subscription, error) {
	if err := p.Can(csp.PermSubscriptionsWrite); err != nil {
		return nil, err
	}
	var s *csp.Subscription
	err := a.store.Write(ctx, func(tx store.Tx) error {
		var err error
		if s, err = a.subscriptionFor(ctx, tx, p, customerID, subID, true); err != nil {
			return err
		}
		cat, _, err := a.Catalog(ctx)
		if err != nil {
			return err
		}
		now := a.Now()
		if err := a.catchUp(ctx, tx, s, cat, now); err != nil {
			return err
		}
		var events []*csp.Event
		record := func(ev *csp.Event, err error) error {
			if ev != nil {
				events = append(events, ev)
			}
			return err
		}
		if patch.Status != nil && *patch.Status != s.Status {
			switch strings.ToLower(*patch.Status) {
			case csp.StatusDeleted:
				err = record(s.Cancel(now))
			case csp.StatusSuspended:
				err = record(s.Suspend(now))
			case csp.StatusActive:
				err = record(s.Reactivate(now))
			default:
				err = csp.Errorf(csp.EStatusChangeInvalid, "status %q cannot be set: use deleted (cancel inside the window), suspended or active", *patch.Status)
			}
			if err != nil {
				return err
			}
		}
		if patch.Quantity != nil && *patch.Quantity != s.Quantity {
			_, sku, ok := cat.FindSku(s.OfferID())
			minQ, maxQ := 1, 1<<30
			if ok {
				minQ, maxQ = sku.MinimumQuantity, sku.MaximumQuantity
			}
			if err := record(s.ChangeQuantity(now, *patch.Quantity, minQ, maxQ)); err != nil {
				return err
			}
		}
		if patch.AutoRenew != nil {
			if err := record(s.SetAutoRenew(now, *patch.AutoRenew)); err != nil {
				return err
			}
		}
		if patch.Scheduled != nil {
			if err := record(a.schedule(s, cat, now, *patch.Scheduled)); err != nil {
				return err
			}
		}
		if patch.FriendlyName != nil && *patch.FriendlyName != s.FriendlyName {
			name := strings.TrimSpace(*patch.FriendlyName)
			if name == "" || len(name) > 128 {
				return csp.Errorf(csp.EInvalidField, "friendlyName must be 1 to 128 characters")
			}
			events = append(events, &csp.Event{ID: uuid.Must(uuid.NewV7()), Type: csp.EvFriendlyNameSet, Date: now,
				Changes: map[string]any{"friendlyName": [2]string{s.FriendlyName, name}}})
			s.FriendlyName = name
		}
		if err := tx.UpdateSubscription(ctx, s); err != nil {
			return err
		}
		for _, ev := range events {
			if err := tx.AddEvent(ctx, s.ID, ev); err != nil {
				return err
			}
			if err := a.audit(ctx, tx, p, csp.AuditRecord{TenantID: &customerID, ResourceType: "subscription", OperationType: "update_subscription"},
				map[string]any{"subscriptionId": s.ID}, map[string]any{"subscriptionId": s.ID, "event": ev.Type, "changes": ev.Changes}); err != nil {
				return err
			}
		}
		return nil
	})
	return s, err
}

// schedule resolves scheduled instructions against the catalog.
func (a *App) schedule(s *csp.Subscription, cat *csp.Catalog, now time.Time, nt *csp.NextTerm) (*csp.Event, error) {
	if nt == nil {
		return s.ClearSchedule(now), nil
	}
	if nt.ProductID == "" {
		nt.ProductID = s.ProductID
	}
	if nt.SkuID == "" {
		nt.SkuID = s.SkuID
	}
	if nt.TermDuration == "" {
		nt.TermDuration = s.TermDuration
	}
	if nt.BillingCycle == "" {
		nt.BillingCycle = s.BillingCycle
	}
	nt.TermDuration, nt.BillingCycle = strings.ToUpper(nt.TermDuration), strings.ToLower(nt.BillingCycle)
	if nt.Quantity == 0 {
		nt.Quantity = s.Quantity
	}
	_, current, _ := cat.FindSku(s.OfferID())
	var target csp.Item
	found := false
	if nt.AvailabilityID != "" {
		target, found = cat.Find(csp.CatalogItemID{Product: nt.ProductID, Sku: nt.SkuID, Availability: nt.AvailabilityID})
	} else if prod, sku, ok := cat.FindSku(nt.ProductID + ":" + nt.SkuID); ok {
		// The availability of the target SKU in the subscription's segment.
		cur, _ := cat.Find(s.CatalogItemID())
		for i := range sku.Availabilities {
			av := &sku.Availabilities[i]
			if cur.Availability == nil || av.Segment == cur.Availability.Segment {
				target, found = csp.Item{Product: prod, Sku: sku, Availability: av}, true
				break
			}
		}
	}
	if !found {
		return nil, csp.Errorf(csp.EInvalidScheduledChange, "scheduledNextTermInstructions name %s:%s:%s, which is not in the catalog", nt.ProductID, nt.SkuID, nt.AvailabilityID)
	}
	return s.Schedule(now, *nt, target, current)
}

// pricer answers renewal terms from the catalog in force: the
// scheduled offer or the current one, priced on the renewal day.
func pricer(cat *csp.Catalog) csp.Pricer {
	return func(s *csp.Subscription, day time.Time) csp.Renewal {
		r := csp.Renewal{ProductID: s.ProductID, SkuID: s.SkuID, AvailabilityID: s.AvailabilityID, TermDuration: s.TermDuration,
			BillingCycle: s.BillingCycle, Quantity: s.Quantity}
		if n := s.Scheduled; n != nil {
			r.ProductID, r.SkuID, r.AvailabilityID, r.TermDuration, r.BillingCycle, r.Quantity = n.ProductID, n.SkuID, n.AvailabilityID, n.TermDuration, n.BillingCycle, n.Quantity
			r.CustomTermEnd = n.CustomTermEndDate
		}
		item, ok := cat.Find(csp.CatalogItemID{Product: r.ProductID, Sku: r.SkuID, Availability: r.AvailabilityID})
		if !ok {
			return r
		}
		term, ok := item.Availability.Term(r.TermDuration, r.BillingCycle)
		if !ok {
			return r
		}
		price, ok := item.Availability.Price(term, s.Currency, day)
		if !ok {
			return r
		}
		r.Found, r.UnitPrice, r.ProductName, r.OfferName = true, price, item.Product.Title, item.Sku.Title
		return r
	}
}

// catchUp does a subscription's time-driven work due by now, so that a
// change made at now starts from the state the rules give at now.
func (a *App) catchUp(ctx context.Context, tx store.Tx, s *csp.Subscription, cat *csp.Catalog, now time.Time) error {
	price := pricer(cat)
	for s.Due(now) {
		if ev := s.Advance(price); ev != nil {
			if err := tx.AddEvent(ctx, s.ID, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// schedulerBatch bounds the subscriptions one scheduler transaction handles.
const schedulerBatch = 200

// RunDue does every piece of time-driven work due by until, strictly in
// time order, in transactions of at most schedulerBatch subscriptions. It
// reads due subscriptions from an index, so memory stays flat however many
// subscriptions exist. It answers the number of events processed.
func (a *App) RunDue(ctx context.Context, until time.Time) (int, error) {
	cat, _, err := a.Catalog(ctx)
	if err != nil {
		return 0, err
	}
	price := pricer(cat)
	total := 0
	// from only grows: every event processed so far happened at or before
	// it, and every event scheduled by them falls at or after it.
	var from time.Time
	for {
		n := 0
		err := a.store.Write(ctx, func(tx store.Tx) error {
			due, err := tx.DueSubscriptions(ctx, from, until, schedulerBatch)
			if err != nil {
				return err
			}
			// Strict time order: a subscription's next event that falls
			// before a later one in this batch stops the batch; the next
			// query picks it up first.
			var horizon *time.Time
			var done []*csp.Subscription
			var events []store.SubscriptionEvent
			for _, s := range due {
				if horizon != nil && s.NextEventAt.After(*horizon) {
					break
				}
				from = *s.NextEventAt
				if ev := s.Advance(price); ev != nil {
					events = append(events, store.SubscriptionEvent{SubscriptionID: s.ID, Event: ev})
				}
				done = append(done, s)
				if s.NextEventAt != nil && !s.NextEventAt.After(until) && (horizon == nil || s.NextEventAt.Before(*horizon)) {
					horizon = s.NextEventAt
				}
			}
			if len(due) == 0 {
				n = -1
				return nil
			}
			n = len(events)
			// One statement for the events, one for their charges and one for
			// the subscriptions: a batch is three round trips, not three per event.
			if err := tx.AddEvents(ctx, events); err != nil {
				return err
			}
			return tx.UpdateSubscriptions(ctx, done)
		})
		if err != nil {
			return total, err
		}
		if n < 0 {
			return total, nil
		}
		total += n
	}
}
