package storetest

import (
	"context"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// promotionCases cover what a promotion stores: a subscription's
// promotion and undiscounted list price beside its locked price, created,
// updated, cleared at a renewal without it, and each charge line's
// promotion.
var promotionCases = []testCase{
	{"SubscriptionPromotionAndListPrice", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		promo := comSubscription(tn.ID, &a.ID, time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC))
		// 15 % off 23.10 is 19.635, rounded to 19.64.
		promo.PromotionID, promo.ListPrice, promo.UnitPrice = "39NFJQT1Q5KV:0002:39NFJQT1Q6M6", usd("23.10"), usd("19.64")
		plain := comSubscription(tn.ID, &a.ID, time.Date(2026, 2, 4, 10, 0, 0, 0, time.UTC))
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateSubscription(ctx, promo); err != nil {
				return err
			}
			return tx.CreateSubscription(ctx, plain)
		})
		for _, want := range []*csp.Subscription{promo, plain} {
			got := mustGetSubscription(t, s, want.ID)
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("GetSubscription(%s) mismatch (-want +got):\n%s", want.PromotionID, diff)
			}
		}
		if got := mustGetSubscription(t, s, plain.ID); got.PromotionID != "" || got.ListPrice != (csp.Money{}) {
			t.Errorf("without a promotion: promotionId %q, list price %v; want none", got.PromotionID, got.ListPrice)
		}

		// Renewed without the promotion (it ended): list price gone; the
		// other gets one at a new price.
		promo.PromotionID, promo.ListPrice, promo.UnitPrice = "", csp.Money{}, usd("24.75")
		plain.PromotionID, plain.ListPrice, plain.UnitPrice = "7JQ2PKRW1XV3:0001:7JQ2PKRW1XV4", usd("24.75"), usd("22.28")
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.UpdateSubscriptions(ctx, []*csp.Subscription{promo, plain})
		})
		for _, want := range []*csp.Subscription{promo, plain} {
			if diff := gocmp.Diff(want, mustGetSubscription(t, s, want.ID)); diff != "" {
				t.Errorf("after UpdateSubscriptions mismatch (-want +got):\n%s", diff)
			}
		}
	}},
	{"ChargePromotion", func(t *testing.T, s store.Store) {
		a := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		sub := comSubscription(tn.ID, &a.ID, time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC))
		sub.PromotionID, sub.ListPrice, sub.UnitPrice = "39NFJQT1Q5KV:0002:39NFJQT1Q6M6", usd("23.10"), usd("19.64")
		ev := sub.Purchase(time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC), nil)
		ev.SetIDs(newV7)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateSubscription(ctx, sub); err != nil {
				return err
			}
			return tx.AddEvent(ctx, sub.ID, ev)
		})
		got := mustListCharges(t, s, store.ChargeFilter{PartnerID: a.ID, Currency: "USD", SubscriptionID: &sub.ID})
		if len(got) != 1 {
			t.Fatalf("%d charges, want 1", len(got))
		}
		c := got[0]
		// The purchase's `new` line: 10 seats, unitPrice the list price,
		// EUP the locked price for the full first month.
		if c.PromotionID != sub.PromotionID || c.UnitPrice.Amount.StringFixed(2) != "23.10" || c.EffectiveUnitPrice.Amount.StringFixed(2) != "19.64" ||
			c.Subtotal.Amount.StringFixed(2) != "196.40" {
			t.Errorf("charge promotion %q unitPrice %s EUP %s subtotal %s; want %s 23.10 19.64 196.40",
				c.PromotionID, c.UnitPrice.Amount, c.EffectiveUnitPrice.Amount, c.Subtotal.Amount, sub.PromotionID)
		}
		var evs []*csp.Event
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			evs, err = tx.SubscriptionEvents(ctx, store.EventFilter{SubscriptionID: sub.ID})
			return err
		})
		if len(evs) != 1 || len(evs[0].Charges) != 1 || evs[0].Charges[0].PromotionID != sub.PromotionID {
			t.Errorf("SubscriptionEvents lost the charge's promotion: %+v", evs)
		}
	}},
}
