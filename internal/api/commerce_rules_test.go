package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

const (
	premiumTrial = "CFQ7TTC0LCHC:0002:CFQ7TTC0P9FT"
	copilot      = "CFQ7TTC0MM8R:0001:CFQ7TTC0PWLZ"
	a3Faculty    = "CFQ7TTC0LH0Z:0001:CFQ7TTC0XNMV"
	azurePlan    = "DZH318Z0BPS6:0001:DZH318Z0BML6"
)

// buy checks out one line and answers the subscription id.
func (s *shop) buy(t *testing.T, l cartLine) string {
	t.Helper()
	c := s.cart(t, l)
	if e := c.LineItems[0].Error; e != nil {
		t.Fatalf("line %s: %s", l.CatalogItemID, e.ErrorCode)
	}
	res, err := s.checkout(t, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return res.Orders[0].LineItems[0].SubscriptionID
}

func newAgreedShop(t *testing.T, w *world) *shop {
	s := newShop(t, w)
	s.advanceTo(t, "2026-01-10T09:00:00Z")
	s.agree(t)
	return s
}

// TestPriceLockAndCustomTermEnd: seats added after a price rise keep the
// term's price while a new purchase pays the new one; a custom end
// date co-terms a new subscription.
func TestPriceLockAndCustomTermEnd(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		old := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 10, TermDuration: "P1Y", BillingCycle: "annual"})
		s.advanceTo(t, "2026-05-01T10:00:00Z") // Business Basic costs $84.00 a year from 2026-04-01
		if _, err := s.patch(old, map[string]any{"quantity": 15}); err != nil {
			t.Fatal(err)
		}
		fresh := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1Y", BillingCycle: "annual"})
		// 254 of 365 days left at the locked $72.00: 72 × 254/365 =
		// 50.104110 → 50.10, credited for 10 seats and charged for 15.
		wantCharges(t, "old", s.history(t, old),
			"new 10 10 720.00 2026-01-10..2027-01-09",
			"addQuantity 5 10 -501.00 2026-05-01..2027-01-09",
			"addQuantity 5 15 751.50 2026-05-01..2027-01-09")
		wantCharges(t, "fresh", s.history(t, fresh), "new 1 1 84.00 2026-05-01..2027-04-30")

		// Co-termed with the old subscription: 254 of 365 days at $264.00 a year.
		end := time.Date(2027, 1, 9, 0, 0, 0, 0, time.UTC)
		var c cartJSON
		line := map[string]any{"catalogItemId": premium, "quantity": 2, "termDuration": "P1Y", "billingCycle": "annual", "customTermEndDate": end}
		bad := map[string]any{"catalogItemId": premium, "quantity": 2, "termDuration": "P1Y", "billingCycle": "annual", "customTermEndDate": "2026-12-15T00:00:00Z"}
		if _, err := s.pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+s.customer+"/carts", map[string]any{"lineItems": []any{line, bad}}, &c, nil); err != nil {
			t.Fatal(err)
		}
		if c.LineItems[0].Error != nil || c.LineItems[1].Error == nil || c.LineItems[1].Error.ErrorCode != "InvalidCustomTermEndDate" {
			t.Fatalf("custom end lines: %+v", c.LineItems)
		}
		var put cartJSON
		if _, err := s.pc.Do(w.ctx, http.MethodPut, "/v1/customers/"+s.customer+"/carts/"+c.ID, map[string]any{"lineItems": []any{line}}, &put, nil); err != nil {
			t.Fatal(err)
		}
		res, err := s.checkout(t, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		co := res.Orders[0].LineItems[0].SubscriptionID
		if got := s.sub(t, co); !got.CommitmentEndDate.Equal(end) {
			t.Errorf("co-termed end %s", got.CommitmentEndDate)
		}
		// The custom first term is prorated: 264 × 254/365 = 183.715068 → 183.71 × 2.
		wantCharges(t, "co-termed", s.history(t, co), "new 2 2 367.42 2026-05-01..2027-01-09")
	})
}

// TestSuspension: billing continues while suspended; reactivation;
// a subscription still suspended at term end is disabled.
func TestSuspension(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		id := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 2, TermDuration: "P1Y", BillingCycle: "monthly"})
		s.advanceTo(t, "2026-01-20T00:00:00Z")
		if got, err := s.patch(id, map[string]any{"status": "suspended"}); err != nil || got.Status != "suspended" || got.AutoRenewEnabled {
			t.Fatalf("suspend: %+v %v; want suspended with auto-renew off (R-18)", got, err)
		}
		_, err := s.patch(id, map[string]any{"quantity": 3})
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ESubscriptionNotActive))
		s.advanceTo(t, "2026-02-15T00:00:00Z")
		if got, err := s.patch(id, map[string]any{"status": "active"}); err != nil || got.Status != "active" || got.AutoRenewEnabled {
			t.Fatalf("reactivate: %+v %v; want active with auto-renew still off (R-18)", got, err)
		}
		_, err = s.patch(id, map[string]any{"status": "active", "quantity": 2})
		if err != nil {
			t.Fatalf("unchanged status and quantity are no change: %v", err)
		}
		wantCharges(t, "suspended", s.history(t, id),
			"new 2 2 46.20 2026-01-10..2026-02-09",
			"cycleCharge 2 2 46.20 2026-02-10..2026-03-09")
		if _, err := s.patch(id, map[string]any{"status": "suspended"}); err != nil {
			t.Fatal(err)
		}
		// Term 2026-01-10..2027-01-09, still suspended at its end:
		// disabled from 2027-01-10 for 30 days, then from 2027-02-09 for 90
		// days, deleted on 2027-05-10.
		for _, c := range []struct{ at, want string }{
			{"2027-01-09T00:00:00Z", "suspended"}, {"2027-01-10T00:00:00Z", "disabled"}, {"2027-02-09T00:00:00Z", "disabled"},
			{"2027-05-09T00:00:00Z", "disabled"}, {"2027-05-10T00:00:00Z", "deleted"},
		} {
			s.advanceTo(t, c.at)
			if got := s.sub(t, id); got.Status != c.want {
				t.Fatalf("suspended at term end, on %s: %s, want %s (R-20)", c.at, got.Status, c.want)
			}
		}
	})
}

// TestScheduleClearedBySeatChange: a mid-term seat change clears the
// scheduled next-term changes, through the API on both engines,
// even though the whole-object body (s.patch: GET, change, PATCH) echoes
// the stored instructions.
func TestScheduleClearedBySeatChange(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		id := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 20, TermDuration: "P1Y", BillingCycle: "annual"})
		s.advanceTo(t, "2026-03-01T00:00:00Z")
		next := map[string]any{"product": map[string]string{"productId": "CFQ7TTC0LCHC", "skuId": "0001", "availabilityId": "CFQ7TTC0MM1W",
			"termDuration": "P1Y", "billingCycle": "monthly"}, "quantity": 12}
		if got, err := s.patch(id, map[string]any{"autoRenewEnabled": true, "scheduledNextTermInstructions": next}); err != nil || got.ScheduledNextTermInstructions == nil {
			t.Fatalf("schedule: %+v %v", got, err)
		}
		got, err := s.patch(id, map[string]any{"autoRenewEnabled": true, "quantity": 22})
		if err != nil || got.Quantity != 22 || got.ScheduledNextTermInstructions != nil {
			t.Fatalf("20 → 22: %+v %v; want 22 seats and the schedule cleared (R-15)", got, err)
		}
	})
}

type eligibilityJSON struct {
	Items []struct {
		CatalogItemID string `json:"catalogItemId"`
		Eligibilities []struct {
			IsEligible bool `json:"isEligible"`
			Errors     []struct {
				Code string `json:"code"`
			} `json:"errors"`
		} `json:"eligibilities"`
		SubscriptionEligibilities []struct {
			SubscriptionID string `json:"subscriptionId"`
		} `json:"subscriptionEligibilities"`
	} `json:"items"`
}

func (s *shop) transition(id string, body map[string]any) (map[string]any, error) {
	var out map[string]any
	_, err := s.pc.Do(s.w.ctx, http.MethodPost, "/v1/customers/"+s.customer+"/subscriptions/"+id+"/transitions", body, &out, nil)
	return out, err
}

// TestUpgrade: R-16 eligibility and R-17 mechanics, partial then full into
// the existing target.
func TestUpgrade(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		src := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 10, TermDuration: "P1Y", BillingCycle: "annual"})
		s.advanceTo(t, "2026-10-01T10:00:00Z")
		var el eligibilityJSON
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/subscriptions/"+src+"/transitioneligibilities?eligibilityType=immediate", nil, &el, nil); err != nil {
			t.Fatal(err)
		}
		var eligible []string
		for _, it := range el.Items {
			if it.Eligibilities[0].IsEligible {
				eligible = append(eligible, it.CatalogItemID)
			}
		}
		if strings.Join(eligible, ",") != standard+","+premium {
			t.Fatalf("eligible targets %v", eligible)
		}
		// 4 seats to Premium with 101 of 365 days left.
		out, err := s.transition(src, map[string]any{"toCatalogItemId": premium, "quantity": 4, "termDuration": "P1Y", "billingCycle": "annual"})
		if err != nil {
			t.Fatal(err)
		}
		target := out["toSubscriptionId"].(string)
		if got := s.sub(t, target); got.Quantity != 4 || !got.CommitmentEndDate.Equal(time.Date(2027, 1, 9, 0, 0, 0, 0, time.UTC)) || got.UnitPrice != "264.00" {
			t.Fatalf("target: %+v", got)
		}
		// The target now appears as a merge destination.
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/subscriptions/"+src+"/transitioneligibilities", nil, &el, nil); err != nil {
			t.Fatal(err)
		}
		if it := el.Items[1]; len(it.SubscriptionEligibilities) != 1 || it.SubscriptionEligibilities[0].SubscriptionID != target {
			t.Fatalf("merge targets: %+v", it.SubscriptionEligibilities)
		}
		if _, err := s.transition(src, map[string]any{"toCatalogItemId": premium, "toSubscriptionId": target, "quantity": 6}); err != nil {
			t.Fatal(err)
		}
		wantCharges(t, "source", s.history(t, src),
			"new 10 10 720.00 2026-01-10..2027-01-09",
			// 101 of 365 days: 72 × 101/365 = 19.923288 → 19.92 a seat.
			"convert 4 4 -79.68 2026-10-01..2027-01-09",
			"moveQuantity 6 6 -119.52 2026-10-01..2027-01-09")
		wantCharges(t, "target", s.history(t, target),
			// 264 × 101/365 = 73.052055 → 73.05 a seat.
			"convert 4 4 292.20 2026-10-01..2027-01-09",
			"moveQuantity 6 6 438.30 2026-10-01..2027-01-09")
		if got := s.sub(t, src); got.Status != "deleted" {
			t.Errorf("source after full upgrade: %s", got.Status)
		}
		if got := s.sub(t, target); got.Quantity != 10 {
			t.Errorf("target seats %d", got.Quantity)
		}
		// No downgrade mid-term.
		_, err = s.transition(target, map[string]any{"toCatalogItemId": basic, "quantity": 1})
		e := wantAPIError(t, err, http.StatusBadRequest, int(csp.ETransitionNotEligible))
		if strings.Join(e.Data, ",") != csp.TransitionTargetNotFound {
			t.Errorf("downgrade refusal data %v", e.Data)
		}
	})
}

// TestTrial is R-26 through the API on both engines: a trial of 25 seats
// bought 2026-01-10 lasts 30 days (to 02-08), renews automatically into
// its paid equivalent (P1Y/monthly, 25 seats), cannot be suspended, and is
// one per customer. Contoso's converts at once on 01-20 to P1Y/annual at
// $264 and keeps its id: `convert` 25 × 0.00 and 25 × 264.00 = 6,600.00
// over 2026-01-20..2027-01-19. Fabrikam's is left alone and converts on
// 02-09 to P1Y/monthly at $23.10: 25 × 23.10 = 577.50 for 02-09..03-08,
// term 2026-02-09..2027-02-08.
func TestTrial(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		trial := s.buy(t, cartLine{CatalogItemID: premiumTrial, Quantity: 25, TermDuration: "P1M", BillingCycle: "monthly"})
		got := s.sub(t, trial)
		if !got.IsTrial || !got.AutoRenewEnabled || !got.CommitmentEndDate.Equal(time.Date(2026, 2, 8, 0, 0, 0, 0, time.UTC)) || got.CancellationAllowedUntilDate != nil ||
			got.ScheduledNextTermInstructions == nil || got.ScheduledNextTermInstructions.Quantity != 25 {
			t.Fatalf("trial: %+v", got)
		}
		c := s.cart(t, cartLine{CatalogItemID: premiumTrial, Quantity: 25, TermDuration: "P1M", BillingCycle: "monthly"})
		if e := c.LineItems[0].Error; e == nil || e.ErrorCode != "QuotaNotAvailable" {
			t.Fatalf("second trial: %+v", c.LineItems[0])
		}
		_, err := s.patch(trial, map[string]any{"status": "suspended"})
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ETrialStatusFixed))
		other := &shop{w: w, pc: s.pc, customer: w.MustCustomer(s.pc, customer("Fabrikam", "fabrikam", "US")).ID}
		other.agree(t)
		left := other.buy(t, cartLine{CatalogItemID: premiumTrial, Quantity: 25, TermDuration: "P1M", BillingCycle: "monthly"})

		s.advanceTo(t, "2026-01-20T12:00:00Z")
		_, err = s.transition(trial, map[string]any{"toCatalogItemId": premium, "termDuration": "P1Y", "billingCycle": "annual", "quantity": 20})
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ETransitionNotEligible))
		out, err := s.transition(trial, map[string]any{"toCatalogItemId": premium, "termDuration": "P1Y", "billingCycle": "annual"})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := out["toSubscriptionId"]; ok {
			t.Errorf("a conversion in place answered toSubscriptionId %v", out["toSubscriptionId"])
		}
		wantCharges(t, "converted", s.history(t, trial), "new 25 25 0.00 2026-01-10..2026-02-08",
			"convert 25 25 0.00 2026-01-20..2027-01-19", "convert 25 25 6600.00 2026-01-20..2027-01-19")
		if got := s.sub(t, trial); got.Status != "active" || got.IsTrial || got.OfferID != "CFQ7TTC0LCHC:0001" || !got.CommitmentEndDate.Equal(time.Date(2027, 1, 19, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("trial after conversion: %+v", got)
		}

		s.advanceTo(t, "2026-02-10T00:00:00Z")
		wantCharges(t, "left alone", other.history(t, left), "new 25 25 0.00 2026-01-10..2026-02-08",
			"convert 25 25 0.00 2026-02-09..2026-03-08", "convert 25 25 577.50 2026-02-09..2026-03-08")
		if got := other.sub(t, left); got.Status != "active" || got.IsTrial || got.OfferID != "CFQ7TTC0LCHC:0001" || got.TermDuration != "P1Y" || got.BillingCycle != "monthly" ||
			!got.CommitmentEndDate.Equal(time.Date(2027, 2, 8, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("trial left alone: %+v", got)
		}
	})
}

// TestIndirectChannel: a provider names its reseller of record; the
// reseller reads the subscription but cannot change it or buy itself.
func TestIndirectChannel(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		prov, pc := w.MustPartner(client.NewPartner{Name: "Contoso Distribution", Country: "US", PartnerType: "indirectProvider"})
		res, rc := w.MustPartner(client.NewPartner{Name: "Fabrikam IT", Country: "US", PartnerType: "indirectReseller", ProviderID: &prov.ID, MpnID: "3000001"})
		body := customer("Adatum", "adatum", "US")
		body.AssociatedPartnerID = res.ID.String()
		cust := w.MustCustomer(pc, body)
		s := &shop{w: w, pc: pc, customer: cust.ID}
		s.agree(t)
		line := map[string]any{"catalogItemId": basic, "quantity": 3, "termDuration": "P1Y", "billingCycle": "monthly",
			"participants": []map[string]string{{"key": "transaction", "value": "3000001"}}}
		var c cartJSON
		if _, err := pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+cust.ID+"/carts", map[string]any{"lineItems": []any{line}}, &c, nil); err != nil {
			t.Fatal(err)
		}
		out, err := s.checkout(t, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		id := out.Orders[0].LineItems[0].SubscriptionID
		var sub struct {
			PartnerID string `json:"partnerId"`
		}
		if _, err := rc.Do(w.ctx, http.MethodGet, "/v1/customers/"+cust.ID+"/subscriptions/"+id, nil, &sub, nil); err != nil || sub.PartnerID != "3000001" {
			t.Fatalf("reseller reads: %+v %v", sub, err)
		}
		_, err = rc.Do(w.ctx, http.MethodPatch, "/v1/customers/"+cust.ID+"/subscriptions/"+id, map[string]any{"quantity": 4}, nil, nil)
		wantAPIError(t, err, http.StatusNotFound, int(csp.ESubscriptionNotFound))
		_, err = rc.Do(w.ctx, http.MethodPost, "/v1/customers/"+cust.ID+"/carts", map[string]any{"lineItems": []any{line}}, nil, nil)
		wantAPIError(t, err, http.StatusForbidden, int(csp.EResellerCannotTransact))
		bad := map[string]any{"catalogItemId": basic, "quantity": 3, "termDuration": "P1Y", "billingCycle": "monthly",
			"participants": []map[string]string{{"key": "transaction", "value": "9999999"}}}
		if _, err := pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+cust.ID+"/carts", map[string]any{"lineItems": []any{bad}}, &c, nil); err != nil {
			t.Fatal(err)
		}
		if e := c.LineItems[0].Error; e == nil || e.ErrorCode != "ParticipantsIsNotSupportedForPartner" {
			t.Fatalf("unknown reseller: %+v", c.LineItems[0])
		}
	})
}

// TestCartLineErrors: every line keeps its own Partner Center error code;
// checkout of such a cart answers 400 and buys nothing.
func TestCartLineErrors(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		lines := []map[string]any{
			{"catalogItemId": "NOPE", "quantity": 1, "billingCycle": "monthly"},
			{"catalogItemId": "CFQ7TTC0LH18:0001:XXXXXXXXXXXX", "quantity": 1, "termDuration": "P1Y", "billingCycle": "annual"},
			{"catalogItemId": a3Faculty, "quantity": 1, "termDuration": "P1Y", "billingCycle": "annual"},
			{"catalogItemId": premium, "quantity": 1, "termDuration": "P1M", "billingCycle": "annual"},
			{"catalogItemId": basic, "quantity": 301, "termDuration": "P1Y", "billingCycle": "annual"},
			{"catalogItemId": basic, "quantity": 0, "termDuration": "P1Y", "billingCycle": "annual"},
			{"catalogItemId": copilot, "quantity": 1, "termDuration": "P1Y", "billingCycle": "annual"},
			{"catalogItemId": basic, "quantity": 1, "termDuration": "P1Y", "billingCycle": "annual", "currencyCode": "EUR"},
			{"catalogItemId": azurePlan, "quantity": 1, "billingCycle": "monthly"},
			{"catalogItemId": azurePlan, "quantity": 1, "billingCycle": "monthly"},
			{"catalogItemId": premiumTrial, "quantity": 25, "termDuration": "P1M", "billingCycle": "monthly", "customTermEndDate": "2026-01-31T00:00:00Z"},
			{"catalogItemId": basic, "quantity": 1, "termDuration": "P1Y", "billingCycle": "annual", "participants": []map[string]string{{"key": "transaction", "value": "1234567"}}},
			{"catalogItemId": premiumTrial, "quantity": 10, "termDuration": "P1M", "billingCycle": "monthly"},
		}
		want := []string{"CatalogItemIdIsNotValid", "CatalogItemIdIsNotValid", "CatalogItemIdIsNotValid", "BillingPlanNotSupported",
			"MaxAllowedSeatsPerSubscriptionExceeded", "InvalidInput", "SubscriptionIsNotValid", "CurrencyIsNotSupported", "",
			"QuotaNotAvailable", "InvalidCustomTermEndDateProduct", "ParticipantsIsNotSupportedForPartner", "InvalidInput"}
		var c cartJSON
		if _, err := s.pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+s.customer+"/carts", map[string]any{"lineItems": lines}, &c, nil); err != nil {
			t.Fatal(err)
		}
		for i, l := range c.LineItems {
			got := ""
			if l.Error != nil {
				got = l.Error.ErrorCode
			}
			if got != want[i] {
				t.Errorf("line %d (%s): %q, want %q", i, lines[i]["catalogItemId"], got, want[i])
			}
		}
		before := w.Dump()
		_, err := s.checkout(t, c.ID)
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ECartLineErrors))
		if after := w.Dump(); strings.Count(after, "\nsubscriptions (0)") != 1 || after != before {
			t.Errorf("a refused checkout changed the database")
		}
		var again cartJSON
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/carts/"+c.ID, nil, &again, nil); err != nil || again.Status != "Active" || again.LineItems[0].Error == nil {
			t.Fatalf("cart after refused checkout: %+v %v", again, err)
		}
		// An add-on needs base seats at least equal to its own.
		base := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 2, TermDuration: "P1Y", BillingCycle: "annual"})
		_ = base
		c = s.cart(t, cartLine{CatalogItemID: copilot, Quantity: 3, TermDuration: "P1Y", BillingCycle: "annual"})
		if e := c.LineItems[0].Error; e == nil || e.ErrorCode != "BaseOfferSeatQuantityNotMet" {
			t.Fatalf("copilot over base seats: %+v", c.LineItems[0])
		}
		c = s.cart(t, cartLine{CatalogItemID: copilot, Quantity: 2, TermDuration: "P1Y", BillingCycle: "annual"})
		if c.LineItems[0].Error != nil {
			t.Fatalf("copilot on 2 base seats: %+v", c.LineItems[0].Error)
		}
	})
}

// TestCatalogByMarket: prices in the market's currency, segments, and the
// operator replacing the catalog.
func TestCatalogByMarket(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, pc := w.MustPartner(designPartner("Northwind Cloud"))
		w.op.Do(w.ctx, http.MethodPost, "/admin/v1/clock/advance", map[string]string{"to": "2026-01-10T00:00:00Z"}, nil, nil)
		type avail struct {
			Items []struct {
				CatalogItemID   string            `json:"catalogItemId"`
				DefaultCurrency map[string]string `json:"defaultCurrency"`
				Terms           []struct {
					Duration     string      `json:"duration"`
					BillingCycle string      `json:"billingCycle"`
					UnitPrice    json.Number `json:"unitPrice"`
				} `json:"terms"`
			} `json:"items"`
		}
		prices := func(country string) string {
			var a avail
			if _, err := pc.Do(w.ctx, http.MethodGet, "/v1/products/CFQ7TTC0LH18/skus/0001/availabilities?country="+country, nil, &a, nil); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, tm := range a.Items[0].Terms {
				out = append(out, tm.Duration+":"+tm.BillingCycle+"="+tm.UnitPrice.String())
			}
			return a.Items[0].DefaultCurrency["code"] + " " + strings.Join(out, " ")
		}
		if got := prices("US"); got != "USD P1M:monthly=7.20 P1Y:monthly=6.30 P1Y:annual=72.00" {
			t.Errorf("US: %s", got)
		}
		if got := prices("DE"); got != "EUR P1M:monthly=6.72 P1Y:monthly=5.88 P1Y:annual=67.20" {
			t.Errorf("DE: %s", got)
		}
		var products client.Collection[map[string]any]
		if _, err := pc.Do(w.ctx, http.MethodGet, "/v1/products?country=US&targetView=OnlineServicesNCE&targetSegment=education", nil, &products, nil); err != nil {
			t.Fatal(err)
		}
		if len(products.Items) != 1 || products.Items[0]["id"] != "CFQ7TTC0LH0Z" {
			t.Errorf("education products: %v", products.Items)
		}
		_, err := pc.Do(w.ctx, http.MethodGet, "/v1/products/NOPE?country=US", nil, nil, nil)
		wantAPIError(t, err, http.StatusNotFound, int(csp.EProductNotFound))

		// The operator replaces the catalog; a bad document changes nothing.
		var doc map[string]any
		if _, err := w.op.Do(w.ctx, http.MethodGet, "/admin/v1/catalog", nil, &doc, nil); err != nil {
			t.Fatal(err)
		}
		_, err = w.op.Do(w.ctx, http.MethodPut, "/admin/v1/catalog", map[string]any{"version": "x", "products": []any{}}, nil, nil)
		wantAPIError(t, err, http.StatusBadRequest, int(csp.EInvalidCatalog))
		// Keep the products that neither refer to others nor are referred to.
		refs := map[string]bool{}
		for _, p := range doc["products"].([]any) {
			for _, sk := range p.(map[string]any)["skus"].([]any) {
				for _, k := range []string{"upgradeTargets", "prerequisites", "convertsTo"} {
					switch v := sk.(map[string]any)[k].(type) {
					case []any:
						for _, r := range v {
							refs[strings.Split(r.(string), ":")[0]] = true
						}
						if len(v) > 0 {
							refs[p.(map[string]any)["id"].(string)] = true
						}
					case string:
						refs[strings.Split(v, ":")[0]], refs[p.(map[string]any)["id"].(string)] = true, true
					}
				}
			}
		}
		var keep []any
		for _, p := range doc["products"].([]any) {
			if !refs[p.(map[string]any)["id"].(string)] {
				keep = append(keep, p)
			}
		}
		doc["version"], doc["products"] = "2026-12-test", keep
		delete(doc, "promotions") // they name offers this document drops
		if _, err := w.op.Do(w.ctx, http.MethodPut, "/admin/v1/catalog", doc, nil, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := pc.Do(w.ctx, http.MethodGet, "/v1/products?country=US", nil, &products, nil); err != nil || len(products.Items) != len(keep) || len(keep) < 5 {
			t.Fatalf("after replace: %d products (kept %d), %v", len(products.Items), len(keep), err)
		}
	})
}

// TestPartnerService: a partner sells its own managed support per seat; no
// other partner sees it, and it stays out of Microsoft's reconciliation.
func TestPartnerService(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		svc := map[string]any{"id": "NWSUPPORT", "title": "Northwind Managed Support", "skus": []any{map[string]any{
			"id": "0001", "title": "Managed support per seat", "minimumQuantity": 1, "maximumQuantity": 1000, "unitType": "Licenses",
			"availabilities": []any{map[string]any{"id": "NWSUPPORTUS1", "segment": "commercial",
				"terms":  []any{map[string]any{"duration": "P1M", "billingCycle": "monthly"}},
				"prices": []any{map[string]any{"effectiveDate": "2026-01-01", "currency": "USD", "unitPrices": map[string]string{"P1M:monthly": "12.00"}}}}}}}}
		if _, err := s.pc.Do(w.ctx, http.MethodPost, "/v1/products", svc, nil, nil); err != nil {
			t.Fatal(err)
		}
		_, err := s.pc.Do(w.ctx, http.MethodPost, "/v1/products", svc, nil, nil)
		wantAPIError(t, err, http.StatusBadRequest, int(csp.EProductExists))
		other := newAgreedShopOf(t, w, "Beta Cloud", "betacust")
		var list client.Collection[map[string]any]
		if _, err := other.pc.Do(w.ctx, http.MethodGet, "/v1/products?country=US&targetView=Custom", nil, &list, nil); err != nil || len(list.Items) != 0 {
			t.Fatalf("Beta sees %v, %v", list.Items, err)
		}
		c := other.cart(t, cartLine{CatalogItemID: "NWSUPPORT:0001:NWSUPPORTUS1", Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
		if e := c.LineItems[0].Error; e == nil || e.ErrorCode != "CatalogItemIdIsNotValid" {
			t.Fatalf("Beta buying Northwind's service: %+v", c.LineItems[0])
		}
		id := s.buy(t, cartLine{CatalogItemID: "NWSUPPORT:0001:NWSUPPORTUS1", Quantity: 10, TermDuration: "P1M", BillingCycle: "monthly"})
		s.buy(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
		wantCharges(t, "support", s.history(t, id), "new 10 10 120.00 2026-01-10..2026-02-09")
		var unbilled struct {
			Items []struct {
				ProductID string `json:"productId"`
			} `json:"items"`
		}
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=billinglineitems&currencyCode=USD&period=current", nil, &unbilled, nil); err != nil {
			t.Fatal(err)
		}
		if len(unbilled.Items) != 1 || unbilled.Items[0].ProductID != "CFQ7TTC0LH18" {
			t.Fatalf("Microsoft reconciliation holds %+v; want only the Business Basic line", unbilled.Items)
		}
	})
}
