package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// subscriptionFor reads a subscription of a customer that the partner
// transacted, or (reading only) that names the partner as indirect
// reseller of record. Anything else answers ESubscriptionNotFound.
//
// To write (write set), it locks the partner's relationship with the
// customer, then the subscription: concurrent changes of one subscription
// (and the scheduler's) run one after the other, each on the state the
// previous one left.
func (a *App) subscriptionFor(ctx context.Context, tx store.Tx, p csp.Principal, customerID, subID uuid.UUID, write bool) (*csp.Subscription, error) {
	if _, err := a.customer(ctx, tx, p, customerID, write); err != nil {
		return nil, err
	}
	notFound := csp.Errorf(csp.ESubscriptionNotFound, "subscription %s was not found among this partner's subscriptions of customer %s", subID, customerID)
	var s *csp.Subscription
	var err error
	if write {
		var subs []*csp.Subscription
		if subs, err = tx.LockSubscriptions(ctx, []uuid.UUID{subID}); err == nil && len(subs) == 1 {
			s = subs[0]
		} else if err == nil {
			err = notFound
		}
	} else {
		s, err = tx.GetSubscription(ctx, subID)
	}
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

// ListSubscriptions pages through a customer's subscriptions that the
// partner transacted or is reseller of record on, oldest first.
func (a *App) ListSubscriptions(ctx context.Context, p csp.Principal, customerID uuid.UUID, orderID *uuid.UUID, pg Page[Cursor]) (Paged[*csp.Subscription, Cursor], error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return Paged[*csp.Subscription, Cursor]{}, err
	}
	var out []*csp.Subscription
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		if _, err := a.customer(ctx, tx, p, customerID, false); err != nil {
			return err
		}
		partner, err := tx.GetPartner(ctx, p.PartnerID)
		if err != nil {
			return err
		}
		f := store.SubscriptionFilter{TenantID: &customerID, OrderID: orderID, After: pg.After.store(), Limit: pg.limit()}
		if partner.Type == csp.PartnerIndirectReseller {
			f.ResellerMpnID = partner.MpnID
		} else {
			f.PartnerID = &p.PartnerID
		}
		out, err = tx.ListSubscriptions(ctx, f)
		return err
	})
	return paged(out, pg, subscriptionCursor), err
}

// GetSubscription reads one subscription.
func (a *App) GetSubscription(ctx context.Context, p csp.Principal, customerID, subID uuid.UUID) (*csp.Subscription, error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, err
	}
	var s *csp.Subscription
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		s, err = a.subscriptionFor(ctx, tx, p, customerID, subID, false)
		return err
	})
	return s, err
}

// SubscriptionHistory pages through a subscription's events with their
// charges, oldest first.
func (a *App) SubscriptionHistory(ctx context.Context, p csp.Principal, customerID, subID uuid.UUID, pg Page[Cursor]) (Paged[*csp.Event, Cursor], error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return Paged[*csp.Event, Cursor]{}, err
	}
	var out []*csp.Event
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		if _, err := a.subscriptionFor(ctx, tx, p, customerID, subID, false); err != nil {
			return err
		}
		var err error
		out, err = tx.SubscriptionEvents(ctx, store.EventFilter{SubscriptionID: subID, After: pg.After.store(), Limit: pg.limit()})
		return err
	})
	return paged(out, pg, eventCursor), err
}

func eventCursor(ev *csp.Event) Cursor { return Cursor{At: ev.Date, ID: ev.ID} }

// SubscriptionHistoryByID is SubscriptionHistory for callers that know only
// the subscription id (the CLI's "subscriptions history ID").
func (a *App) SubscriptionHistoryByID(ctx context.Context, p csp.Principal, subID uuid.UUID, pg Page[Cursor]) (*csp.Subscription, Paged[*csp.Event, Cursor], error) {
	if err := p.Can(csp.PermSubscriptionsRead); err != nil {
		return nil, Paged[*csp.Event, Cursor]{}, err
	}
	var sub *csp.Subscription
	var out []*csp.Event
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
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
		out, err = tx.SubscriptionEvents(ctx, store.EventFilter{SubscriptionID: subID, After: pg.After.store(), Limit: pg.limit()})
		return err
	})
	return sub, paged(out, pg, eventCursor), err
}

// PatchSubscription is Partner Center's whole-object PATCH: body is the
// subscription as the client wants it, and only what differs from the
// stored subscription is applied (csp.Diff), all in one transaction or
// nothing. ifMatch, when set, must be the subscription's etag.
func (a *App) PatchSubscription(ctx context.Context, p csp.Principal, customerID, subID uuid.UUID, body csp.Desired, ifMatch string) (*csp.Subscription, error) {
	return a.changeSubscription(ctx, p, customerID, subID, ifMatch, func(s *csp.Subscription) (csp.Change, error) { return s.Diff(body) })
}

// ChangeSubscription makes the changes c names and nothing else (the
// console's actions, which name one change each).
func (a *App) ChangeSubscription(ctx context.Context, p csp.Principal, customerID, subID uuid.UUID, c csp.Change) (*csp.Subscription, error) {
	return a.changeSubscription(ctx, p, customerID, subID, "", func(*csp.Subscription) (csp.Change, error) { return c, nil })
}

// changeSubscription applies the change that change reads off the
// subscription, caught up to now, each part by its rule: cancel,
// suspend and reactivate, seats, auto-renew,
// next-term changes.
func (a *App) changeSubscription(ctx context.Context, p csp.Principal, customerID, subID uuid.UUID, ifMatch string, change func(*csp.Subscription) (csp.Change, error)) (*csp.Subscription, error) {
	if err := p.Can(csp.PermSubscriptionsWrite); err != nil {
		return nil, err
	}
	var s *csp.Subscription
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		var err error
		if s, err = a.subscriptionFor(ctx, tx, p, customerID, subID, true); err != nil {
			return err
		}
		if err := csp.CheckETag("subscription", s.ID, s.Version, ifMatch); err != nil {
			return err
		}
		return a.applySubscriptionChange(ctx, tx, now, p, customerID, s, change)
	})
	return s, err
}

// applySubscriptionChange is changeSubscription's work inside a write
// transaction, on s locked: catch s up to now, apply the change, store it
// and audit each event (the channel planner's turnOffAutoRenew uses it).
func (a *App) applySubscriptionChange(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, customerID uuid.UUID, s *csp.Subscription,
	change func(*csp.Subscription) (csp.Change, error)) error {
	set, err := a.catalogIn(ctx, tx)
	if err != nil {
		return err
	}
	if err := a.catchUp(ctx, tx, s, set, now); err != nil {
		return err
	}
	c, err := change(s)
	if err != nil {
		return err
	}
	var customer []*csp.Subscription
	if c.Schedule != nil && c.Schedule.CustomTermEndDate != nil { // the subscriptions it may align to
		if customer, err = allSubscriptions(ctx, tx, store.SubscriptionFilter{TenantID: &customerID, PartnerID: s.PartnerID}); err != nil {
			return err
		}
	}
	events, err := s.Apply(now, c, set.For(s.PartnerID), a.prices, customer)
	if err != nil {
		return err
	}
	if err := tx.UpdateSubscription(ctx, s); err != nil {
		return err
	}
	for _, ev := range events {
		if err := a.record(ctx, tx, s.ID, ev); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, now, p, csp.AuditRecord{TenantID: &customerID, ResourceType: "subscription", OperationType: "update_subscription"},
			map[string]any{"subscriptionId": s.ID}, map[string]any{"subscriptionId": s.ID, "event": ev.Type, "changes": ev.Changes}); err != nil {
			return err
		}
	}
	return nil
}

// pricer answers renewal terms from the catalog in force as the
// subscription's partner sees it.
func (a *App) pricer(set *catalogSet) csp.Pricer {
	return func(s *csp.Subscription, day time.Time) csp.Renewal {
		return csp.RenewalTerms(s, set.For(s.PartnerID), a.prices, day)
	}
}

// catchUp does a subscription's time-driven work due by now, so that a
// change made at now starts from the state the rules give at now.
func (a *App) catchUp(ctx context.Context, tx store.Tx, s *csp.Subscription, cat *catalogSet, now time.Time) error {
	price := a.pricer(cat)
	for s.Due(now) {
		if ev := s.Advance(price); ev != nil {
			if err := a.record(ctx, tx, s.ID, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// allSubscriptions reads every subscription f selects, page by page.
func allSubscriptions(ctx context.Context, tx store.Tx, f store.SubscriptionFilter) ([]*csp.Subscription, error) {
	var out []*csp.Subscription
	f.Limit = MaxPageSize
	for {
		page, err := tx.ListSubscriptions(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out, nil
		}
		last := page[len(page)-1]
		f.After = &store.Cursor{At: last.CreatedAt, ID: last.ID}
	}
}
