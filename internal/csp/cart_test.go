package csp

import (
	"fmt"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// bookPrices is a price book that sells everything at one price: it shows
// that purchases and renewals price through Prices, not the catalog.
type bookPrices struct{ price Money }

func (b bookPrices) UnitPrice(Item, Term, string, time.Time) (Money, bool) { return b.price, true }

func cartWorld() CartCheck {
	partner := &Partner{ID: uuid.MustParse("00000000-0000-0000-0000-0000000000aa"), Name: "Contoso Partner", Type: PartnerDirect, Locations: []string{"US"}}
	tenant := &Tenant{ID: uuid.MustParse("00000000-0000-0000-0000-0000000000bb"), DisplayName: "Fabrikam", Country: "US", Region: RegionUS, Segment: SegmentCommercial}
	return CartCheck{Now: at("2026-03-10T09:00:00Z"), Customer: &Customer{Tenant: tenant}, Partner: partner, Catalog: miniCatalog(),
		Prices: CatalogPrices{}, Currency: "USD"}
}

func line(item string, qty int) CartLine {
	return CartLine{CatalogItemID: item, Quantity: qty, TermDuration: "p1m", BillingCycle: "Monthly"}
}

func codes(lines []CartLine) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if l.Error != nil {
			out[i] = l.Error.ErrorCode
		}
	}
	return out
}

func TestCartCheck(t *testing.T) {
	base := &Subscription{ID: uuid.New(), ProductID: "BASE", SkuID: "0001", Status: StatusActive, Quantity: 4, TermDuration: "P1M", TermEnd: day("2026-03-31")}
	for _, tt := range []struct {
		name     string
		existing []*Subscription
		lines    []CartLine
		want     []string // error code per line, "" for a good line
	}{
		{"a base line and its add-on in one cart", nil, []CartLine{line("BASE:0001:A1", 3), line("ADD:0001:A2", 3)}, []string{"", ""}},
		{"add-on seats above the cart's base seats", nil, []CartLine{line("BASE:0001:A1", 3), line("ADD:0001:A2", 4)}, []string{"", CartBaseSeatsNotMet}},
		// 4 existing base seats + 3 in the cart allow 7 add-on seats.
		{"add-on counts existing and cart seats", []*Subscription{base}, []CartLine{line("BASE:0001:A1", 3), line("ADD:0001:A2", 7)}, []string{"", ""}},
		{"add-on without a base", nil, []CartLine{line("ADD:0001:A2", 1)}, []string{CartSubscriptionNotValid}},
		// A base line in error does not count for the add-on after it.
		{"base line in error", nil, []CartLine{line("BASE:0001:A1", 11), line("ADD:0001:A2", 1)}, []string{CartMaxSeatsExceeded, CartSubscriptionNotValid}},
		{"unknown item", nil, []CartLine{line("NOPE:0001:A1", 1)}, []string{CartCatalogItemNotValid}},
		{"term not sold", nil, []CartLine{{CatalogItemID: "BASE:0001:A1", Quantity: 1, TermDuration: "P1Y", BillingCycle: "annual"}}, []string{CartBillingPlanNotSupported}},
		{"another currency", nil, []CartLine{{CatalogItemID: "BASE:0001:A1", Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly", CurrencyCode: "EUR"}}, []string{CartCurrencyNotSupported}},
		{"partner of record from a direct partner", nil, []CartLine{{CatalogItemID: "BASE:0001:A1", Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly",
			Participants: []Participant{{Key: "transaction", Value: "3000001"}}}}, []string{CartParticipantsNotSupported}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := cartWorld()
			c.Existing = tt.existing
			lines, ok, err := c.Check(tt.lines)
			if err != nil {
				t.Fatal(err)
			}
			if d := gocmp.Diff(tt.want, codes(lines)); d != "" {
				t.Errorf("line errors (-want +got):\n%s", d)
			}
			good := 0
			for _, code := range tt.want {
				if code == "" {
					good++
				}
			}
			if len(ok) != good {
				t.Errorf("%d checked lines, want %d", len(ok), good)
			}
			for i, l := range lines {
				if l.ID != i {
					t.Errorf("line %d numbered %d", i, l.ID)
				}
				if c, good := ok[i]; good && (c.Line.TermDuration != "P1M" || c.Line.BillingCycle != "monthly" || c.Price.String() != "USD 5.00") {
					t.Errorf("good line %d not normalised and priced: %+v, %s", i, c.Line, c.Price)
				}
			}
		})
	}
	if _, _, err := cartWorld().Check(nil); ErrorCode(err) != ECartEmpty {
		t.Errorf("empty cart: %v", err)
	}
}

func TestCartCheckCustomEnd(t *testing.T) {
	c := cartWorld()
	aligned := &Subscription{ID: uuid.New(), ProductID: "BASE", SkuID: "0001", Status: StatusActive, Quantity: 1, TermDuration: "P1M", TermEnd: day("2026-03-20")}
	c.Existing = []*Subscription{aligned}
	end := func(s string) CartLine {
		l := line("BASE:0001:A1", 1)
		d := at(s)
		l.CustomTermEndDate = &d
		return l
	}
	// Bought 2026-03-10: a P1M term normally ends 2026-04-09. 2026-03-31 is
	// a month end, 2026-03-20 the end of an active subscription, 2026-03-25
	// neither, 2026-04-10 after the normal end.
	lines, ok, _ := c.Check([]CartLine{end("2026-03-31T15:00:00Z"), end("2026-03-20T00:00:00Z"), end("2026-03-25T00:00:00Z"), end("2026-04-10T00:00:00Z")})
	if d := gocmp.Diff([]string{"", "", CartInvalidCustomEnd, CartInvalidCustomEnd}, codes(lines)); d != "" {
		t.Errorf("custom end dates (-want +got):\n%s", d)
	}
	if got := ok[0].Line.CustomTermEndDate; got == nil || !got.Equal(day("2026-03-31")) {
		t.Errorf("custom end not a day: %v", got)
	}
}

func TestPlaceOrdersPricesThroughPrices(t *testing.T) {
	c := cartWorld()
	c.Prices = bookPrices{price: NewMoney(decimal.RequireFromString("4.00"), "USD")}
	cart := &Cart{ID: uuid.New(), TenantID: c.Customer.Tenant.ID, PartnerID: c.Partner.ID}
	lines := []CartLine{line("BASE:0001:A1", 3), line("ADD:0001:A2", 2), line("BASE:0001:A1", 1)}
	lines[2].OrderGroup = "B"
	var checked map[int]CheckedLine
	var err error
	if cart.Lines, checked, err = c.Check(lines); err != nil || len(checked) != 3 {
		t.Fatalf("check: %v, %d good lines", err, len(checked))
	}
	n := 0
	placed, err := PlaceOrders(cart, checked, c.Currency, c.Now, func() uuid.UUID { n++; return uuid.MustParse("00000000-0000-7000-8000-" + fmtID(n)) })
	if err != nil {
		t.Fatal(err)
	}
	// Two orders: group "" (lines 0 and 1) and group B (line 2). A P1M
	// term bought 2026-03-10 runs to 2026-04-09, a full first period: 3
	// seats at the book's 4.00 = 12.00, 2 = 8.00; order total 20.00.
	if len(placed.Orders) != 2 || len(placed.Orders[0].Lines) != 2 || len(placed.Orders[1].Lines) != 1 {
		t.Fatalf("orders: %+v", placed.Orders)
	}
	total, err := placed.Orders[0].Total()
	if err != nil || total.String() != "USD 20.00" {
		t.Errorf("first order total %s (%v), want USD 20.00", total, err)
	}
	if p := placed.Orders[0].Lines[1].ProratedPrice.String(); p != "USD 8.00" {
		t.Errorf("add-on line prorated %s, want USD 8.00", p)
	}
	s := placed.Subscriptions[0]
	if s.UnitPrice.String() != "USD 4.00" || s.TermEnd != day("2026-04-09") || *s.OrderID != placed.Orders[0].ID || s.Status != StatusActive {
		t.Errorf("subscription: price %s, end %s, order %v, status %s", s.UnitPrice, s.TermEnd, s.OrderID, s.Status)
	}
	if ev := placed.Events[2]; ev.Changes.OrderID == nil || *ev.Changes.OrderID != placed.Orders[1].ID || ev.Changes.CatalogItemID != "BASE:0001:A1" {
		t.Errorf("third purchase event: %+v", ev.Changes)
	}
	// Ids in the order they are made: order, subscription, subscription, order, subscription.
	if placed.Orders[1].ID.String() != "00000000-0000-7000-8000-000000000004" || placed.Subscriptions[2].ID.String() != "00000000-0000-7000-8000-000000000005" {
		t.Errorf("ids: order %s, subscription %s", placed.Orders[1].ID, placed.Subscriptions[2].ID)
	}
}

func fmtID(n int) string { return fmt.Sprintf("%012d", n) }

func TestRenewalTermsPriceThroughPrices(t *testing.T) {
	s := newSub("BASE:0001", 3, "P1M", "monthly", "5.00")
	s.AvailabilityID = "A1"
	s.Purchase(at("2026-03-10T09:00:00Z"), nil)
	cat := miniCatalog()
	r := RenewalTerms(s, cat, CatalogPrices{}, day("2026-04-10"))
	if !r.Found || r.UnitPrice.String() != "USD 5.00" || r.Quantity != 3 {
		t.Errorf("catalog renewal: %+v", r)
	}
	r = RenewalTerms(s, cat, bookPrices{price: NewMoney(decimal.RequireFromString("4.50"), "USD")}, day("2026-04-10"))
	if !r.Found || r.UnitPrice.String() != "USD 4.50" {
		t.Errorf("price book renewal: %+v", r)
	}
	s.Scheduled = &NextTerm{ProductID: "BASE", SkuID: "0001", AvailabilityID: "A1", TermDuration: "P1Y", BillingCycle: "annual", Quantity: 5}
	if r = RenewalTerms(s, cat, CatalogPrices{}, day("2026-04-10")); r.Found {
		t.Errorf("a scheduled term the catalog does not sell was found: %+v", r)
	}
}

// A line's amount per billing period is its unit price times its
// quantity: 5 seats at CAD 31.61 are CAD 158.05; a trial's price is zero.
func TestCheckedLineAmount(t *testing.T) {
	l := CheckedLine{Line: CartLine{Quantity: 5}, Price: NewMoney(decimal.RequireFromString("31.61"), "CAD")}
	if got := l.Amount(); got.String() != "CAD 158.05" {
		t.Errorf("5 × CAD 31.61 = %s, want CAD 158.05", got)
	}
	trial := CheckedLine{Line: CartLine{Quantity: 25}, Price: ZeroMoney("USD")}
	if got := trial.Amount(); got.String() != "USD 0.00" {
		t.Errorf("trial amount = %s, want USD 0.00", got)
	}
}
