package storetest

import (
	"context"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// newChannelSub answers an EA subscription of a tenant, recorded at created.
func newChannelSub(tenantID uuid.UUID, quantity int, created time.Time) *csp.ChannelSubscription {
	return &csp.ChannelSubscription{ID: newID(), TenantID: tenantID, Channel: csp.ChannelEA, ProductID: "CFQ7TTC0LFLX", SkuID: "0001",
		Quantity: quantity, TermStart: day("2026-01-01"), TermEnd: day("2026-12-31"), CreatedAt: created}
}

func listChannelSubs(tb testing.TB, s store.Store, f store.ChannelFilter) []*csp.ChannelSubscription {
	tb.Helper()
	var out []*csp.ChannelSubscription
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) (err error) {
		out, err = tx.ListChannelSubscriptions(ctx, f)
		return err
	})
	return out
}

var channelCases = []testCase{
	{"RoundTripsEveryField", func(t *testing.T, s store.Store) {
		ten := MustCreateTenant(t, s, "Contoso", "contoso")
		want := newChannelSub(ten.ID, 25, t0)
		want.Channel, want.AutoRenew, want.TermEnd = csp.ChannelMCAE, true, day("2028-12-31")
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateChannelSubscription(ctx, want) })
		var got *csp.ChannelSubscription
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetChannelSubscription(ctx, ten.ID, want.ID)
			return err
		})
		if d := gocmp.Diff(want, got); d != "" {
			t.Fatalf("round trip (-want +got):\n%s", d)
		}
	}},
	{"ListsATenantsOwnByCreationThenPages", func(t *testing.T, s store.Store) {
		a := MustCreateTenant(t, s, "Contoso", "contoso")
		b := MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		first, second, third := newChannelSub(a.ID, 1, at(time.Hour)), newChannelSub(a.ID, 2, at(2*time.Hour)), newChannelSub(a.ID, 3, at(2*time.Hour))
		other := newChannelSub(b.ID, 9, at(0))
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, c := range []*csp.ChannelSubscription{third, other, second, first} {
				if err := tx.CreateChannelSubscription(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		// second and third share a creation time: id order breaks the tie.
		if second.ID.String() > third.ID.String() {
			second, third = third, second
		}
		got := listChannelSubs(t, s, store.ChannelFilter{TenantID: a.ID, Limit: 2})
		if len(got) != 2 || got[0].ID != first.ID || got[1].ID != second.ID {
			t.Fatalf("first page %v", channelIDs(got))
		}
		got = listChannelSubs(t, s, store.ChannelFilter{TenantID: a.ID, After: &store.Cursor{At: second.CreatedAt, ID: second.ID}, Limit: 2})
		if len(got) != 1 || got[0].ID != third.ID {
			t.Fatalf("second page %v", channelIDs(got))
		}
		if got := listChannelSubs(t, s, store.ChannelFilter{TenantID: b.ID}); len(got) != 1 || got[0].Quantity != 9 {
			t.Fatalf("other tenant %v", channelIDs(got))
		}
	}},
	{"AnotherTenantsIsNotFound", func(t *testing.T, s store.Store) {
		a := MustCreateTenant(t, s, "Contoso", "contoso")
		b := MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		c := newChannelSub(a.ID, 5, t0)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateChannelSubscription(ctx, c) })
		wantCode(t, "get as other tenant", read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetChannelSubscription(ctx, b.ID, c.ID)
			return err
		}), csp.EChannelNotFound)
		other := *c
		other.TenantID, other.Quantity = b.ID, 99
		wantCode(t, "update as other tenant", write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.UpdateChannelSubscription(ctx, &other)
		}), csp.EChannelNotFound)
		wantCode(t, "delete as other tenant", write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.DeleteChannelSubscription(ctx, b.ID, c.ID)
		}), csp.EChannelNotFound)
		if got := listChannelSubs(t, s, store.ChannelFilter{TenantID: a.ID}); len(got) != 1 {
			t.Fatalf("refused delete removed it: %v", channelIDs(got))
		}
	}},
	{"UpdateWritesQuantityTermAndAutoRenew", func(t *testing.T, s store.Store) {
		a := MustCreateTenant(t, s, "Contoso", "contoso")
		c, keep := newChannelSub(a.ID, 5, t0), newChannelSub(a.ID, 7, at(time.Hour))
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateChannelSubscription(ctx, c); err != nil {
				return err
			}
			return tx.CreateChannelSubscription(ctx, keep)
		})
		changed := *c
		changed.Quantity, changed.AutoRenew = 40, !c.AutoRenew
		changed.TermStart, changed.TermEnd = c.TermStart.AddDate(1, 0, 0), c.TermEnd.AddDate(1, 0, 0)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.UpdateChannelSubscription(ctx, &changed) })
		var got, kept *csp.ChannelSubscription
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			if got, err = tx.GetChannelSubscription(ctx, a.ID, c.ID); err != nil {
				return err
			}
			kept, err = tx.GetChannelSubscription(ctx, a.ID, keep.ID)
			return err
		})
		if got.Quantity != 40 || got.AutoRenew == c.AutoRenew || !got.TermStart.Equal(changed.TermStart) || !got.TermEnd.Equal(changed.TermEnd) || !got.CreatedAt.Equal(c.CreatedAt) {
			t.Fatalf("updated: %+v, want %+v", got, changed)
		}
		if kept.Quantity != 7 || !kept.TermStart.Equal(keep.TermStart) {
			t.Fatalf("the other record changed: %+v", kept)
		}
	}},
	{"DeleteRemovesOnlyThatOne", func(t *testing.T, s store.Store) {
		a := MustCreateTenant(t, s, "Contoso", "contoso")
		keep, drop := newChannelSub(a.ID, 1, at(time.Hour)), newChannelSub(a.ID, 2, at(2*time.Hour))
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateChannelSubscription(ctx, keep); err != nil {
				return err
			}
			return tx.CreateChannelSubscription(ctx, drop)
		})
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.DeleteChannelSubscription(ctx, a.ID, drop.ID) })
		if got := listChannelSubs(t, s, store.ChannelFilter{TenantID: a.ID}); len(got) != 1 || got[0].ID != keep.ID {
			t.Fatalf("after delete %v", channelIDs(got))
		}
		wantCode(t, "delete again", write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.DeleteChannelSubscription(ctx, a.ID, drop.ID)
		}), csp.EChannelNotFound)
	}},
}

func channelIDs(subs []*csp.ChannelSubscription) []uuid.UUID {
	out := make([]uuid.UUID, len(subs))
	for i, s := range subs {
		out[i] = s.ID
	}
	return out
}
