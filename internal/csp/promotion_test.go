package csp

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// promoCatalog sells SUITE (P1M 14.40 a month, P1Y 12.60 a month or 144.00
// a year, the example prices), its trial, and OTHER, with four
// promotions.
func promoCatalog() *Catalog {
	suite := []Term{{Duration: "P1M", BillingCycle: "monthly"}, {Duration: "P1Y", BillingCycle: "monthly"}, {Duration: "P1Y", BillingCycle: "annual"}}
	prices := []PriceList{{EffectiveDate: "2026-01-01", Currency: "USD", UnitPrices: map[string]decimal.Decimal{
		"P1M:monthly": dec("14.40"), "P1Y:monthly": dec("12.60"), "P1Y:annual": dec("144.00")}}}
	monthly := []Term{{Duration: "P1M", BillingCycle: "monthly"}}
	return &Catalog{
		Products: []Product{
			{ID: "SUITE", Title: "Suite", ProductType: "OnlineServices", Skus: []Sku{
				{ID: "0001", Title: "Suite", MinimumQuantity: 1, MaximumQuantity: 300, GraphSkuID: graphSPEE3, SkuPartNumber: "SPE_E3", Availabilities: []Availability{
					{ID: "S1", Segment: SegmentCommercial, Terms: suite, Prices: prices}}},
				{ID: "0002", Title: "Suite Trial", MinimumQuantity: 25, MaximumQuantity: 25, IsTrial: true, TrialQuantity: 25, ConvertsTo: "SUITE:0001",
					GraphSkuID: graphSPEE3, SkuPartNumber: "SPE_E3", Availabilities: []Availability{{ID: "T1", Segment: SegmentCommercial, Terms: monthly}}},
			}},
			{ID: "OTHER", Title: "Other", ProductType: "OnlineServices", Skus: []Sku{{ID: "0001", Title: "Other", MinimumQuantity: 1, MaximumQuantity: 300,
				GraphSkuID: graphExchangeP1, SkuPartNumber: "EXCHANGESTANDARD", Availabilities: []Availability{{ID: "O1", Segment: SegmentCommercial, Terms: monthly,
					Prices: []PriceList{{EffectiveDate: "2026-01-01", Currency: "USD", UnitPrices: map[string]decimal.Decimal{"P1M:monthly": dec("5.00")}}}}}}}},
		},
		Promotions: []Promotion{
			{ID: "PROMO15", Name: "15 % off a year", DiscountPercent: dec("15"), Availabilities: []string{"SUITE:0001:S1"},
				Terms: []Term{{Duration: "P1Y", BillingCycle: "annual"}}, StartDate: "2026-03-01", EndDate: "2026-03-31"},
			{ID: "FIRST20", Name: "20 % off a first purchase", DiscountPercent: dec("20"), Availabilities: []string{"SUITE:0001:S1"},
				Terms: []Term{{Duration: "P1M", BillingCycle: "monthly"}, {Duration: "P1Y", BillingCycle: "monthly"}}, StartDate: "2026-01-01",
				EndDate: "2026-12-31", FirstPurchaseOnly: true},
			{ID: "ODD", Name: "12.5 % off monthly billing", DiscountPercent: dec("12.5"), Availabilities: []string{"SUITE:0001:S1"},
				Terms: []Term{{Duration: "P1Y", BillingCycle: "monthly"}}, StartDate: "2026-01-01", EndDate: "2026-12-31"},
			{ID: "LONG10", Name: "10 % off month to month", DiscountPercent: dec("10"), Availabilities: []string{"SUITE:0001:S1"},
				Terms: []Term{{Duration: "P1M", BillingCycle: "monthly"}}, StartDate: "2026-01-01", EndDate: "2026-12-31"},
		},
	}
}

func promoLine(term, cycle, promo string) CartLine {
	return CartLine{CatalogItemID: "SUITE:0001:S1", Quantity: 10, TermDuration: term, BillingCycle: cycle, PromotionID: promo}
}

func TestPromotionOnCartLines(t *testing.T) {
	if err := promoCatalog().Validate(); err != nil {
		t.Fatalf("valid catalog refused: %v", err)
	}
	trial := &Subscription{ProductID: "SUITE", SkuID: "0002", Status: StatusExpired, IsTrial: true}
	other := &Subscription{ProductID: "OTHER", SkuID: "0001", Status: StatusActive}
	for _, tt := range []struct {
		name  string
		now   string
		held  []*Subscription
		lines []CartLine
		// per line: the error code, or the price and the list price and
		// the promotion the line keeps
		code              []string
		price, list, keep []string
	}{
		// R-27's example: 15 % off 144.00 = 122.40 a seat for the term.
		{"R-27 example", "2026-03-10T09:00:00Z", nil, []CartLine{promoLine("P1Y", "annual", "PROMO15")},
			[]string{""}, []string{"122.40"}, []string{"144.00"}, []string{"PROMO15"}},
		{"id in lower case", "2026-03-10T09:00:00Z", nil, []CartLine{promoLine("P1Y", "annual", "promo15")},
			[]string{""}, []string{"122.40"}, []string{"144.00"}, []string{"PROMO15"}},
		{"no promotion", "2026-03-10T09:00:00Z", nil, []CartLine{promoLine("P1Y", "annual", "")},
			[]string{""}, []string{"144.00"}, []string{"144.00"}, []string{""}},
		{"first and last day", "2026-03-01T00:00:00Z", nil, []CartLine{promoLine("P1Y", "annual", "PROMO15")},
			[]string{""}, []string{"122.40"}, []string{"144.00"}, []string{"PROMO15"}},
		{"last second of the last day", "2026-03-31T23:59:59Z", nil, []CartLine{promoLine("P1Y", "annual", "PROMO15")},
			[]string{""}, []string{"122.40"}, []string{"144.00"}, []string{"PROMO15"}},
		{"before its start", "2026-02-28T23:59:59Z", nil, []CartLine{promoLine("P1Y", "annual", "PROMO15")},
			[]string{CartInvalidPromotionID}, nil, nil, nil},
		{"after its end", "2026-04-01T00:00:00Z", nil, []CartLine{promoLine("P1Y", "annual", "PROMO15")},
			[]string{CartInvalidPromotionID}, nil, nil, nil},
		{"unknown promotion", "2026-03-10T09:00:00Z", nil, []CartLine{promoLine("P1Y", "annual", "NOPE")},
			[]string{CartInvalidPromotionID}, nil, nil, nil},
		{"term not eligible", "2026-03-10T09:00:00Z", nil, []CartLine{promoLine("P1Y", "monthly", "PROMO15")},
			[]string{CartInvalidPromotionID}, nil, nil, nil},
		{"availability not eligible", "2026-03-10T09:00:00Z", nil,
			[]CartLine{{CatalogItemID: "OTHER:0001:O1", Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly", PromotionID: "LONG10"}},
			[]string{CartInvalidPromotionID}, nil, nil, nil},
		// 20 % off 12.60 = 10.08; another product held does not count.
		{"first purchase", "2026-03-10T09:00:00Z", []*Subscription{other}, []CartLine{promoLine("P1Y", "monthly", "FIRST20")},
			[]string{""}, []string{"10.08"}, []string{"12.60"}, []string{"FIRST20"}},
		// a trial counts as a purchase, even long expired.
		{"first purchase after a trial", "2026-03-10T09:00:00Z", []*Subscription{trial}, []CartLine{promoLine("P1Y", "monthly", "FIRST20")},
			[]string{CartInvalidPromotionID}, nil, nil, nil},
		// The second line buys what the first one already buys.
		{"first purchase twice in one cart", "2026-03-10T09:00:00Z", nil,
			[]CartLine{promoLine("P1Y", "monthly", "FIRST20"), promoLine("P1M", "monthly", "FIRST20")},
			[]string{"", CartInvalidPromotionID}, []string{"10.08", ""}, []string{"12.60", ""}, []string{"FIRST20", ""}},
		// 12.60 × 0.875 = 11.025, rounded half away from zero to 11.03.
		{"discount rounded to cents", "2026-03-10T09:00:00Z", nil, []CartLine{promoLine("P1Y", "monthly", "ODD")},
			[]string{""}, []string{"11.03"}, []string{"12.60"}, []string{"ODD"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := cartWorld()
			c.Now, c.Catalog, c.Held = at(tt.now), promoCatalog(), tt.held
			lines, ok, err := c.Check(tt.lines)
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range lines {
				got := ""
				if l.Error != nil {
					got = l.Error.ErrorCode
				}
				if got != tt.code[i] {
					t.Fatalf("line %d: error %q (%v), want %q", i, got, l.Error, tt.code[i])
				}
				if got != "" {
					if _, in := ok[i]; in || l.Error.ErrorDescription == "" {
						t.Errorf("line %d: refused but checked, or refused without a description", i)
					}
					continue
				}
				cl := ok[i]
				promo := ""
				if cl.Promotion != nil {
					promo = cl.Promotion.ID
				}
				if cl.Price.Amount.StringFixed(2) != tt.price[i] || cl.ListPrice.Amount.StringFixed(2) != tt.list[i] || promo != tt.keep[i] || l.PromotionID != tt.keep[i] {
					t.Errorf("line %d: price %s list %s promotion %q (line %q), want %s %s %q", i, cl.Price.Amount, cl.ListPrice.Amount, promo,
						l.PromotionID, tt.price[i], tt.list[i], tt.keep[i])
				}
			}
		})
	}
}

func TestPromotionValidate(t *testing.T) {
	for name, change := range map[string]func(p *Promotion){
		"ZeroDiscount":   func(p *Promotion) { p.DiscountPercent = dec("0") },
		"WholeDiscount":  func(p *Promotion) { p.DiscountPercent = dec("100") },
		"EndBeforeStart": func(p *Promotion) { p.StartDate, p.EndDate = "2026-04-01", "2026-03-31" },
		"BadDate":        func(p *Promotion) { p.EndDate = "2026-02-30" },
		"UnknownItem":    func(p *Promotion) { p.Availabilities = []string{"SUITE:0001:NOPE"} },
		"TermNotSold":    func(p *Promotion) { p.Terms = []Term{{Duration: "P3Y", BillingCycle: "triennial"}} },
		"Trial": func(p *Promotion) {
			p.Availabilities, p.Terms = []string{"SUITE:0002:T1"}, []Term{{Duration: "P1M", BillingCycle: "monthly"}}
		},
		"NoTerms":            func(p *Promotion) { p.Terms = nil },
		"DuplicateID":        func(p *Promotion) { p.ID = "first20" },
		"NoName":             func(p *Promotion) { p.Name = "" },
		"NoAvailabilityList": func(p *Promotion) { p.Availabilities = nil },
	} {
		t.Run("Err"+name, func(t *testing.T) {
			c := promoCatalog()
			change(&c.Promotions[0])
			if err := c.Validate(); ErrorCode(err) != EInvalidCatalog {
				t.Errorf("Validate = %v, want code %d", err, EInvalidCatalog)
			}
		})
	}
}

// TestPromotionPricing buys 10 seats of SUITE P1Y/annual with PROMO15 on
// 2026-03-10T09:00Z (term 2026-03-10..2027-03-09, 365 days) and follows the
// locked discounted price p = 122.40 through the lines (C-2): unitPrice is
// the list price 144.00 on every line, the EUP prorates p.
func TestPromotionPricing(t *testing.T) {
	c := cartWorld()
	c.Now, c.Catalog = at("2026-03-10T09:00:00Z"), promoCatalog()
	lines, checked, err := c.Check([]CartLine{promoLine("P1Y", "annual", "PROMO15")})
	if err != nil || lines[0].Error != nil {
		t.Fatalf("check: %v %v", err, lines[0].Error)
	}
	cart := &Cart{ID: uuid.New(), TenantID: c.Customer.Tenant.ID, PartnerID: c.Partner.ID, Lines: lines}
	placed, err := PlaceOrders(cart, checked, "USD", c.Now, uuid.New)
	if err != nil {
		t.Fatal(err)
	}
	sub := placed.Subscriptions[0]
	if sub.PromotionID != "PROMO15" || sub.UnitPrice.Amount.StringFixed(2) != "122.40" || sub.ListPrice.Amount.StringFixed(2) != "144.00" {
		t.Fatalf("subscription promotion %q price %s list %s, want PROMO15 122.40 144.00", sub.PromotionID, sub.UnitPrice.Amount, sub.ListPrice.Amount)
	}
	ol := placed.Orders[0].Lines[0]
	if ol.PromotionID != "PROMO15" || ol.ListPrice.Amount.StringFixed(2) != "144.00" || ol.DiscountedPrice == nil || ol.DiscountedPrice.Amount.StringFixed(2) != "122.40" ||
		ol.ProratedPrice.Amount.StringFixed(2) != "1224.00" {
		t.Errorf("order line %+v, want PROMO15, list 144.00, discounted 122.40, prorated 1224.00", ol)
	}
	type want struct {
		typ                  ChargeType
		bq                   int
		unit, eup, subtotal  string
		promotion            string
		chargeStart, chargeE string
	}
	check := func(what string, ev *Event, ws ...want) {
		t.Helper()
		if len(ev.Charges) != len(ws) {
			t.Fatalf("%s: %d lines, want %d", what, len(ev.Charges), len(ws))
		}
		for i, w := range ws {
			ch := ev.Charges[i]
			if ch.ChargeType != w.typ || ch.BillableQuantity.IntPart() != int64(w.bq) || ch.UnitPrice.Amount.StringFixed(2) != w.unit ||
				ch.EffectiveUnitPrice.Amount.StringFixed(6) != w.eup || ch.Subtotal.Amount.StringFixed(2) != w.subtotal || ch.PromotionID != w.promotion ||
				ch.ChargeStart.Format("2006-01-02") != w.chargeStart || ch.ChargeEnd.Format("2006-01-02") != w.chargeE {
				t.Errorf("%s line %d: %s BQ %s unit %s EUP %s subtotal %s promotion %q %s..%s; want %+v", what, i, ch.ChargeType, ch.BillableQuantity,
					ch.UnitPrice.Amount, ch.EffectiveUnitPrice.Amount, ch.Subtotal.Amount, ch.PromotionID, ch.ChargeStart.Format("2006-01-02"),
					ch.ChargeEnd.Format("2006-01-02"), w)
			}
		}
	}
	// The purchase: the whole year at p, 122.40 × 10 = 1,224.00.
	check("purchase", placed.Events[0], want{ChargeNew, 10, "144.00", "122.400000", "1224.00", "PROMO15", "2026-03-10", "2027-03-09"})

	// Cancelled 48 hours later: d = 03-12..2027-03-09 = 363 of 365;
	// 122.40 × 363/365 = 121.729315, ROUNDDOWN 121.72 × 10 = 1,217.20.
	cancelled := *sub
	ev, err := cancelled.Cancel(at("2026-03-12T09:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	check("cancel", ev, want{ChargeCancelImmediate, 10, "144.00", "-121.729315", "-1217.20", "PROMO15", "2026-03-12", "2027-03-09"})

	// 10 → 12 on 2026-09-10: d = 21 + 31 + 30 + 31 + 31 + 28 + 9 =
	// 181; 122.40 × 181/365 = 60.696986 → 60.69: −606.90 and +728.28.
	ev, err = sub.ChangeQuantity(at("2026-09-10T12:00:00Z"), 12, 1, 300)
	if err != nil {
		t.Fatal(err)
	}
	check("seats", ev, want{ChargeAddQuantity, 10, "144.00", "-60.696986", "-606.90", "PROMO15", "2026-09-10", "2027-03-09"},
		want{ChargeAddQuantity, 12, "144.00", "60.696986", "728.28", "PROMO15", "2026-09-10", "2027-03-09"})
}

// TestPromotionAtRenewal: a renewal takes the promotion again only while it
// runs and covers the new term, and never a first-purchase one.
func TestPromotionAtRenewal(t *testing.T) {
	cat := promoCatalog()
	price := func(s *Subscription, d string) Renewal { return RenewalTerms(s, cat, CatalogPrices{}, at(d)) }
	sub := func(term, cycle, promo, locked, list string) *Subscription {
		s := &Subscription{ID: uuid.New(), ProductID: "SUITE", SkuID: "0001", AvailabilityID: "S1", Quantity: 10, Status: StatusActive, AutoRenew: true,
			TermDuration: term, BillingCycle: cycle, UnitPrice: NewMoney(dec(locked), "USD"), PromotionID: promo, ListPrice: NewMoney(dec(list), "USD")}
		return s
	}
	for _, tt := range []struct {
		name          string
		s             *Subscription
		day           string
		price, promo  string
		list          string // "" when the renewal has no promotion
		wantListPrice bool
	}{
		// renewal after the promotion's end is at the list price.
		{"promotion ended", sub("P1Y", "annual", "PROMO15", "122.40", "144.00"), "2027-03-10T00:00:00Z", "144.00", "", "", false},
		// 14.40 × 0.90 = 12.96.
		{"promotion still runs", sub("P1M", "monthly", "LONG10", "12.96", "14.40"), "2026-04-10T00:00:00Z", "12.96", "LONG10", "14.40", true},
		{"first purchase never renews", sub("P1M", "monthly", "FIRST20", "11.52", "14.40"), "2026-04-10T00:00:00Z", "14.40", "", "", false},
		{"no promotion", sub("P1M", "monthly", "", "14.40", "0"), "2026-04-10T00:00:00Z", "14.40", "", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := price(tt.s, tt.day)
			if !r.Found || r.UnitPrice.Amount.StringFixed(2) != tt.price || r.PromotionID != tt.promo || (tt.wantListPrice && r.ListPrice.Amount.StringFixed(2) != tt.list) ||
				(!tt.wantListPrice && r.ListPrice != (Money{})) {
				t.Errorf("renewal %+v, want price %s promotion %q list %s", r, tt.price, tt.promo, tt.list)
			}
		})
	}

	// Through Advance: 10 seats P1M with LONG10 bought 2026-03-10 renew on
	// 2026-04-10 at 12.96 (list 14.40): `renew` 04-10..05-09, BQ 10,
	// unitPrice 14.40, EUP 12.96, subtotal 129.60.
	s := sub("P1M", "monthly", "LONG10", "12.96", "14.40")
	s.Purchase(at("2026-03-10T09:00:00Z"), nil)
	ev := s.Advance(func(s *Subscription, d time.Time) Renewal { return RenewalTerms(s, cat, CatalogPrices{}, d) })
	if ev == nil || ev.Type != EvRenewed || len(ev.Charges) != 1 {
		t.Fatalf("advance: %+v", ev)
	}
	ch := ev.Charges[0]
	if s.PromotionID != "LONG10" || s.UnitPrice.Amount.StringFixed(2) != "12.96" || ch.UnitPrice.Amount.StringFixed(2) != "14.40" ||
		ch.EffectiveUnitPrice.Amount.StringFixed(2) != "12.96" || ch.Subtotal.Amount.StringFixed(2) != "129.60" || ch.PromotionID != "LONG10" ||
		ch.ChargeStart.Format("2006-01-02") != "2026-04-10" || ch.ChargeEnd.Format("2006-01-02") != "2026-05-09" {
		t.Errorf("renewed: promotion %q price %s; line unit %s EUP %s subtotal %s promotion %q %s..%s", s.PromotionID, s.UnitPrice.Amount, ch.UnitPrice.Amount,
			ch.EffectiveUnitPrice.Amount, ch.Subtotal.Amount, ch.PromotionID, ch.ChargeStart, ch.ChargeEnd)
	}
	if ev.Changes.PromotionID != nil {
		t.Errorf("the promotion did not change, yet the event says %v", ev.Changes.PromotionID)
	}
}
