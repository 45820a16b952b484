package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
)

// TestReferenceExamples runs the commerce rules' worked examples through
// the API on both engines, on a partner service priced as the reference
// prices them ($10 a seat a month on P1Y/monthly, $120 a year on
// P1Y/annual) and on the built-in catalog:
//   - R-11 and R-11b: 10 seats at $120 a year bought 2026-03-01T10:00Z
//     (term to 2027-02-28, 365 days). Cancelled at 23.5 hours, the whole
//     year is refunded (−1,200.00); cancelled on 03-04, d = 362: −120 ×
//     362/365 = −119.013699 → −119.01 × 10 = −1,190.10, net 9.90.
//   - 5 seats at $10 a month bought 2026-06-15 (cycle 06-15..07-14,
//     30 days), 5 → 7 on 06-25, d = 20: 10 × 20/30 = 6.666667 → 6.66, so
//     −33.30 for 5 seats and +46.62 for 7; from 07-15 a cycle charge of
//     7 × 10.00 = 70.00.
//   - 300 seats of Business Basic P1M at $8.40 (the $7.00 list price
//     of 2026-04-01 × 1.20, R-6) bought 2026-08-18 (cycle 08-18..09-17, 31
//     days), fully upgraded on 08-25 to Business Premium P1M at $26.40, d =
//     24: −8.40 × 24/31 = −6.503226 → −6.50 × 300 = −1,950.00 and 26.40 ×
//     24/31 = 20.438710 → 20.43 × 300 = 6,129.00, on the same subscription,
//     which keeps its id.
func TestReferenceExamples(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		svc := map[string]any{"id": "NWSEAT", "title": "Northwind Seat", "skus": []any{map[string]any{
			"id": "0001", "title": "Seat", "minimumQuantity": 1, "maximumQuantity": 1000, "unitType": "Licenses",
			"availabilities": []any{map[string]any{"id": "NWSEATUS1", "segment": "commercial",
				"terms":  []any{map[string]any{"duration": "P1Y", "billingCycle": "monthly"}, map[string]any{"duration": "P1Y", "billingCycle": "annual"}},
				"prices": []any{map[string]any{"effectiveDate": "2026-01-01", "currency": "USD", "unitPrices": map[string]string{"P1Y:monthly": "10.00", "P1Y:annual": "120.00"}}}}}}}}
		if _, err := s.pc.Do(w.ctx, http.MethodPost, "/v1/products", svc, nil, nil); err != nil {
			t.Fatal(err)
		}
		const seat = "NWSEAT:0001:NWSEATUS1"

		// R-11, R-11b.
		s.advanceTo(t, "2026-03-01T10:00:00Z")
		late := s.buy(t, cartLine{CatalogItemID: seat, Quantity: 10, TermDuration: "P1Y", BillingCycle: "annual"})
		early := s.buy(t, cartLine{CatalogItemID: seat, Quantity: 10, TermDuration: "P1Y", BillingCycle: "annual"})
		s.advanceTo(t, "2026-03-02T09:30:00Z")
		if _, err := s.patch(early, map[string]any{"status": "deleted"}); err != nil {
			t.Fatal(err)
		}
		s.advanceTo(t, "2026-03-04T00:00:00Z")
		if _, err := s.patch(late, map[string]any{"status": "deleted"}); err != nil {
			t.Fatal(err)
		}
		wantCharges(t, "R-11b", s.history(t, early), "new 10 10 1200.00 2026-03-01..2027-02-28", "cancelImmediate 10 10 -1200.00 2026-03-01..2027-02-28")
		wantCharges(t, "R-11", s.history(t, late), "new 10 10 1200.00 2026-03-01..2027-02-28", "cancelImmediate 10 10 -1190.10 2026-03-04..2027-02-28")

		//
		s.advanceTo(t, "2026-06-15T09:00:00Z")
		grown := s.buy(t, cartLine{CatalogItemID: seat, Quantity: 5, TermDuration: "P1Y", BillingCycle: "monthly"})
		s.advanceTo(t, "2026-06-25T09:00:00Z")
		if _, err := s.patch(grown, map[string]any{"quantity": 7}); err != nil {
			t.Fatal(err)
		}
		s.advanceTo(t, "2026-07-15T00:00:00Z")
		wantCharges(t, "R-12", s.history(t, grown), "new 5 5 50.00 2026-06-15..2026-07-14",
			"addQuantity 2 5 -33.30 2026-06-25..2026-07-14", "addQuantity 2 7 46.62 2026-06-25..2026-07-14",
			"cycleCharge 7 7 70.00 2026-07-15..2026-08-14")

		// R-17, a full upgrade in place.
		s.advanceTo(t, "2026-08-18T09:00:00Z")
		src := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 300, TermDuration: "P1M", BillingCycle: "monthly"})
		s.advanceTo(t, "2026-08-25T09:00:00Z")
		out, err := s.transition(src, map[string]any{"toCatalogItemId": premium, "quantity": 300, "termDuration": "P1M", "billingCycle": "monthly"})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := out["toSubscriptionId"]; ok {
			t.Errorf("a full upgrade in place answered toSubscriptionId %v", out["toSubscriptionId"])
		}
		wantCharges(t, "R-17", s.history(t, src), "new 300 300 2520.00 2026-08-18..2026-09-17",
			"convert 300 300 -1950.00 2026-08-25..2026-09-17", "convert 300 300 6129.00 2026-08-25..2026-09-17")
		if got := s.sub(t, src); got.ID != src || got.OfferID != "CFQ7TTC0LCHC:0001" || got.Quantity != 300 || got.UnitPrice != "26.40" ||
			!got.CommitmentEndDate.Equal(time.Date(2026, 9, 17, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("after the full upgrade: %+v", got)
		}
	})
}

// TestFullUpgradeToLongerTerm is R-17's default for an upgrade that also
// lengthens the term: the upgrade in place on the current term, then the
// R-2b lengthening the same day. 10 seats of Business Basic P1M at $8.40
// bought 2026-05-10 (cycle 05-10..06-09, 31 days), fully upgraded on 05-20
// to Business Premium P1Y/monthly, d = 21:
//   - convert: −8.40 × 21/31 = −5.690323 → −5.69 × 10 = −56.90, and Premium's
//     P1M price 26.40 × 21/31 = 17.883871 → 17.88 × 10 = 178.80;
//   - lengthening: cancelImmediate −178.80 for the same days, and new at
//     23.10 × 10 = 231.00 for 05-20..06-19; the term is 2026-05-20..2027-05-19.
//
// The subscription keeps its id, and its upgraded seats cannot be
// cancelled in the new term's window (R-17b).
func TestFullUpgradeToLongerTerm(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		s.advanceTo(t, "2026-05-10T09:00:00Z")
		src := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 10, TermDuration: "P1M", BillingCycle: "monthly"})
		s.advanceTo(t, "2026-05-20T09:00:00Z")
		out, err := s.transition(src, map[string]any{"toCatalogItemId": premium, "termDuration": "P1Y", "billingCycle": "monthly"})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := out["toSubscriptionId"]; ok || out["termDuration"] != "P1Y" {
			t.Errorf("answer: toSubscriptionId %v, termDuration %v", out["toSubscriptionId"], out["termDuration"])
		}
		wantCharges(t, "upgraded", s.history(t, src), "new 10 10 84.00 2026-05-10..2026-06-09",
			"convert 10 10 -56.90 2026-05-20..2026-06-09", "convert 10 10 178.80 2026-05-20..2026-06-09",
			"cancelImmediate 10 10 -178.80 2026-05-20..2026-06-09", "new 10 10 231.00 2026-05-20..2026-06-19")
		got := s.sub(t, src)
		if got.ID != src || got.OfferID != "CFQ7TTC0LCHC:0001" || got.TermDuration != "P1Y" || got.BillingCycle != "monthly" || got.UnitPrice != "23.10" ||
			!got.EffectiveStartDate.Equal(time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)) || !got.CommitmentEndDate.Equal(time.Date(2027, 5, 19, 0, 0, 0, 0, time.UTC)) ||
			got.RefundableQuantity.TotalQuantity != 0 {
			t.Errorf("after the upgrade: %+v", got)
		}
		_, err = s.patch(src, map[string]any{"status": "deleted"})
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ECancelWindowClosed))
	})
}
