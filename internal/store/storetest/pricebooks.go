package storetest

import (
	"context"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/csp/billing"
	"github.com/opencsp/opencsp/internal/csp/pricebook"
	"github.com/opencsp/opencsp/internal/store"
)

func decp(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

func getBook(tb testing.TB, s store.Store, partnerID uuid.UUID, tenantID *uuid.UUID) *store.PriceBook {
	tb.Helper()
	var b *store.PriceBook
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) (err error) {
		b, err = tx.GetPriceBook(ctx, partnerID, tenantID)
		return err
	})
	return b
}

// issuedLine is a customer line of a charge priced at amount, taxed tax.
func issuedLine(seq int, c csp.Charge, amount, tax string) pricebook.IssuedLine {
	id := c.ID
	cur := c.Subtotal.Currency
	return pricebook.IssuedLine{Seq: seq, ChargeID: &id, Tax: decimal.RequireFromString(tax), Line: pricebook.CustomerLine{
		Cost: pricebook.CostLine{ProductID: c.ProductID, SkuID: c.SkuID, ProductName: c.ProductName, ChargeType: c.ChargeType, PartnerService: c.PartnerService,
			BillableQuantity: c.BillableQuantity, Subtotal: c.Subtotal, ChargeStart: c.ChargeStart, ChargeEnd: c.ChargeEnd},
		Rule: "markup 20%", Description: "line " + c.ID.String(), UnitPrice: c.UnitPrice, EffectiveUnitPrice: c.EffectiveUnitPrice,
		Amount: csp.NewMoney(decimal.RequireFromString(amount), cur),
	}}
}

var priceBookCases = []testCase{
	{"BooksArePerPartnerAndCustomerAndVersioned", func(t *testing.T, s store.Store) {
		a, b := MustCreatePartner(t, s, mpn(1)), MustCreatePartner(t, s, mpn(2))
		ten := MustCreateTenant(t, s, "Contoso", "contoso")
		if got := getBook(t, s, a.ID, nil); got != nil {
			t.Fatalf("a book before any was set: %+v", got)
		}
		own := &store.PriceBook{PartnerID: a.ID, UpdatedAt: t0, Book: pricebook.Book{DefaultMarkupPercent: decp("20"),
			Items:      []pricebook.Item{{ProductID: "CFQ7TTC0LH18", SkuID: "0001", FixedUnitPrice: decp("7.50")}},
			Promotions: []pricebook.Promotion{{ID: "spring", Name: "Spring", DiscountPercent: decimal.RequireFromString("10"), StartDate: day("2026-03-01"), EndDate: day("2026-03-31")}}}}
		cust := &store.PriceBook{PartnerID: a.ID, TenantID: &ten.ID, UpdatedAt: at(time.Hour), Book: pricebook.Book{
			Items: []pricebook.Item{{ProductID: "CFQ7TTC0LCHC", MarginPercent: decp("25")}}}}
		theirs := &store.PriceBook{PartnerID: b.ID, TenantID: &ten.ID, UpdatedAt: t0, Book: pricebook.Book{DefaultMarginPercent: decp("10"), Items: []pricebook.Item{}}}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, x := range []*store.PriceBook{own, cust, theirs} {
				if err := tx.PutPriceBook(ctx, x, 0); err != nil {
					return err
				}
			}
			return nil
		})
		for _, want := range []*store.PriceBook{own, cust, theirs} {
			if want.Version != 1 {
				t.Fatalf("version after the first put %d, want 1", want.Version)
			}
			if d := gocmp.Diff(want, getBook(t, s, want.PartnerID, want.TenantID)); d != "" {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
		}
		// A second first put, and a put at a stale version, are refused.
		again := *own
		wantCode(t, "second first put", write(s, func(ctx context.Context, tx store.Tx) error { return tx.PutPriceBook(ctx, &again, 0) }), csp.EConcurrentChange)
		next := *cust
		next.Book = pricebook.Book{DefaultMarkupPercent: decp("5"), Items: []pricebook.Item{}}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.PutPriceBook(ctx, &next, 1) })
		wantCode(t, "stale put", write(s, func(ctx context.Context, tx store.Tx) error { return tx.PutPriceBook(ctx, &next, 1) }), csp.EConcurrentChange)
		if got := getBook(t, s, a.ID, &ten.ID); got.Version != 2 || !got.Book.DefaultMarkupPercent.Equal(decimal.NewFromInt(5)) {
			t.Fatalf("after the replace: %+v", got)
		}
		// The partner's own book and the other partner's did not move.
		if got := getBook(t, s, a.ID, nil); got.Version != 1 || got.Book.DefaultMarkupPercent == nil {
			t.Fatalf("partner's book: %+v", got)
		}
		if got := getBook(t, s, b.ID, &ten.ID); got.Version != 1 || got.Book.DefaultMarginPercent == nil {
			t.Fatalf("the other partner's book: %+v", got)
		}
	}},
	{"CustomerInvoicesRoundTripListAndPage", func(t *testing.T, s store.Store) {
		w := mustChargeWorld(t, s)
		contoso, fabrikam := w.sub1.TenantID, w.sub2.TenantID
		// Partner A's numbers count 1, 2, 3; partner B's its own 1.
		var nums []int64
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, p := range []uuid.UUID{w.a.ID, w.a.ID, w.b.ID, w.a.ID} {
				n, err := tx.NextCustomerInvoiceNumber(ctx, p)
				if err != nil {
					return err
				}
				nums = append(nums, n)
			}
			return nil
		})
		if d := gocmp.Diff([]int64{1, 2, 1, 3}, nums); d != "" {
			t.Fatalf("numbers (-want +got):\n%s", d)
		}
		// A Microsoft invoice with one usage line, the source of a line.
		g := &billing.Invoice{Number: "G000000001", PartnerID: w.a.ID, Currency: "USD", Period: billing.Month{Year: 2026, Month: time.January}, Date: day("2026-02-01")}
		rated := azure.RatedLine{Subscription: newID(), UsageDate: day("2026-01-20"), ResourceURI: "/subscriptions/x/vm1", Meter: azure.Meter{ID: newID()},
			Quantity: decimal.NewFromInt(24), UnitPrice: usd("0.0416")}
		mk := func(number string, tenant uuid.UUID, period string, issued time.Time) *pricebook.Issued {
			return &pricebook.Issued{ID: newID(), Number: number, PartnerID: w.a.ID, TenantID: tenant, Period: period, Currency: "USD", IssuedAt: issued}
		}
		jan1, jan2 := mk("C000000001", contoso, "2026-01", day("2026-02-01")), mk("C000000002", fabrikam, "2026-01", day("2026-02-01"))
		feb := mk("C000000003", contoso, "2026-02", day("2026-03-01"))
		jan1.MicrosoftInvoice = g.Number
		// Contoso's January: sub1's purchase at 277.20 (tax 27.72) and
		// one usage line at 1.20 (tax 0.12): subtotal 278.40, tax 27.84,
		// total 306.24, cost 231.00 + 0.99 = 231.99, profit 46.41.
		l1 := issuedLine(1, w.usd[0], "277.20", "27.72")
		l2 := pricebook.IssuedLine{Seq: 2, UsageInvoice: g.Number, UsageSeq: 1, Tax: decimal.RequireFromString("0.12"), Line: pricebook.CustomerLine{
			Cost: pricebook.CostLine{ProductID: "DZH318Z0BPS6", SkuID: "0001", ProductName: "Azure plan", ChargeType: "usage", Usage: true,
				BillableQuantity: decimal.NewFromInt(24), Subtotal: usd("0.99"), ChargeStart: day("2026-01-20"), ChargeEnd: day("2026-01-20")},
			Rule: "markup 21.2%", Promotion: "Spring", PromotionID: "spring", Description: "Azure usage, B2s, Jan 2026",
			UnitPrice: usd("0.05"), EffectiveUnitPrice: usd("0.05"), Amount: usd("1.20")}}
		// Fabrikam's: its own service's purchase (sub2), which costs the
		// partner nothing: 15.00, tax 1.50, cost 0.
		l3 := issuedLine(1, w.of(w.sub2.ID)[0], "15.00", "1.50")
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateInvoice(ctx, g); err != nil {
				return err
			}
			if err := tx.AddInvoiceUsageLines(ctx, g.Number, []billing.UsageLine{{Seq: 1, TenantID: contoso, PlanSubscriptionID: newID(), Rated: rated,
				EffectiveUnitPrice: rated.UnitPrice.Amount, PricingPreTax: decimal.RequireFromString("0.99"), Rate: decimal.NewFromInt(1),
				Subtotal: decimal.RequireFromString("0.99"), Tax: decimal.RequireFromString("0.10")}}); err != nil {
				return err
			}
			for _, x := range []struct {
				inv   *pricebook.Issued
				lines []pricebook.IssuedLine
			}{{jan1, []pricebook.IssuedLine{l1, l2}}, {jan2, []pricebook.IssuedLine{l3}}, {feb, nil}} {
				if err := tx.CreateCustomerInvoice(ctx, x.inv); err != nil {
					return err
				}
				if err := tx.AddCustomerInvoiceLines(ctx, x.inv.ID, nil, x.lines); err != nil {
					return err
				}
				for _, l := range x.lines {
					if err := x.inv.Add(l); err != nil {
						return err
					}
				}
				if err := tx.UpdateCustomerInvoiceTotals(ctx, x.inv); err != nil {
					return err
				}
			}
			return nil
		})
		for _, c := range []struct {
			inv                                *pricebook.Issued
			subtotal, tax, total, cost, profit string
		}{{jan1, "278.40", "27.84", "306.24", "231.99", "46.41"}, {jan2, "15.00", "1.50", "16.50", "0", "15.00"}, {feb, "0", "0", "0", "0", "0"}} {
			var got *pricebook.Issued
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				got, err = tx.GetCustomerInvoice(ctx, w.a.ID, c.inv.ID)
				return err
			})
			if d := gocmp.Diff(c.inv, got); d != "" {
				t.Errorf("%s round trip (-want +got):\n%s", c.inv.Number, d)
			}
			for i, x := range []decimal.Decimal{got.Subtotal, got.Tax, got.Total, got.Cost, got.Profit} {
				if want := decimal.RequireFromString([]string{c.subtotal, c.tax, c.total, c.cost, c.profit}[i]); !x.Equal(want) {
					t.Errorf("%s sum %d: %s, want %s", c.inv.Number, i, x, want)
				}
			}
		}
		var lines []pricebook.IssuedLine
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			lines, err = tx.CustomerInvoiceLines(ctx, jan1.ID, 0, 10)
			return err
		})
		// Profit is read back as amount − cost: 277.20 − 231.00, 1.20 − 0.99.
		l1.Line.Profit, l2.Line.Profit = usd("46.20"), usd("0.21")
		if d := gocmp.Diff([]pricebook.IssuedLine{l1, l2}, lines); d != "" {
			t.Errorf("lines (-want +got):\n%s", d)
		}
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			lines, err = tx.CustomerInvoiceLines(ctx, jan1.ID, 1, 10)
			return err
		})
		if len(lines) != 1 || lines[0].Seq != 2 {
			t.Errorf("lines after seq 1: %+v", lines)
		}

		list := func(f store.CustomerInvoiceFilter) []string {
			t.Helper()
			var got []*pricebook.Issued
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				got, err = tx.ListCustomerInvoices(ctx, f)
				return err
			})
			out := []string{}
			for _, i := range got {
				out = append(out, i.Number)
			}
			return out
		}
		for name, c := range map[string]struct {
			f    store.CustomerInvoiceFilter
			want []string
		}{
			"all, newest first": {store.CustomerInvoiceFilter{PartnerID: w.a.ID}, []string{"C000000003", "C000000002", "C000000001"}},
			"Contoso's":         {store.CustomerInvoiceFilter{PartnerID: w.a.ID, TenantID: &contoso}, []string{"C000000003", "C000000001"}},
			"January's":         {store.CustomerInvoiceFilter{PartnerID: w.a.ID, Period: "2026-01"}, []string{"C000000002", "C000000001"}},
			"Contoso's January": {store.CustomerInvoiceFilter{PartnerID: w.a.ID, TenantID: &contoso, Period: "2026-01"}, []string{"C000000001"}},
			"a page of 2":       {store.CustomerInvoiceFilter{PartnerID: w.a.ID, Limit: 2}, []string{"C000000003", "C000000002"}},
			"after the page":    {store.CustomerInvoiceFilter{PartnerID: w.a.ID, Before: "C000000002"}, []string{"C000000001"}},
			"partner B's":       {store.CustomerInvoiceFilter{PartnerID: w.b.ID}, []string{}},
		} {
			if d := gocmp.Diff(c.want, list(c.f)); d != "" {
				t.Errorf("%s (-want +got):\n%s", name, d)
			}
		}
		var issued [3]bool
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			for i, q := range []struct {
				p      uuid.UUID
				period string
			}{{w.a.ID, "2026-01"}, {w.a.ID, "2026-03"}, {w.b.ID, "2026-01"}} {
				var err error
				if issued[i], err = tx.CustomerInvoicesIssued(ctx, q.p, q.period); err != nil {
					return err
				}
			}
			return nil
		})
		if issued != [3]bool{true, false, false} {
			t.Errorf("issued: %v, want A's January only", issued)
		}
		wantCode(t, "another partner's invoice", read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetCustomerInvoice(ctx, w.b.ID, jan1.ID)
			return err
		}), csp.ECustomerInvoiceNotFound)
	}},
	{"ACustomerMonthCurrencyAndSourceAreIssuedOnce", func(t *testing.T, s store.Store) {
		w := mustChargeWorld(t, s)
		contoso := w.sub1.TenantID
		first := &pricebook.Issued{ID: newID(), Number: "C000000001", PartnerID: w.a.ID, TenantID: contoso, Period: "2026-01", Currency: "USD", IssuedAt: t0}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateCustomerInvoice(ctx, first); err != nil {
				return err
			}
			return tx.AddCustomerInvoiceLines(ctx, first.ID, nil, []pricebook.IssuedLine{issuedLine(1, w.usd[0], "231.00", "0")})
		})
		twin := *first
		twin.ID, twin.Number = newID(), "C000000002"
		wantCode(t, "a second invoice of the month", write(s, func(ctx context.Context, tx store.Tx) error { return tx.CreateCustomerInvoice(ctx, &twin) }),
			csp.EConcurrentChange)
		eur := twin
		eur.Currency = "EUR"
		wantCode(t, "a charge billed twice", write(s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateCustomerInvoice(ctx, &eur); err != nil {
				return err
			}
			return tx.AddCustomerInvoiceLines(ctx, eur.ID, nil, []pricebook.IssuedLine{issuedLine(1, w.usd[0], "231.00", "0")})
		}), csp.EConcurrentChange)
		// The refused transaction left nothing: the EUR invoice may be
		// issued with a charge of its own.
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateCustomerInvoice(ctx, &eur); err != nil {
				return err
			}
			return tx.AddCustomerInvoiceLines(ctx, eur.ID, nil, []pricebook.IssuedLine{issuedLine(1, w.eur, "501.60", "0")})
		})
	}},
	{"ListChargesOfOwnServicesInEveryCurrency", func(t *testing.T, s store.Store) {
		w := mustChargeWorld(t, s)
		// sub2 is partner A's own service: its purchase, seat change and
		// cancellation, and nothing of sub1, sub3 (EUR) or partner B.
		got := mustListCharges(t, s, store.ChargeFilter{PartnerID: w.a.ID, PartnerServiceOnly: true})
		if d := gocmp.Diff(w.of(w.sub2.ID), got); d != "" {
			t.Errorf("own services (-want +got):\n%s", d)
		}
		jan12 := time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)
		got = mustListCharges(t, s, store.ChargeFilter{PartnerID: w.a.ID, PartnerServiceOnly: true, From: jan12})
		if d := gocmp.Diff(w.of(w.sub2.ID)[1:], got); d != "" {
			t.Errorf("own services from 01-12 (-want +got):\n%s", d)
		}
		if got := mustListCharges(t, s, store.ChargeFilter{PartnerID: w.a.ID, Currency: "EUR", PartnerServiceOnly: true}); len(got) != 0 {
			t.Errorf("own services in EUR: %+v", got)
		}
	}},
}
