package csp

import (
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// ending is an active paid subscription whose term ends on end.
func ending(id, term, end string, autoRenew bool) *Subscription {
	return &Subscription{ID: uuid.MustParse("00000000-0000-0000-0000-" + strings.Repeat("0", 12-len(id)) + id), ProductID: "BASE", SkuID: "0001",
		Status: StatusActive, Quantity: 1, TermDuration: term, BillingCycle: "monthly", TermEnd: day(end), AutoRenew: autoRenew}
}

func idsOf(subs ...*Subscription) []uuid.UUID {
	var out []uuid.UUID
	for _, s := range subs {
		out = append(out, s.ID)
	}
	return out
}

func calendar(d string) CotermDate { return CotermDate{Type: CotermCalendarMonth, Date: day(d)} }

func aligned(d string, subs ...*Subscription) CotermDate {
	return CotermDate{Type: CotermSubscription, Date: day(d), SubscriptionIDs: idsOf(subs...)}
}

// TestCotermDates works out R-4's allowed end dates by hand: the latest
// month end on or before the natural end, and each subscription's
// latest end in the term that the term may align to.
func TestCotermDates(t *testing.T) {
	p1y := ending("a1", "P1Y", "2022-10-01", true)
	p1yAug, p1mAug := ending("a2", "P1Y", "2023-08-01", true), ending("a3", "P1M", "2023-08-01", true)
	monthly := ending("b1", "P1M", "2026-03-20", true)
	on29th, on30th := ending("b2", "P1Y", "2026-04-29", true), ending("b3", "P1Y", "2026-04-30", true)
	febEnd := ending("b4", "P1Y", "2026-02-28", true)
	june, juneOn := ending("c1", "P1Y", "2026-06-30", false), ending("c2", "P1Y", "2026-06-30", true)
	september := ending("c3", "P1Y", "2026-09-30", false)
	rescheduled := ending("c4", "P1Y", "2026-06-30", true)
	custom := day("2026-12-31")
	rescheduled.Scheduled = &NextTerm{TermDuration: "P1Y", BillingCycle: "monthly", Quantity: 1, CustomTermEndDate: &custom}
	trial := ending("d1", "P1Y", "2026-06-30", false)
	trial.IsTrial = true
	suspended, expired := ending("d2", "P1Y", "2026-07-31", true), ending("d3", "P1Y", "2026-08-31", true)
	suspended.Status, expired.Status = StatusSuspended, StatusExpired
	azure := ending("d4", "", "2026-09-30", true)
	service := ending("d5", "P1Y", "2026-10-31", true)
	service.PartnerService = true
	today := ending("d6", "P1Y", "2026-03-10", false)

	tests := []struct {
		name, start, duration string
		others                []*Subscription
		want                  []CotermDate
	}{
		// Microsoft's examples: the first term 2022-07-01..2022-10-01;
		// the natural end 2023-06-30 is itself a month end.
		{"MicrosoftSubscriptionAligned", "2022-07-01", "P1Y", []*Subscription{p1y}, []CotermDate{calendar("2023-06-30"), aligned("2022-10-01", p1y)}},
		{"MicrosoftCalendarAligned", "2022-07-15", "P1Y", nil, []CotermDate{calendar("2023-06-30")}},
		// P3Y to 2025-06-30: the P1Y renews to 2023-10-01, 2024-10-01, then 2025-10-01 is too late: 27 months.
		{"MicrosoftP3YToRenewedP1Y", "2022-07-01", "P3Y", []*Subscription{p1y}, []CotermDate{calendar("2025-06-30"), aligned("2024-10-01", p1y)}},
		// The API's P1M sample: one month end, one date two subscriptions share.
		{"MicrosoftP1MSample", "2023-07-05", "P1M", []*Subscription{p1yAug, p1mAug}, []CotermDate{calendar("2023-07-31"), aligned("2023-08-01", p1yAug, p1mAug)}},
		// A P1Y never aligns to a P1M, not to any of its renewals either.
		{"P1YSkipsP1M", "2026-03-10", "P1Y", []*Subscription{monthly}, []CotermDate{calendar("2027-02-28")}},
		// A P1M (natural end 2026-05-09) skips an end on the 29th; the 30th of April is the month's last.
		{"P1MSkips29th", "2026-04-10", "P1M", []*Subscription{on29th, on30th}, []CotermDate{calendar("2026-04-30"), aligned("2026-04-30", on30th)}},
		{"P1MToFebruary28th", "2026-02-05", "P1M", []*Subscription{febEnd}, []CotermDate{calendar("2026-02-28"), aligned("2026-02-28", febEnd)}},
		// Without auto-renew only the current end counts; with it, 2027-06-30 and 2028-06-30 (2029-06-30 is after 2029-03-09).
		{"P3YAutoRenewOff", "2026-03-10", "P3Y", []*Subscription{june}, []CotermDate{calendar("2029-02-28"), aligned("2026-06-30", june)}},
		{"P3YAutoRenewOn", "2026-03-10", "P3Y", []*Subscription{juneOn}, []CotermDate{calendar("2029-02-28"), aligned("2028-06-30", juneOn)}},
		// Scheduled to renew until 2026-12-31, then 2027-12-31 (too late).
		{"ScheduledCustomEnd", "2026-03-10", "P1Y", []*Subscription{rescheduled}, []CotermDate{calendar("2027-02-28"), aligned("2026-12-31", rescheduled)}},
		{"SortedByDate", "2026-03-10", "P1Y", []*Subscription{september, june}, []CotermDate{calendar("2027-02-28"), aligned("2026-06-30", june), aligned("2026-09-30", september)}},
		{"Skipped", "2026-03-10", "P1Y", []*Subscription{trial, suspended, expired, azure, service, today}, []CotermDate{calendar("2027-02-28")}},
		// Bought on 2024-01-31: the natural end 2024-02-28 is not a month
		// end, and the month end before it is the first day.
		{"NoMonthEndAfterFirstDay", "2024-01-31", "P1M", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := CotermDates(day(tc.start).Add(9*time.Hour), tc.duration, tc.others)
			if d := gocmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestCheckCustomTermEnd: a date is accepted only when CotermDates lists it;
// each refusal names the rule it breaks.
func TestCheckCustomTermEnd(t *testing.T) {
	june := ending("a1", "P1Y", "2026-06-30", true)    // renews to 2027-06-30, 2028-06-30
	monthly := ending("a2", "P1M", "2026-03-20", true) // renews to 2026-04-20, ...
	on29th := ending("a3", "P1Y", "2026-03-29", true)  // renews to 2027-03-29, 2028-03-29
	others := []*Subscription{june, monthly, on29th}
	tests := []struct {
		name, duration, end string
		want                string // the day accepted, or a phrase of the refusal
		data                string
	}{
		{"MonthEnd", "P1Y", "2027-02-28T15:00:00Z", "2027-02-28", ""},
		{"Aligned", "P1Y", "2026-06-30T00:00:00Z", "2026-06-30", ""},
		{"AlignedOn29th", "P1Y", "2026-03-29T00:00:00Z", "2026-03-29", ""},
		{"P1MToP1M", "P1M", "2026-03-20T00:00:00Z", "2026-03-20", ""},
		{"P1YToP1M", "P1Y", "2026-03-20T00:00:00Z", "a P1Y term cannot align to a P1M subscription", ""},
		{"P1YToRenewedP1M", "P1Y", "2026-04-20T00:00:00Z", "a P1Y term cannot align to a P1M subscription", ""},
		{"P1MTo29th", "P1M", "2026-03-29T00:00:00Z", "ending on the 29th unless that is the month's last day", ""},
		{"EarlierMonthEnd", "P1Y", "2026-12-31T00:00:00Z", "use 2027-02-28 or 2026-03-29 or 2026-06-30", "allowedCustomTermEndDates=2027-02-28,2026-03-29,2026-06-30"},
		{"P3YToEarlierEnd", "P3Y", "2026-06-30T00:00:00Z", "use 2029-02-28 or 2028-03-29 or 2028-06-30", "allowedCustomTermEndDates=2029-02-28,2028-03-29,2028-06-30"},
		{"AfterNaturalEnd", "P1Y", "2027-03-10T00:00:00Z", "on or before its natural end, 2027-03-09", ""},
		{"FirstDay", "P1Y", "2026-03-10T00:00:00Z", "after the term's first day, 2026-03-10", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CheckCustomTermEnd(at("2026-03-10T09:00:00Z"), tc.duration, at(tc.end), others)
			if _, dateErr := time.Parse(time.DateOnly, tc.want); dateErr == nil {
				if err != nil || !got.Equal(day(tc.want)) {
					t.Fatalf("got %s, %v; want %s accepted", got, err, tc.want)
				}
				return
			}
			var e *Error
			if ErrorCode(err) != EInvalidCustomTermEnd || !strings.Contains(ErrorMessage(err), tc.want) {
				t.Fatalf("got %v; want %d saying %q", err, EInvalidCustomTermEnd, tc.want)
			}
			if e, _ = err.(*Error); tc.data != "" && (len(e.Data) != 1 || e.Data[0] != tc.data) {
				t.Errorf("data %v, want %s", e.Data, tc.data)
			}
		})
	}
}

// cotermCatalog sells BASE:0001:AV1 on P1Y/annual at $120.00 and P1M/monthly at $12.00.
func cotermCatalog() *Catalog {
	return &Catalog{Products: []Product{{ID: "BASE", Title: "Base", ProductType: "OnlineServices", Skus: []Sku{{ID: "0001", Title: "Base", MinimumQuantity: 1, MaximumQuantity: 300,
		Availabilities: []Availability{{ID: "AV1", Segment: SegmentCommercial, Terms: []Term{{Duration: "P1Y", BillingCycle: "annual"}, {Duration: "P1M", BillingCycle: "monthly"}},
			Prices: []PriceList{{EffectiveDate: "2026-01-01", Currency: "USD", UnitPrices: map[string]decimal.Decimal{"P1Y:annual": dec("120.00"), "P1M:monthly": dec("12.00")}}}}}}}}}}
}

// TestScheduleCustomTermEnd: a renewal coterms to another subscription's
// end; its first term is prorated (C-2), the next one is full.
func TestScheduleCustomTermEnd(t *testing.T) {
	cat := cotermCatalog()
	a := newSub("BASE:0001", 10, "P1Y", "annual", "120.00")
	l := &ledger{}
	l.add(a.Purchase(at("2026-01-10T09:00:00Z"), nil), nil) // term 2026-01-10..2027-01-09
	b := ending("b", "P1Y", "2027-06-30", true)
	m := ending("c", "P1M", "2027-01-20", true)
	customer := []*Subscription{a, b, m}
	schedule := func(end string) (*Event, error) {
		d := at(end)
		nt, target, current, err := a.ResolveNextTerm(NextTerm{CustomTermEndDate: &d}, cat)
		if err != nil {
			t.Fatal(err)
		}
		return a.Schedule(at("2026-11-01T10:00:00Z"), nt, target, current, customer)
	}
	// The next term starts 2027-01-10; its natural end is 2028-01-09.
	for end, want := range map[string]string{
		"2027-01-20T00:00:00Z": "a P1Y term cannot align to a P1M subscription", // m's end
		"2026-06-30T00:00:00Z": "after the term's first day, 2027-01-10",        // coterming never moves the running term
		"2028-01-09T00:00:00Z": "use 2027-12-31 or 2027-06-30",                  // its own natural end is no coterm
	} {
		ev, err := schedule(end)
		if ErrorCode(err) != EInvalidCustomTermEnd || !strings.Contains(ErrorMessage(err), want) || ev != nil || a.Scheduled != nil {
			t.Errorf("schedule to %s: %v, %v, scheduled %v; want %d saying %q and nothing changed", end, ev, err, a.Scheduled, EInvalidCustomTermEnd, want)
		}
	}
	ev, err := schedule("2027-06-30T12:00:00Z")
	if err != nil || ev == nil || a.Scheduled == nil || !a.Scheduled.CustomTermEndDate.Equal(day("2027-06-30")) || a.Scheduled.TermDuration != "P1Y" {
		t.Fatalf("schedule to b's end: %v, %+v", err, a.Scheduled)
	}
	price := func(s *Subscription, d time.Time) Renewal { return RenewalTerms(s, cat, CatalogPrices{}, d) }
	runUntil(a, at("2027-01-10T00:00:00Z"), price, l)
	if !a.TermStart.Equal(day("2027-01-10")) || !a.TermEnd.Equal(day("2027-06-30")) || a.Scheduled != nil {
		t.Fatalf("first coterm term %s..%s, scheduled %v", a.TermStart, a.TermEnd, a.Scheduled)
	}
	runUntil(a, at("2027-07-01T00:00:00Z"), price, l)
	if !a.TermStart.Equal(day("2027-07-01")) || !a.TermEnd.Equal(day("2028-06-30")) {
		t.Fatalf("next term %s..%s, want full length", a.TermStart, a.TermEnd)
	}
	wantLines(t, l,
		"new 10 10 1200.00 2026-01-10..2027-01-09",
		// 2027-01-10..2027-06-30 is 22+28+31+30+31+30 = 172 of the
		// natural term's 365 days: 120 × 172/365 = 56.547945 → 56.54 × 10.
		"renew 10 10 565.40 2027-01-10..2027-06-30",
		"renew 10 10 1200.00 2027-07-01..2028-06-30")
}

// TestCartCheckCotermToP1M: at purchase a P1Y line cannot align to a P1M
// subscription's end, while a P1M line can.
func TestCartCheckCotermToP1M(t *testing.T) {
	c := cartWorld()
	c.Catalog = cotermCatalog()
	c.Existing = []*Subscription{ending("a", "P1M", "2026-03-20", true)}
	end := at("2026-03-20T00:00:00Z")
	lines, ok, _ := c.Check([]CartLine{
		{CatalogItemID: "BASE:0001:AV1", Quantity: 1, TermDuration: "P1Y", BillingCycle: "annual", CustomTermEndDate: &end},
		{CatalogItemID: "BASE:0001:AV1", Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly", CustomTermEndDate: &end}})
	if e := lines[0].Error; e == nil || e.ErrorCode != CartInvalidCustomEnd || !strings.Contains(e.ErrorDescription, "a P1Y term cannot align to a P1M subscription") {
		t.Errorf("P1Y to a P1M's end: %+v", e)
	}
	if _, good := ok[1]; !good {
		t.Errorf("P1M to a P1M's end: %+v", lines[1].Error)
	}
}
