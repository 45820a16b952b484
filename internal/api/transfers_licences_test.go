package api_test

import (
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/opencsp/opencsp/client"
)

// TestSeatTransferKeepsLicences: a user holding a Business Premium licence
// keeps it through a partial and then a full transfer, and the tenant's
// pool never loses a seat: 10 enabled before, 6 + 4 after the first
// transfer (2026-04-20), 0 + 10 after the second (2026-04-21), one consumed
// throughout.
func TestSeatTransferKeepsLicences(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newTransferWorld(t, w)
		admin := graphAs(t, w, x.admin, x.customer)
		body := newUser("ada@contoso.onmicrosoft.com", "Ada Lovelace")
		body["usageLocation"] = "US"
		var ada graphUserJSON
		if st, e := graphCall(t, w, admin, http.MethodPost, "/users", body, &ada); st != 201 {
			t.Fatalf("create ada: %d %+v", st, e)
		}
		if st, e := graphCall(t, w, admin, http.MethodPost, "/users/"+ada.ID+"/assignLicense", assign(skuSPB), nil); st != 200 {
			t.Fatalf("assign: %d %+v", st, e)
		}
		wantPool(t, pool(t, w, admin), 10, 0, 0, 0, 1, "Enabled")

		move := func(day string, qty int) string {
			t.Helper()
			x.src.advanceTo(t, day)
			tr := x.create(t)
			tr = x.lines(t, tr.ID, qty)
			tr = x.do(t, x.src.pc, http.MethodPost, x.base+"/"+tr.ID+"/submit", nil)
			if tr.Status != "Completed" {
				t.Fatalf("transfer of %d seats on %s: %+v", qty, day, tr)
			}
			return tr.LineItems[0].TransferTargetSubscriptionID
		}
		first := move("2026-04-20T09:00:00Z", 4)
		wantPool(t, pool(t, w, admin), 10, 0, 0, 0, 1, "Enabled")
		if got := x.src.sub(t, x.sub).Quantity; got != 6 {
			t.Fatalf("the source keeps %d seats, want 6", got)
		}
		second := move("2026-04-21T09:00:00Z", 6)
		wantPool(t, pool(t, w, admin), 10, 0, 0, 0, 1, "Enabled")
		if a, b := x.tgt.sub(t, first).Quantity, x.tgt.sub(t, second).Quantity; a != 4 || b != 6 {
			t.Fatalf("the target's subscriptions hold %d and %d seats, want 4 and 6", a, b)
		}
		if got := x.src.sub(t, x.sub).Status; got != "deleted" {
			t.Fatalf("the source's subscription is %s after the last seats moved, want deleted", got)
		}
		var details graphList[struct {
			SkuID string `json:"skuId"`
		}]
		if st, e := graphCall(t, w, admin, http.MethodGet, "/users/"+ada.ID+"/licenseDetails", nil, &details); st != 200 || len(details.Value) != 1 || details.Value[0].SkuID != skuSPB {
			t.Fatalf("ada's licences after the transfers: %d %+v %+v", st, details.Value, e)
		}
	})
}

// TestConcurrencyTransferSubmits: eight concurrent submits of one transfer
// move its seats once: one answers Completed, the others are refused, and
// the target holds one subscription of 10 seats.
func TestConcurrencyTransferSubmits(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newTransferWorld(t, w)
		x.src.advanceTo(t, "2026-04-20T09:00:00Z")
		tr := x.create(t)
		x.lines(t, tr.ID, 10)
		const n = 8
		var wg sync.WaitGroup
		results := make(chan transferOut, n)
		errs := make(chan error, n)
		for range n {
			wg.Go(func() {
				var out transferOut
				if _, err := x.src.pc.Do(w.ctx, http.MethodPost, x.base+"/"+tr.ID+"/submit", nil, &out, nil); err != nil {
					errs <- err
					return
				}
				results <- out
			})
		}
		wg.Wait()
		close(results)
		close(errs)
		if len(results) != 1 {
			t.Fatalf("%d of %d concurrent submits succeeded, want 1", len(results), n)
		}
		for err := range errs {
			var e *client.Error
			if !errors.As(err, &e) || e.Status >= 500 {
				t.Fatalf("a concurrent submit failed with %v, want a 4xx refusal", err)
			}
		}
		done := <-results
		if done.Status != "Completed" {
			t.Fatalf("the winning submit answered %+v", done)
		}
		var subs client.Collection[client.Subscription]
		if _, err := x.tgt.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+x.customer+"/subscriptions", nil, &subs, nil); err != nil {
			t.Fatal(err)
		}
		if len(subs.Items) != 1 || subs.Items[0].Quantity != 10 {
			t.Fatalf("the target holds %+v, want one subscription of 10 seats", subs.Items)
		}
	})
}

// TestTransferFailsWhenALineIsNoLongerEligible: under the review policy the
// source submits 10 seats on 2026-04-20, then suspends the subscription;
// its approval finds the line no longer active, so the transfer ends
// Failed with the line's transferError, and nothing moves: the source
// keeps its 10 suspended seats and the target holds nothing.
func TestTransferFailsWhenALineIsNoLongerEligible(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newTransferWorld(t, w)
		if _, err := x.src.pc.Do(w.ctx, http.MethodPut, "/v1/transferPolicy", map[string]string{"outgoing": "review"}, nil, nil); err != nil {
			t.Fatal(err)
		}
		x.src.advanceTo(t, "2026-04-20T09:00:00Z")
		tr := x.create(t)
		x.lines(t, tr.ID, 10)
		if tr = x.do(t, x.src.pc, http.MethodPost, x.base+"/"+tr.ID+"/submit", nil); tr.Status != "InProgress" {
			t.Fatalf("submitted under review: %+v", tr)
		}
		if _, err := x.src.patch(x.sub, map[string]any{"status": "suspended"}); err != nil {
			t.Fatalf("suspend: %v", err)
		}
		tr = x.do(t, x.src.pc, http.MethodPost, x.base+"/"+tr.ID+"/approve", nil)
		if tr.Status != "Failed" || tr.CompletedTime != nil || len(tr.LineItems) != 1 || tr.LineItems[0].Status != "Failed" || tr.LineItems[0].TransferError == "" ||
			tr.LineItems[0].TransferTargetSubscriptionID != "" {
			t.Fatalf("approved after the suspension: %+v", tr)
		}
		if s := x.src.sub(t, x.sub); s.Status != "suspended" || s.Quantity != 10 {
			t.Fatalf("the source's subscription is %s with %d seats, want suspended with 10", s.Status, s.Quantity)
		}
		var subs client.Collection[client.Subscription]
		if _, err := x.tgt.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+x.customer+"/subscriptions", nil, &subs, nil); err != nil {
			t.Fatal(err)
		}
		if len(subs.Items) != 0 {
			t.Fatalf("the target holds %+v after a failed transfer", subs.Items)
		}
	})
}
