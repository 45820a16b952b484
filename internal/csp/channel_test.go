package csp

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

func channelCatalog() *Catalog {
	c := miniCatalog()
	c.Products[0].Skus[0].UnitType = "Licenses"
	partner := uuid.New()
	c.Products = append(c.Products,
		Product{ID: "AZURE", Title: "Azure plan", ProductType: ProductTypeAzure, Skus: []Sku{{ID: "0001", Title: "Azure plan", UnitType: "Usage-based"}}},
		Product{ID: "TRIAL", Title: "Trial", ProductType: "OnlineServices", Skus: []Sku{{ID: "0002", Title: "Base trial", UnitType: "Licenses", IsTrial: true,
			ConvertsTo: "BASE:0001", GraphSkuID: graphBusinessBasic}}},
		Product{ID: "SUPPORT", Title: "Support", ProductType: "Custom", PartnerID: &partner, Skus: []Sku{{ID: "0001", Title: "Support", UnitType: "Licenses"}}})
	return c
}

func ea(quantity int, start, end string) ChannelSubscriptionInput {
	return ChannelSubscriptionInput{Channel: "ea", ProductID: "base", SkuID: "0001", Quantity: quantity, TermStartDate: start, TermEndDate: end}
}

func TestCheckChannelSubscription(t *testing.T) {
	c := channelCatalog()
	got, _, sku, err := CheckChannelSubscription(c, ChannelSubscriptionInput{Channel: "MCAE", ProductID: "base", SkuID: "0001", Quantity: 25,
		TermStartDate: "2026-01-01", TermEndDate: "2028-12-31", AutoRenewEnabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Channel != ChannelMCAE || got.OfferID() != "BASE:0001" || got.Quantity != 25 || !got.AutoRenew || sku.Title != "Base" ||
		!got.TermStart.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || !got.TermEnd.Equal(time.Date(2028, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("got %+v", got)
	}
	// Exactly five years is allowed: 2026-01-01..2031-01-01.
	if _, _, _, err := CheckChannelSubscription(c, ea(1, "2026-01-01", "2031-01-01")); err != nil {
		t.Fatal(err)
	}
	refused := []struct {
		name  string
		in    ChannelSubscriptionInput
		code  Code
		field string
	}{
		{"ChannelCSP", func() ChannelSubscriptionInput {
			in := ea(1, "2026-01-01", "2026-12-31")
			in.Channel = "csp"
			return in
		}(), EChannelIsCSP, "channel"},
		{"ChannelUnknown", func() ChannelSubscriptionInput {
			in := ea(1, "2026-01-01", "2026-12-31")
			in.Channel = "reseller"
			return in
		}(), EChannelInvalid, "channel"},
		{"ChannelMissing", func() ChannelSubscriptionInput { in := ea(1, "2026-01-01", "2026-12-31"); in.Channel = ""; return in }(), EMissingField, "channel"},
		{"SkuMissing", func() ChannelSubscriptionInput { in := ea(1, "2026-01-01", "2026-12-31"); in.SkuID = ""; return in }(), EMissingField, "skuId"},
		{"UnknownSku", func() ChannelSubscriptionInput { in := ea(1, "2026-01-01", "2026-12-31"); in.SkuID = "0009"; return in }(), EChannelOfferNotFound, "productId"},
		{"PartnerService", func() ChannelSubscriptionInput {
			in := ea(1, "2026-01-01", "2026-12-31")
			in.ProductID = "SUPPORT"
			return in
		}(), EChannelOfferNotFound, "productId"},
		{"AzurePlan", func() ChannelSubscriptionInput {
			in := ea(1, "2026-01-01", "2026-12-31")
			in.ProductID = "AZURE"
			return in
		}(), EChannelNotLicence, "skuId"},
		{"Trial", func() ChannelSubscriptionInput {
			in := ea(1, "2026-01-01", "2026-12-31")
			in.ProductID, in.SkuID = "TRIAL", "0002"
			return in
		}(), EChannelTrial, "skuId"},
		{"QuantityZero", ea(0, "2026-01-01", "2026-12-31"), EChannelInvalidQuantity, "quantity"},
		{"QuantityHuge", ea(MaxChannelQuantity+1, "2026-01-01", "2026-12-31"), EChannelInvalidQuantity, "quantity"},
		{"StartMissing", ea(1, "", "2026-12-31"), EMissingField, "termStartDate"},
		{"StartNotADate", ea(1, "2026-02-30", "2026-12-31"), EChannelInvalidDate, "termStartDate"},
		{"EndDateTime", ea(1, "2026-01-01", "2026-12-31T00:00:00Z"), EChannelInvalidDate, "termEndDate"},
		{"EndYear2100", ea(1, "2099-06-01", "2100-05-31"), EChannelInvalidDate, "termEndDate"},
		{"EndBeforeStart", ea(1, "2026-12-31", "2026-01-01"), EChannelTermEndNotAfter, "termEndDate"},
		{"EndIsStart", ea(1, "2026-01-01", "2026-01-01"), EChannelTermEndNotAfter, "termEndDate"},
		{"SixYears", ea(1, "2026-01-01", "2031-01-02"), EChannelTermTooLong, "termEndDate"},
	}
	for _, r := range refused {
		t.Run(r.name, func(t *testing.T) {
			_, _, _, err := CheckChannelSubscription(c, r.in)
			e, ok := err.(*Error)
			if !ok || e.Code != r.code || len(e.Data) != 1 || e.Data[0] != "field="+r.field {
				t.Fatalf("got %v %+v, want %d field=%s", err, e, r.code, r.field)
			}
			it := InImportItem(3, err).(*Error)
			if it.Code != r.code || it.Data[0] != "item=3" || it.Data[1] != "field="+r.field || it.Message[:10] != "items[3]: " {
				t.Fatalf("import item error %+v", it)
			}
		})
	}
}

func TestChannelStatusOn(t *testing.T) {
	s := &ChannelSubscription{TermStart: day("2026-01-01"), TermEnd: day("2026-12-31")}
	// R-19's chain after 2026-12-31: expired 2027-01-01..2027-01-30 (30
	// days), disabled 2027-01-31..2027-04-30 (90 days), deleted from
	// 2027-05-01.
	for d, want := range map[string]Status{
		"2025-12-31": StatusPending, "2026-01-01": StatusActive, "2026-12-31": StatusActive,
		"2027-01-01": StatusExpired, "2027-01-30": StatusExpired, "2027-01-31": StatusDisabled,
		"2027-04-30": StatusDisabled, "2027-05-01": StatusDeleted,
	} {
		if got := s.StatusOn(day(d).Add(23 * time.Hour)); got != want {
			t.Errorf("%s: %s, want %s", d, got, want)
		}
	}
	s.AutoRenew = true
	if got := s.StatusOn(day("2030-03-01")); got != StatusActive {
		t.Errorf("auto-renewing: %s", got)
	}
}

func TestChannelTermOn(t *testing.T) {
	for _, c := range []struct {
		start, end, on, wantStart, wantEnd string
		renew                              bool
	}{
		{"2026-01-01", "2026-12-31", "2027-06-01", "2026-01-01", "2026-12-31", false},
		{"2026-01-01", "2026-12-31", "2026-12-31", "2026-01-01", "2026-12-31", true},
		{"2026-01-01", "2026-12-31", "2027-01-01", "2027-01-01", "2027-12-31", true},
		{"2026-01-01", "2028-12-31", "2031-07-04", "2029-01-01", "2031-12-31", true}, // 3-year terms
		{"2026-03-15", "2026-04-14", "2026-06-20", "2026-06-15", "2026-07-14", true}, // monthly
		{"2026-01-31", "2026-02-27", "2026-03-05", "2026-02-28", "2026-03-30", true}, // one month from Jan 31 (to Feb 28, R-3's clamp)
		{"2026-01-10", "2026-02-06", "2026-03-08", "2026-03-07", "2026-04-03", true}, // 28 days, not whole months
	} {
		s := &ChannelSubscription{TermStart: day(c.start), TermEnd: day(c.end), AutoRenew: c.renew}
		start, end := s.TermOn(day(c.on))
		if !start.Equal(day(c.wantStart)) || !end.Equal(day(c.wantEnd)) {
			t.Errorf("%s..%s on %s: %s..%s, want %s..%s", c.start, c.end, c.on, start.Format(time.DateOnly), end.Format(time.DateOnly), c.wantStart, c.wantEnd)
		}
	}
}

func TestChannelChanged(t *testing.T) {
	off, on, seats, zero := false, true, 40, 0
	renewing := &ChannelSubscription{TermStart: day("2025-04-01"), TermEnd: day("2026-03-31"), AutoRenew: true, Quantity: 25}
	// On 2026-06-10 it is in its first renewal, 2026-04-01..2027-03-31:
	// turning auto-renew off fixes the record to that term.
	got, err := renewing.Changed(day("2026-06-10").Add(9*time.Hour), ChannelChange{AutoRenew: &off})
	if err != nil || got.AutoRenew || !got.TermStart.Equal(day("2026-04-01")) || !got.TermEnd.Equal(day("2027-03-31")) || got.Quantity != 25 {
		t.Fatalf("auto-renew off: %+v, %v", got, err)
	}
	if !renewing.AutoRenew || !renewing.TermStart.Equal(day("2025-04-01")) {
		t.Fatalf("Changed changed its receiver: %+v", renewing)
	}
	// Within the recorded term the dates stay; seats change alone.
	got, err = renewing.Changed(day("2025-09-01"), ChannelChange{AutoRenew: &off, Quantity: &seats})
	if err != nil || !got.TermStart.Equal(day("2025-04-01")) || !got.TermEnd.Equal(day("2026-03-31")) || got.Quantity != 40 {
		t.Fatalf("off in the recorded term: %+v, %v", got, err)
	}
	ending := &ChannelSubscription{TermStart: day("2026-01-01"), TermEnd: day("2026-12-31"), Quantity: 5}
	got, err = ending.Changed(day("2026-12-31"), ChannelChange{AutoRenew: &on})
	if err != nil || !got.AutoRenew || !got.TermEnd.Equal(day("2026-12-31")) {
		t.Fatalf("auto-renew on, last day: %+v, %v", got, err)
	}
	for _, c := range []struct {
		what string
		on   string
		ch   ChannelChange
		code Code
	}{
		{"nothing", "2026-06-01", ChannelChange{}, EChannelNoChange},
		{"zero seats", "2026-06-01", ChannelChange{Quantity: &zero}, EChannelInvalidQuantity},
		{"after the term", "2027-01-01", ChannelChange{AutoRenew: &on}, EChannelTermEnded},
		{"seats after the term", "2027-02-15", ChannelChange{Quantity: &seats}, EChannelTermEnded},
	} {
		if _, err := ending.Changed(day(c.on), c.ch); ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want code %d", c.what, err, c.code)
		}
	}
}
