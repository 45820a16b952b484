package api_test

// Concurrency: every write path runs concurrent changes one after the other,
// each on the state the previous one left (never lost), on both engines.
// The script that CI runs (scripts/test) runs the TestConcurrency tests
// again under the race detector.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

// historyEvent is one event of a subscription's history as the API answers it.
type historyEvent struct {
	EventDate   time.Time      `json:"eventDate"`
	EventType   csp.EventType  `json:"eventType"`
	Changes     map[string]any `json:"changes"`
	ChargeLines []struct {
		ChargeType         csp.ChargeType `json:"chargeType"`
		Quantity           int            `json:"quantity"`
		BillableQuantity   int            `json:"billableQuantity"`
		EffectiveUnitPrice json.Number    `json:"effectiveUnitPrice"`
		Subtotal           json.Number    `json:"subtotal"`
		ChargeStartDate    time.Time      `json:"chargeStartDate"`
		ReferenceID        string         `json:"referenceId"`
	} `json:"chargeLines"`
}

// events reads a subscription's whole history, page by page.
func (s *shop) events(t *testing.T, id string) []historyEvent {
	t.Helper()
	var out []historyEvent
	opt := &client.Request{}
	for {
		var page struct {
			Items []historyEvent `json:"items"`
			client.Collection[json.RawMessage]
		}
		if _, err := s.pc.Do(s.w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/subscriptions/"+id+"/history", nil, &page, opt); err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		next := page.Collection.Next()
		if next == "" {
			return out
		}
		opt = &client.Request{ContinuationToken: next}
	}
}

// quantities answers a quantityChanged event's [before, after].
func quantities(t *testing.T, ev historyEvent) (int, int) {
	t.Helper()
	q, ok := ev.Changes["quantity"].([]any)
	if !ok || len(q) != 2 {
		t.Fatalf("event %s has no quantity change: %v", ev.EventType, ev.Changes)
	}
	return int(q[0].(float64)), int(q[1].(float64))
}

// TestConcurrencyQuantityChanges sends 200 PATCHes at once on one
// subscription of 10 seats, each to another target (11..210). Each must be
// applied on the state the previous one left: the history's changes chain
// from 10 to the final quantity, and the seat lines of the ledger add up to
// it.
func TestConcurrencyQuantityChanges(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		id := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 10, TermDuration: "P1Y", BillingCycle: "monthly"})
		const n = 200
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, err := s.patch(id, map[string]any{"quantity": 11 + i})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("a concurrent quantity change failed: %v", err)
			}
		}
		final := s.sub(t, id).Quantity
		evs := s.events(t, id)
		if len(evs) != n+1 || evs[0].EventType != csp.EvPurchased {
			t.Fatalf("history has %d events (first %s), want the purchase and %d quantity changes", len(evs), evs[0].EventType, n)
		}
		prev, seats := 10, 0
		for _, ev := range evs {
			// Microsoft's count: the billable seats of charge lines less
			// those of credit lines (new: +10; a pair: −before, +after).
			for _, c := range ev.ChargeLines {
				if strings.HasPrefix(string(c.EffectiveUnitPrice), "-") {
					seats -= c.BillableQuantity
				} else {
					seats += c.BillableQuantity
				}
			}
			if ev.EventType == csp.EvPurchased {
				continue
			}
			before, after := quantities(t, ev)
			if before != prev {
				t.Fatalf("a quantity change starts from %d but the previous one left %d: an update was lost", before, prev)
			}
			prev = after
		}
		if prev != final || seats != final {
			t.Fatalf("the chain ends at %d and the ledger's seat lines add up to %d; the subscription has %d", prev, seats, final)
		}
		if final < 11 || final > 210 {
			t.Fatalf("final quantity %d is none of the targets", final)
		}
	})
}

// TestConcurrencyCheckoutRacingRelationshipRemoval sends a checkout and
// the removal of the partner's relationship at once, ten times: one of
// them wins, never both (R-34: no live subscription on a tenant the partner
// no longer serves).
func TestConcurrencyCheckoutRacingRelationshipRemoval(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, pc := w.MustPartner(designPartner("Northwind Cloud"))
		bought, removed := 0, 0
		for trial := range 10 {
			c := w.MustCustomer(pc, customer(fmt.Sprintf("Race %d", trial), fmt.Sprintf("race%d", trial), "US"))
			s := &shop{w: w, pc: pc, customer: c.ID}
			s.agree(t)
			cart := s.cart(t, cartLine{CatalogItemID: premium, Quantity: 3, TermDuration: "P1Y", BillingCycle: "monthly"})
			var checkoutErr, removeErr error
			var wg sync.WaitGroup
			wg.Go(func() { _, checkoutErr = s.checkout(t, cart.ID) })
			wg.Go(func() {
				_, removeErr = pc.Do(w.ctx, http.MethodPatch, "/v1/customers/"+c.ID, map[string]string{"relationshipToPartner": "none"}, nil, nil)
			})
			wg.Wait()
			switch {
			case checkoutErr == nil && removeErr == nil:
				t.Fatalf("trial %d: the checkout and the removal both succeeded", trial)
			case checkoutErr == nil:
				wantAPIError(t, removeErr, http.StatusBadRequest, int(csp.EPartnerHasActiveSubs))
				bought++
			case removeErr == nil:
				wantAPIError(t, checkoutErr, http.StatusNotFound, int(csp.ECustomerNotFound))
				removed++
				// The tenant holds no subscription of the partner.
				admin := w.MustAdmin(c.ID, c.CompanyProfile.Domain)
				var subs struct {
					Items []json.RawMessage `json:"items"`
				}
				if _, err := admin.Do(w.ctx, http.MethodGet, "/tenant/v1/subscriptions", nil, &subs, nil); err != nil || len(subs.Items) != 0 {
					t.Fatalf("trial %d: after the removal the tenant holds %d subscriptions (%v)", trial, len(subs.Items), err)
				}
			default:
				t.Fatalf("trial %d: both failed: %v / %v", trial, checkoutErr, removeErr)
			}
		}
		t.Logf("%s: checkout first %d times, removal first %d times", w.db.Engine(), bought, removed)
	})
}

// TestConcurrencyTwoCheckoutsOfOneCart checks one cart out five times at
// once: one order, four refusals.
func TestConcurrencyTwoCheckoutsOfOneCart(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		cart := s.cart(t, cartLine{CatalogItemID: premium, Quantity: 3, TermDuration: "P1Y", BillingCycle: "monthly"},
			cartLine{CatalogItemID: basic, Quantity: 2, TermDuration: "P1M", BillingCycle: "monthly"})
		errs := make(chan error, 5)
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				_, err := s.checkout(t, cart.ID)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			if err == nil {
				ok++
				continue
			}
			wantAPIError(t, err, http.StatusBadRequest, int(csp.ECartNotActive))
		}
		if ok != 1 {
			t.Fatalf("%d checkouts of one cart succeeded, want 1", ok)
		}
		subs, err := s.pc.Subscriptions(w.ctx, s.customer)
		if err != nil || len(subs) != 2 {
			t.Fatalf("%d subscriptions after the checkouts (%v), want 2", len(subs), err)
		}
		var orders struct {
			Items []json.RawMessage `json:"items"`
		}
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/orders", nil, &orders, nil); err != nil || len(orders.Items) != 1 {
			t.Fatalf("%d orders (%v), want 1 (one billing cycle)", len(orders.Items), err)
		}
	})
}

// TestConcurrencySchedulerRacingPatch changes seats while an advance of six
// months runs, ten times: a write during an advance answers 409 with
// Retry-After and is applied after it (at the new time), or it was applied
// before the advance started; never at a time inside it. Every cycle charge
// bills the seats in force at its date.
func TestConcurrencySchedulerRacingPatch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		// Many subscriptions make the advance long enough to race.
		var lines []cartLine
		for range 100 {
			lines = append(lines, cartLine{CatalogItemID: premium, Quantity: 10, TermDuration: "P1Y", BillingCycle: "monthly"})
		}
		res, err := s.checkout(t, s.cart(t, lines...).ID)
		if err != nil {
			t.Fatal(err)
		}
		ids := res.Orders[0].LineItems
		at := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
		refused := 0
		for trial := range 10 {
			id := ids[trial].SubscriptionID
			to := at.AddDate(0, 6, 0)
			var wg sync.WaitGroup
			var advErr error
			wg.Go(func() {
				_, advErr = w.op.Do(w.ctx, http.MethodPost, "/admin/v1/clock/advance", map[string]string{"to": to.Format(time.RFC3339)}, nil, nil)
			})
			wg.Go(func() {
				time.Sleep(time.Duration(trial) * time.Millisecond)
				for {
					resp, err := s.pc.Do(w.ctx, http.MethodPatch, "/v1/customers/"+s.customer+"/subscriptions/"+id, map[string]any{"quantity": 15}, nil, nil)
					var e *client.Error
					if errors.As(err, &e) && e.Code == int(csp.EClockAdvancing) {
						if resp.Header.Get("Retry-After") == "" {
							t.Errorf("409 %d without Retry-After", e.Code)
						}
						refused++
						time.Sleep(20 * time.Millisecond)
						continue
					}
					if err != nil {
						t.Errorf("patch: %v", err)
					}
					return
				}
			})
			wg.Wait()
			if advErr != nil {
				t.Fatal(advErr)
			}
			var changed time.Time
			for _, ev := range s.events(t, id) {
				if ev.EventType == csp.EvQuantityChanged {
					changed = ev.EventDate
				}
			}
			if !changed.Equal(at) && !changed.Equal(to) {
				t.Fatalf("trial %d: the seats changed at %s, inside the advance from %s to %s", trial, changed, at, to)
			}
			for _, ev := range s.events(t, id) {
				if ev.EventType != csp.EvCycleCharged {
					continue
				}
				want := 10
				if !ev.EventDate.Before(changed) {
					want = 15
				}
				if q := ev.ChargeLines[0].Quantity; q != want {
					t.Fatalf("trial %d: the cycle of %s billed %d seats, want %d (the seats changed at %s)", trial, ev.EventDate.Format(time.DateOnly), q, want, changed)
				}
			}
			at = to
		}
		t.Logf("%s: %d writes refused while an advance ran", w.db.Engine(), refused)
	})
}

// TestConcurrencyIdempotentCreates sends 100 creates with one MS-RequestId
// at once: one customer; every answer is 201 with it, one of them with the
// admin's password.
func TestConcurrencyIdempotentCreates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		_, pc := w.MustPartner(designPartner("Alpha Partners"))
		opt := &client.Request{RequestID: client.NewRequestID()}
		body := customer("Hundred Corp", "hundredcorp", "US")
		const n = 100
		bodies := make(chan string, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				res, err := pc.Do(w.ctx, http.MethodPost, "/v1/customers", body, nil, opt)
				if err != nil {
					t.Errorf("create: %v", err)
					return
				}
				if res.Status != http.StatusCreated {
					t.Errorf("create: status %d", res.Status)
				}
				bodies <- string(res.Body)
			})
		}
		wg.Wait()
		close(bodies)
		withPassword, first := 0, ""
		for b := range bodies {
			if strings.Contains(b, `"password":"`) {
				withPassword++
			}
			if norm := withoutPassword(t, []byte(b)); first == "" {
				first = norm
			} else if norm != first {
				t.Fatalf("answers differ:\n%s\n%s", norm, first)
			}
		}
		if withPassword != 1 {
			t.Errorf("%d answers showed the password, want 1", withPassword)
		}
		page, err := pc.ListCustomers(w.ctx, client.CustomerQuery{})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("%d customers after %d creates with one MS-RequestId (%v), want 1", len(page.Items), n, err)
		}
		// The stored answer holds no password.
		var stored int
		if err := w.db.WritePool().QueryRowContext(w.ctx, `SELECT COUNT(*) FROM idempotent_requests WHERE body IS NOT NULL`).Scan(&stored); err != nil || stored != 1 {
			t.Fatalf("%d stored answers (%v), want 1", stored, err)
		}
		var replay string
		if err := w.db.WritePool().QueryRowContext(w.ctx, `SELECT body FROM idempotent_requests`).Scan(&replay); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(replay, `"password":null`) {
			t.Fatalf("the stored answer keeps the password: %s", replay)
		}
	})
}

// TestConcurrencyIfMatch: a change with the etag read answers the new
// etag; a change with a stale etag answers 412 and changes nothing.
func TestConcurrencyIfMatch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		id := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 10, TermDuration: "P1Y", BillingCycle: "monthly"})
		etag := func() string {
			var v struct {
				Attributes struct {
					ETag string `json:"etag"`
				} `json:"attributes"`
			}
			if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/subscriptions/"+id, nil, &v, nil); err != nil {
				t.Fatal(err)
			}
			return v.Attributes.ETag
		}
		patch := func(tag string, q int) error {
			req, _ := http.NewRequestWithContext(w.ctx, http.MethodPatch, w.url+"/v1/customers/"+s.customer+"/subscriptions/"+id,
				strings.NewReader(fmt.Sprintf(`{"quantity": %d}`, q)))
			req.Header.Set("Authorization", "Bearer "+s.pc.Key)
			req.Header.Set("If-Match", tag)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("status %d", res.StatusCode)
			}
			return nil
		}
		read := etag()
		if err := patch(`"`+read+`"`, 12); err != nil {
			t.Fatalf("patch with the etag read: %v", err)
		}
		if now := etag(); now == read {
			t.Fatal("the etag did not change with the subscription")
		}
		if err := patch(read, 14); err == nil || err.Error() != "status 412" {
			t.Fatalf("patch with a stale etag: %v, want 412", err)
		}
		if got := s.sub(t, id).Quantity; got != 12 {
			t.Fatalf("quantity after the stale patch = %d, want 12", got)
		}
		// A cart's etag guards its checkout too.
		cart := s.cart(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
		req, _ := http.NewRequestWithContext(w.ctx, http.MethodPost, w.url+"/v1/customers/"+s.customer+"/carts/"+cart.ID+"/checkout", nil)
		req.Header.Set("Authorization", "Bearer "+s.pc.Key)
		req.Header.Set("If-Match", csp.ETag([16]byte{1}, 1))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusPreconditionFailed {
			t.Fatalf("checkout with another etag: %d, want 412", res.StatusCode)
		}
	})
}
