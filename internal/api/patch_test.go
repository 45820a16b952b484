package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/opencsp/opencsp/internal/csp"
)

// wholeSub is what the SDK replay checks of a subscription.
type wholeSub struct {
	Quantity         int    `json:"quantity"`
	Status           string `json:"status"`
	AutoRenewEnabled bool   `json:"autoRenewEnabled"`
	FriendlyName     string `json:"friendlyName"`
	Scheduled        *struct {
		Quantity int `json:"quantity"`
	} `json:"scheduledNextTermInstructions"`
	Attributes struct {
		ETag string `json:"etag"`
	} `json:"attributes"`
}

// TestPatchWholeObject replays Partner Center's SDK: GET the subscription,
// change one field of the whole body, PATCH it all back. Only the field
// changed is applied; the echoed rest (auto-renew on, the same quantity,
// links, dates, refund options...) changes nothing and blocks nothing.
// Premium P1Y/monthly is 23.10 a seat; bought 2026-01-10T09:00Z, its first
// period is 2026-01-10..2026-02-09 (31 days).
func TestPatchWholeObject(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		line := cartLine{CatalogItemID: premium, Quantity: 10, TermDuration: "P1Y", BillingCycle: "monthly"}
		cancel, suspend, seats := s.buy(t, line), s.buy(t, line), s.buy(t, line)
		s.advanceTo(t, "2026-01-12T15:00:00Z") // day 3, inside every cancellation window
		path := func(id string) string { return "/v1/customers/" + s.customer + "/subscriptions/" + id }
		get := func(id string) (map[string]any, wholeSub) {
			t.Helper()
			var raw json.RawMessage
			if _, err := s.pc.Do(w.ctx, http.MethodGet, path(id), nil, &raw, nil); err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			var sub wholeSub
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &sub); err != nil {
				t.Fatal(err)
			}
			return body, sub
		}
		// replay sets one field of the GET body and sends the body back.
		replay := func(id, field string, value any) wholeSub {
			t.Helper()
			body, _ := get(id)
			body[field] = value
			var out wholeSub
			if _, err := s.pc.Do(w.ctx, http.MethodPatch, path(id), body, &out, nil); err != nil {
				t.Fatalf("PATCH %s=%v: %v", field, value, err)
			}
			return out
		}
		// The echoed autoRenewEnabled (true) used to be applied after the
		// cancel and refused (3102). 29 of 31 days are credited (01-12..02-09):
		// One credit line of 10 seats: -23.10 x 29/31 = -21.609677 -> -21.60 x 10.
		if got := replay(cancel, "status", "deleted"); got.Status != "deleted" || got.AutoRenewEnabled || got.Quantity != 10 {
			t.Errorf("cancel: %+v", got)
		}
		wantCharges(t, "cancel", s.history(t, cancel),
			"new 10 10 231.00 2026-01-10..2026-02-09",
			"cancelImmediate 10 10 -216.00 2026-01-12..2026-02-09")

		if got := replay(suspend, "status", "suspended"); got.Status != "suspended" || got.Quantity != 10 {
			t.Errorf("suspend: %+v", got)
		}
		// Status compares case-insensitively, both ways.
		if got := replay(suspend, "status", "ACTIVE"); got.Status != "active" {
			t.Errorf("reactivate: %+v", got)
		}
		if got := replay(suspend, "status", "Active"); got.Status != "active" {
			t.Errorf("echo of the status in another case: %+v", got)
		}
		// The SDK's object built from scratch: Quantity 0 and
		// AutoRenewEnabled false are its defaults. It suspends and keeps
		// the 10 seats; auto-renew goes off, as the body says.
		var out wholeSub
		if _, err := s.pc.Do(w.ctx, http.MethodPatch, path(suspend), map[string]any{"Quantity": 0, "Status": "Suspended", "AutoRenewEnabled": false,
			"ScheduledNextTermInstructions": nil, "FriendlyName": nil}, &out, nil); err != nil || out.Status != "suspended" || out.Quantity != 10 || out.AutoRenewEnabled {
			t.Errorf("SDK suspend: %+v %v", out, err)
		}
		wantCharges(t, "suspend", s.history(t, suspend), "new 10 10 231.00 2026-01-10..2026-02-09")

		// 10 -> 15 on day 3, a pair at 23.10 x 29/31 = 21.609677 -> 21.60:
		// 10 seats credited (-216.00), 15 charged (324.00).
		if got := replay(seats, "quantity", 15); got.Quantity != 15 || got.Status != "active" || !got.AutoRenewEnabled {
			t.Errorf("quantity: %+v", got)
		}
		wantCharges(t, "quantity", s.history(t, seats),
			"new 10 10 231.00 2026-01-10..2026-02-09",
			"addQuantity 5 10 -216.00 2026-01-12..2026-02-09",
			"addQuantity 5 15 324.00 2026-01-12..2026-02-09")
		if got := replay(seats, "autoRenewEnabled", false); got.AutoRenewEnabled || got.Quantity != 15 {
			t.Errorf("auto-renew off: %+v", got)
		}
		if got := replay(seats, "autoRenewEnabled", true); !got.AutoRenewEnabled {
			t.Errorf("auto-renew on: %+v", got)
		}
		if got := replay(seats, "friendlyName", "Sales team"); got.FriendlyName != "Sales team" || got.Quantity != 15 || !got.AutoRenewEnabled {
			t.Errorf("friendly name: %+v", got)
		}
		before := len(s.events(t, seats))
		if got := replay(seats, "links", nil); got.Quantity != 15 || got.FriendlyName != "Sales team" {
			t.Errorf("unchanged echo: %+v", got)
		}
		if n := len(s.events(t, seats)); n != before {
			t.Errorf("an unchanged echo recorded %d events", n-before)
		}

		// A name and seats in one body: both. 15 -> 16, a pair at 21.60:
		// -324.00 for 15 seats, 345.60 for 16.
		body, read := get(seats)
		body["friendlyName"], body["quantity"] = "Sales", 16
		if _, err := s.pc.Do(w.ctx, http.MethodPatch, path(seats), body, &out, nil); err != nil || out.FriendlyName != "Sales" || out.Quantity != 16 {
			t.Errorf("name and seats: %+v %v", out, err)
		}
		wantCharges(t, "name and seats", s.history(t, seats),
			"new 10 10 231.00 2026-01-10..2026-02-09",
			"addQuantity 5 10 -216.00 2026-01-12..2026-02-09",
			"addQuantity 5 15 324.00 2026-01-12..2026-02-09",
			"addQuantity 1 15 -324.00 2026-01-12..2026-02-09",
			"addQuantity 1 16 345.60 2026-01-12..2026-02-09")

		// The etag read before that change is stale now: 412, nothing changed.
		body["quantity"] = 17
		b, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(w.ctx, http.MethodPatch, w.url+path(seats), bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+s.pc.Key)
		req.Header.Set("If-Match", read.Attributes.ETag)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if _, now := get(seats); res.StatusCode != http.StatusPreconditionFailed || now.Quantity != 16 {
			t.Errorf("stale etag: %d, quantity %d; want 412 and 16", res.StatusCode, now.Quantity)
		}

		// Instructions come back in the shape GET shows them: an echo keeps
		// them, null deletes them.
		next := map[string]any{"product": map[string]any{"productId": "CFQ7TTC0LCHC", "skuId": "0001", "termDuration": "P1Y", "billingCycle": "monthly"}, "quantity": 12}
		if got := replay(seats, "scheduledNextTermInstructions", next); got.Scheduled == nil || got.Scheduled.Quantity != 12 {
			t.Errorf("schedule: %+v", got)
		}
		before = len(s.events(t, seats))
		if got := replay(seats, "friendlyName", "Sales 2"); got.Scheduled == nil || got.Scheduled.Quantity != 12 {
			t.Errorf("the echoed instructions were not kept: %+v", got)
		}
		if evs := s.events(t, seats); len(evs) != before+1 || evs[len(evs)-1].EventType != csp.EvFriendlyNameSet {
			t.Errorf("a rename with echoed instructions recorded %d events", len(evs)-before)
		}
		if got := replay(seats, "scheduledNextTermInstructions", nil); got.Scheduled != nil || !got.AutoRenewEnabled {
			t.Errorf("null instructions: %+v", got)
		}
	})
}
