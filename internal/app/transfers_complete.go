package app

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/store"
)

// targetTerms is how the target partner sells to the transfer's customer:
// its catalog and its currency for the customer.
type targetTerms struct {
	cat      *csp.Catalog
	currency string
}

func (a *App) targetTerms(ctx context.Context, tx store.Tx, t *transfer.Transfer, ps transfer.Parties) (targetTerms, *catalogSet, error) {
	set, err := a.catalogIn(ctx, tx)
	if err != nil {
		return targetTerms{}, nil, err
	}
	cat := set.For(&t.TargetPartnerID)
	currency := csp.PricingCurrency(ps.Customer.Country, func(c string) bool { return slices.Contains(cat.Currencies(), c) })
	return targetTerms{cat: cat, currency: currency}, set, nil
}

// offer is the target's item and price for a subscription's offer and
// term at now.
func (a *App) offer(tt targetTerms, s *csp.Subscription, now time.Time) transfer.Offer {
	item, ok := tt.cat.Find(s.CatalogItemID())
	if !ok {
		return transfer.Offer{}
	}
	o := transfer.Offer{Item: &item}
	if term, ok := item.Availability.Term(s.TermDuration, s.BillingCycle); ok {
		if price, ok := a.prices.UnitPrice(item, term, tt.currency, now); ok {
			o.Price = &price
		}
	}
	return o
}

// lineProblem checks line i of t against its subscription s (nil when
// absent), as transfer.CheckLine says.
func (a *App) lineProblem(ctx context.Context, tx store.Tx, now time.Time, t *transfer.Transfer, ps transfer.Parties, tt targetTerms, i int, s *csp.Subscription) error {
	l := t.Lines[i]
	c := transfer.LineCheck{Line: l, Index: i, CustomerID: t.CustomerTenantID, SourceID: t.SourcePartnerID, TargetID: t.TargetPartnerID,
		Country: ps.Customer.Country, Segment: ps.Customer.Segment, TargetCurrency: tt.currency, Subscription: s, Now: now}
	if s != nil {
		c.Offer = a.offer(tt, s, now)
		open, err := tx.OpenTransfersOf(ctx, t.CustomerTenantID, s.ID)
		if err != nil {
			return err
		}
		if k := slices.IndexFunc(open, func(id uuid.UUID) bool { return id != t.ID }); k >= 0 {
			c.OtherTransfer = &open[k]
		}
	}
	return transfer.CheckLine(c)
}

// checkTransferLines checks every line of t (reading its subscription),
// answering the first refusal, and fills the lines' copied fields.
func (a *App) checkTransferLines(ctx context.Context, tx store.Tx, now time.Time, t *transfer.Transfer, ps transfer.Parties) error {
	if t.Type == transfer.TypeModernAzure {
		return a.checkAzureTransfer(ctx, tx, now, t)
	}
	tt, _, err := a.targetTerms(ctx, tx, t, ps)
	if err != nil {
		return err
	}
	for i, l := range t.Lines {
		s, err := tx.GetSubscription(ctx, l.SubscriptionID)
		if csp.ErrorCode(err) == csp.ESubscriptionNotFound {
			if err := licenceLineAzure(ctx, tx, t, i); err != nil {
				return err
			}
			s, err = nil, nil
		}
		if err != nil {
			return err
		}
		if err := a.lineProblem(ctx, tx, now, t, ps, tt, i, s); err != nil {
			return err
		}
		t.Lines[i] = transfer.Describe(l, s)
	}
	return nil
}

// completeTransfer moves every line at now: it locks the lines'
// subscriptions (in id order), brings each up to now, checks each line
// again and, when all pass, moves the seats (csp.Subscription.TransferSeats:
// the source's credit, the target's new subscription and charge) and
// records the transfer Completed; when one fails, the transfer is Failed
// with each failing line's transferError, and nothing moves. It stores the
// transfer and audits it in both partners' logs; it answers "" (stored).
// The tenant's licence pools add every partner's seats of a SKU, so the
// users' licences stay assigned: the seats leave and arrive in this one
// transaction.
func (a *App) completeTransfer(ctx context.Context, tx store.Tx, now time.Time, t *transfer.Transfer, ps transfer.Parties) (string, error) {
	if t.Type == transfer.TypeModernAzure {
		return a.completeAzureTransfer(ctx, tx, now, t)
	}
	ids := make([]uuid.UUID, len(t.Lines))
	for i, l := range t.Lines {
		ids[i] = l.SubscriptionID
	}
	locked, err := tx.LockSubscriptions(ctx, ids)
	if err != nil {
		return "", err
	}
	subs := make(map[uuid.UUID]*csp.Subscription, len(locked))
	for _, s := range locked {
		subs[s.ID] = s
	}
	tt, set, err := a.targetTerms(ctx, tx, t, ps)
	if err != nil {
		return "", err
	}
	problems := map[int]string{}
	for i, l := range t.Lines {
		s := subs[l.SubscriptionID]
		if s != nil {
			if err := a.catchUp(ctx, tx, s, set, now); err != nil {
				return "", err
			}
		}
		if err := a.lineProblem(ctx, tx, now, t, ps, tt, i, s); err != nil {
			if csp.ErrorCode(err) == csp.EInternal {
				return "", err
			}
			problems[l.ID] = csp.ErrorMessage(err)
		}
	}
	if len(problems) > 0 {
		t.Fail(now, problems)
		if err := tx.UpdateTransfer(ctx, t); err != nil {
			return "", err
		}
		return "", a.auditTransfer(ctx, tx, now, csp.Principal{UserPrincipalName: t.ModifiedBy}, t, "fail_transfer", map[string]any{"problems": problems})
	}
	moved := map[int]transfer.Moved{}
	for _, l := range t.Lines {
		s := subs[l.SubscriptionID]
		price := a.offer(tt, s, now).Price
		target, srcEv, tgtEv := s.TransferSeats(now, csp.SeatTransfer{TransferID: t.ID, Quantity: l.Quantity, NewID: a.newID(), TargetPartnerID: t.TargetPartnerID, Price: *price})
		if err := tx.CreateSubscription(ctx, target); err != nil {
			return "", err
		}
		if err := tx.UpdateSubscription(ctx, s); err != nil {
			return "", err
		}
		if err := a.record(ctx, tx, s.ID, srcEv); err != nil {
			return "", err
		}
		if err := a.record(ctx, tx, target.ID, tgtEv); err != nil {
			return "", err
		}
		moved[l.ID] = transfer.Moved{TargetSubscriptionID: target.ID, Quantity: l.Quantity}
	}
	t.Complete(now, moved)
	if err := tx.UpdateTransfer(ctx, t); err != nil {
		return "", err
	}
	return "", a.auditTransfer(ctx, tx, now, csp.Principal{UserPrincipalName: t.ModifiedBy}, t, "complete_transfer", nil)
}
