package api_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/clock"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/testdb"
)

// cycleDates answers the dates of a subscription's cycle charges.
func (s *shop) cycleDates(t *testing.T, id string) []string {
	t.Helper()
	var out []string
	for _, ev := range s.events(t, id) {
		if ev.EventType == csp.EvCycleCharged {
			out = append(out, ev.EventDate.Format(time.DateOnly))
		}
	}
	return out
}

// TestConcurrencyTwoInstancesSandbox runs two server instances on one
// database: both advance the sandbox clock at once while writes go to the
// second; each due job is done once, the second sees the first's clock and
// catalog at once.
func TestConcurrencyTwoInstancesSandbox(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dbA, dbB := testdb.Pair(t, engine)
			a := newWorldWith(t, dbA, app.Options{Sandbox: true, StartTime: start})
			b := newWorldWith(t, dbB, app.Options{Sandbox: true, StartTime: start})
			s := newAgreedShop(t, a)
			var lines []cartLine
			for range 40 {
				lines = append(lines, cartLine{CatalogItemID: premium, Quantity: 5, TermDuration: "P1Y", BillingCycle: "monthly"})
			}
			res, err := s.checkout(t, s.cart(t, lines...).ID)
			if err != nil {
				t.Fatal(err)
			}
			// The same partner user's key works on the second instance.
			sb := &shop{w: b, pc: client.New(b.url, s.pc.Key), customer: s.customer}
			to := map[string]string{"to": "2026-04-10T09:00:00Z"}
			var wg sync.WaitGroup
			var errA, errB error
			var nowA, nowB client.Clock
			wg.Go(func() { _, errA = a.op.Do(a.ctx, http.MethodPost, "/admin/v1/clock/advance", to, &nowA, nil) })
			wg.Go(func() { _, errB = b.op.Do(b.ctx, http.MethodPost, "/admin/v1/clock/advance", to, &nowB, nil) })
			for i, l := range res.Orders[0].LineItems[:10] {
				wg.Go(func() {
					for {
						_, err := sb.patch(l.SubscriptionID, map[string]any{"friendlyName": fmt.Sprintf("renamed %d", i)})
						var e *client.Error
						if errors.As(err, &e) && e.Code == int(csp.EClockAdvancing) {
							time.Sleep(10 * time.Millisecond)
							continue
						}
						if err != nil {
							t.Errorf("patch on the second instance: %v", err)
						}
						return
					}
				})
			}
			wg.Wait()
			if errA != nil || errB != nil {
				t.Fatalf("advances: %v / %v", errA, errB)
			}
			want := "2026-04-10T09:00:00Z"
			if nowA.Now.Format(time.RFC3339) != want || nowB.Now.Format(time.RFC3339) != want {
				t.Fatalf("advances answered %s and %s, want %s", nowA.Now, nowB.Now, want)
			}
			for _, l := range res.Orders[0].LineItems {
				got := s.cycleDates(t, l.SubscriptionID)
				if fmt.Sprint(got) != "[2026-02-10 2026-03-10 2026-04-10]" {
					t.Fatalf("subscription %s cycle charges %v, want each month once", l.SubscriptionID, got)
				}
			}
			// Each month closed once, by one instance or the other: January's
			// purchases, then February's and March's cycle charges, each
			// 40 × 5 seats × 23.10 = 4,620.00 on 40 lines, numbered in order.
			inv := invoices(t, a, s.pc)
			if len(inv) != 3 {
				t.Fatalf("%d invoices, want 3: %+v", len(inv), inv)
			}
			for i, want := range []string{"G000000003", "G000000002", "G000000001"} {
				if inv[i].ID != want || inv[i].TotalCharges != "4620.00" || inv[i].InvoiceDetails[0].Attributes["lineItemCount"] != "40" {
					t.Errorf("invoice %d: %+v", i, inv[i])
				}
			}
			// One clock and one catalog for both instances.
			var clk client.Clock
			if _, err := b.op.Do(b.ctx, http.MethodGet, "/admin/v1/clock", nil, &clk, nil); err != nil || clk.Now.Format(time.RFC3339) != want {
				t.Fatalf("the second instance's clock: %s (%v), want %s", clk.Now, err, want)
			}
			doc := mustCatalogDoc(t, a)
			changed := bytes.Replace(doc, []byte(`"version": "`), []byte(`"version": "two-instances-`), 1)
			if bytes.Equal(doc, changed) {
				t.Fatal("the catalog document has no version to change")
			}
			req, _ := http.NewRequestWithContext(a.ctx, http.MethodPut, a.url+"/admin/v1/catalog", bytes.NewReader(changed))
			req.Header.Set("Authorization", "Bearer "+a.op.Key)
			if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("PUT catalog: %v %v", resp.Status, err)
			}
			if got := mustCatalogDoc(t, b); !bytes.Equal(got, changed) {
				t.Fatal("the second instance still serves the old catalog")
			}
		})
	}
}

func mustCatalogDoc(t *testing.T, w *world) []byte {
	t.Helper()
	res, err := w.op.Do(w.ctx, http.MethodGet, "/admin/v1/catalog", nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.Body
}

// TestConcurrencyTwoInstancesRealClock runs the scheduler of two instances
// on one database at once against the wall clock: each job once.
func TestConcurrencyTwoInstancesRealClock(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dbA, dbB := testdb.Pair(t, engine)
			wall := clock.NewManual(time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC))
			a := newWorldWith(t, dbA, app.Options{Wall: wall})
			b := newWorldWith(t, dbB, app.Options{Wall: wall})
			s := newShop(t, a)
			s.agree(t)
			var lines []cartLine
			for range 30 {
				lines = append(lines, cartLine{CatalogItemID: premium, Quantity: 5, TermDuration: "P1Y", BillingCycle: "monthly"})
			}
			res, err := s.checkout(t, s.cart(t, lines...).ID)
			if err != nil {
				t.Fatal(err)
			}
			wall.Set(time.Date(2026, 4, 10, 12, 0, 0, 0, time.UTC))
			var wg sync.WaitGroup
			var mu sync.Mutex
			events, runs := 0, 0
			for _, w := range []*world{a, b, a, b} {
				wg.Go(func() {
					for range 20 {
						n, ok, err := w.app.RunDue(w.ctx, wall.Now())
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						events += n
						if ok {
							runs++
						}
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if events != 90 {
				t.Errorf("the runs recorded %d events, want 90 (30 subscriptions × 3 months)", events)
			}
			for _, l := range res.Orders[0].LineItems {
				if got := s.cycleDates(t, l.SubscriptionID); fmt.Sprint(got) != "[2026-02-10 2026-03-10 2026-04-10]" {
					t.Fatalf("subscription %s cycle charges %v, want each month once", l.SubscriptionID, got)
				}
			}
			t.Logf("%s: %d runs held the lease", engine, runs)
		})
	}
}
