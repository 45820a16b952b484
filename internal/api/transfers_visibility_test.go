package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

// TestTransferVisibility: after the full transfer of 2026-04-20 the source
// still lists its own (now deleted) subscription with its whole history,
// from the purchase of 2026-01-12 to the transfer out, and cannot read the
// target's new one; the target lists only the new one, whose history
// starts at the transfer (2026-04-20), not at the source's purchase.
func TestTransferVisibility(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newTransferWorld(t, w)
		x.src.advanceTo(t, "2026-04-20T09:00:00Z")
		tr := x.create(t)
		x.lines(t, tr.ID, 10)
		tr = x.do(t, x.src.pc, http.MethodPost, x.base+"/"+tr.ID+"/submit", nil)
		newSub := tr.LineItems[0].TransferTargetSubscriptionID
		if tr.Status != "Completed" || newSub == "" {
			t.Fatalf("transfer %+v", tr)
		}
		list := func(pc *client.Client) []string {
			t.Helper()
			var subs client.Collection[client.Subscription]
			if _, err := pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+x.customer+"/subscriptions", nil, &subs, nil); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range subs.Items {
				ids = append(ids, s.ID)
			}
			return ids
		}
		if got := list(x.src.pc); strings.Join(got, ",") != x.sub {
			t.Errorf("the source lists %v, want only its own %s", got, x.sub)
		}
		if got := list(x.tgt.pc); strings.Join(got, ",") != newSub {
			t.Errorf("the target lists %v, want only the new %s", got, newSub)
		}
		if _, err := x.src.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+x.customer+"/subscriptions/"+newSub, nil, nil, nil); err == nil {
			t.Error("the source reads the target's new subscription")
		}
		events := func(s *shop, id string) string {
			var out []string
			for _, ev := range s.events(t, id) {
				out = append(out, ev.EventDate.Format(time.DateOnly)+" "+string(ev.EventType))
			}
			return strings.Join(out, ", ")
		}
		wantSrc := "2026-01-12 " + string(csp.EvPurchased) + ", 2026-02-12 " + string(csp.EvCycleCharged) + ", 2026-03-12 " + string(csp.EvCycleCharged) +
			", 2026-04-12 " + string(csp.EvCycleCharged) + ", 2026-04-20 " + string(csp.EvTransferredOut)
		if got := events(x.src, x.sub); got != wantSrc {
			t.Errorf("the source's history: %s\nwant %s", got, wantSrc)
		}
		if got, want := events(x.tgt, newSub), "2026-04-20 "+string(csp.EvTransferredIn); got != want {
			t.Errorf("the target's history: %s, want %s", got, want)
		}
	})
}
