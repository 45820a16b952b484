package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
)

// MustDefault parses the built-in catalog or stops the test.
func MustDefault(tb testing.TB) *csp.Catalog {
	tb.Helper()
	c, err := Default()
	if err != nil {
		tb.Fatalf("Default: %v", err)
	}
	return c
}

// MustSku resolves "productId:skuId" or stops the test.
func MustSku(tb testing.TB, c *csp.Catalog, offer string) (*csp.Product, *csp.Sku) {
	tb.Helper()
	p, s, ok := c.FindSku(offer)
	if !ok {
		tb.Fatalf("%s is not in the catalog", offer)
	}
	return p, s
}

// MustAvailability answers the SKU's availability in a segment.
func MustAvailability(tb testing.TB, c *csp.Catalog, offer string, seg csp.Segment) *csp.Availability {
	tb.Helper()
	_, s := MustSku(tb, c, offer)
	for i := range s.Availabilities {
		if s.Availabilities[i].Segment == seg {
			return &s.Availabilities[i]
		}
	}
	tb.Fatalf("%s has no %s availability", offer, seg)
	return nil
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// families lists, per family of the brief, the product ids the catalog must hold.
var families = map[string][]string{
	"Microsoft 365":   {"CFQ7TTC0LH18", "CFQ7TTC0LDPB", "CFQ7TTC0LCHC", "CFQ7TTC0LH1G", "CFQ7TTC0LGZT", "CFQ7TTC0LFLX", "CFQ7TTC0LFLZ", "CFQ7TTC0LGTX", "CFQ7TTC0MM8R", "CFQ7TTC0LH0Z"},
	"Office 365":      {"CFQ7TTC0LF8Q", "CFQ7TTC0LF8R", "CFQ7TTC0LF8S"},
	"Exchange":        {"CFQ7TTC0LH16", "CFQ7TTC0LH15"},
	"Teams":           {"CFQ7TTC0RM8K", "CFQ7TTC0LH0H"},
	"Dynamics 365":    {"CFQ7TTC0LGXR", "CFQ7TTC0LGZ2", "CFQ7TTC0LGWP", "CFQ7TTC0LGWF", "CFQ7TTC0LGWN", "CFQ7TTC0LH0R"},
	"Windows 365":     {"CFQ7TTC0J203", "CFQ7TTC0HHS9"},
	"Power Platform":  {"CFQ7TTC0L3PB", "CFQ7TTC0HL8W", "CFQ7TTC0LH2H", "CFQ7TTC0LSGZ"},
	"Entra ID":        {"CFQ7TTC0LFLS", "CFQ7TTC0LFK5"},
	"Security":        {"CFQ7TTC0LCHB", "CFQ7TTC0LCHX", "CFQ7TTC0LH04"},
	"Visio & Project": {"CFQ7TTC0HD33", "CFQ7TTC0HDB1"},
	"Azure":           {"DZH318Z0BPS6"},
}

// businessPlans are capped at 300 seats by Microsoft.
var businessPlans = []string{"CFQ7TTC0LH18", "CFQ7TTC0LDPB", "CFQ7TTC0LCHC", "CFQ7TTC0LH1G", "CFQ7TTC0RM8K", "CFQ7TTC0J203", "CFQ7TTC0LCHX"}

// threeYear are the products that also sell P3Y terms.
var threeYear = []string{"CFQ7TTC0LFLX", "CFQ7TTC0LFLZ", "CFQ7TTC0LF8R", "CFQ7TTC0LGXR", "CFQ7TTC0LGZ2", "CFQ7TTC0LGWP", "CFQ7TTC0LGWF", "CFQ7TTC0LGWN", "CFQ7TTC0LH0R"}

func termKeys(a *csp.Availability) []string {
	var out []string
	for _, t := range a.Terms {
		out = append(out, t.Key())
	}
	return out
}

func TestDefault(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c := MustDefault(t)
		if err := c.Validate(); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		if c.Version == "" {
			t.Error("version is empty")
		}
	})
	t.Run("TwoSpaceIndented", func(t *testing.T) {
		// The file is edited by hand: keep it in the one layout json.Indent
		// gives, so that diffs stay small.
		var compact, indented bytes.Buffer
		if err := json.Compact(&compact, builtin); err != nil {
			t.Fatal(err)
		}
		if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		indented.WriteByte('\n')
		if !bytes.Equal(indented.Bytes(), builtin) {
			t.Error("catalog.json is not 2-space indented as json.Indent writes it (one newline at the end)")
		}
	})
	t.Run("DefaultJSONIsACopy", func(t *testing.T) {
		b := DefaultJSON()
		b[0] = 'x'
		if builtin[0] != '{' {
			t.Fatal("DefaultJSON shares the embedded bytes")
		}
	})
	t.Run("RoundTrip", func(t *testing.T) {
		// What GET /admin/v1/catalog answers can be PUT back unchanged.
		c := MustDefault(t)
		b, err := json.MarshalIndent(c, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(b)
		if err != nil {
			t.Fatalf("Parse(marshalled default): %v", err)
		}
		eq := cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })
		if d := cmp.Diff(c, back, eq); d != "" {
			t.Errorf("round trip changed the catalog (-want +got):\n%s", d)
		}
	})
}

func TestOffers(t *testing.T) {
	c := MustDefault(t)
	t.Run("AtLeast32PaidOffers", func(t *testing.T) {
		paid := 0
		for _, p := range c.Products {
			for _, s := range p.Skus {
				if !s.IsTrial {
					paid++
				}
			}
		}
		if paid < 32 {
			t.Errorf("%d paid product:SKU offers, want at least 32", paid)
		}
	})
	t.Run("EveryFamily", func(t *testing.T) {
		for fam, ids := range families {
			for _, id := range ids {
				if _, _, ok := c.FindSku(id + ":0001"); !ok {
					t.Errorf("%s: %s:0001 is missing", fam, id)
				}
			}
		}
	})
	t.Run("Shape", func(t *testing.T) {
		for _, p := range c.Products {
			if p.Publisher != "Microsoft Corporation" || p.PartnerID != nil {
				t.Errorf("%s: publisher %q partnerId %v; want Microsoft's own product", p.ID, p.Publisher, p.PartnerID)
			}
			wantType, wantUnit := "OnlineServices", "Licenses"
			if p.ID == "DZH318Z0BPS6" {
				wantType, wantUnit = "Azure", "Usage-based"
			}
			if p.ProductType != wantType {
				t.Errorf("%s: productType %q, want %q", p.ID, p.ProductType, wantType)
			}
			for _, s := range p.Skus {
				if s.UnitType != wantUnit {
					t.Errorf("%s:%s: unitType %q, want %q", p.ID, s.ID, s.UnitType, wantUnit)
				}
				if s.IsTrial || p.ProductType == "Azure" {
					continue
				}
				if s.MinimumQuantity != 1 {
					t.Errorf("%s:%s: minimumQuantity %d, want 1", p.ID, s.ID, s.MinimumQuantity)
				}
				if slices.Contains(businessPlans, p.ID) {
					if s.MaximumQuantity != 300 {
						t.Errorf("%s:%s: maximumQuantity %d, want 300 (Business cap)", p.ID, s.ID, s.MaximumQuantity)
					}
				} else if s.MaximumQuantity < 10000 {
					t.Errorf("%s:%s: maximumQuantity %d, want >= 10000", p.ID, s.ID, s.MaximumQuantity)
				}
			}
		}
	})
	t.Run("AvailabilityIDs", func(t *testing.T) {
		re := regexp.MustCompile(`^[0-9A-Z]{12}$`)
		seen := map[string]string{}
		for _, p := range c.Products {
			for _, s := range p.Skus {
				for _, a := range s.Availabilities {
					where := p.ID + ":" + s.ID + ":" + a.ID
					if !re.MatchString(a.ID) {
						t.Errorf("%s: availability id is not 12 upper-case letters and digits", where)
					}
					if prev, ok := seen[a.ID]; ok {
						t.Errorf("%s: availability id also used by %s", where, prev)
					}
					seen[a.ID] = where
				}
			}
		}
	})
}

func TestSegmentsAndCurrencies(t *testing.T) {
	c := MustDefault(t)
	for _, p := range c.Products {
		for _, s := range p.Skus {
			for _, a := range s.Availabilities {
				where := p.ID + ":" + s.ID + ":" + a.ID
				switch {
				case p.ID == "CFQ7TTC0LH0Z":
					if a.Segment != csp.SegmentEducation {
						t.Errorf("%s: segment %s, want education", where, a.Segment)
					}
				case p.ID == "CFQ7TTC0LCHC" && s.ID == "0001" && a.Segment == csp.SegmentNonprofit:
				default:
					if a.Segment != csp.SegmentCommercial {
						t.Errorf("%s: segment %s, want commercial", where, a.Segment)
					}
				}
				if s.IsTrial || p.ProductType == "Azure" {
					if len(a.Prices) != 0 {
						t.Errorf("%s: has price lists; trials and the Azure plan have none", where)
					}
					continue
				}
				for _, cur := range []string{"USD", "CAD", "GBP", "EUR"} {
					found := false
					for _, pl := range a.Prices {
						if pl.Currency == cur && pl.EffectiveDate == "2025-04-01" {
							found = true
						}
					}
					if !found {
						t.Errorf("%s: no %s price list effective 2025-04-01", where, cur)
					}
				}
			}
		}
	}
	t.Run("NonprofitIsCheaper", func(t *testing.T) {
		com := MustAvailability(t, c, "CFQ7TTC0LCHC:0001", csp.SegmentCommercial)
		np := MustAvailability(t, c, "CFQ7TTC0LCHC:0001", csp.SegmentNonprofit)
		term, _ := np.Term("P1Y", "annual")
		for _, cur := range []string{"USD", "CAD", "GBP", "EUR"} {
			a, _ := com.Price(term, cur, day("2025-06-01"))
			b, ok := np.Price(term, cur, day("2025-06-01"))
			if !ok || b.Currency != cur || !b.Amount.LessThan(a.Amount) {
				t.Errorf("%s: nonprofit P1Y:annual %s is not below commercial %s", cur, b, a)
			}
		}
	})
	t.Run("PricingCurrency", func(t *testing.T) {
		priced := func(cur string) bool { return slices.Contains(c.Currencies(), cur) }
		if got, want := c.Currencies(), []string{"CAD", "EUR", "GBP", "USD"}; !slices.Equal(got, want) {
			t.Errorf("Currencies = %v, want %v", got, want)
		}
		for country, want := range map[string]string{"US": "USD", "CA": "CAD", "GB": "GBP", "DE": "EUR", "DK": "EUR", "CH": "EUR", "JP": "USD"} {
			if got := csp.PricingCurrency(country, priced); got != want {
				t.Errorf("PricingCurrency(%s) = %s, want %s", country, got, want)
			}
		}
	})
}

func TestTerms(t *testing.T) {
	c := MustDefault(t)
	std := []string{"P1M:monthly", "P1Y:monthly", "P1Y:annual"}
	ext := append(slices.Clone(std), "P3Y:annual", "P3Y:triennial")
	for _, p := range c.Products {
		s := &p.Skus[0]
		if p.ProductType == "Azure" {
			continue
		}
		want := std
		switch {
		case p.ID == "CFQ7TTC0MM8R":
			want = []string{"P1Y:annual", "P1Y:monthly"}
		case slices.Contains(threeYear, p.ID):
			want = ext
		}
		for _, a := range s.Availabilities {
			got := termKeys(&a)
			if !cmp.Equal(sorted(got), sorted(want)) {
				t.Errorf("%s:%s:%s terms %v, want %v", p.ID, s.ID, a.ID, got, want)
			}
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestDerivedPrices checks on every price list: with M the
// annual-upfront price per month (P1Y:annual / 12), P1M:monthly is M × 1.20
// and P1Y:monthly is M × 1.05, each rounded half up to cents; P3Y:annual is
// 12 × M and P3Y:triennial 36 × M.
func TestDerivedPrices(t *testing.T) {
	c := MustDefault(t)
	lists := 0
	for _, p := range c.Products {
		for _, s := range p.Skus {
			for _, a := range s.Availabilities {
				for _, pl := range a.Prices {
					lists++
					where := p.ID + ":" + s.ID + ":" + a.ID + " " + pl.Currency + " " + pl.EffectiveDate
					annual, ok := pl.UnitPrices["P1Y:annual"]
					if !ok {
						t.Errorf("%s: no P1Y:annual price", where)
						continue
					}
					m := annual.Div(decimal.NewFromInt(12))
					if !m.Equal(m.Round(2)) {
						t.Errorf("%s: P1Y:annual %s is not 12 × a price in cents", where, annual)
					}
					want := map[string]decimal.Decimal{
						"P1Y:annual":    annual,
						"P1Y:monthly":   m.Mul(dec("1.05")).Round(2),
						"P1M:monthly":   m.Mul(dec("1.20")).Round(2),
						"P3Y:annual":    m.Mul(decimal.NewFromInt(12)),
						"P3Y:triennial": m.Mul(decimal.NewFromInt(36)),
					}
					for key, got := range pl.UnitPrices {
						w, known := want[key]
						if !known {
							t.Errorf("%s: unexpected price key %s", where, key)
							continue
						}
						if !got.Equal(w) {
							t.Errorf("%s: %s = %s, want %s", where, key, got, w.StringFixed(2))
						}
						if got.Exponent() != -2 {
							t.Errorf("%s: %s = %s, want it written with two decimals", where, key, got)
						}
					}
				}
			}
		}
	}
	if lists == 0 {
		t.Fatal("no price lists checked")
	}
}

// TestSpotPrices pins hand-computed figures, so that a change to both the
// file and the derivation check cannot pass unnoticed.
func TestSpotPrices(t *testing.T) {
	c := MustDefault(t)
	tests := []struct {
		offer    string
		seg      csp.Segment
		currency string
		on       string
		term     string
		want     string
	}{
		{"CFQ7TTC0LH18:0001", csp.SegmentCommercial, "USD", "2025-04-01", "P1Y:annual", "72.00"},
		{"CFQ7TTC0LH18:0001", csp.SegmentCommercial, "USD", "2025-04-01", "P1Y:monthly", "6.30"},
		{"CFQ7TTC0LH18:0001", csp.SegmentCommercial, "USD", "2025-04-01", "P1M:monthly", "7.20"},
		{"CFQ7TTC0LH18:0001", csp.SegmentCommercial, "USD", "2026-04-01", "P1Y:annual", "84.00"},
		{"CFQ7TTC0LH18:0001", csp.SegmentCommercial, "USD", "2026-04-01", "P1Y:monthly", "7.35"},
		{"CFQ7TTC0LH18:0001", csp.SegmentCommercial, "USD", "2026-04-01", "P1M:monthly", "8.40"},
		{"CFQ7TTC0LH18:0001", csp.SegmentCommercial, "GBP", "2025-04-01", "P1Y:monthly", "5.15"}, // 4.90 × 1.05 = 5.145, half up
		{"CFQ7TTC0LH18:0001", csp.SegmentCommercial, "CAD", "2025-04-01", "P1Y:annual", "98.40"}, // 6.00 × 1.37 = 8.22 -> 8.20
		{"CFQ7TTC0LCHC:0001", csp.SegmentCommercial, "USD", "2025-04-01", "P1Y:annual", "264.00"},
		{"CFQ7TTC0LCHC:0001", csp.SegmentCommercial, "USD", "2025-04-01", "P1Y:monthly", "23.10"},
		{"CFQ7TTC0LCHC:0001", csp.SegmentCommercial, "USD", "2025-04-01", "P1M:monthly", "26.40"},
		{"CFQ7TTC0LCHC:0001", csp.SegmentNonprofit, "USD", "2025-04-01", "P1Y:annual", "66.00"},
		{"CFQ7TTC0LCHC:0001", csp.SegmentNonprofit, "USD", "2025-04-01", "P1Y:monthly", "5.78"},  // 5.775
		{"CFQ7TTC0LH1G:0001", csp.SegmentCommercial, "USD", "2025-04-01", "P1Y:monthly", "8.66"}, // 8.6625
		{"CFQ7TTC0LH1G:0001", csp.SegmentCommercial, "USD", "2025-04-01", "P1M:monthly", "9.90"},
		{"CFQ7TTC0LDPB:0001", csp.SegmentCommercial, "CAD", "2025-04-01", "P1Y:monthly", "17.96"}, // 17.10 × 1.05 = 17.955
		{"CFQ7TTC0LFLX:0001", csp.SegmentCommercial, "USD", "2025-04-01", "P3Y:annual", "432.00"},
		{"CFQ7TTC0LFLX:0001", csp.SegmentCommercial, "USD", "2025-04-01", "P3Y:triennial", "1296.00"},
		{"CFQ7TTC0LFLZ:0001", csp.SegmentCommercial, "EUR", "2025-04-01", "P3Y:triennial", "1908.00"}, // 57 × 0.93 = 53.01 -> 53.00
		{"CFQ7TTC0MM8R:0001", csp.SegmentCommercial, "USD", "2025-04-01", "P1Y:annual", "360.00"},
		{"CFQ7TTC0MM8R:0001", csp.SegmentCommercial, "USD", "2025-04-01", "P1Y:monthly", "31.50"},
		{"CFQ7TTC0LH0Z:0001", csp.SegmentEducation, "USD", "2025-04-01", "P1Y:monthly", "3.41"},    // 3.4125
		{"CFQ7TTC0LGWN:0001", csp.SegmentCommercial, "GBP", "2025-04-01", "P1M:monthly", "108.24"}, // 110 × 0.82 = 90.20; × 1.2
	}
	for _, tt := range tests {
		t.Run(tt.offer+"/"+string(tt.seg)+"/"+tt.currency+"/"+tt.on+"/"+tt.term, func(t *testing.T) {
			a := MustAvailability(t, c, tt.offer, tt.seg)
			dur, cycle, _ := strings.Cut(tt.term, ":")
			term, ok := a.Term(dur, cycle)
			if !ok {
				t.Fatalf("no term %s", tt.term)
			}
			got, ok := a.Price(term, tt.currency, day(tt.on))
			if !ok || got.Currency != tt.currency || !got.Amount.Equal(dec(tt.want)) {
				t.Errorf("price = %s (found %v), want %s", got, ok, tt.want)
			}
		})
	}
}

// TestPriceAtRenewal exercises R-9: the list in force on a day is the one
// with the latest effective date not after it.
func TestPriceAtRenewal(t *testing.T) {
	c := MustDefault(t)
	a := MustAvailability(t, c, "CFQ7TTC0LH18:0001", csp.SegmentCommercial)
	term, _ := a.Term("P1Y", "annual")
	tests := []struct {
		currency, on string
		want         string // "" = no price
	}{
		{"USD", "2025-03-31", ""},
		{"USD", "2025-04-01", "72.00"},
		{"USD", "2026-03-31", "72.00"},
		{"USD", "2026-04-01", "84.00"},
		{"USD", "2027-01-01", "84.00"},
		{"CAD", "2026-04-01", "98.40"}, // no later CAD list: the 2025 one stays
	}
	for _, tt := range tests {
		t.Run(tt.currency+"/"+tt.on, func(t *testing.T) {
			got, ok := a.Price(term, tt.currency, day(tt.on))
			if tt.want == "" {
				if ok {
					t.Fatalf("price = %s, want none before the first list", got)
				}
				return
			}
			if !ok || got.Currency != tt.currency || !got.Amount.Equal(dec(tt.want)) {
				t.Errorf("price = %s (found %v), want %s", got, ok, tt.want)
			}
		})
	}
	t.Run("LateInTheDayUTC", func(t *testing.T) {
		got, _ := a.Price(term, "USD", time.Date(2026, 3, 31, 23, 59, 59, 0, time.UTC))
		if got.String() != "USD 72.00" {
			t.Errorf("price = %s, want 72.00", got)
		}
	})
}

func TestLinks(t *testing.T) {
	c := MustDefault(t)
	t.Run("AddOns", func(t *testing.T) {
		want := map[string][]string{
			"CFQ7TTC0MM8R:0001": {"CFQ7TTC0LH18:0001", "CFQ7TTC0LDPB:0001", "CFQ7TTC0LCHC:0001", "CFQ7TTC0LFLX:0001", "CFQ7TTC0LFLZ:0001", "CFQ7TTC0LF8R:0001", "CFQ7TTC0LF8S:0001"},
			"CFQ7TTC0LH0H:0001": {"CFQ7TTC0LFLX:0001", "CFQ7TTC0LF8R:0001", "CFQ7TTC0LH18:0001"},
			"CFQ7TTC0LH04:0001": {"CFQ7TTC0LH16:0001"},
		}
		for offer, pre := range want {
			_, s := MustSku(t, c, offer)
			if !s.IsAddon {
				t.Errorf("%s is not an add-on", offer)
			}
			for _, w := range pre {
				if !slices.Contains(s.Prerequisites, w) {
					t.Errorf("%s: prerequisites %v lack %s", offer, s.Prerequisites, w)
				}
			}
		}
		for _, p := range c.Products {
			for _, s := range p.Skus {
				if s.IsAddon && len(s.Prerequisites) == 0 {
					t.Errorf("%s:%s is an add-on without prerequisites", p.ID, s.ID)
				}
				for _, ref := range s.Prerequisites {
					_, base := MustSku(t, c, ref)
					if base.IsAddon || base.IsTrial {
						t.Errorf("%s:%s: prerequisite %s is an add-on or a trial", p.ID, s.ID, ref)
					}
				}
			}
		}
	})
	t.Run("Upgrades", func(t *testing.T) {
		want := map[string][]string{
			"CFQ7TTC0LH18:0001": {"CFQ7TTC0LDPB:0001", "CFQ7TTC0LCHC:0001"},
			"CFQ7TTC0LDPB:0001": {"CFQ7TTC0LCHC:0001"},
			"CFQ7TTC0LCHC:0001": {"CFQ7TTC0LFLX:0001", "CFQ7TTC0LFLZ:0001"},
			"CFQ7TTC0LFLX:0001": {"CFQ7TTC0LFLZ:0001"},
			"CFQ7TTC0LF8Q:0001": {"CFQ7TTC0LF8R:0001", "CFQ7TTC0LF8S:0001"},
			"CFQ7TTC0LF8R:0001": {"CFQ7TTC0LF8S:0001"},
			"CFQ7TTC0LH16:0001": {"CFQ7TTC0LH15:0001"},
			"CFQ7TTC0LFLS:0001": {"CFQ7TTC0LFK5:0001"},
			"CFQ7TTC0L3PB:0001": {"CFQ7TTC0HL8W:0001"},
		}
		for offer, targets := range want {
			_, s := MustSku(t, c, offer)
			if !cmp.Equal(sorted(s.UpgradeTargets), sorted(targets)) {
				t.Errorf("%s: upgradeTargets %v, want %v", offer, s.UpgradeTargets, targets)
			}
		}
		for _, p := range c.Products {
			for _, s := range p.Skus {
				for _, ref := range s.UpgradeTargets {
					_, target := MustSku(t, c, ref)
					if target.IsTrial || ref == p.ID+":"+s.ID {
						t.Errorf("%s:%s: upgrade target %s is a trial or itself", p.ID, s.ID, ref)
					}
				}
			}
		}
	})
	t.Run("Trials", func(t *testing.T) {
		for _, offer := range []string{"CFQ7TTC0LH18:0002", "CFQ7TTC0LCHC:0002", "CFQ7TTC0L3PB:0002"} {
			if _, s := MustSku(t, c, offer); !s.IsTrial {
				t.Errorf("%s is not a trial", offer)
			}
		}
		trials := 0
		for _, p := range c.Products {
			for _, s := range p.Skus {
				if !s.IsTrial {
					continue
				}
				trials++
				where := p.ID + ":" + s.ID
				if s.TrialQuantity != 25 || s.ConvertsTo != p.ID+":0001" {
					t.Errorf("%s: trialQuantity %d convertsTo %q, want 25 and %s:0001", where, s.TrialQuantity, s.ConvertsTo, p.ID)
				}
				_, paid := MustSku(t, c, s.ConvertsTo)
				if paid.IsTrial {
					t.Errorf("%s converts to another trial", where)
				}
				if len(s.Availabilities) != 1 {
					t.Fatalf("%s: %d availabilities, want 1", where, len(s.Availabilities))
				}
				a := s.Availabilities[0]
				if got := termKeys(&a); !slices.Equal(got, []string{"P1M:monthly"}) || len(a.Prices) != 0 {
					t.Errorf("%s: terms %v and %d price lists, want P1M:monthly and none", where, got, len(a.Prices))
				}
			}
		}
		if trials < 3 {
			t.Errorf("%d trials, want at least 3", trials)
		}
	})
	t.Run("AzurePlan", func(t *testing.T) {
		p, s := MustSku(t, c, "DZH318Z0BPS6:0001")
		if p.ProductType != "Azure" || s.UnitType != "Usage-based" || s.MaximumQuantity != 1 || len(s.Availabilities) != 1 {
			t.Fatalf("Azure plan: productType %q unitType %q max %d availabilities %d", p.ProductType, s.UnitType, s.MaximumQuantity, len(s.Availabilities))
		}
		a := s.Availabilities[0]
		if len(a.Terms) != 1 || a.Terms[0] != (csp.Term{Duration: "", BillingCycle: "monthly", Description: a.Terms[0].Description}) || len(a.Prices) != 0 {
			t.Errorf("Azure plan availability: terms %v, %d price lists; want one term \"\"/monthly and none", a.Terms, len(a.Prices))
		}
	})
}

func TestParse(t *testing.T) {
	// mutate parses the built-in catalog, changes it and marshals it back.
	mutate := func(t *testing.T, f func(c *csp.Catalog)) []byte {
		t.Helper()
		c := MustDefault(t)
		f(c)
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	basic := func(c *csp.Catalog) *csp.Sku {
		_, s, _ := c.FindSku("CFQ7TTC0LH18:0001")
		return s
	}
	tests := []struct {
		name string
		doc  func(t *testing.T) []byte
		want string // in the message
	}{
		{"ErrUnknownField", func(t *testing.T) []byte {
			b := bytes.Replace(builtin, []byte(`"id": "CFQ7TTC0LH18",`), []byte(`"id": "CFQ7TTC0LH18", "colour": "blue",`), 1)
			if bytes.Equal(b, builtin) {
				t.Fatal("marker not found")
			}
			return b
		}, `unknown field "colour"`},
		{"ErrTermP1MAnnual", func(t *testing.T) []byte {
			return mutate(t, func(c *csp.Catalog) {
				a := &basic(c).Availabilities[0]
				a.Terms = append(a.Terms, csp.Term{Duration: "P1M", BillingCycle: "annual"})
				for i := range a.Prices {
					a.Prices[i].UnitPrices["P1M:annual"] = dec("86.40")
				}
			})
		}, "term P1M with billing cycle annual is not sold"},
		{"ErrMissingPrice", func(t *testing.T) []byte {
			return mutate(t, func(c *csp.Catalog) {
				delete(basic(c).Availabilities[0].Prices[1].UnitPrices, "P1M:monthly")
			})
		}, "the USD price list of 2026-04-01 has no price for P1M:monthly"},
		{"ErrDanglingUpgradeTarget", func(t *testing.T) []byte {
			return mutate(t, func(c *csp.Catalog) {
				s := basic(c)
				s.UpgradeTargets = append(s.UpgradeTargets, "CFQ7TTC0XXXX:0001")
			})
		}, "refers to CFQ7TTC0XXXX:0001, which is not in the catalog"},
		{"ErrDanglingPrerequisite", func(t *testing.T) []byte {
			return mutate(t, func(c *csp.Catalog) {
				_, s, _ := c.FindSku("CFQ7TTC0MM8R:0001")
				s.Prerequisites = []string{"CFQ7TTC0LH18:0009"}
			})
		}, "refers to CFQ7TTC0LH18:0009"},
		{"ErrWrongType", func(t *testing.T) []byte {
			return []byte(`{"version": "x", "products": [{"id": "A", "skus": [{"minimumQuantity": "one"}]}]}`)
		}, "field products.skus.minimumQuantity"},
		{"ErrPriceNotDecimal", func(t *testing.T) []byte {
			return bytes.Replace(builtin, []byte(`"72.00"`), []byte(`"72,00"`), 1)
		}, "not a decimal"},
		{"ErrSyntax", func(t *testing.T) []byte { return builtin[:len(builtin)/2] }, "ends in the middle"},
		{"ErrTwoDocuments", func(t *testing.T) []byte { return append(bytes.Clone(builtin), builtin...) }, "after the document"},
		{"ErrEmpty", func(t *testing.T) []byte { return nil }, "empty"},
		{"ErrNoProducts", func(t *testing.T) []byte { return []byte(`{"version": "x", "products": []}`) }, "no products"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.doc(t))
			if err == nil {
				t.Fatalf("Parse accepted the document (%d products)", len(c.Products))
			}
			var e *csp.Error
			if !errors.As(err, &e) || e.Code != csp.EInvalidCatalog {
				t.Fatalf("err = %v, want a *csp.Error with code EInvalidCatalog", err)
			}
			if !strings.Contains(e.Message, tt.want) {
				t.Errorf("message %q does not say %q", e.Message, tt.want)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		c, err := Parse(builtin)
		if err != nil || len(c.Products) == 0 {
			t.Fatalf("Parse(builtin) = %v", err)
		}
	})
	t.Run("OKPartnerProduct", func(t *testing.T) {
		doc := `{"version": "p", "products": [{"id": "CONTOSO-BACKUP", "title": "Contoso Backup", "productType": "Custom",
			"publisher": "Contoso", "partnerId": "0b1c6a1e-55a2-4d1e-9f51-1a2b3c4d5e6f",
			"skus": [{"id": "0001", "title": "Backup 100 GB", "minimumQuantity": 1, "maximumQuantity": 500, "unitType": "Licenses",
			"availabilities": [{"id": "CONTOSOBK001", "segment": "commercial",
			"terms": [{"duration": "P1M", "billingCycle": "monthly"}],
			"prices": [{"effectiveDate": "2025-01-01", "currency": "EUR", "unitPrices": {"P1M:monthly": "4.00"}}]}]}]}]}`
		c, err := Parse([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		p := &c.Products[0]
		if p.PartnerID == nil || !p.VisibleTo(*p.PartnerID) {
			t.Fatal("partner product not visible to its partner")
		}
		if p.VisibleTo(uuid.New()) {
			t.Error("partner product visible to another partner")
		}
	})
}
