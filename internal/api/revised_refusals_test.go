package api_test

import (
	"net/http"
	"testing"

	"github.com/opencsp/opencsp/internal/csp"
)

// TestRevisedRuleRefusals sends operations that break the rules revised
// in 2026-12 (markets, whole-object PATCH, suspension, trials, upgrades,
// coterming, plan changes, promotions). Each answers its status and code
// and leaves every table as it was.
func TestRevisedRuleRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w) // clock at 2026-01-10T09:00Z
		year := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 10, TermDuration: "P1Y", BillingCycle: "annual"})
		month := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 5, TermDuration: "P1M", BillingCycle: "monthly"})
		trial := s.buy(t, cartLine{CatalogItemID: premiumTrial, Quantity: 25, TermDuration: "P1M", BillingCycle: "monthly"})
		susp := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 3, TermDuration: "P1Y", BillingCycle: "monthly"})
		dest := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 2, TermDuration: "P1Y", BillingCycle: "annual"})
		s.advanceTo(t, "2026-01-20T09:00:00Z") // the windows above have closed
		if _, err := s.patch(susp, map[string]any{"status": "suspended"}); err != nil {
			t.Fatal(err)
		}
		// Two seats of year upgraded into a new co-terminous subscription:
		// they open no window (R-17b).
		up, err := s.transition(year, map[string]any{"toCatalogItemId": premium, "quantity": 2, "termDuration": "P1Y", "billingCycle": "annual"})
		if err != nil {
			t.Fatal(err)
		}
		upgraded := up["toSubscriptionId"].(string)
		fresh := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 1, TermDuration: "P1Y", BillingCycle: "annual"}) // its window is open
		// Carts whose lines the revised rules refuse: their checkouts fail.
		promoCartOf := func(l promoLine) string {
			t.Helper()
			var c promoCart
			if _, err := s.pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+s.customer+"/carts", map[string]any{"lineItems": []promoLine{l}}, &c, nil); err != nil {
				t.Fatal(err)
			}
			if c.LineItems[0].Error == nil {
				t.Fatalf("cart line %+v was accepted", l)
			}
			return c.ID
		}
		unknownPromo := promoCartOf(promoLine{CatalogItemID: e3, Quantity: 1, TermDuration: "P1Y", BillingCycle: "annual", PromotionID: "NOPE:0001:NOPE"})
		endedPromo := promoCartOf(promoLine{CatalogItemID: e3, Quantity: 1, TermDuration: "P1Y", BillingCycle: "annual", PromotionID: promoCopilot})
		wrongTermPromo := promoCartOf(promoLine{CatalogItemID: e3, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly", PromotionID: promoE3})
		notFirstPromo := promoCartOf(promoLine{CatalogItemID: premium, Quantity: 1, TermDuration: "P1Y", BillingCycle: "annual", PromotionID: promoPremium})
		usOnly := newAgreedShopOf(t, w, "Liberty Cloud", "libertycust")

		c := "/v1/customers/" + s.customer
		sub := func(id string) string { return c + "/subscriptions/" + id }
		on := func(m map[string]any) map[string]any { m["autoRenewEnabled"] = true; return m }
		schedule := func(sku, avail, term, cycle string, qty int, end string) map[string]any {
			n := map[string]any{"product": map[string]string{"productId": "CFQ7TTC0LH18", "skuId": sku, "availabilityId": avail, "termDuration": term, "billingCycle": cycle},
				"quantity": qty}
			if end != "" {
				n["customTermEndDate"] = end
			}
			return on(map[string]any{"scheduledNextTermInstructions": n})
		}
		checkout := func(cart string) string { return c + "/carts/" + cart + "/checkout" }
		cases := []refusal{
			// a partner located in the US sells in the United States market only.
			{"MarketCanada", usOnly.pc, "POST", "/v1/customers", customer("Maple Ltd", "maple", "CA"), 400, csp.ECountryOutsideMarkets},
			{"MarketUK", usOnly.pc, "POST", "/v1/customers", customer("Thames Ltd", "thames", "GB"), 400, csp.ECountryOutsideMarkets},
			{"MarketGermany", usOnly.pc, "POST", "/v1/customers", customer("Spree GmbH", "spree", "DE"), 400, csp.ECountryOutsideMarkets},
			{"MarketFrance", usOnly.pc, "POST", "/v1/customers", customer("Seine SA", "seine", "FR"), 400, csp.ECountryOutsideMarkets},
			{"MarketNorway", usOnly.pc, "POST", "/v1/customers", customer("Fjord AS", "fjord", "NO"), 400, csp.ECountryOutsideMarkets},
			{"MarketJapan", usOnly.pc, "POST", "/v1/customers", customer("Sakura KK", "sakura", "JP"), 400, csp.ECountryOutsideMarkets},
			// trials are frozen.
			{"TrialSuspendUpperCase", s.pc, "PATCH", sub(trial), on(map[string]any{"status": "SUSPENDED"}), 400, csp.ETrialStatusFixed},
			{"TrialSeats", s.pc, "PATCH", sub(trial), on(map[string]any{"quantity": 26}), 400, csp.ETrialQuantityFixed},
			{"TrialCancel", s.pc, "PATCH", sub(trial), on(map[string]any{"status": "Deleted"}), 400, csp.ETrialNotCancellable},
			{"TrialScheduleIntoTrial", s.pc, "PATCH", sub(trial), on(map[string]any{"scheduledNextTermInstructions": map[string]any{"product": map[string]string{
				"productId": "CFQ7TTC0LCHC", "skuId": "0002", "availabilityId": "CFQ7TTC0P9FT", "termDuration": "P1M", "billingCycle": "monthly"}, "quantity": 25}}),
				400, csp.EInvalidScheduledChange},
			// a suspended subscription keeps its seats and, auto-renew off, schedules nothing.
			{"SuspendedSeats", s.pc, "PATCH", sub(susp), map[string]any{"status": "suspended", "quantity": 4}, 400, csp.ESubscriptionNotActive},
			{"SuspendedSchedule", s.pc, "PATCH", sub(susp), map[string]any{"status": "suspended", "scheduledNextTermInstructions": map[string]any{
				"product": map[string]string{"productId": "CFQ7TTC0LH18", "skuId": "0001", "termDuration": "P1Y", "billingCycle": "monthly"}, "quantity": 2}},
				400, csp.EInvalidScheduledChange},
			// The whole-object PATCH: a cancellation with other changes.
			{"CancelWithSeats", s.pc, "PATCH", sub(month), map[string]any{"status": "deleted", "quantity": 7}, 400, csp.EConflictingChanges},
			{"CancelWithLongerTerm", s.pc, "PATCH", sub(month), map[string]any{"status": "deleted", "termDuration": "P1Y"}, 400, csp.EConflictingChanges},
			// R-2, R-2a, R-2b: only lengthening, and P3Y billing, change mid-term.
			{"TermShorter", s.pc, "PATCH", sub(year), on(map[string]any{"termDuration": "P1M", "billingCycle": "monthly"}), 400, csp.ETermChangeAtRenewal},
			{"BillingCycleP1Y", s.pc, "PATCH", sub(year), on(map[string]any{"billingCycle": "monthly"}), 400, csp.ETermChangeAtRenewal},
			{"BillingCycleP1M", s.pc, "PATCH", sub(month), on(map[string]any{"billingCycle": "annual"}), 400, csp.ETermChangeAtRenewal},
			{"LengthenNotSold", s.pc, "PATCH", sub(year), on(map[string]any{"termDuration": "P3Y"}), 400, csp.EPlanNotSold},
			{"NextChargeOtherProduct", s.pc, "PATCH", sub(year), on(map[string]any{"nextChargeInstructions": map[string]any{
				"product": map[string]any{"productId": "CFQ7TTC0LCHC"}}}), 400, csp.EInvalidNextCharge},
			// custom term end dates.
			{"CustomEndNotListed", s.pc, "PATCH", sub(year), schedule("0001", "CFQ7TTC0K971", "P1Y", "annual", 10, "2027-03-03T00:00:00Z"), 400, csp.EInvalidCustomTermEnd},
			{"CustomEndAfterNaturalEnd", s.pc, "PATCH", sub(year), schedule("0001", "CFQ7TTC0K971", "P1Y", "annual", 10, "2028-02-15T00:00:00Z"), 400, csp.EInvalidCustomTermEnd},
			{"CustomTermEndDatesWithoutTerm", s.pc, "GET", c + "/subscriptions/customTermEndDates", nil, 400, csp.EMissingField},
			{"CustomTermEndDatesUnknownTarget", s.pc, "GET", c + "/subscriptions/customTermEndDates?term_duration=P1Y&target_coterm_subscription_id=0d6f7c1e-0000-4000-8000-000000000000",
				nil, 404, csp.ESubscriptionNotFound},
			// R-17b: upgraded seats are not refundable; destinations must qualify.
			{"DecreaseUpgradedSeats", s.pc, "PATCH", sub(upgraded), on(map[string]any{"quantity": 1}), 400, csp.EDecreaseOutsideWindow},
			{"CancelUpgradedSeats", s.pc, "PATCH", sub(upgraded), map[string]any{"status": "deleted"}, 400, csp.ECancelWindowClosed},
			{"IntoDestinationInWindow", s.pc, "POST", sub(year) + "/transitions", map[string]any{"toCatalogItemId": premium, "toSubscriptionId": fresh, "quantity": 1}, 400, csp.ETransitionNotEligible},
			{"IntoShorterTerm", s.pc, "POST", sub(year) + "/transitions", map[string]any{"toCatalogItemId": premium, "toSubscriptionId": month, "quantity": 1}, 400, csp.ETransitionNotEligible},
			{"UpgradeShorterTerm", s.pc, "POST", sub(year) + "/transitions", map[string]any{"toCatalogItemId": premium, "quantity": 1, "termDuration": "P1M", "billingCycle": "monthly"}, 400, csp.ETransitionNotEligible},
			{"UpgradeSuspended", s.pc, "POST", sub(susp) + "/transitions", map[string]any{"toCatalogItemId": premium, "quantity": 1}, 400, csp.ETransitionNotEligible},
			// a conversion keeps at least the trial's 25 seats.
			{"TrialConversionTooFew", s.pc, "POST", sub(trial) + "/transitions", map[string]any{"toCatalogItemId": premium, "quantity": 20, "termDuration": "P1Y", "billingCycle": "annual"}, 400, csp.ETransitionNotEligible},
			{"TrialIntoExisting", s.pc, "POST", sub(trial) + "/transitions", map[string]any{"toCatalogItemId": premium, "toSubscriptionId": dest, "quantity": 20}, 400, csp.ETransitionNotEligible},
			// a cart line with a promotion that does not apply.
			{"PromotionUnknown", s.pc, "POST", checkout(unknownPromo), nil, 400, csp.ECartLineErrors},
			{"PromotionEnded", s.pc, "POST", checkout(endedPromo), nil, 400, csp.ECartLineErrors},
			{"PromotionWrongTerm", s.pc, "POST", checkout(wrongTermPromo), nil, 400, csp.ECartLineErrors},
			{"PromotionNotFirstPurchase", s.pc, "POST", checkout(notFirstPromo), nil, 400, csp.ECartLineErrors},
		}
		runRefusals(t, w, cases, 30)
	})
}
