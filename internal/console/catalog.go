package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"net/http"
	"slices"
	"strings"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// catalogCountries are the markets the catalog page offers.
var catalogCountries = []string{"US", "CA", "GB", "DE", "FR", "NO", "JP"}

// catalogSegments are the segments the catalog page filters by; "" is all.
var catalogSegments = []string{"", string(csp.SegmentCommercial), string(csp.SegmentEducation), string(csp.SegmentGovernment), string(csp.SegmentNonprofit)}

type catalogPage struct {
	layout
	Country   string
	Segment   string
	Countries []string
	Segments  []string
	Currency  string
	Items     []catalogRow
}

type catalogRow struct {
	Product, Sku, SkuID, ID, Segment string
	Terms                            []termOption
}

func (h *handler) catalogPage(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	wh, err := h.partnerWho(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	country := strings.ToUpper(strings.TrimSpace(q.Get("country")))
	if country == "" {
		country = "US"
	}
	segment := strings.ToLower(strings.TrimSpace(q.Get("segment")))
	items, err := h.app.MarketCatalog(ctx, p, app.CatalogQuery{Country: country, Segment: segment})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.app.Now(r.Context())
	page := catalogPage{layout: h.layout("Catalog", wh), Country: country, Segment: segment, Countries: catalogCountries, Segments: catalogSegments}
	for _, it := range items {
		page.Currency = it.Currency
		row := catalogRow{Product: it.Product.Title, Sku: it.Sku.Title, SkuID: it.Sku.ID, ID: it.ID().String(), Segment: string(it.Availability.Segment)}
		for _, t := range it.Availability.Terms {
			row.Terms = append(row.Terms, termOption{Key: t.Key(), Label: formatTerm(t.Duration, t.BillingCycle) + ": " + priceLabel(it, t, now)})
		}
		slices.SortStableFunc(row.Terms, func(a, b termOption) int { return rank(a.Key) - rank(b.Key) })
		page.Items = append(page.Items, row)
	}
	h.render(w, r, http.StatusOK, "catalog", page)
}
