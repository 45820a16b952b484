package api_test

import (
	"net/http"
	"testing"
	"time"
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
