package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

// TestCoterming: the allowed custom end dates of a customer with two
// subscriptions, a renewal scheduled to coterm with the other one and
// prorated (R-4, R-15, C-2), and a P1Y refused a P1M's end at purchase and
// when scheduling.
func TestCoterming(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)                                                                                 // 2026-01-10
		a := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 10, TermDuration: "P1Y", BillingCycle: "annual"}) // until 2027-01-09
		s.advanceTo(t, "2026-05-15T10:00:00Z")
		b := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 2, TermDuration: "P1Y", BillingCycle: "annual"}) // until 2027-05-14

		// A P1Y bought today ends by 2027-05-14: the month end before is
		// 2027-04-30; a renews to 2028-01-09, too late, so 2027-01-09.
		dates := func(q string) []client.CustomTermEndDate {
			t.Helper()
			var c client.Collection[client.CustomTermEndDate]
			if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/subscriptions/customTermEndDates?"+q, nil, &c, nil); err != nil {
				t.Fatal(err)
			}
			return c.Items
		}
		day := func(d string) time.Time {
			v, err := time.Parse(time.DateOnly, d)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		cal := func(d string) client.CustomTermEndDate {
			return client.CustomTermEndDate{Type: "calendarMonthAligned", Date: day(d)}
		}
		sub := func(d string, ids ...string) client.CustomTermEndDate {
			return client.CustomTermEndDate{Type: "subscriptionAligned", Date: day(d), SubscriptionIDs: ids}
		}
		got, err := s.pc.CustomTermEndDates(w.ctx, s.customer, "P1Y", time.Time{}, "")
		if err != nil {
			t.Fatal(err)
		}
		if d := gocmp.Diff([]client.CustomTermEndDate{cal("2027-04-30"), sub("2027-01-09", a), sub("2027-05-14", b)}, got); d != "" {
			t.Errorf("P1Y today (-want +got):\n%s", d)
		}
		// Microsoft's table spelling, limited to a.
		if d := gocmp.Diff([]client.CustomTermEndDate{cal("2027-04-30"), sub("2027-01-09", a)}, dates("TermDuration=p1y&TargetCotermSubscriptionId="+a)); d != "" {
			t.Errorf("P1Y aligned to a (-want +got):\n%s", d)
		}
		// a's renewal: 2027-01-10..2028-01-09 naturally; b renews to
		// 2028-05-14, too late; a's own next end is listed too (the query
		// does not say which subscription renews).
		if d := gocmp.Diff([]client.CustomTermEndDate{cal("2027-12-31"), sub("2027-05-14", b), sub("2028-01-09", a)},
			dates("term_duration=P1Y&term_start_date=2027-01-10")); d != "" {
			t.Errorf("P1Y from a's renewal (-want +got):\n%s", d)
		}
		_, err = s.pc.CustomTermEndDates(w.ctx, s.customer, "P2Y", time.Time{}, "")
		wantAPIError(t, err, http.StatusBadRequest, int(csp.EInvalidQuery))
		_, err = s.pc.CustomTermEndDates(w.ctx, s.customer, "P1Y", time.Date(2026, 5, 14, 0, 0, 0, 0, time.UTC), "")
		wantAPIError(t, err, http.StatusBadRequest, int(csp.EInvalidQuery))
		_, err = s.pc.CustomTermEndDates(w.ctx, s.customer, "P1Y", time.Time{}, "00000000-0000-0000-0000-000000000001")
		wantAPIError(t, err, http.StatusNotFound, int(csp.ESubscriptionNotFound))

		// A month-to-month subscription ends 2026-06-14, then on each 14th.
		m := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
		var c struct {
			LineItems []struct {
				Error *csp.CartLineError `json:"error"`
			} `json:"lineItems"`
		}
		line := map[string]any{"catalogItemId": basic, "quantity": 1, "termDuration": "P1Y", "billingCycle": "annual", "customTermEndDate": "2026-06-14T00:00:00Z"}
		if _, err := s.pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+s.customer+"/carts", map[string]any{"lineItems": []any{line}}, &c, nil); err != nil {
			t.Fatal(err)
		}
		if e := c.LineItems[0].Error; e == nil || e.ErrorCode != "InvalidCustomTermEndDate" || !strings.Contains(e.ErrorDescription, "cannot align to a P1M subscription") {
			t.Errorf("P1Y line to %s's end: %+v", m, e)
		}
		next := func(end string) map[string]any {
			return map[string]any{"scheduledNextTermInstructions": map[string]any{"product": map[string]any{"termDuration": "P1Y", "billingCycle": "annual"},
				"quantity": 10, "customTermEndDate": end}}
		}
		_, err = s.patch(a, next("2027-02-14T00:00:00Z"))
		if e := wantAPIError(t, err, http.StatusBadRequest, int(csp.EInvalidCustomTermEnd)); !strings.Contains(e.Description, "cannot align to a P1M subscription") {
			t.Errorf("refusal: %s", e.Description)
		}
		if got := s.sub(t, a); got.ScheduledNextTermInstructions != nil {
			t.Errorf("refused schedule stored: %+v", got.ScheduledNextTermInstructions)
		}

		if _, err := s.patch(a, next("2027-05-14T00:00:00Z")); err != nil {
			t.Fatal(err)
		}
		s.advanceTo(t, "2027-01-10T12:00:00Z")
		if got := s.sub(t, a); !got.EffectiveStartDate.Equal(day("2027-01-10")) || !got.CommitmentEndDate.Equal(day("2027-05-14")) || got.ScheduledNextTermInstructions != nil {
			t.Errorf("cotermed renewal %s..%s, scheduled %+v", got.EffectiveStartDate, got.CommitmentEndDate, got.ScheduledNextTermInstructions)
		}
		s.advanceTo(t, "2027-05-15T12:00:00Z")
		if got := s.sub(t, a); !got.CommitmentEndDate.Equal(day("2028-05-14")) {
			t.Errorf("next term ends %s, want a full year", got.CommitmentEndDate)
		}
		wantCharges(t, "a", s.history(t, a),
			"new 10 10 720.00 2026-01-10..2027-01-09",
			// 2027-01-10..2027-05-14 is 22+28+31+30+14 = 125 of the natural
			// term's 365 days at $84.00 a year: 84 × 125/365 = 28.767123 → 28.76 × 10.
			"renew 10 10 287.60 2027-01-10..2027-05-14",
			"renew 10 10 840.00 2027-05-15..2028-05-14")
	})
}
