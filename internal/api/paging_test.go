package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/opencsp/opencsp/client"
)

// pageThrough reads every page of a collection at path (with query q) and
// answers each item's key and the page sizes seen.
func pageThrough(t *testing.T, c *client.Client, path string, q url.Values, key string) ([]string, []int) {
	t.Helper()
	var keys []string
	var sizes []int
	opt := &client.Request{}
	for range 100 {
		var page struct {
			TotalCount int              `json:"totalCount"`
			Items      []map[string]any `json:"items"`
			client.Collection[json.RawMessage]
		}
		u := path
		if len(q) > 0 {
			u += "?" + q.Encode()
		}
		if _, err := c.Do(t.Context(), http.MethodGet, u, nil, &page, opt); err != nil {
			t.Fatal(err)
		}
		if page.TotalCount != len(page.Items) {
			t.Fatalf("totalCount %d on a page of %d items", page.TotalCount, len(page.Items))
		}
		for _, it := range page.Items {
			keys = append(keys, fmt.Sprint(it[key]))
		}
		sizes = append(sizes, len(page.Items))
		next := page.Collection.Next()
		if next == "" {
			return keys, sizes
		}
		opt = &client.Request{ContinuationToken: next}
	}
	t.Fatal("more than 100 pages")
	return nil, nil
}

// pageSizes is the page sizes a listing of n rows answers at page size p.
func pageSizes(n, p int) []int {
	var out []int
	for ; n > p; n -= p {
		out = append(out, p)
	}
	return append(out, n)
}

// TestPagingReachesEveryLine lists 3,300 unbilled lines and 3,300
// subscriptions with no size, 1000, 999 and 5000 (treated as 1000): every
// row once, the next page offered while rows remain.
func TestPagingReachesEveryLine(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newAgreedShop(t, w)
		const n = 3300
		for range 3 {
			var lines []cartLine
			for range n / 3 {
				lines = append(lines, cartLine{CatalogItemID: basic, Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
			}
			if _, err := s.checkout(t, s.cart(t, lines...).ID); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			size  string
			pages []int
		}{
			{"", pageSizes(n, 1000)},
			{"1000", pageSizes(n, 1000)},
			{"999", pageSizes(n, 999)},
			{"5000", pageSizes(n, 1000)},
		} {
			q := url.Values{"provider": {"onetime"}, "invoiceLineItemType": {"billinglineitems"}, "currencyCode": {"USD"}, "period": {"current"}}
			if tc.size != "" {
				q.Set("size", tc.size)
			}
			lines, sizes := pageThrough(t, s.pc, "/v1/invoices/unbilled/lineitems", q, "alternateId")
			if fmt.Sprint(sizes) != fmt.Sprint(tc.pages) {
				t.Errorf("unbilled lines, size %q: pages of %v, want %v", tc.size, sizes, tc.pages)
			}
			assertOnce(t, "unbilled lines size "+tc.size, lines, n)

			sq := url.Values{}
			if tc.size != "" {
				sq.Set("size", tc.size)
			}
			subs, sizes := pageThrough(t, s.pc, "/v1/customers/"+s.customer+"/subscriptions", sq, "id")
			if fmt.Sprint(sizes) != fmt.Sprint(tc.pages) {
				t.Errorf("subscriptions, size %q: pages of %v, want %v", tc.size, sizes, tc.pages)
			}
			assertOnce(t, "subscriptions size "+tc.size, subs, n)
		}
		// A subscription's history of 31 events, 7 a page: 7+7+7+7+3.
		id := s.buy(t, cartLine{CatalogItemID: premium, Quantity: 1, TermDuration: "P1Y", BillingCycle: "monthly"})
		for q := 2; q <= 31; q++ {
			if _, err := s.patch(id, map[string]any{"quantity": q}); err != nil {
				t.Fatal(err)
			}
		}
		evs, sizes := pageThrough(t, s.pc, "/v1/customers/"+s.customer+"/subscriptions/"+id+"/history", url.Values{"size": {"7"}}, "changes")
		if fmt.Sprint(sizes) != "[7 7 7 7 3]" {
			t.Errorf("history pages of %v, want [7 7 7 7 3]", sizes)
		}
		assertOnce(t, "history", evs, 31)
	})
}

// assertOnce checks that keys holds n distinct values.
func assertOnce(t *testing.T, what string, keys []string, n int) {
	t.Helper()
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Fatalf("%s: %s listed twice", what, k)
		}
		seen[k] = true
	}
	if len(keys) != n {
		t.Fatalf("%s: %d rows listed, want %d", what, len(keys), n)
	}
}

// TestCatalogPages: the market's products page like every collection.
func TestCatalogPages(t *testing.T) {
	w := newWorld(t, testdbSQLite(t))
	_, pc := w.MustPartner(designPartner("Alpha Partners"))
	all, sizes := pageThrough(t, pc, "/v1/products", url.Values{"country": {"US"}}, "id")
	if len(sizes) != 1 || len(all) < 10 {
		t.Fatalf("one page of every product: %v", sizes)
	}
	got, sizes := pageThrough(t, pc, "/v1/products", url.Values{"country": {"US"}, "size": {"3"}}, "id")
	if fmt.Sprint(got) != fmt.Sprint(all) || fmt.Sprint(sizes) != fmt.Sprint(pageSizes(len(all), 3)) {
		t.Fatalf("pages of 3: %v in %v, want %v", got, sizes, all)
	}
	avs, _ := pageThrough(t, pc, "/v1/products/CFQ7TTC0LH18/skus/0001/availabilities", url.Values{"country": {"US"}, "size": {"1"}}, "catalogItemId")
	assertOnce(t, "availabilities", avs, len(avs))
	if len(avs) < 1 {
		t.Fatal("no availability")
	}
}
