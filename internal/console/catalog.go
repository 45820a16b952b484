package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// catalogCountries are the markets the catalog page offers.
var catalogCountries = []string{"US", "CA", "GB", "DE", "FR", "NO", "JP"}

// catalogSegments are the segments the catalog page filters by; "" is all.
var catalogSegments = []string{"", string(csp.SegmentCommercial), string(csp.SegmentEducation), string(csp.SegmentGovernment), string(csp.SegmentNonprofit)}

// catalogPageSize is the catalog items on one page.
const catalogPageSize = 20

type catalogPage struct {
	layout
	Country   string
	Segment   string
	Query     string
	Countries []string
	Segments  []string
	Currency  string
	Items     []catalogRow
	// Shown is "21–39 of 39"; Previous and Next are the neighbour pages'
	// URLs, empty at either end.
	Shown          string
	Previous, Next string
}

type catalogRow struct {
	Product, Sku, SkuID, ID, Segment string
	Terms                            []termOption
}

func (h *handler) catalogPage(w http.ResponseWriter, r *http.Request) {
	p, wh, ok := h.partnerUser(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	country := strings.ToUpper(strings.TrimSpace(q.Get("country")))
	if country == "" {
		country = "US"
	}
	segment := strings.ToLower(strings.TrimSpace(q.Get("segment")))
	search := strings.TrimSpace(q.Get("q"))
	pageNo := 1
	if s := q.Get("page"); s != "" {
		var err error
		if pageNo, err = strconv.Atoi(s); err != nil || pageNo < 1 {
			h.fail(w, r, csp.Errorf(csp.EInvalidQuery, "There is no page %q of the catalog: start again from the first page.", s))
			return
		}
	}
	items, err := h.app.MarketCatalog(ctx, p, app.CatalogQuery{Country: country, Segment: segment})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := catalogPage{layout: h.layout("Catalog", wh), Country: country, Segment: segment, Query: search, Countries: catalogCountries, Segments: catalogSegments}
	var hits []app.MarketItem
	for _, it := range items {
		page.Currency = it.Currency
		if matches(it, search) {
			hits = append(hits, it)
		}
	}
	from := (pageNo - 1) * catalogPageSize
	if from > 0 && from >= len(hits) {
		h.fail(w, r, csp.Errorf(csp.EInvalidQuery, "There is no page %d of the catalog: start again from the first page.", pageNo))
		return
	}
	to := min(from+catalogPageSize, len(hits))
	for _, it := range hits[from:to] {
		row := catalogRow{Product: it.Product.Title, Sku: it.Sku.Title, SkuID: it.Sku.ID, ID: it.ID().String(), Segment: string(it.Availability.Segment)}
		for _, t := range it.Availability.Terms {
			row.Terms = append(row.Terms, termOption{Key: t.Key(), Label: termPrice(it, t, ": ")})
		}
		slices.SortStableFunc(row.Terms, func(a, b termOption) int { return rank(a.Key) - rank(b.Key) })
		page.Items = append(page.Items, row)
	}
	if len(hits) > catalogPageSize {
		page.Shown = strconv.Itoa(from+1) + "–" + strconv.Itoa(to) + " of " + strconv.Itoa(len(hits))
	}
	link := func(n int) string {
		v := url.Values{"country": {country}, "segment": {segment}}
		if search != "" {
			v.Set("q", search)
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return "/console/catalog?" + v.Encode()
	}
	if pageNo > 1 {
		page.Previous = link(pageNo - 1)
	}
	if to < len(hits) {
		page.Next = link(pageNo + 1)
	}
	h.render(w, r, http.StatusOK, "catalog", page)
}

// matches finds a catalog item by a part of its product or SKU name, or of
// its product, SKU or catalog item id, in any case.
func matches(it app.MarketItem, q string) bool {
	if q == "" {
		return true
	}
	q = strings.ToLower(q)
	for _, s := range []string{it.Product.Title, it.Sku.Title, it.Product.ID, it.Sku.ID, it.ID().String()} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}
