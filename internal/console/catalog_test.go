package console_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var catalogProduct = regexp.MustCompile(`<td class="product">([^<]*)</td>`)

// TestCatalogSearchAndPaging searches the built-in catalog and pages
// through it, 20 items a page. The US sells, in the catalog's order, 39
// commercial items: page 1 ends with the 20th, Dynamics 365 Customer
// Service Enterprise, and page 2 starts with the 21st, Dynamics 365
// Business Central Essentials, and ends with the Azure plan.
func TestCatalogSearchAndPaging(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	get := func(t *testing.T, path string) string {
		t.Helper()
		status, _, body := MustDo(t, srv, scenario{method: "GET", path: path, key: w.partnerKey})
		if status != http.StatusOK {
			t.Fatalf("GET %s: status %d\n%s", path, status, body)
		}
		MustPlainWords(t, body)
		return body
	}
	products := func(body string) []string {
		var out []string
		for _, m := range catalogProduct.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	skus := func(body string) []string { return rows(body, "catalog-item") }

	t.Run("SearchByName", func(t *testing.T) {
		body := get(t, "/console/catalog?country=US&segment=commercial&q=business+PREMIUM")
		if got := products(body); !slices.Equal(got, []string{"Microsoft 365 Business Premium", "Microsoft 365 Business Premium"}) {
			t.Errorf("products %q, want Business Premium and its trial", got)
		}
		if !strings.Contains(body, `value="business PREMIUM"`) || !strings.Contains(body, "P1Y/monthly: USD 23.10") || !strings.Contains(body, "P1M/monthly: free trial") {
			t.Errorf("search page:\n%s", body)
		}
	})
	t.Run("SearchByProductID", func(t *testing.T) {
		got := skus(get(t, "/console/catalog?country=US&segment=commercial&q=cfq7ttc0lh18"))
		want := []string{
			"Microsoft 365 Business Basic|Microsoft 365 Business Basic (0001)|CFQ7TTC0LH18:0001:CFQ7TTC0K971|commercial|P1M/monthly: USD 7.20\nP1Y/monthly: USD 6.30\nP1Y/annual: USD 72.00",
			"Microsoft 365 Business Basic|Microsoft 365 Business Basic Trial (0002)|CFQ7TTC0LH18:0002:CFQ7TTC0LKCH|commercial|P1M/monthly: free trial",
		}
		if !slices.Equal(got, want) {
			t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("SearchBySkuID", func(t *testing.T) {
		// The three trials are the SKUs 0002 sold in the US.
		if got := products(get(t, "/console/catalog?country=US&q=0002")); !slices.Equal(got, []string{"Microsoft 365 Business Basic", "Microsoft 365 Business Premium", "Power BI Pro"}) {
			t.Errorf("SKU 0002: %q", got)
		}
	})
	t.Run("NoMatch", func(t *testing.T) {
		body := get(t, "/console/catalog?country=US&segment=commercial&q=zzz")
		if !strings.Contains(body, "No item sold in US to the commercial segment matches “zzz”.") || strings.Contains(body, `id="catalog"`) {
			t.Errorf("no match:\n%s", body)
		}
	})
	t.Run("PageBoundary", func(t *testing.T) {
		body := get(t, "/console/catalog?country=US&segment=commercial")
		first := products(body)
		if len(first) != 20 || first[19] != "Dynamics 365 Customer Service Enterprise" || !strings.Contains(body, `<span id="catalog-shown">1–20 of 39</span>`) {
			t.Fatalf("page 1: %d items, last %q", len(first), first[len(first)-1])
		}
		next := nextPage(body)
		if next != "/console/catalog?country=US&page=2&segment=commercial" || strings.Contains(body, `id="previous-page"`) {
			t.Fatalf("page 1 links to %q", next)
		}
		body = get(t, next)
		second := products(body)
		if len(second) != 19 || second[0] != "Dynamics 365 Business Central Essentials" || second[18] != "Azure plan" || nextPage(body) != "" ||
			!strings.Contains(body, `<a id="previous-page" href="/console/catalog?country=US&amp;segment=commercial">`) {
			t.Errorf("page 2: %d items %q, next %q", len(second), second, nextPage(body))
		}
		MustScenario(t, srv, scenario{method: "GET", path: "/console/catalog?country=US&segment=commercial&page=3", key: w.partnerKey, status: http.StatusBadRequest,
			want: []string{"There is no page 3 of the catalog: start again from the first page."}})
	})
	t.Run("PagingKeepsTheSearch", func(t *testing.T) {
		// 21 items sold in the US have "Microsoft" in their product or SKU
		// name; the 21st, last in the catalog, is the Azure plan, whose SKU
		// is "Microsoft Azure plan".
		body := get(t, "/console/catalog?country=US&q=Microsoft")
		if n := len(products(body)); n != 20 || nextPage(body) != "/console/catalog?country=US&page=2&q=Microsoft&segment=" {
			t.Fatalf("page 1: %d items, next %q", n, nextPage(body))
		}
		body = get(t, nextPage(body))
		if got := skus(body); len(got) != 1 || !strings.HasPrefix(got[0], "Azure plan|Microsoft Azure plan") {
			t.Errorf("page 2: %q", got)
		}
	})
	t.Run("AzureWording", func(t *testing.T) {
		body := get(t, "/console/catalog?country=US&q=azure")
		if !strings.Contains(body, `<li class="term" data-term=":monthly">Usage-based, billed monthly</li>`) {
			t.Errorf("the Azure plan's term:\n%s", body)
		}
		if strings.Contains(strings.ToLower(body), "usage-based, monthly") || strings.Contains(body, ": usage-based") {
			t.Errorf("the old wording is still there")
		}
		// In the cart form, the term of the Azure plan reads the same.
		MustScenario(t, srv, scenario{method: "GET", path: "/console/customers/" + w.fabrikam.ID.String() + "?catalogItemId=DZH318Z0BPS6:0001:DZH318Z0BML6", key: w.partnerKey,
			status: http.StatusOK, want: []string{`<option value=":monthly" selected>Usage-based, billed monthly</option>`}})
	})
}
