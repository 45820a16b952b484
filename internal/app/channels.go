package app

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// Subscriptions a tenant holds outside CSP (direct, ea, mcaE): the operator
// records them, as Microsoft reports them; the customer lists them beside
// its partners' subscriptions; their seats count in the tenant's licence
// pools. Partners never see them (decision 136).

// ChannelRecord is a recorded channel subscription with what it is on the
// day it is read: its status, current term and catalog names (Now, as the
// customer's subscriptions list it).
type ChannelRecord struct {
	Record *csp.ChannelSubscription
	Now    *csp.Subscription
}

// RecordChannelSubscriptions records one or more subscriptions a tenant
// bought outside CSP (operator only), all or nothing: an import (imported
// set) names the item a refusal is about, items[i]. Each must pass
// csp.CheckChannelSubscription against Microsoft's catalog and not repeat
// a recorded one (same channel, SKU and term dates) or another item.
func (a *App) RecordChannelSubscriptions(ctx context.Context, p csp.Principal, tenantID uuid.UUID, items []csp.ChannelSubscriptionInput, imported bool) ([]ChannelRecord, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	if len(items) == 0 || len(items) > csp.MaxChannelImport {
		return nil, csp.Errorf(csp.EChannelImportEmpty, "an import carries 1 to %d items, not %d: split a longer list", csp.MaxChannelImport, len(items)).WithData("field=items")
	}
	var out []ChannelRecord
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		out = nil
		t, err := tx.LockTenant(ctx, tenantID)
		if err != nil {
			return err
		}
		set, err := a.catalogIn(ctx, tx)
		if err != nil {
			return err
		}
		held, err := a.channelSubscriptions(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		fail := func(i int, err error) error {
			if imported {
				return csp.InImportItem(i, err)
			}
			return err
		}
		for i, in := range items {
			s, _, _, err := csp.CheckChannelSubscription(set.msft, in)
			if err != nil {
				return fail(i, err)
			}
			if dup := slices.IndexFunc(held, func(h *csp.ChannelSubscription) bool { return sameChannelTerm(h, s) }); dup >= 0 {
				return fail(i, csp.Errorf(csp.EChannelDuplicate, "tenant %s already has %s %s for %s..%s recorded (%s): delete that record first if it was a mistake",
					t.DisplayName, s.Channel, s.OfferID(), s.TermStart.Format(time.DateOnly), s.TermEnd.Format(time.DateOnly), held[dup].ID).WithData("field=skuId"))
			}
			s.ID, s.TenantID, s.CreatedAt = a.newID(), tenantID, now
			if err := tx.CreateChannelSubscription(ctx, s); err != nil {
				return err
			}
			held = append(held, s)
			rec := csp.AuditRecord{TenantID: &tenantID, CustomerName: t.DisplayName, ResourceType: csp.ResChannelSubscription, OperationType: csp.OpAddChannelSubscription}
			if err := a.audit(ctx, tx, now, p, rec, nil, channelAudit(s)); err != nil {
				return err
			}
			out = append(out, ChannelRecord{Record: s, Now: s.AsSubscription(set.msft, now)})
		}
		return nil
	})
	return out, err
}

func sameChannelTerm(a, b *csp.ChannelSubscription) bool {
	return a.Channel == b.Channel && a.OfferID() == b.OfferID() && a.TermStart.Equal(b.TermStart) && a.TermEnd.Equal(b.TermEnd)
}

func channelAudit(s *csp.ChannelSubscription) map[string]any {
	return map[string]any{"id": s.ID, "channel": s.Channel, "productId": s.ProductID, "skuId": s.SkuID, "quantity": s.Quantity,
		"termStartDate": s.TermStart.Format(time.DateOnly), "termEndDate": s.TermEnd.Format(time.DateOnly), "autoRenewEnabled": s.AutoRenew}
}

// ListChannelSubscriptions pages through a tenant's channel subscriptions
// (operator only), oldest record first.
func (a *App) ListChannelSubscriptions(ctx context.Context, p csp.Principal, tenantID uuid.UUID, pg Page[Cursor]) (Paged[ChannelRecord, Cursor], error) {
	if err := requireOperator(p); err != nil {
		return Paged[ChannelRecord, Cursor]{}, err
	}
	var out []ChannelRecord
	err := a.read(ctx, func(tx store.Tx, now time.Time) error {
		if _, err := tx.GetTenant(ctx, tenantID); err != nil {
			return err
		}
		set, err := a.catalogIn(ctx, tx)
		if err != nil {
			return err
		}
		got, err := tx.ListChannelSubscriptions(ctx, store.ChannelFilter{TenantID: tenantID, After: pg.After.store(), Limit: pg.limit()})
		for _, s := range got {
			out = append(out, ChannelRecord{Record: s, Now: s.AsSubscription(set.msft, now)})
		}
		return err
	})
	return paged(out, pg, func(r ChannelRecord) Cursor { return Cursor{At: r.Record.CreatedAt, ID: r.Record.ID} }), err
}

// DeleteChannelSubscription removes a mistaken record (operator only): its
// seats leave the tenant's pools at once, the users keep their licences
// and any overage shows.
func (a *App) DeleteChannelSubscription(ctx context.Context, p csp.Principal, tenantID, id uuid.UUID) error {
	if err := requireOperator(p); err != nil {
		return err
	}
	return a.write(ctx, func(tx store.Tx, now time.Time) error {
		t, err := tx.LockTenant(ctx, tenantID)
		if err != nil {
			return err
		}
		s, err := tx.GetChannelSubscription(ctx, tenantID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteChannelSubscription(ctx, tenantID, id); err != nil {
			return err
		}
		rec := csp.AuditRecord{TenantID: &tenantID, CustomerName: t.DisplayName, ResourceType: csp.ResChannelSubscription, OperationType: csp.OpRemoveChannelSubscription}
		return a.audit(ctx, tx, now, p, rec, channelAudit(s), nil)
	})
}

// UpdateChannelSubscription records a change the tenant made in the other
// channel (operator only): auto-renew turned on or off, seats added or
// removed (csp.ChannelSubscription.Changed). A term fixed by turning
// auto-renew off must not repeat another record's.
func (a *App) UpdateChannelSubscription(ctx context.Context, p csp.Principal, tenantID, id uuid.UUID, c csp.ChannelChange) (ChannelRecord, error) {
	if err := requireOperator(p); err != nil {
		return ChannelRecord{}, err
	}
	var out ChannelRecord
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		t, err := tx.LockTenant(ctx, tenantID)
		if err != nil {
			return err
		}
		old, err := tx.GetChannelSubscription(ctx, tenantID, id)
		if err != nil {
			return err
		}
		s, err := old.Changed(now, c)
		if err != nil {
			return err
		}
		held, err := a.channelSubscriptions(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		if dup := slices.IndexFunc(held, func(h *csp.ChannelSubscription) bool { return h.ID != s.ID && sameChannelTerm(h, s) }); dup >= 0 {
			return csp.Errorf(csp.EChannelDuplicate, "the term it is in, %s..%s, is recorded already for %s %s (%s): delete one of the two records first",
				s.TermStart.Format(time.DateOnly), s.TermEnd.Format(time.DateOnly), s.Channel, s.OfferID(), held[dup].ID).WithData("field=autoRenewEnabled")
		}
		if err := tx.UpdateChannelSubscription(ctx, s); err != nil {
			return err
		}
		rec := csp.AuditRecord{TenantID: &tenantID, CustomerName: t.DisplayName, ResourceType: csp.ResChannelSubscription, OperationType: csp.OpUpdateChannelSubscription}
		if err := a.audit(ctx, tx, now, p, rec, channelAudit(old), channelAudit(s)); err != nil {
			return err
		}
		set, err := a.catalogIn(ctx, tx)
		if err != nil {
			return err
		}
		out = ChannelRecord{Record: s, Now: s.AsSubscription(set.msft, now)}
		return nil
	})
	return out, err
}

// channelSubscriptions reads every channel subscription of a tenant.
func (a *App) channelSubscriptions(ctx context.Context, tx store.Tx, tenantID uuid.UUID) ([]*csp.ChannelSubscription, error) {
	var out []*csp.ChannelSubscription
	f := store.ChannelFilter{TenantID: tenantID, Limit: store.MaxLimit}
	for {
		page, err := tx.ListChannelSubscriptions(ctx, f)
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

// channelViews answers a tenant's channel subscriptions as subscriptions
// on day (for the pools and the customer's list).
func (a *App) channelViews(ctx context.Context, tx store.Tx, c *csp.Catalog, tenantID uuid.UUID, day time.Time) ([]*csp.Subscription, error) {
	held, err := a.channelSubscriptions(ctx, tx, tenantID)
	out := make([]*csp.Subscription, len(held))
	for i, s := range held {
		out[i] = s.AsSubscription(c, day)
	}
	return out, err
}

// mergeSubscriptions merges two lists ordered by creation time then id
// into one, keeping the first n.
func mergeSubscriptions(a, b []*csp.Subscription, n int) []*csp.Subscription {
	out := slices.Concat(a, b)
	slices.SortFunc(out, func(x, y *csp.Subscription) int {
		return cmp.Or(x.CreatedAt.Compare(y.CreatedAt), cmp.Compare(x.ID.String(), y.ID.String()))
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
