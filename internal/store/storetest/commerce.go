package storetest

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// commerceCases cover the commerce engine's storage: history events and
// the ledger of charges, subscription updates and listings, orders, carts,
// agreements and partners' own products.
var commerceCases = []testCase{
	{"SubscriptionEventsInDateOrderWithTheirCharges", func(t *testing.T, s store.Store) {
		w := mustChargeWorld(t, s)
		for _, tc := range []struct {
			name string
			id   uuid.UUID
			want []*csp.Event
		}{
			{"sub1", w.sub1.ID, w.events1},
			{"sub2 (partner service)", w.sub2.ID, w.events2},
			{"sub3 (EUR)", w.sub3.ID, w.events3},
			{"unknown", newID(), nil},
		} {
			var got []*csp.Event
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				got, err = tx.SubscriptionEvents(ctx, store.EventFilter{SubscriptionID: tc.id})
				return err
			})
			if diff := gocmp.Diff(tc.want, got); diff != "" {
				t.Errorf("SubscriptionEvents(%s) mismatch (-want +got):\n%s", tc.name, diff)
			}
			for _, ev := range got {
				comAssertUTC(t, "event date", ev.Date)
				for _, c := range ev.Charges {
					comAssertChargeUTC(t, c)
				}
			}
		}
	}},
	{"ListChargesFiltersAndKeysetPages", func(t *testing.T, s store.Store) {
		w := mustChargeWorld(t, s)
		c := w.usd // partner A's USD charges by (posted, id): c[2..5] were posted at the same instant
		usd := store.ChargeFilter{PartnerID: w.a.ID, Currency: "USD"}
		with := func(f func(*store.ChargeFilter)) store.ChargeFilter {
			x := usd
			f(&x)
			return x
		}
		sub2 := w.sub2.ID
		for _, tc := range []struct {
			name string
			f    store.ChargeFilter
			want []csp.Charge
		}{
			{"partner A USD", usd, c},
			{"unbilled", with(func(f *store.ChargeFilter) { f.Unbilled = true }), c},
			{"Microsoft only (no partner service)", with(func(f *store.ChargeFilter) { f.MicrosoftOnly = true }), w.of(w.sub1.ID)},
			{"subscription 2", with(func(f *store.ChargeFilter) { f.SubscriptionID = &sub2 }), w.of(sub2)},
			{"[From, To)", with(func(f *store.ChargeFilter) { f.From, f.To = c[1].PostedAt, c[6].PostedAt }), c[1:6]},
			{"From at the tied instant", with(func(f *store.ChargeFilter) { f.From = c[2].PostedAt }), c[2:]},
			{"To at the tied instant", with(func(f *store.ChargeFilter) { f.To = c[2].PostedAt }), c[:2]},
			{"From a microsecond after c[10]", with(func(f *store.ChargeFilter) { f.From = c[10].PostedAt.Add(time.Microsecond) }), nil},
			{"partner A EUR", store.ChargeFilter{PartnerID: w.a.ID, Currency: "EUR"}, []csp.Charge{w.eur}},
			{"partner B USD", store.ChargeFilter{PartnerID: w.b.ID, Currency: "USD"}, []csp.Charge{w.other}},
			{"partner B EUR", store.ChargeFilter{PartnerID: w.b.ID, Currency: "EUR"}, nil},
			{"unknown partner", store.ChargeFilter{PartnerID: newID(), Currency: "USD"}, nil},
		} {
			got := mustListCharges(t, s, tc.f)
			if diff := gocmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ListCharges(%s) mismatch (-want +got):\n%s", tc.name, diff)
			}
			for _, ch := range got {
				comAssertChargeUTC(t, ch)
			}
		}

		// Keyset pages of 3 over the 11 charges: 3, 3, 3, 2, then none; the
		// 4 tied lines straddle the first page boundary.
		for _, tc := range []struct {
			name  string
			f     store.ChargeFilter
			sizes []int
			want  []csp.Charge
		}{
			{"all", with(func(f *store.ChargeFilter) { f.Limit = 3 }), []int{3, 3, 3, 2, 0}, c},
			{"unbilled Microsoft only", with(func(f *store.ChargeFilter) { f.Limit, f.Unbilled, f.MicrosoftOnly = 3, true, true }),
				[]int{3, 3, 1, 0}, w.of(w.sub1.ID)},
			{"pages of 2 in [From, To)", with(func(f *store.ChargeFilter) { f.Limit, f.From, f.To = 2, c[1].PostedAt, c[9].PostedAt }),
				[]int{2, 2, 2, 2, 0}, c[1:9]},
		} {
			f := tc.f
			var sizes []int
			var all []csp.Charge
			seen := map[uuid.UUID]bool{}
			for range 10 {
				page := mustListCharges(t, s, f)
				sizes = append(sizes, len(page))
				if len(page) == 0 {
					break
				}
				for _, ch := range page {
					if seen[ch.ID] {
						t.Errorf("%s: charge %s on two pages", tc.name, ch.ID)
					}
					seen[ch.ID] = true
				}
				all = append(all, page...)
				last := page[len(page)-1]
				f.After = &store.Cursor{At: last.PostedAt, ID: last.ID}
			}
			if diff := gocmp.Diff(tc.sizes, sizes); diff != "" {
				t.Errorf("%s: page sizes mismatch (-want +got):\n%s", tc.name, diff)
			}
			if diff := gocmp.Diff(tc.want, all); diff != "" {
				t.Errorf("%s: pages joined mismatch (-want +got):\n%s", tc.name, diff)
			}
		}
	}},
	{"UpdateSubscriptionsThreeAtOnce", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		order := newID()
		s1 := comSubscription(tn.ID, &a.ID, time.Date(2026, 1, 10, 9, 30, 0, 123456000, time.UTC))
		s1.OrderID, s1.ResellerMpnID = &order, "3000001"
		s2 := comSubscription(tn.ID, &a.ID, time.Date(2026, 1, 11, 8, 0, 0, 1000, time.UTC))
		s2.Quantity, s2.UnitPrice = 12, usd("23.10")
		s2.Scheduled = &csp.NextTerm{ProductID: "CFQ7TTC0LDPB", SkuID: "0001", AvailabilityID: "CFQ7TTC0MM1X", BillingCycle: "annual", TermDuration: "P1Y", Quantity: 8}
		s2.NextCharge = &csp.PlanChange{BillingCycle: "monthly", UnitPrice: usd("20.00")}
		s2.IsTrial = true
		s3 := comSubscription(tn.ID, &a.ID, time.Date(2026, 1, 12, 23, 59, 59, 999999000, time.UTC))
		s3.PartnerService, s3.NextEventAt = true, nil
		untouched := comSubscription(tn.ID, &a.ID, time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC))
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, x := range []*csp.Subscription{s1, s2, s3, untouched} {
				if err := tx.CreateSubscription(ctx, x); err != nil {
					return err
				}
			}
			return nil
		})
		keep := *untouched
		if diff := gocmp.Diff(s2.NextCharge, mustGetSubscription(t, s, s2.ID).NextCharge); diff != "" {
			t.Errorf("CreateSubscription's pending billing plan change mismatch (-want +got):\n%s", diff)
		}

		// s1: more seats, suspended, auto-renew off, a second lot, a
		// scheduled next term with a custom end date, a later next event.
		s1.Quantity = 25
		s1.Status, s1.StatusSince = csp.StatusSuspended, time.Date(2026, 3, 4, 11, 22, 33, 444555000, time.UTC)
		s1.AutoRenew = false
		s1.Lots = append(s1.Lots, csp.SeatLot{Quantity: 15, AddedAt: time.Date(2026, 2, 20, 7, 0, 0, 1000, time.UTC),
			AllowedUntil: time.Date(2026, 2, 27, 7, 0, 0, 1000, time.UTC)})
		customEnd := time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)
		s1.Scheduled = &csp.NextTerm{ProductID: "CFQ7TTC0LDPB", SkuID: "0002", AvailabilityID: "CFQ7TTC0MM2Z", BillingCycle: "annual",
			TermDuration: "P1Y", Quantity: 20, CustomTermEndDate: &customEnd}
		next1 := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		s1.NextEventAt = &next1
		// ... and a pending billing plan change, which a suspension keeps (R-2a, R-18).
		s1.NextCharge = &csp.PlanChange{BillingCycle: "annual", UnitPrice: usd("229.166667")}
		// s2: renewed, with the new term's dates, price and lot; the
		// scheduled change applied and cleared; no next event.
		s2.Quantity = 8
		s2.TermStartedAt = time.Date(2027, 1, 11, 0, 0, 0, 1000, time.UTC)
		s2.TermStart, s2.TermEnd = time.Date(2027, 1, 11, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 10, 0, 0, 0, 0, time.UTC)
		s2.UnitPrice = usd("24.755")
		s2.Lots = []csp.SeatLot{{Quantity: 8, AddedAt: s2.TermStartedAt, AllowedUntil: s2.TermStartedAt.Add(csp.CancellationWindow)}}
		s2.ProductID, s2.SkuID, s2.AvailabilityID = "CFQ7TTC0LDPB", "0001", "CFQ7TTC0MM1X"
		s2.ProductName, s2.OfferName, s2.FriendlyName = "Microsoft 365 E3", "Microsoft 365 E3 (annual)", "E3 after renewal"
		s2.BillingCycle, s2.Scheduled, s2.NextEventAt, s2.NextCharge = "annual", nil, nil, nil
		// ... converted from a trial, into an offer of another unit type.
		s2.IsTrial, s2.UnitType = false, "Users"
		// s3: expired, lots gone, its next event (disabling) set from none.
		s3.Status, s3.StatusSince = csp.StatusExpired, time.Date(2027, 1, 12, 0, 0, 0, 0, time.UTC)
		s3.AutoRenew, s3.Lots = false, nil
		next3 := time.Date(2027, 2, 11, 0, 0, 0, 0, time.UTC)
		s3.NextEventAt = &next3
		s3.TermDuration = "P3Y"
		s3.TermEnd = time.Date(2029, 1, 11, 0, 0, 0, 0, time.UTC)

		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.UpdateSubscriptions(ctx, []*csp.Subscription{s3, s1, s2})
		})
		for _, want := range []*csp.Subscription{s1, s2, s3, &keep} {
			got := mustGetSubscription(t, s, want.ID)
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("GetSubscription(%s) after UpdateSubscriptions mismatch (-want +got):\n%s", want.FriendlyName, diff)
			}
			if got.UnitPrice.Amount.StringFixed(3) != want.UnitPrice.Amount.StringFixed(3) || got.UnitPrice.Currency != want.UnitPrice.Currency {
				t.Errorf("unit price %s %s, want %s %s", got.UnitPrice.Currency, got.UnitPrice.Amount.StringFixed(3), want.UnitPrice.Currency, want.UnitPrice.Amount.StringFixed(3))
			}
			comAssertUTC(t, "status since", got.StatusSince)
			if got.NextEventAt != nil {
				comAssertUTC(t, "next event", *got.NextEventAt)
			}
		}

		// UpdateSubscription writes one, and clears s1's next event.
		s1.NextEventAt, s1.Quantity = nil, 24
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.UpdateSubscription(ctx, s1) })
		if diff := gocmp.Diff(s1, mustGetSubscription(t, s, s1.ID)); diff != "" {
			t.Errorf("GetSubscription after UpdateSubscription mismatch (-want +got):\n%s", diff)
		}
	}},
	{"ErrUpdateUnknownSubscription", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		ghost := comSubscription(tn.ID, &a.ID, t0)
		err := write(s, func(ctx context.Context, tx store.Tx) error { return tx.UpdateSubscription(ctx, ghost) })
		wantCode(t, "UpdateSubscription(unknown)", err, csp.ESubscriptionNotFound)
		err = read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetSubscription(ctx, ghost.ID)
			return err
		})
		wantCode(t, "GetSubscription(unknown)", err, csp.ESubscriptionNotFound)
	}},
	{"UpdateSubscriptionsBatchOf600", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		const n = 600 // two statements: 500 and 100 rows
		subs := make([]*csp.Subscription, n)
		for i := range subs {
			subs[i] = comSubscription(tn.ID, &a.ID, t0.Add(time.Duration(i)*time.Second))
			subs[i].FriendlyName = fmt.Sprintf("seat pack %03d", i)
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, x := range subs {
				if err := tx.CreateSubscription(ctx, x); err != nil {
					return err
				}
			}
			return nil
		})
		for i, x := range subs {
			x.Quantity = 100 + i
			x.UnitPrice = usd(fmt.Sprintf("%d.%02d", 10+i%7, i%100))
			x.Lots = append(x.Lots, csp.SeatLot{Quantity: 90 + i, AddedAt: at(time.Duration(i) * time.Minute), AllowedUntil: at(time.Duration(i)*time.Minute + csp.CancellationWindow)})
			next := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Microsecond)
			x.NextEventAt = &next
			if i%2 == 1 {
				x.Status, x.StatusSince, x.AutoRenew = csp.StatusSuspended, at(time.Duration(i)*time.Hour), false
			}
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.UpdateSubscriptions(ctx, subs) })
		var got []*csp.Subscription
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.ListSubscriptions(ctx, store.SubscriptionFilter{TenantID: &tn.ID})
			return err
		})
		if len(got) != n {
			t.Fatalf("ListSubscriptions answered %d subscriptions, want %d", len(got), n)
		}
		if diff := gocmp.Diff(subs, got); diff != "" {
			t.Errorf("subscriptions after a batch of %d mismatch (-want +got):\n%s", n, diff)
		}
		// Both statements ran: the last row of each chunk.
		for _, i := range []int{499, 599} {
			if got[i].Quantity != 100+i || got[i].Status != csp.StatusSuspended {
				t.Errorf("subscription %d: quantity %d status %s, want %d suspended", i, got[i].Quantity, got[i].Status, 100+i)
			}
		}
	}},
	{"AddEventsOver500InOneCall", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		start := time.Date(2026, 3, 1, 0, 0, 0, 1000, time.UTC)
		x := comSubscription(tn.ID, &a.ID, start)
		y := comSubscription(tn.ID, &a.ID, start)
		var all []store.SubscriptionEvent
		want := map[uuid.UUID][]*csp.Event{}
		for k, sub := range []*csp.Subscription{x, y} {
			sub.Quantity = 1
			day0 := start.Add(time.Duration(k) * 30 * time.Second)
			ev := sub.Purchase(day0, nil)
			ev.SetIDs(newV7)
			want[sub.ID] = append(want[sub.ID], ev)
			// 1100 events of x (more than a page of charges: its history must
			// still be whole) and 100 of y: 1200 events, and 2 + 2 × 1198 =
			// 2398 charges (each seat change is a pair).
			for i := 1; i < []int{1100, 100}[k]; i++ {
				ev, err := sub.ChangeQuantity(day0.Add(time.Duration(i)*time.Minute+time.Duration(i)*time.Microsecond), sub.Quantity+1, 1, 10000)
				if err != nil {
					t.Fatal(err)
				}
				ev.SetIDs(newV7)
				want[sub.ID] = append(want[sub.ID], ev)
			}
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, sub := range []*csp.Subscription{x, y} {
				if err := tx.CreateSubscription(ctx, sub); err != nil {
					return err
				}
			}
			return nil
		})
		for i := range want[x.ID] { // interleaved while both have events
			all = append(all, store.SubscriptionEvent{SubscriptionID: x.ID, Event: want[x.ID][i]})
			if i < len(want[y.ID]) {
				all = append(all, store.SubscriptionEvent{SubscriptionID: y.ID, Event: want[y.ID][i]})
			}
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.AddEvents(ctx, all) })
		var charges []csp.Charge
		for _, sub := range []*csp.Subscription{x, y} {
			// Pages of 1000 events, joined: the history is whole, each event
			// with all its charges.
			var got []*csp.Event
			f := store.EventFilter{SubscriptionID: sub.ID, Limit: 1000}
			for {
				var page []*csp.Event
				MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
					page, err = tx.SubscriptionEvents(ctx, f)
					return err
				})
				got = append(got, page...)
				if len(page) < 1000 {
					break
				}
				f.After = &store.Cursor{At: page[len(page)-1].Date, ID: page[len(page)-1].ID}
			}
			exp := make([]*csp.Event, len(want[sub.ID]))
			for i, ev := range want[sub.ID] {
				exp[i] = ev
				charges = append(charges, ev.Charges...)
			}
			if len(got) != len(want[sub.ID]) {
				t.Errorf("SubscriptionEvents answered %d events, want %d", len(got), len(want[sub.ID]))
			}
			if diff := gocmp.Diff(exp, got); diff != "" {
				t.Errorf("SubscriptionEvents after one AddEvents of %d mismatch (-want +got):\n%s", len(all), diff)
			}
		}
		slices.SortFunc(charges, comChargeOrder)
		// Pages of 1000: 1000, 1000, then 398.
		var got []csp.Charge
		var sizes []int
		f := store.ChargeFilter{PartnerID: a.ID, Currency: "USD", Limit: 1000}
		for range 5 {
			page := mustListCharges(t, s, f)
			sizes = append(sizes, len(page))
			got = append(got, page...)
			if len(page) < 1000 {
				break
			}
			last := page[len(page)-1]
			f.After = &store.Cursor{At: last.PostedAt, ID: last.ID}
		}
		if !slices.Equal(sizes, []int{1000, 1000, 398}) {
			t.Errorf("ListCharges answered pages of %v charges, want 1000, 1000 and 398", sizes)
		}
		if diff := gocmp.Diff(charges, got); diff != "" {
			t.Errorf("ListCharges after one AddEvents mismatch (-want +got):\n%s", diff)
		}
	}},
	{"ListSubscriptionsFiltersAndKeysetPages", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		b := MustCreatePartner(t, s, mpn(2))
		t1 := MustCreateTenant(t, s, "Contoso", "contoso")
		t2 := MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		o1, o2, o3 := newID(), newID(), newID()
		mk := func(tenant *csp.Tenant, partner *csp.Partner, reseller string, order *uuid.UUID, created time.Time) *csp.Subscription {
			var pid *uuid.UUID
			if partner != nil {
				pid = &partner.ID
			}
			x := comSubscription(tenant.ID, pid, created)
			x.ResellerMpnID, x.OrderID = reseller, order
			if partner == nil {
				x.Channel = csp.ChannelDirect
			}
			return x
		}
		s1 := mk(t1, a, "3000001", &o1, at(0))
		s2 := mk(t1, a, "", &o1, at(0)) // same time as s1: id decides
		s3 := mk(t2, a, "3000001", &o2, at(time.Minute))
		s4 := mk(t1, b, "3000002", &o3, at(time.Minute))
		s5 := mk(t1, nil, "", nil, at(-time.Hour))
		s6 := mk(t1, a, "3000002", nil, at(2*time.Minute))
		s7 := mk(t2, b, "3000001", nil, at(2*time.Minute))
		s8 := mk(t2, a, "", &o2, at(3*time.Minute+time.Microsecond))
		sorted := func(xs ...*csp.Subscription) []*csp.Subscription {
			out := slices.Clone(xs)
			slices.SortFunc(out, func(x, y *csp.Subscription) int {
				return cmp.Or(x.CreatedAt.Compare(y.CreatedAt), bytes.Compare(x.ID[:], y.ID[:]))
			})
			return out
		}
		// Stored in reverse listing order, so that neither insertion order
		// nor chance orders the pairs created at the same time.
		all := sorted(s1, s2, s3, s4, s5, s6, s7, s8)
		slices.Reverse(all)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, x := range all {
				if err := tx.CreateSubscription(ctx, x); err != nil {
					return err
				}
			}
			return nil
		})
		unknown := newID()
		for _, tc := range []struct {
			name string
			f    store.SubscriptionFilter
			want []*csp.Subscription
		}{
			{"no filter", store.SubscriptionFilter{}, sorted(s1, s2, s3, s4, s5, s6, s7, s8)},
			{"tenant 1", store.SubscriptionFilter{TenantID: &t1.ID}, sorted(s1, s2, s4, s5, s6)},
			{"partner A", store.SubscriptionFilter{PartnerID: &a.ID}, sorted(s1, s2, s3, s6, s8)},
			{"reseller 3000001", store.SubscriptionFilter{ResellerMpnID: "3000001"}, sorted(s1, s3, s7)},
			{"order 1", store.SubscriptionFilter{OrderID: &o1}, sorted(s1, s2)},
			{"order 2", store.SubscriptionFilter{OrderID: &o2}, sorted(s3, s8)},
			{"tenant 1, partner A", store.SubscriptionFilter{TenantID: &t1.ID, PartnerID: &a.ID}, sorted(s1, s2, s6)},
			{"partner B, reseller 3000001", store.SubscriptionFilter{PartnerID: &b.ID, ResellerMpnID: "3000001"}, sorted(s7)},
			{"tenant 2, partner A, order 2", store.SubscriptionFilter{TenantID: &t2.ID, PartnerID: &a.ID, OrderID: &o2}, sorted(s3, s8)},
			{"unknown order", store.SubscriptionFilter{OrderID: &unknown}, nil},
			{"partner A, unknown reseller", store.SubscriptionFilter{PartnerID: &a.ID, ResellerMpnID: "3999999"}, nil},
		} {
			got := mustListSubscriptions(t, s, tc.f)
			if diff := gocmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ListSubscriptions(%s) mismatch (-want +got):\n%s", tc.name, diff)
			}
		}
		for _, tc := range []struct {
			name  string
			f     store.SubscriptionFilter
			sizes []int
			want  []*csp.Subscription
		}{
			{"all by 3", store.SubscriptionFilter{Limit: 3}, []int{3, 3, 2, 0}, sorted(s1, s2, s3, s4, s5, s6, s7, s8)},
			{"partner A by 2", store.SubscriptionFilter{PartnerID: &a.ID, Limit: 2}, []int{2, 2, 1, 0}, sorted(s1, s2, s3, s6, s8)},
			{"tenant 1 by 1", store.SubscriptionFilter{TenantID: &t1.ID, Limit: 1}, []int{1, 1, 1, 1, 1, 0}, sorted(s1, s2, s4, s5, s6)},
		} {
			f := tc.f
			var sizes []int
			var all []*csp.Subscription
			for range 10 {
				page := mustListSubscriptions(t, s, f)
				sizes = append(sizes, len(page))
				if len(page) == 0 {
					break
				}
				all = append(all, page...)
				last := page[len(page)-1]
				f.After = &store.Cursor{At: last.CreatedAt, ID: last.ID}
			}
			if diff := gocmp.Diff(tc.sizes, sizes); diff != "" {
				t.Errorf("%s: page sizes mismatch (-want +got):\n%s", tc.name, diff)
			}
			if diff := gocmp.Diff(tc.want, all); diff != "" {
				t.Errorf("%s: pages joined mismatch (-want +got):\n%s", tc.name, diff)
			}
		}
	}},
	{"OrderRoundTripAndListByCustomer", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		b := MustCreatePartner(t, s, mpn(2))
		t1 := MustCreateTenant(t, s, "Contoso", "contoso")
		t2 := MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		customEnd := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		o := &csp.Order{ID: newID(), TenantID: t1.ID, PartnerID: a.ID, ResellerMpnID: "3000001", Currency: "USD", BillingCycle: "monthly",
			Status: "completed", TransactionType: "UserPurchase", CreatedAt: time.Date(2026, 1, 10, 9, 30, 0, 123456000, time.UTC),
			Lines: []csp.OrderLine{
				{LineNumber: 0, OfferID: "CFQ7TTC0LCHC:0002:CFQ7TTC0MM1W", SubscriptionID: newID(), TermDuration: "P1Y", BillingCycle: "monthly",
					FriendlyName: "HQ seats", Quantity: 10, PartnerIDOnRecord: "3000001", CustomTermEndDate: &customEnd,
					ListPrice: usd("23.10"), ProratedPrice: usd("231.00")},
				{LineNumber: 1, OfferID: "CFQ7TTC0LH18:0001:CFQ7TTC0MM8R", SubscriptionID: newID(), TermDuration: "P1M", BillingCycle: "monthly",
					FriendlyName: "Basic \"trial\" team", Quantity: 3, ListPrice: usd("7.20"), ProratedPrice: usd("20.205")},
			}}
		earlier := &csp.Order{ID: newID(), TenantID: t1.ID, PartnerID: a.ID, Currency: "USD", BillingCycle: "annual", Status: "completed",
			TransactionType: "UserPurchase", CreatedAt: time.Date(2026, 1, 9, 0, 0, 0, 1000, time.UTC),
			Lines: []csp.OrderLine{{LineNumber: 0, OfferID: "CFQ7TTC0LDPB:0001:CFQ7TTC0MM1X", SubscriptionID: newID(), TermDuration: "P1Y",
				BillingCycle: "annual", FriendlyName: "E3", Quantity: 1, ListPrice: usd("432.00"), ProratedPrice: usd("432.00")}}}
		tie := &csp.Order{ID: newID(), TenantID: t1.ID, PartnerID: a.ID, Currency: "USD", BillingCycle: "monthly", Status: "completed",
			TransactionType: "UserPurchase", CreatedAt: o.CreatedAt} // same time as o: id decides
		otherTenant := &csp.Order{ID: newID(), TenantID: t2.ID, PartnerID: a.ID, Currency: "EUR", BillingCycle: "monthly", Status: "completed",
			TransactionType: "UserPurchase", CreatedAt: o.CreatedAt}
		otherPartner := &csp.Order{ID: newID(), TenantID: t1.ID, PartnerID: b.ID, Currency: "USD", BillingCycle: "monthly", Status: "completed",
			TransactionType: "UserPurchase", CreatedAt: earlier.CreatedAt}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			first, second := o, tie // the larger id first: insertion order must not decide
			if bytes.Compare(o.ID[:], tie.ID[:]) < 0 {
				first, second = tie, o
			}
			for _, x := range []*csp.Order{first, otherPartner, second, otherTenant, earlier} {
				if err := tx.CreateOrder(ctx, x); err != nil {
					return err
				}
			}
			return nil
		})
		var got *csp.Order
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetOrder(ctx, o.ID)
			return err
		})
		if diff := gocmp.Diff(o, got); diff != "" {
			t.Errorf("GetOrder mismatch (-want +got):\n%s", diff)
		}
		if len(got.Lines) == 2 {
			if p := got.Lines[1].ProratedPrice.Amount.StringFixed(3); p != "20.205" || got.Lines[1].ProratedPrice.Currency != "USD" {
				t.Errorf("prorated price %s, want 20.205", p)
			}
			if tot, err := got.Total(); err != nil || tot.String() != "USD 251.21" {
				t.Errorf("order total %s (%v), want USD 251.21", tot, err)
			}
		}
		comAssertUTC(t, "order created", got.CreatedAt)
		rest := []*csp.Order{o, tie}
		slices.SortFunc(rest, func(x, y *csp.Order) int { return bytes.Compare(x.ID[:], y.ID[:]) })
		for _, tc := range []struct {
			name            string
			partner, tenant uuid.UUID
			want            []*csp.Order
		}{
			{"A, tenant 1", a.ID, t1.ID, append([]*csp.Order{earlier}, rest...)},
			{"A, tenant 2", a.ID, t2.ID, []*csp.Order{otherTenant}},
			{"B, tenant 1", b.ID, t1.ID, []*csp.Order{otherPartner}},
			{"B, tenant 2", b.ID, t2.ID, nil},
		} {
			var list []*csp.Order
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				list, err = tx.ListOrders(ctx, store.OrderFilter{PartnerID: tc.partner, TenantID: tc.tenant})
				return err
			})
			if diff := gocmp.Diff(tc.want, list); diff != "" {
				t.Errorf("ListOrders(%s) mismatch (-want +got):\n%s", tc.name, diff)
			}
		}
	}},
	{"ErrOrderNotFound", func(t *testing.T, s store.Store) {
		err := read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetOrder(ctx, newID())
			return err
		})
		wantCode(t, "GetOrder(unknown)", err, csp.EOrderNotFound)
	}},
	{"CartRoundTripAndUpdate", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		end1 := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		end2 := time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)
		created := time.Date(2026, 1, 10, 9, 30, 0, 123456000, time.UTC)
		c := &csp.Cart{ID: newID(), TenantID: tn.ID, PartnerID: a.ID, Status: csp.CartActive, LastModifiedUser: "ada@partner.example.com",
			CreatedAt: created, ModifiedAt: created, ExpiresAt: created.Add(csp.CartLifetime),
			Lines: []csp.CartLine{
				{ID: 0, CatalogItemID: "CFQ7TTC0LCHC:0002:CFQ7TTC0MM1W", FriendlyName: "HQ seats", Quantity: 10, CurrencyCode: "USD",
					BillingCycle: "monthly", TermDuration: "P1Y", ProvisioningContext: map[string]string{"subscriptionId": "b0b5c3f2", "scope": "tenant"},
					Participants: []csp.Participant{{Key: "transaction", Value: "3000001"}}, CustomTermEndDate: &end1, OrderGroup: "0"},
				{ID: 1, CatalogItemID: "CFQ7TTC0LH18:0001:CFQ7TTC0MM8R", Quantity: 3, BillingCycle: "monthly", TermDuration: "P1M",
					Error: &csp.CartLineError{ErrorCode: "10012", ErrorDescription: "The customer already has the maximum of 300 seats \"in total\""}},
			}}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateCart(ctx, c) })
		if diff := gocmp.Diff(c, mustGetCart(t, s, c.ID)); diff != "" {
			t.Errorf("GetCart after CreateCart mismatch (-want +got):\n%s", diff)
		}

		c.Status, c.LastModifiedUser, c.ModifiedAt = csp.CartOrdered, "sam@partner.example.com", time.Date(2026, 1, 11, 17, 45, 1, 999999000, time.UTC)
		c.Lines[0].Error = &csp.CartLineError{ErrorCode: "10021", ErrorDescription: "customTermEndDate must align with a calendar month end"}
		c.Lines[0].CustomTermEndDate = &end2
		c.Lines[1].Error, c.Lines[1].Quantity, c.Lines[1].OrderGroup = nil, 2, "1"
		c.Lines = append(c.Lines, csp.CartLine{ID: 2, CatalogItemID: "DZH318Z0BQ3Q:0007:DZH318Z0BQ3R", Quantity: 1, BillingCycle: "monthly", CurrencyCode: "USD"})
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.UpdateCart(ctx, c) })
		got := mustGetCart(t, s, c.ID)
		if diff := gocmp.Diff(c, got); diff != "" {
			t.Errorf("GetCart after UpdateCart mismatch (-want +got):\n%s", diff)
		}
		for what, tm := range map[string]time.Time{"created": got.CreatedAt, "modified": got.ModifiedAt, "expires": got.ExpiresAt} {
			comAssertUTC(t, "cart "+what, tm)
		}

		ghost := *c
		ghost.ID = newID()
		err := write(s, func(ctx context.Context, tx store.Tx) error { return tx.UpdateCart(ctx, &ghost) })
		wantCode(t, "UpdateCart(unknown)", err, csp.ECartNotFound)
	}},
	{"ErrCartNotFound", func(t *testing.T, s store.Store) {
		err := read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetCart(ctx, newID())
			return err
		})
		wantCode(t, "GetCart(unknown)", err, csp.ECartNotFound)
	}},
	{"AgreementsByPartnerAndTenant", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		b := MustCreatePartner(t, s, mpn(2))
		t1 := MustCreateTenant(t, s, "Contoso", "contoso")
		t2 := MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		ag := func(tenant, partner uuid.UUID, agreed, created time.Time, email string) *csp.Agreement {
			return &csp.Agreement{ID: newID(), TenantID: tenant, PartnerID: partner, Type: csp.AgreementMCA, TemplateID: csp.MCATemplateID,
				DateAgreed: agreed, CreatedAt: created,
				Contact: csp.Contact{FirstName: "Ada", LastName: "Lovelace-Král", Email: email, PhoneNumber: "+1 425 555 0100"}}
		}
		later := ag(t1.ID, a.ID, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 10, 0, 0, 1000, time.UTC), "ada@contoso.example.com")
		first := ag(t1.ID, a.ID, time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 10, 9, 30, 0, 123456000, time.UTC), "it@contoso.example.com")
		first.Contact.PhoneNumber = ""
		onT2 := ag(t2.ID, a.ID, time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC), t0, "it@fabrikam.example.com")
		byB := ag(t1.ID, b.ID, time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC), t0, "ops@contoso.example.com")
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, x := range []*csp.Agreement{later, onT2, byB, first} {
				if err := tx.CreateAgreement(ctx, x); err != nil {
					return err
				}
			}
			return nil
		})
		for _, tc := range []struct {
			name            string
			partner, tenant uuid.UUID
			want            []*csp.Agreement
		}{
			{"A, tenant 1", a.ID, t1.ID, []*csp.Agreement{first, later}},
			{"A, tenant 2", a.ID, t2.ID, []*csp.Agreement{onT2}},
			{"B, tenant 1", b.ID, t1.ID, []*csp.Agreement{byB}},
			{"B, tenant 2", b.ID, t2.ID, nil},
		} {
			var got []*csp.Agreement
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				got, err = tx.ListAgreements(ctx, store.AgreementFilter{PartnerID: tc.partner, TenantID: tc.tenant})
				return err
			})
			if diff := gocmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ListAgreements(%s) mismatch (-want +got):\n%s", tc.name, diff)
			}
			for _, x := range got {
				comAssertUTC(t, "date agreed", x.DateAgreed)
				comAssertUTC(t, "agreement created", x.CreatedAt)
			}
		}
	}},
	{"PartnerProductsRoundTrip", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		b := MustCreatePartner(t, s, mpn(2))
		backup, mail := comBackupProduct(a.ID), comMailProduct(b.ID)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreatePartnerProduct(ctx, a.ID, &backup, time.Date(2026, 2, 1, 0, 0, 0, 1000, time.UTC)); err != nil {
				return err
			}
			return tx.CreatePartnerProduct(ctx, b.ID, &mail, time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC))
		})
		var got []csp.Product
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.PartnerProducts(ctx)
			return err
		})
		if diff := gocmp.Diff([]csp.Product{mail, backup}, got); diff != "" {
			t.Errorf("PartnerProducts mismatch (-want +got):\n%s", diff)
		}
		if len(got) == 2 {
			av := got[1].Skus[0].Availabilities[0]
			if p, ok := av.Price(av.Terms[1], "USD", time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)); !ok || p.String() != "USD 57.00" {
				t.Errorf("round-tripped backup P1Y:annual USD price on 2026-08-01 = %s, %v; want USD 57.00", p, ok)
			}
		}
	}},
	{"ProductIDsArePerPartner", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		b := MustCreatePartner(t, s, mpn(2))
		backup := comBackupProduct(a.ID)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreatePartnerProduct(ctx, a.ID, &backup, t0) })
		// Another partner may use the same id for its own service.
		same := comMailProduct(b.ID)
		same.ID = backup.ID
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreatePartnerProduct(ctx, b.ID, &same, at(time.Hour))
		})
		err := write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreatePartnerProduct(ctx, a.ID, &backup, at(2*time.Hour))
		})
		wantCode(t, "CreatePartnerProduct(same product again)", err, csp.EProductExists)
		var got []csp.Product
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.PartnerProducts(ctx)
			return err
		})
		if diff := gocmp.Diff([]csp.Product{backup, same}, got); diff != "" {
			t.Errorf("PartnerProducts after the failed create mismatch (-want +got):\n%s", diff)
		}
	}},
	{"GetPartnerByMpnID", func(t *testing.T, s store.Store) {
		MustCreatePartner(t, s, mpn(1))
		want := newPartner(mpn(2))
		want.Type, want.Country, want.Locations = csp.PartnerIndirectProvider, "DE", []string{"DE", "AT", "CH"}
		want.SalePolicy = &csp.SalePolicy{Segments: []csp.Segment{csp.SegmentEducation}, Regions: []csp.Region{"EU"}}
		want.CreatedAt = time.Date(2025, 12, 31, 23, 59, 59, 999999000, time.UTC)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreatePartner(ctx, want) })
		var got *csp.Partner
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetPartnerByMpnID(ctx, mpn(2))
			return err
		})
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("GetPartnerByMpnID mismatch (-want +got):\n%s", diff)
		}
		for _, unknown := range []string{mpn(3), "", want.ID.String()} {
			err := read(s, func(ctx context.Context, tx store.Tx) error {
				_, err := tx.GetPartnerByMpnID(ctx, unknown)
				return err
			})
			wantCode(t, fmt.Sprintf("GetPartnerByMpnID(%q)", unknown), err, csp.EPartnerNotFound)
		}
	}},
}

// chargeWorld is two partners' subscriptions with lifecycle events stored
// by one AddEvents call.
type chargeWorld struct {
	a, b                   *csp.Partner
	sub1, sub2, sub3, sub4 *csp.Subscription
	// events1..3 are the expected histories of sub1..sub3, oldest first.
	events1, events2, events3 []*csp.Event
	// usd is partner A's 11 USD charges in (posted, id) order: sub1's and
	// sub2's purchases, the 4 lines of their two seat changes at the same
	// instant (usd[2..5], in an order of random ids), sub1's decrease pair,
	// sub2's cancellation, sub1's last increase pair.
	usd []csp.Charge
	// eur is partner A's EUR charge; other is partner B's USD charge.
	eur, other csp.Charge
}

// of answers the subscription's USD charges, in the ledger's order.
func (w chargeWorld) of(subscriptionID uuid.UUID) []csp.Charge {
	var out []csp.Charge
	for _, c := range w.usd {
		if c.SubscriptionID == subscriptionID {
			out = append(out, c)
		}
	}
	return out
}

// mustChargeWorld stores, for partner A: sub1 (USD, P1Y monthly, with an
// order and an indirect reseller) bought, grown, shrunk, auto-renew off,
// grown again; sub2 (USD, P1M, a partner service, no order) bought, grown
// at the same instant as sub1 and cancelled; sub3 (EUR) bought. For partner
// B: sub4 (USD) bought.
func mustChargeWorld(t *testing.T, s store.Store) chargeWorld {
	t.Helper()
	dec := decimal.RequireFromString
	utc := func(y int, m time.Month, d, h, mi, sec, usec int) time.Time {
		return time.Date(y, m, d, h, mi, sec, usec*1000, time.UTC)
	}
	date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	w := chargeWorld{a: MustCreatePartner(t, s, mpn(1)), b: MustCreatePartner(t, s, mpn(2))}
	t1 := MustCreateTenant(t, s, "Contoso", "contoso")
	t2 := MustCreateTenant(t, s, "Fabrikam", "fabrikam")
	order := uuid.MustParse("0199a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b")

	w.sub1 = &csp.Subscription{ID: newID(), TenantID: t1.ID, PartnerID: &w.a.ID, Channel: csp.ChannelCSP, OrderID: &order, ResellerMpnID: "3000001",
		ProductID: "CFQ7TTC0LCHC", SkuID: "0002", AvailabilityID: "CFQ7TTC0MM1W", ProductName: "Microsoft 365 Business Premium",
		OfferName: "Microsoft 365 Business Premium (annual commitment)", FriendlyName: "HQ seats", UnitType: "Licenses", Quantity: 10,
		AutoRenew: true, TermDuration: "P1Y", BillingCycle: "monthly", UnitPrice: usd("23.10")}
	w.sub2 = &csp.Subscription{ID: newID(), TenantID: t2.ID, PartnerID: &w.a.ID, Channel: csp.ChannelCSP, PartnerService: true,
		ProductID: "OPENCSP-BACKUP", SkuID: "0001", AvailabilityID: "0001", ProductName: "Contoso Managed Backup",
		OfferName: "Managed Backup 100 GB (monthly)", UnitType: "Licenses", Quantity: 3, AutoRenew: true, TermDuration: "P1M",
		BillingCycle: "monthly", UnitPrice: usd("5.00")}
	w.sub3 = &csp.Subscription{ID: newID(), TenantID: t1.ID, PartnerID: &w.a.ID, Channel: csp.ChannelCSP, ProductID: "CFQ7TTC0LH18",
		SkuID: "0001", AvailabilityID: "CFQ7TTC0MM8R", ProductName: "Microsoft 365 Business Basic", OfferName: "Microsoft 365 Business Basic",
		UnitType: "Licenses", Quantity: 2, TermDuration: "P1Y", BillingCycle: "annual", UnitPrice: csp.NewMoney(dec("250.80"), "EUR")}
	w.sub4 = &csp.Subscription{ID: newID(), TenantID: t1.ID, PartnerID: &w.b.ID, Channel: csp.ChannelCSP, ProductID: "CFQ7TTC0LH18",
		SkuID: "0001", AvailabilityID: "CFQ7TTC0MM8R", ProductName: "Microsoft 365 Business Basic", OfferName: "Microsoft 365 Business Basic",
		UnitType: "Licenses", Quantity: 4, TermDuration: "P1M", BillingCycle: "monthly", UnitPrice: usd("6.00")}

	tieAt := utc(2026, 1, 12, 14, 0, 0, 654321)
	p1 := w.sub1.Purchase(utc(2026, 1, 10, 9, 30, 0, 123456), nil)
	p2 := w.sub2.Purchase(utc(2026, 1, 11, 8, 15, 30, 1), nil)
	p3 := w.sub3.Purchase(utc(2026, 1, 14, 12, 0, 0, 0), nil)
	p4 := w.sub4.Purchase(tieAt, nil)
	for _, ev := range []*csp.Event{p1, p2, p3, p4} {
		ev.SetIDs(newV7)
	}
	MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
		for _, x := range []*csp.Subscription{w.sub1, w.sub2, w.sub3, w.sub4} {
			if err := tx.CreateSubscription(ctx, x); err != nil {
				return err
			}
		}
		return nil
	})
	must := func(ev *csp.Event, err error) *csp.Event {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		ev.SetIDs(newV7)
		return ev
	}
	up1 := must(w.sub1.ChangeQuantity(tieAt, 15, 1, 300))
	up2 := must(w.sub2.ChangeQuantity(tieAt, 8, 1, 300))
	down1 := must(w.sub1.ChangeQuantity(utc(2026, 1, 13, 8, 0, 0, 1), 12, 1, 300))
	cancel2 := must(w.sub2.Cancel(utc(2026, 1, 16, 17, 20, 0, 500000)))
	autoOff1 := must(w.sub1.SetAutoRenew(utc(2026, 1, 20, 10, 0, 0, 250000), false))
	up1b := must(w.sub1.ChangeQuantity(utc(2026, 2, 2, 16, 45, 59, 999999), 14, 1, 300))
	// sub1's later events get smaller ids: only the date can order them.
	for i, ev := range []*csp.Event{up1b, autoOff1, down1, up1, p1} {
		ev.ID = uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1))
		for j := range ev.Charges {
			ev.Charges[j].EventID, ev.Charges[j].ReferenceID = ev.ID, ev.ID
		}
	}
	// Stored newest first, and of the two charges posted at the same
	// instant the one with the larger id first (ids of version 7 grow).
	evs := []store.SubscriptionEvent{
		{SubscriptionID: w.sub1.ID, Event: up1b}, {SubscriptionID: w.sub2.ID, Event: up2}, {SubscriptionID: w.sub2.ID, Event: cancel2},
		{SubscriptionID: w.sub3.ID, Event: p3}, {SubscriptionID: w.sub1.ID, Event: up1}, {SubscriptionID: w.sub2.ID, Event: p2},
		{SubscriptionID: w.sub1.ID, Event: autoOff1}, {SubscriptionID: w.sub1.ID, Event: down1}, {SubscriptionID: w.sub4.ID, Event: p4},
		{SubscriptionID: w.sub1.ID, Event: p1},
	}
	MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.AddEvents(ctx, evs) })

	// The expected charges, written out: who and what from the
	// subscription, the amounts and days from commerce rules C-1 and C-2.
	type sub struct {
		s                  *csp.Subscription
		partner            uuid.UUID
		termStart, termEnd time.Time
		termAndBilling     string
		price              string
	}
	s1 := sub{w.sub1, w.a.ID, date(2026, 1, 10), date(2027, 1, 9), "P1Y:monthly", "23.10"}
	s2 := sub{w.sub2, w.a.ID, date(2026, 1, 11), date(2026, 2, 10), "P1M:monthly", "5.00"}
	s3 := sub{w.sub3, w.a.ID, date(2026, 1, 14), date(2027, 1, 13), "P1Y:annual", "250.80"}
	s4 := sub{w.sub4, w.b.ID, date(2026, 1, 12), date(2026, 2, 11), "P1M:monthly", "6.00"}
	// line is one line of the event's lines, in the order the event made
	// them: bq whole seats at the effective unit price eup (C-2).
	type line struct {
		bq            int64
		eup, subtotal string
	}
	lines := func(x sub, ev *csp.Event, typ csp.ChargeType, qty int, from, to time.Time, want ...line) []csp.Charge {
		t.Helper()
		if len(ev.Charges) != len(want) {
			t.Fatalf("%s event made %d charges, want %d", ev.Type, len(ev.Charges), len(want))
		}
		var out []csp.Charge
		for i, l := range want {
			cur := x.s.UnitPrice.Currency
			out = append(out, csp.Charge{ID: ev.Charges[i].ID, SubscriptionID: x.s.ID, EventID: ev.ID, PartnerID: x.partner, TenantID: x.s.TenantID,
				OrderID: x.s.OrderID, ResellerMpnID: x.s.ResellerMpnID, ProductID: x.s.ProductID, SkuID: x.s.SkuID, AvailabilityID: x.s.AvailabilityID,
				ProductName: x.s.ProductName, SkuName: x.s.OfferName, PartnerService: x.s.PartnerService, ChargeType: typ, Quantity: qty,
				BillableQuantity: decimal.NewFromInt(l.bq), UnitPrice: x.s.UnitPrice, EffectiveUnitPrice: csp.NewMoney(dec(l.eup), cur),
				Subtotal: csp.NewMoney(dec(l.subtotal), cur), ChargeStart: from, ChargeEnd: to, SubscriptionStart: x.termStart, SubscriptionEnd: x.termEnd,
				TermAndBilling: x.termAndBilling, PostedAt: ev.Date, ReferenceID: ev.ID})
		}
		return out
	}
	// sub1: 23.10 a month, period 2026-01-10..02-09 (31 days). Each seat
	// change is a pair: the old seats at −p × d/D, the new at +p × d/D,
	// subtotal ROUNDDOWN(EUP, 2) × seats.
	cNew1 := lines(s1, p1, csp.ChargeNew, 10, date(2026, 1, 10), date(2026, 2, 9), line{10, "23.10", "231.00"})
	// 10 → 15 on 01-12, d = 29: 23.10 × 29/31 = 21.609677 → 21.60.
	cUp1 := lines(s1, up1, csp.ChargeAddQuantity, 5, date(2026, 1, 12), date(2026, 2, 9),
		line{10, "-21.609677", "-216.00"}, line{15, "21.609677", "324.00"})
	// 15 → 12 on 01-13, d = 28: 23.10 × 28/31 = 20.864516 → 20.86.
	cDown1 := lines(s1, down1, csp.ChargeRemoveQuantity, 3, date(2026, 1, 13), date(2026, 2, 9),
		line{15, "-20.864516", "-312.90"}, line{12, "20.864516", "250.32"})
	// 12 → 14 on 02-02, d = 8: 23.10 × 8/31 = 5.961290 → 5.96.
	cUp1b := lines(s1, up1b, csp.ChargeAddQuantity, 2, date(2026, 2, 2), date(2026, 2, 9),
		line{12, "-5.961290", "-71.52"}, line{14, "5.961290", "83.44"})
	// sub2: 5.00 a month, period 2026-01-11..02-10 (31 days).
	cNew2 := lines(s2, p2, csp.ChargeNew, 3, date(2026, 1, 11), date(2026, 2, 10), line{3, "5.00", "15.00"})
	// 3 → 8 on 01-12, d = 30: 5 × 30/31 = 4.838710 → 4.83.
	cUp2 := lines(s2, up2, csp.ChargeAddQuantity, 5, date(2026, 1, 12), date(2026, 2, 10),
		line{3, "-4.838710", "-14.49"}, line{8, "4.838710", "38.64"})
	// Cancelled on 01-16, past 24 hours, d = 26: 5 × 26/31 = 4.193548 → 4.19.
	cCancel2 := lines(s2, cancel2, csp.ChargeCancelImmediate, 8, date(2026, 1, 16), date(2026, 2, 10), line{8, "-4.193548", "-33.52"})
	w.eur = lines(s3, p3, csp.ChargeNew, 2, date(2026, 1, 14), date(2027, 1, 13), line{2, "250.80", "501.60"})[0]
	w.other = lines(s4, p4, csp.ChargeNew, 4, date(2026, 1, 12), date(2026, 2, 11), line{4, "6.00", "24.00"})[0]
	w.usd = slices.Concat(cNew1, cNew2, cUp1, cUp2, cDown1, cCancel2, cUp1b)
	slices.SortFunc(w.usd, comChargeOrder)

	w.events1 = []*csp.Event{
		{ID: p1.ID, Type: csp.EvPurchased, Date: p1.Date, Charges: cNew1, Changes: csp.Changes{
			Quantity: csp.Stated(10), TermDuration: csp.Stated("P1Y"), BillingCycle: csp.Stated("monthly"), UnitPrice: csp.Stated("23.10"), CommitmentEnd: csp.Stated("2027-01-09")}},
		{ID: up1.ID, Type: csp.EvQuantityChanged, Date: tieAt, Charges: cUp1, Changes: csp.Changes{Quantity: csp.Changed(10, 15)}},
		{ID: down1.ID, Type: csp.EvQuantityChanged, Date: utc(2026, 1, 13, 8, 0, 0, 1), Charges: cDown1,
			Changes: csp.Changes{Quantity: csp.Changed(15, 12)}},
		{ID: autoOff1.ID, Type: csp.EvAutoRenewChanged, Date: utc(2026, 1, 20, 10, 0, 0, 250000), Changes: csp.Changes{AutoRenewEnabled: csp.Changed(true, false)}},
		{ID: up1b.ID, Type: csp.EvQuantityChanged, Date: utc(2026, 2, 2, 16, 45, 59, 999999), Charges: cUp1b,
			Changes: csp.Changes{Quantity: csp.Changed(12, 14)}},
	}
	w.events2 = []*csp.Event{
		{ID: p2.ID, Type: csp.EvPurchased, Date: utc(2026, 1, 11, 8, 15, 30, 1), Charges: cNew2, Changes: csp.Changes{
			Quantity: csp.Stated(3), TermDuration: csp.Stated("P1M"), BillingCycle: csp.Stated("monthly"), UnitPrice: csp.Stated("5.00"), CommitmentEnd: csp.Stated("2026-02-10")}},
		{ID: up2.ID, Type: csp.EvQuantityChanged, Date: tieAt, Charges: cUp2, Changes: csp.Changes{Quantity: csp.Changed(3, 8)}},
		{ID: cancel2.ID, Type: csp.EvCancelled, Date: utc(2026, 1, 16, 17, 20, 0, 500000), Charges: cCancel2,
			Changes: csp.Changes{Status: csp.Changed(csp.StatusActive, csp.StatusDeleted)}},
	}
	w.events3 = []*csp.Event{
		{ID: p3.ID, Type: csp.EvPurchased, Date: utc(2026, 1, 14, 12, 0, 0, 0), Charges: []csp.Charge{w.eur}, Changes: csp.Changes{
			Quantity: csp.Stated(2), TermDuration: csp.Stated("P1Y"), BillingCycle: csp.Stated("annual"), UnitPrice: csp.Stated("250.80"), CommitmentEnd: csp.Stated("2027-01-13")}},
	}
	return w
}

// comChargeOrder is the ledger's order: posted time, then id.
func comChargeOrder(x, y csp.Charge) int {
	return cmp.Or(x.PostedAt.Compare(y.PostedAt), bytes.Compare(x.ID[:], y.ID[:]))
}

// comSubscription answers an active P1Y monthly subscription created (and
// its term started) at created, with one seat lot and its next cycle due.
func comSubscription(tenantID uuid.UUID, partnerID *uuid.UUID, created time.Time) *csp.Subscription {
	start := csp.Day(created)
	next := start.AddDate(0, 1, 0)
	return &csp.Subscription{ID: newID(), TenantID: tenantID, PartnerID: partnerID, Channel: csp.ChannelCSP,
		ProductID: "CFQ7TTC0LCHC", SkuID: "0002", AvailabilityID: "CFQ7TTC0MM1W", ProductName: "Microsoft 365 Business Premium",
		OfferName: "Microsoft 365 Business Premium (annual commitment)", FriendlyName: "Premium", UnitType: "Licenses",
		Quantity: 10, Status: csp.StatusActive, StatusSince: created, AutoRenew: true, TermDuration: "P1Y", BillingCycle: "monthly",
		UnitPrice: usd("23.10"), TermStartedAt: created, TermStart: start,
		TermEnd: start.AddDate(1, 0, -1), Lots: []csp.SeatLot{{Quantity: 10, AddedAt: created, AllowedUntil: created.Add(csp.CancellationWindow)}},
		NextEventAt: &next, CreatedAt: created}
}

// comBackupProduct is partner A's own service: two SKUs, one availability
// each, several terms and dated price lists in two currencies.
func comBackupProduct(partnerID uuid.UUID) csp.Product {
	dec := decimal.RequireFromString
	return csp.Product{ID: "OPENCSP-BACKUP", Title: "Contoso Managed Backup", Description: "Nightly backup of Exchange, SharePoint & \"OneDrive\"",
		ProductType: "Custom", Publisher: "Partner 1000001", PartnerID: &partnerID,
		Skus: []csp.Sku{
			{ID: "0001", Title: "Backup 100 GB", Description: "100 GB per seat", MinimumQuantity: 1, MaximumQuantity: 500, UnitType: "Licenses",
				UpgradeTargets: []string{"OPENCSP-BACKUP:0002"},
				Availabilities: []csp.Availability{{ID: "0001", Segment: csp.SegmentCommercial, Countries: []string{"US", "CA"},
					Terms: []csp.Term{{Duration: "P1M", BillingCycle: "monthly", Description: "One-month commitment"}, {Duration: "P1Y", BillingCycle: "annual"}},
					Prices: []csp.PriceList{
						{EffectiveDate: "2026-01-01", Currency: "USD", UnitPrices: map[string]decimal.Decimal{"P1M:monthly": dec("5.00"), "P1Y:annual": dec("54.00")}},
						{EffectiveDate: "2026-07-01", Currency: "USD", UnitPrices: map[string]decimal.Decimal{"P1M:monthly": dec("5.25"), "P1Y:annual": dec("57.00")}},
						{EffectiveDate: "2026-01-01", Currency: "CAD", UnitPrices: map[string]decimal.Decimal{"P1M:monthly": dec("6.995"), "P1Y:annual": dec("75.50")}},
					}}}},
			{ID: "0002", Title: "Backup unlimited", MinimumQuantity: 5, MaximumQuantity: 2000, UnitType: "Licenses",
				Availabilities: []csp.Availability{{ID: "0001", Segment: csp.SegmentEducation,
					Terms:  []csp.Term{{Duration: "P3Y", BillingCycle: "triennial"}},
					Prices: []csp.PriceList{{EffectiveDate: "2026-01-01", Currency: "USD", UnitPrices: map[string]decimal.Decimal{"P3Y:triennial": dec("300")}}},
				}}},
		}}
}

// comMailProduct is partner B's own service: a trial SKU and an add-on.
func comMailProduct(partnerID uuid.UUID) csp.Product {
	return csp.Product{ID: "FABRIKAM-MAIL", Title: "Fabrikam Mail Archive", ProductType: "Custom", Publisher: "Partner 1000002", PartnerID: &partnerID,
		Skus: []csp.Sku{
			{ID: "0001", Title: "Archive", MinimumQuantity: 1, MaximumQuantity: 100, UnitType: "Licenses",
				Availabilities: []csp.Availability{{ID: "0001", Segment: csp.SegmentCommercial, Terms: []csp.Term{{Duration: "P1M", BillingCycle: "monthly"}},
					Prices: []csp.PriceList{{EffectiveDate: "2026-01-15", Currency: "EUR", UnitPrices: map[string]decimal.Decimal{"P1M:monthly": decimal.RequireFromString("3.10")}}}}}},
			{ID: "0002", Title: "Archive trial", MinimumQuantity: 1, MaximumQuantity: 25, UnitType: "Licenses", IsTrial: true, TrialQuantity: 25,
				ConvertsTo:     "FABRIKAM-MAIL:0001",
				Availabilities: []csp.Availability{{ID: "0001", Segment: csp.SegmentCommercial, Terms: []csp.Term{{Duration: "P1M", BillingCycle: "monthly"}}}}},
			{ID: "0003", Title: "Legal hold add-on", MinimumQuantity: 1, MaximumQuantity: 100, UnitType: "Licenses", IsAddon: true,
				Prerequisites: []string{"FABRIKAM-MAIL:0001"},
				Availabilities: []csp.Availability{{ID: "0001", Segment: csp.SegmentCommercial, Terms: []csp.Term{{Duration: "P1M", BillingCycle: "monthly"}},
					Prices: []csp.PriceList{{EffectiveDate: "2026-01-15", Currency: "EUR", UnitPrices: map[string]decimal.Decimal{"P1M:monthly": decimal.RequireFromString("1.05")}}}}}},
		}}
}

func mustListCharges(tb testing.TB, s store.Store, f store.ChargeFilter) []csp.Charge {
	tb.Helper()
	var out []csp.Charge
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) (err error) {
		out, err = tx.ListCharges(ctx, f)
		return err
	})
	return out
}

func mustListSubscriptions(tb testing.TB, s store.Store, f store.SubscriptionFilter) []*csp.Subscription {
	tb.Helper()
	var out []*csp.Subscription
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) (err error) {
		out, err = tx.ListSubscriptions(ctx, f)
		return err
	})
	return out
}

func mustGetSubscription(tb testing.TB, s store.Store, id uuid.UUID) *csp.Subscription {
	tb.Helper()
	var out *csp.Subscription
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) (err error) {
		out, err = tx.GetSubscription(ctx, id)
		return err
	})
	return out
}

func mustGetCart(tb testing.TB, s store.Store, id uuid.UUID) *csp.Cart {
	tb.Helper()
	var out *csp.Cart
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) (err error) {
		out, err = tx.GetCart(ctx, id)
		return err
	})
	return out
}

func comAssertUTC(tb testing.TB, what string, t time.Time) {
	tb.Helper()
	if t.Location() != time.UTC {
		tb.Errorf("%s = %v is in %v, want UTC", what, t, t.Location())
	}
}

func comAssertChargeUTC(tb testing.TB, c csp.Charge) {
	tb.Helper()
	for what, tm := range map[string]time.Time{"charge start": c.ChargeStart, "charge end": c.ChargeEnd,
		"subscription start": c.SubscriptionStart, "subscription end": c.SubscriptionEnd, "posted": c.PostedAt} {
		comAssertUTC(tb, what, tm)
	}
}

func usd(amount string) csp.Money { return csp.NewMoney(decimal.RequireFromString(amount), "USD") }
