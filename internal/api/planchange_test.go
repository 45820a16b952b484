package api_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
)

// nextCharge reads a subscription's nextChargeInstructions as GET shows them.
func (s *shop) nextCharge(t *testing.T, id string) map[string]any {
	t.Helper()
	var body struct {
		NextCharge map[string]any `json:"nextChargeInstructions"`
	}
	if _, err := s.pc.Do(s.w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/subscriptions/"+id, nil, &body, nil); err != nil {
		t.Fatal(err)
	}
	return body.NextCharge
}

// patchWithout sends the GET body back without one field.
func (s *shop) patchWithout(t *testing.T, id, field string) subJSON {
	t.Helper()
	out, err := s.edit(id, func(body map[string]any) { delete(body, field) })
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPatchLengthenTerm is R-2b through the whole-object PATCH: 10 seats of
// Business Basic P1M at 7.20, bought 2026-01-10T09:00Z (cycle
// 01-10..02-09, 31 days), lengthened on 2026-01-20 to P1Y/monthly at that
// day's 6.30. d = 21 (01-20..02-09): cancelImmediate −7.20 × 21/31 =
// −4.877419 → −4.87 × 10 = −48.70; new 01-20..02-19 at 63.00; the new term
// is 2026-01-20..2027-01-19 with a new window. A shorter term is refused.
func TestPatchLengthenTerm(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		id := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 10, TermDuration: "P1M", BillingCycle: "monthly"})
		s.advanceTo(t, "2026-01-20T12:00:00Z")
		got, err := s.patch(id, map[string]any{"termDuration": "P1Y"})
		if err != nil {
			t.Fatal(err)
		}
		until := time.Date(2026, 1, 27, 12, 0, 0, 0, time.UTC)
		if got.TermDuration != "P1Y" || got.BillingCycle != "monthly" || got.UnitPrice != "6.30" || got.Quantity != 10 ||
			!got.EffectiveStartDate.Equal(time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)) || !got.CommitmentEndDate.Equal(time.Date(2027, 1, 19, 0, 0, 0, 0, time.UTC)) ||
			got.CancellationAllowedUntilDate == nil || !got.CancellationAllowedUntilDate.Equal(until) || got.RefundableQuantity.TotalQuantity != 10 {
			t.Errorf("lengthened: %+v", got)
		}
		wantCharges(t, "lengthen", s.history(t, id),
			"new 10 10 72.00 2026-01-10..2026-02-09",
			"cancelImmediate 10 10 -48.70 2026-01-20..2026-02-09",
			"new 10 10 63.00 2026-01-20..2026-02-19")
		evs := s.events(t, id)
		last := evs[len(evs)-1]
		if last.EventType != csp.EvTermLengthened || len(last.ChargeLines) != 2 || last.ChargeLines[0].ReferenceID != last.ChargeLines[1].ReferenceID {
			t.Errorf("last event %s with %d lines; want termLengthened, two lines of one referenceId", last.EventType, len(last.ChargeLines))
		}
		// The echo changes nothing; a shorter term waits for the renewal.
		if _, err := s.patch(id, map[string]any{"friendlyName": "Basic"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.patch(id, map[string]any{"termDuration": "P1M"})
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ETermChangeAtRenewal))
		if after := s.sub(t, id); after.TermDuration != "P1Y" || len(s.history(t, id)) != 3 {
			t.Errorf("after the refusal: %+v", after)
		}
	})
}

// TestPatchBillingPlan is R-2a through the whole-object PATCH, with a
// partner service sold at Microsoft's illustrative P3Y prices (20 a month,
// 250 a year), 10 seats bought 2026-01-10.
func TestPatchBillingPlan(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		svc := map[string]any{"id": "NWPLAN", "title": "Northwind Plan", "skus": []any{map[string]any{
			"id": "0001", "title": "Plan per seat", "minimumQuantity": 1, "maximumQuantity": 1000, "unitType": "Licenses",
			"availabilities": []any{map[string]any{"id": "NWPLANUS1", "segment": "commercial",
				"terms":  []any{map[string]any{"duration": "P3Y", "billingCycle": "monthly"}, map[string]any{"duration": "P3Y", "billingCycle": "annual"}},
				"prices": []any{map[string]any{"effectiveDate": "2026-01-01", "currency": "USD", "unitPrices": map[string]string{"P3Y:monthly": "20.00", "P3Y:annual": "250.00"}}}}}}}}
		if _, err := s.pc.Do(w.ctx, http.MethodPost, "/v1/products", svc, nil, nil); err != nil {
			t.Fatal(err)
		}
		item := "NWPLAN:0001:NWPLANUS1"
		monthly := s.buy(t, cartLine{CatalogItemID: item, Quantity: 10, TermDuration: "P3Y", BillingCycle: "monthly"})
		annual := s.buy(t, cartLine{CatalogItemID: item, Quantity: 10, TermDuration: "P3Y", BillingCycle: "annual"})
		s.advanceTo(t, "2026-01-15T10:00:00Z")

		// Monthly to annual in the first cycle: held until 2026-02-10.
		got, err := s.patch(monthly, map[string]any{"billingCycle": "annual"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"product": map[string]any{"productId": "NWPLAN", "skuId": "0001", "availabilityId": "NWPLANUS1", "billingCycle": "annual",
			"termDuration": "P3Y"}, "quantity": float64(10)}
		if next := s.nextCharge(t, monthly); got.BillingCycle != "monthly" || got.UnitPrice != "20.00" || !reflect.DeepEqual(next, want) {
			t.Errorf("pending: billing %s at %s, nextChargeInstructions %v", got.BillingCycle, got.UnitPrice, next)
		}
		// The echo keeps it, and so do a suspension and a reactivation.
		for _, f := range []map[string]any{{"friendlyName": "Plan"}, {"status": "suspended"}, {"status": "active"}} {
			if _, err := s.patch(monthly, f); err != nil {
				t.Fatalf("PATCH %v: %v", f, err)
			}
			if next := s.nextCharge(t, monthly); !reflect.DeepEqual(next, want) {
				t.Fatalf("after PATCH %v: nextChargeInstructions %v", f, next)
			}
		}

		// Annual to monthly: held until the anniversary; a body without
		// nextChargeInstructions deletes it, the instructions alone ask again.
		if _, err := s.patch(annual, map[string]any{"billingCycle": "monthly"}); err != nil {
			t.Fatal(err)
		}
		if s.nextCharge(t, annual) == nil {
			t.Fatal("annual to monthly is not pending")
		}
		s.patchWithout(t, annual, "nextChargeInstructions")
		if next := s.nextCharge(t, annual); next != nil {
			t.Fatalf("a body without nextChargeInstructions left %v", next)
		}
		if _, err := s.patch(annual, map[string]any{"nextChargeInstructions": map[string]any{"product": map[string]any{"billingCycle": "monthly"}}}); err != nil {
			t.Fatal(err)
		}
		// Triennial billing is chosen at purchase or renewal only.
		_, err = s.patch(annual, map[string]any{"billingCycle": "triennial", "nextChargeInstructions": nil})
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ETermChangeAtRenewal))

		// 2026-02-10: annual billing from the second cycle to the end of
		// the term year, 11 of 12 cycles: 250 × 11/12 = 229.166667 →
		// 229.16 × 10 = 2,291.60; the term's dates do not move.
		s.advanceTo(t, "2026-02-10T00:00:00Z")
		wantCharges(t, "monthly to annual", s.history(t, monthly),
			"new 10 10 200.00 2026-01-10..2026-02-09",
			"changeBillingPlan 10 10 2291.60 2026-02-10..2027-01-09")
		if after := s.sub(t, monthly); after.BillingCycle != "annual" || after.UnitPrice != "250.00" || s.nextCharge(t, monthly) != nil ||
			!after.CommitmentEndDate.Equal(time.Date(2029, 1, 9, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("after the switch: %+v", after)
		}
		// 2027-01-10, the anniversary: one monthly cycle at 20 × 10, and
		// the other's second term year at 2,500.00.
		s.advanceTo(t, "2027-01-10T00:00:00Z")
		wantCharges(t, "annual to monthly", s.history(t, annual),
			"new 10 10 2500.00 2026-01-10..2027-01-09",
			"changeBillingPlan 10 10 200.00 2027-01-10..2027-02-09")
		wantCharges(t, "monthly to annual, year 2", s.history(t, monthly),
			"new 10 10 200.00 2026-01-10..2026-02-09",
			"changeBillingPlan 10 10 2291.60 2026-02-10..2027-01-09",
			"cycleCharge 10 10 2500.00 2027-01-10..2028-01-09")
		var raw map[string]json.RawMessage
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/subscriptions/"+annual, nil, &raw, nil); err != nil || string(raw["billingCycle"]) != `"monthly"` {
			t.Errorf("annual after the anniversary: billingCycle %s, %v", raw["billingCycle"], err)
		}
	})
}
