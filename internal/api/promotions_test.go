package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/opencsp/opencsp/internal/csp"
)

// The built-in catalog's promotions (docs/catalog.md).
const (
	e3            = "CFQ7TTC0LFLX:0001:CFQ7TTC0QXJS" // Microsoft 365 E3: 432.00 a year, 37.80 a month on P1Y
	powerBI       = "CFQ7TTC0L3PB:0001:CFQ7TTC0154S" // Power BI Pro: no add-on needs it
	promoE3       = "39NFJQT1Q5KV:0001:39NFJQT1Q5KW" // 15 % off E3 on P1Y, 2026-01-01..2026-06-30
	promoPremium  = "39NFJQT1Q7LC:0001:39NFJQT1Q7LD" // 20 % off a first Business Premium on P1Y, 2025-11-01..2026-04-30
	promoCopilot  = "39NFJQT1Q3CP:0001:39NFJQT1Q3CQ" // 15 % off Copilot on P1Y, 2025-01-01..2025-03-31
	unbilledLines = "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=billinglineitems&currencyCode=USD&period=current"
)

type promoLine struct {
	CatalogItemID string `json:"catalogItemId"`
	Quantity      int    `json:"quantity"`
	TermDuration  string `json:"termDuration"`
	BillingCycle  string `json:"billingCycle"`
	PromotionID   string `json:"promotionId,omitempty"`
}

type promoCart struct {
	ID        string `json:"id"`
	LineItems []struct {
		PromotionID string `json:"promotionId"`
		Error       *struct {
			ErrorCode        string `json:"errorCode"`
			ErrorDescription string `json:"errorDescription"`
		} `json:"error"`
	} `json:"lineItems"`
}

func (s *shop) promoCart(t *testing.T, lines ...promoLine) promoCart {
	t.Helper()
	var c promoCart
	if _, err := s.pc.Do(s.w.ctx, http.MethodPost, "/v1/customers/"+s.customer+"/carts", map[string]any{"lineItems": lines}, &c, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

type reconLine struct {
	SubscriptionID     string      `json:"subscriptionId"`
	ChargeType         string      `json:"chargeType"`
	UnitPrice          json.Number `json:"unitPrice"`
	EffectiveUnitPrice json.Number `json:"effectiveUnitPrice"`
	BillableQuantity   json.Number `json:"billableQuantity"`
	Subtotal           json.Number `json:"subtotal"`
	PromotionID        string      `json:"promotionId"`
}

func (s *shop) unbilled(t *testing.T) []reconLine {
	t.Helper()
	var page struct {
		Items []reconLine `json:"items"`
	}
	if _, err := s.pc.Do(s.w.ctx, http.MethodGet, unbilledLines, nil, &page, nil); err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// subFields are the subscription resource's fields this file checks.
type subFields struct {
	Status                  string      `json:"status"`
	UnitPrice               json.Number `json:"unitPrice"`
	PromotionID             *string     `json:"promotionId"`
	ContractType            string      `json:"contractType"`
	HasPurchasableAddons    bool        `json:"hasPurchasableAddons"`
	SuspensionReasons       []string    `json:"suspensionReasons"`
	RenewalTermDuration     *string     `json:"renewalTermDuration"`
	CommitmentEndDate       time.Time   `json:"commitmentEndDate"`
	CommitmentEndDateTime   *time.Time  `json:"commitmentEndDateTime"`
	BillingCycleEndDateTime *time.Time  `json:"billingCycleEndDateTime"`
	Links                   map[string]struct {
		URI     string `json:"uri"`
		Method  string `json:"method"`
		Headers []any  `json:"headers"`
	} `json:"links"`
}

func (s *shop) fields(t *testing.T, id string) subFields {
	t.Helper()
	var f subFields
	if _, err := s.pc.Do(s.w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/subscriptions/"+id, nil, &f, nil); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPromotionPurchase buys with a promotion on 2026-01-10: the
// subscription locks the discounted price for the term and its lines show
// the list price as unitPrice and the discounted one in effectiveUnitPrice
// (C-2, R-8, R-27).
func TestPromotionPurchase(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		// E3, 10 seats, P1Y/annual: 432.00 × 0.85 = 367.20 a seat for the
		// year; the `new` line covers the whole term, 367.20 × 10 = 3,672.00.
		// Business Premium, 5 seats, P1Y/monthly, a first purchase: 23.10 ×
		// 0.80 = 18.48 a month; its first month 18.48 × 5 = 92.40.
		c := s.promoCart(t, promoLine{e3, 10, "P1Y", "annual", promoE3}, promoLine{premium, 5, "P1Y", "monthly", strings.ToLower(promoPremium)})
		for i, l := range c.LineItems {
			if l.Error != nil {
				t.Fatalf("line %d: %+v", i, l.Error)
			}
		}
		if c.LineItems[1].PromotionID != promoPremium {
			t.Errorf("the cart keeps promotionId %q, want %s", c.LineItems[1].PromotionID, promoPremium)
		}
		var res struct {
			Orders []struct {
				TotalPrice json.Number `json:"totalPrice"`
				LineItems  []struct {
					SubscriptionID string                     `json:"subscriptionId"`
					PromotionID    string                     `json:"promotionId"`
					Pricing        map[string]json.RawMessage `json:"pricing"`
				} `json:"lineItems"`
			} `json:"orders"`
		}
		if _, err := s.pc.Do(w.ctx, http.MethodPost, "/v1/customers/"+s.customer+"/carts/"+c.ID+"/checkout", nil, &res, nil); err != nil {
			t.Fatal(err)
		}
		// One order per billing cycle, in the cart's order: annual, monthly.
		if len(res.Orders) != 2 || res.Orders[0].TotalPrice != "3672.00" || res.Orders[1].TotalPrice != "92.40" {
			t.Fatalf("orders %+v, want totals 3672.00 and 92.40", res.Orders)
		}
		e3Line, bpLine := res.Orders[0].LineItems[0], res.Orders[1].LineItems[0]
		if e3Line.PromotionID != promoE3 || string(e3Line.Pricing["listPrice"]) != "432.00" || string(e3Line.Pricing["discountedPrice"]) != "367.20" {
			t.Errorf("E3 order line %+v, want the promotion, list 432.00, discounted 367.20", e3Line)
		}
		for _, tc := range []struct {
			id, price, promotion string
		}{{e3Line.SubscriptionID, "367.20", promoE3}, {bpLine.SubscriptionID, "18.48", promoPremium}} {
			f := s.fields(t, tc.id)
			if f.UnitPrice.String() != tc.price || f.PromotionID == nil || *f.PromotionID != tc.promotion {
				t.Errorf("subscription %s: unitPrice %s promotionId %v, want %s %s", tc.id, f.UnitPrice, f.PromotionID, tc.price, tc.promotion)
			}
		}
		want := []reconLine{
			{e3Line.SubscriptionID, "new", "432.00", "367.200000", "10", "3672.00", promoE3},
			{bpLine.SubscriptionID, "new", "23.10", "18.480000", "5", "92.40", promoPremium},
		}
		if d := gocmp.Diff(want, s.unbilled(t)); d != "" {
			t.Errorf("unbilled lines (-want +got):\n%s", d)
		}

		// 10 → 12 E3 seats on 2026-04-10 at the locked 367.20: term
		// 2026-01-10..2027-01-09 (365 days), d = 21 + 31 + 30 + 31 + 31 +
		// 30 + 31 + 30 + 31 + 9 = 275 from 04-10 to 01-09; 367.20 × 275/365
		// = 276.657534 → 276.65: −2,766.50 on 10 seats, +3,319.80 on 12.
		s.advanceTo(t, "2026-04-10T09:00:00Z")
		if _, err := s.patch(e3Line.SubscriptionID, map[string]any{"quantity": 12}); err != nil {
			t.Fatal(err)
		}
		var got []reconLine
		for _, l := range s.unbilled(t) {
			if l.ChargeType == "addQuantity" {
				got = append(got, l)
			}
		}
		want = []reconLine{
			{e3Line.SubscriptionID, "addQuantity", "432.00", "-276.657534", "10", "-2766.50", promoE3},
			{e3Line.SubscriptionID, "addQuantity", "432.00", "276.657534", "12", "3319.80", promoE3},
		}
		if d := gocmp.Diff(want, got); d != "" {
			t.Errorf("seat change lines (-want +got):\n%s", d)
		}
	})
}

// TestPromotionRefusals: each promotion a line does not qualify for is
// refused on the line with InvalidPromotionId and a description; the cart
// cannot be checked out and nothing is bought.
func TestPromotionRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		// The customer tries Business Premium: its trial is a purchase of
		// the product, so the new-customer promotion is gone.
		trial := s.buy(t, cartLine{CatalogItemID: premiumTrial, Quantity: 25, TermDuration: "P1M", BillingCycle: "monthly"})
		basicSub := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 5, TermDuration: "P1Y", BillingCycle: "monthly"})
		subsBefore, linesBefore := s.subscriptionIDs(t), s.unbilled(t)
		for _, tc := range []struct {
			name string
			line promoLine
			says string
		}{
			{"unknown", promoLine{e3, 10, "P1Y", "annual", "39NFJQT1NOPE:0001:39NFJQT1NOPE"}, "is not a promotion"},
			{"ended", promoLine{copilot, 5, "P1Y", "annual", promoCopilot}, "2025-03-31"},
			{"term not eligible", promoLine{e3, 10, "P1M", "monthly", promoE3}, "P1M/monthly"},
			{"availability not eligible", promoLine{basic, 10, "P1Y", "annual", promoE3}, basic},
			{"first purchase after a trial", promoLine{premium, 10, "P1Y", "annual", promoPremium}, "first purchase"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := s.promoCart(t, tc.line)
				e := c.LineItems[0].Error
				if e == nil || e.ErrorCode != "InvalidPromotionId" || !strings.Contains(e.ErrorDescription, tc.says) || !strings.Contains(e.ErrorDescription, "R-27") {
					t.Fatalf("line error %+v, want InvalidPromotionId saying %q and R-27", e, tc.says)
				}
				_, err := s.checkout(t, c.ID)
				wantAPIError(t, err, http.StatusBadRequest, int(csp.ECartLineErrors))
				if got := s.subscriptionIDs(t); !slices.Equal(got, subsBefore) {
					t.Errorf("subscriptions %v after the refusal, want %v", got, subsBefore)
				}
				if d := gocmp.Diff(linesBefore, s.unbilled(t)); d != "" {
					t.Errorf("unbilled lines changed (-before +after):\n%s", d)
				}
			})
		}
		if len(subsBefore) != 2 || !slices.Contains(subsBefore, trial) || !slices.Contains(subsBefore, basicSub) {
			t.Errorf("subscriptions %v, want the trial and Business Basic", subsBefore)
		}
	})
}

func (s *shop) subscriptionIDs(t *testing.T) []string {
	t.Helper()
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if _, err := s.pc.Do(s.w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/subscriptions", nil, &page, nil); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range page.Items {
		out = append(out, it.ID)
	}
	return out
}

// TestSubscriptionResourceFields checks the fields Partner Center derives:
// contractType, hasPurchasableAddons, suspensionReasons, renewalTermDuration,
// commitmentEndDateTime and the catalog links, on an active, a suspended and
// an auto-renew-off subscription.
func TestSubscriptionResourceFields(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		// Business Basic P1Y/monthly bought 2026-01-10: term 2026-01-10..
		// 2027-01-09, first cycle to 2026-02-09; Copilot, Teams Phone and
		// Defender for Office 365 are add-ons it can carry.
		bb := s.buy(t, cartLine{CatalogItemID: basic, Quantity: 5, TermDuration: "P1Y", BillingCycle: "monthly"})
		pbi := s.buy(t, cartLine{CatalogItemID: powerBI, Quantity: 3, TermDuration: "P1M", BillingCycle: "monthly"})
		str := func(v string) *string { return &v }
		utc := func(y int, m time.Month, d, h, mi, sec int) *time.Time {
			x := time.Date(y, m, d, h, mi, sec, 0, time.UTC)
			return &x
		}
		check := func(what string, got subFields, status string, addons bool, reasons []string, renewal *string, end, cycleEnd *time.Time) {
			t.Helper()
			if got.Status != status || got.ContractType != "subscription" || got.HasPurchasableAddons != addons || !slices.Equal(got.SuspensionReasons, reasons) ||
				got.SuspensionReasons == nil || !gocmp.Equal(got.RenewalTermDuration, renewal) || !gocmp.Equal(got.CommitmentEndDateTime, end) ||
				!gocmp.Equal(got.BillingCycleEndDateTime, cycleEnd) || got.PromotionID != nil {
				t.Errorf("%s: status %s contractType %q addons %v reasons %#v renewal %v end %v cycle end %v promotion %v; want %s subscription %v %#v %v %v %v none",
					what, got.Status, got.ContractType, got.HasPurchasableAddons, got.SuspensionReasons, got.RenewalTermDuration, got.CommitmentEndDateTime,
					got.BillingCycleEndDateTime, got.PromotionID, status, addons, reasons, renewal, end, cycleEnd)
			}
		}
		active := s.fields(t, bb)
		check("active", active, "active", true, []string{}, str("P1Y"), utc(2027, 1, 9, 23, 59, 59), utc(2026, 2, 9, 23, 59, 59))
		for name, uri := range map[string]string{
			"self":         "/customers/" + s.customer + "/subscriptions/" + bb,
			"product":      "/products/CFQ7TTC0LH18?country=US",
			"sku":          "/products/CFQ7TTC0LH18/skus/0001?country=US",
			"availability": "/products/CFQ7TTC0LH18/skus/0001/availabilities/CFQ7TTC0K971?country=US",
		} {
			l := active.Links[name]
			if l.URI != uri || l.Method != http.MethodGet || l.Headers == nil {
				t.Errorf("link %s = %+v, want GET %s", name, l, uri)
			}
		}
		// The links are this API's own paths (relative to /v1).
		var av struct {
			CatalogItemID string `json:"catalogItemId"`
		}
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1"+active.Links["availability"].URI, nil, &av, nil); err != nil || av.CatalogItemID != basic {
			t.Errorf("following the availability link: %+v, %v", av, err)
		}

		// Scheduled to renew month to month: the renewal takes P1M.
		if _, err := s.patch(bb, map[string]any{"scheduledNextTermInstructions": map[string]any{
			"product": map[string]string{"termDuration": "P1M", "billingCycle": "monthly"}, "quantity": 5}}); err != nil {
			t.Fatal(err)
		}
		check("scheduled", s.fields(t, bb), "active", true, []string{}, str("P1M"), utc(2027, 1, 9, 23, 59, 59), utc(2026, 2, 9, 23, 59, 59))

		// Suspended on 2026-01-20: auto-renew off, so no renewal
		// term; a suspended subscription carries no new add-ons.
		s.advanceTo(t, "2026-01-20T09:00:00Z")
		if _, err := s.patch(bb, map[string]any{"status": "suspended"}); err != nil {
			t.Fatal(err)
		}
		check("suspended", s.fields(t, bb), "suspended", false, []string{"PartnerInitiated"}, nil, utc(2027, 1, 9, 23, 59, 59), utc(2026, 2, 9, 23, 59, 59))

		// Power BI Pro P1M bought 2026-01-10 (term to 2026-02-09) with
		// auto-renew turned off: it will expire, so no renewal term.
		if _, err := s.patch(pbi, map[string]any{"autoRenewEnabled": false}); err != nil {
			t.Fatal(err)
		}
		check("auto-renew off", s.fields(t, pbi), "active", false, []string{}, nil, utc(2026, 2, 9, 23, 59, 59), utc(2026, 2, 9, 23, 59, 59))
	})
}
