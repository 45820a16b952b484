package api

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

func money(d interface{ StringFixed(int32) string }) json.Number {
	return json.Number(d.StringFixed(2))
}

// unitPrice renders an effective unit price with its 6 decimals (C-2).
func unitPrice(d interface{ StringFixed(int32) string }) json.Number {
	return json.Number(d.StringFixed(csp.PricePlaces))
}

// qualifiers is a line's productQualifiers, [] rather than null.
func qualifiers(q []string) []string {
	if q == nil {
		return []string{}
	}
	return q
}

// currencySymbols are the symbols Partner Center shows with a currency.
var currencySymbols = map[string]string{"USD": "$", "CAD": "$", "AUD": "$", "NZD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹", "KRW": "₩"}

// market are the catalog listings' query parameters.
var market = []openapi.Param{{Name: "country", Required: true, Description: "The market, ISO 3166 alpha-2 (US)."},
	{Name: "targetView", Description: "Partner Center's catalog view."}, {Name: "targetSegment", Description: "commercial, education, government or nonprofit."}}

var catalogDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/products", Tag: "Catalog", Summary: "The market's products", Query: market, Paged: true,
		Responses: openapi.OK(collection[productJSON]{})},
	{Method: http.MethodPost, Path: "/v1/products", Tag: "Catalog", Summary: "Add the partner's own service (OpenCSP)",
		Description: "A product in the catalog document's format (docs/catalog.md); only this partner sees and sells it.",
		Body:        csp.Product{}, Responses: openapi.Created(productJSON{})},
	{Method: http.MethodGet, Path: "/v1/products/{product-id}", Tag: "Catalog", Summary: "A product of the market", Query: market,
		Responses: openapi.OK(productJSON{})},
	{Method: http.MethodGet, Path: "/v1/products/{product-id}/skus", Tag: "Catalog", Summary: "A product's SKUs in the market", Query: market, Paged: true,
		Responses: openapi.OK(collection[skuJSON]{})},
	{Method: http.MethodGet, Path: "/v1/products/{product-id}/skus/{sku-id}", Tag: "Catalog", Summary: "A SKU", Query: market,
		Responses: openapi.OK(skuJSON{})},
	{Method: http.MethodGet, Path: "/v1/products/{product-id}/skus/{sku-id}/availabilities", Tag: "Catalog", Summary: "A SKU's availabilities, with today's prices",
		Query: market, Paged: true, Responses: openapi.OK(collection[availabilityJSON]{})},
	{Method: http.MethodGet, Path: "/v1/products/{product-id}/skus/{sku-id}/availabilities/{availability-id}", Tag: "Catalog", Summary: "An availability",
		Query: market, Responses: openapi.OK(availabilityJSON{})},
	{Method: http.MethodGet, Path: "/admin/v1/catalog", Tag: "Catalog document", Summary: "The catalog document in force (docs/catalog.md)",
		Responses: openapi.OK(csp.Catalog{})},
	{Method: http.MethodPut, Path: "/admin/v1/catalog", Tag: "Catalog document", Summary: "Replace the catalog document",
		Description: "A refused document (3001) leaves the catalog in force; every instance on the database uses the new one at once.",
		Body:        csp.Catalog{}, Responses: openapi.OK(catalogVersionJSON{})},
}

type catalogVersionJSON struct {
	Version    string            `json:"version"`
	Products   int               `json:"products"`
	Currencies []string          `json:"currencies"`
	Attributes map[string]string `json:"attributes"`
}

type productJSON struct {
	ID                 string            `json:"id"`
	Title              string            `json:"title"`
	Description        string            `json:"description"`
	ProductType        map[string]string `json:"productType"`
	IsMicrosoftProduct bool              `json:"isMicrosoftProduct"`
	PublisherName      string            `json:"publisherName"`
	Links              map[string]link   `json:"links"`
	Attributes         map[string]string `json:"attributes"`
}

func productResource(p *csp.Product, country string) productJSON {
	return productJSON{ID: p.ID, Title: p.Title, Description: p.Description, ProductType: map[string]string{"id": p.ProductType, "displayName": p.ProductType},
		IsMicrosoftProduct: p.PartnerID == nil, PublisherName: p.Publisher,
		Links: map[string]link{"self": {URI: "/products/" + p.ID + "?country=" + country, Method: http.MethodGet, Headers: []header{}},
			"skus": {URI: "/products/" + p.ID + "/skus?country=" + country, Method: http.MethodGet, Headers: []header{}}},
		Attributes: attrs("Product")}
}

type skuJSON struct {
	ID                     string            `json:"id"`
	ProductID              string            `json:"productId"`
	Title                  string            `json:"title"`
	Description            string            `json:"description"`
	MinimumQuantity        int               `json:"minimumQuantity"`
	MaximumQuantity        int               `json:"maximumQuantity"`
	IsTrial                bool              `json:"isTrial"`
	SupportedBillingCycles []string          `json:"supportedBillingCycles"`
	PurchasePrerequisites  []string          `json:"purchasePrerequisites"`
	DynamicAttributes      map[string]any    `json:"dynamicAttributes"`
	Links                  map[string]link   `json:"links"`
	Attributes             map[string]string `json:"attributes"`
}

func skuResource(p *csp.Product, s *csp.Sku, country string) skuJSON {
	var cycles []string
	for _, a := range s.Availabilities {
		for _, t := range a.Terms {
			if !slices.Contains(cycles, t.BillingCycle) {
				cycles = append(cycles, t.BillingCycle)
			}
		}
	}
	dyn := map[string]any{"isAddon": s.IsAddon, "prerequisiteSkus": nonNil(s.Prerequisites), "upgradeTargetOffers": nonNil(s.UpgradeTargets), "unitType": s.UnitType}
	if s.IsTrial {
		dyn["trialQuantity"], dyn["convertsTo"] = s.TrialQuantity, s.ConvertsTo
	}
	prereq := []string{}
	if s.IsAddon {
		prereq = append(prereq, "BaseOfferSubscription")
	}
	return skuJSON{ID: s.ID, ProductID: p.ID, Title: s.Title, Description: s.Description, MinimumQuantity: s.MinimumQuantity, MaximumQuantity: s.MaximumQuantity,
		IsTrial: s.IsTrial, SupportedBillingCycles: nonNil(cycles), PurchasePrerequisites: prereq, DynamicAttributes: dyn,
		Links:      map[string]link{"availabilities": {URI: "/products/" + p.ID + "/skus/" + s.ID + "/availabilities?country=" + country, Method: http.MethodGet, Headers: []header{}}},
		Attributes: attrs("Sku")}
}

type termJSON struct {
	Duration             string           `json:"duration"`
	Description          string           `json:"description"`
	BillingCycle         string           `json:"billingCycle"`
	CancellationPolicies []map[string]any `json:"cancellationPolicies"`
	// UnitPrice is OpenCSP's addition: the list price per unit and billing
	// period today, in the availability's currency.
	UnitPrice *json.Number `json:"unitPrice,omitempty"`
}

type availabilityJSON struct {
	ID              string            `json:"id"`
	ProductID       string            `json:"productId"`
	SkuID           string            `json:"skuId"`
	CatalogItemID   string            `json:"catalogItemId"`
	DefaultCurrency map[string]string `json:"defaultCurrency"`
	Segment         csp.Segment       `json:"segment"`
	Country         string            `json:"country"`
	IsPurchasable   bool              `json:"isPurchasable"`
	IsRenewable     bool              `json:"isRenewable"`
	Terms           []termJSON        `json:"terms"`
	Attributes      map[string]string `json:"attributes"`
}

func (s *Server) availabilityResource(r *http.Request, it app.MarketItem) availabilityJSON {
	var terms []termJSON
	for _, t := range it.Availability.Terms {
		tj := termJSON{Duration: t.Duration, Description: t.Description, BillingCycle: t.BillingCycle, CancellationPolicies: []map[string]any{}}
		if t.Duration != "" && !it.Sku.IsTrial {
			tj.CancellationPolicies = []map[string]any{{"refundOptions": []map[string]any{{"sequenceId": 1, "type": "Full", "expiresAfter": "P7D"}}}}
		}
		if price, ok := it.Prices[t.Key()]; ok {
			n := money(price.Amount)
			tj.UnitPrice = &n
		}
		terms = append(terms, tj)
	}
	return availabilityJSON{ID: it.Availability.ID, ProductID: it.Product.ID, SkuID: it.Sku.ID, CatalogItemID: it.ID().String(),
		DefaultCurrency: map[string]string{"code": it.Currency, "symbol": currencySymbols[it.Currency]}, Segment: it.Availability.Segment,
		Country: it.Country, IsPurchasable: true, IsRenewable: !it.Sku.IsTrial, Terms: terms, Attributes: attrs("Availability")}
}

// marketItems answers the items for ?country=&targetView=&targetSegment=,
// narrowed to a product and SKU when the path names them.
func (s *Server) marketItems(r *http.Request) ([]app.MarketItem, string, error) {
	q := r.URL.Query()
	country := strings.ToUpper(q.Get("country"))
	if country == "" {
		return nil, "", csp.Errorf(csp.EInvalidQuery, "country is required (?country=US): the catalog is per market")
	}
	items, err := s.app.MarketCatalog(r.Context(), principal(r), app.CatalogQuery{Country: country, Segment: q.Get("targetSegment"), TargetView: q.Get("targetView")})
	if err != nil {
		return nil, "", err
	}
	pid, sid, aid := chi.URLParam(r, "productId"), chi.URLParam(r, "skuId"), chi.URLParam(r, "availabilityId")
	var out []app.MarketItem
	for _, it := range items {
		if (pid == "" || strings.EqualFold(it.Product.ID, pid)) && (sid == "" || strings.EqualFold(it.Sku.ID, sid)) && (aid == "" || strings.EqualFold(it.Availability.ID, aid)) {
			out = append(out, it)
		}
	}
	if len(out) == 0 && pid != "" {
		return nil, "", csp.Errorf(csp.EProductNotFound, "%s is not sold in %s", strings.Trim(strings.Join([]string{pid, sid, aid}, ":"), ":"), country)
	}
	return out, country, nil
}

func (s *Server) listProducts(w http.ResponseWriter, r *http.Request) {
	items, country, err := s.marketItems(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var out []productJSON
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[it.Product.ID] {
			seen[it.Product.ID] = true
			out = append(out, productResource(it.Product, country))
		}
	}
	if chi.URLParam(r, "productId") != "" {
		writeJSON(w, http.StatusOK, out[0])
		return
	}
	writeCatalogPage(w, r, "products:"+country, out, func(p productJSON) string { return p.ID }, "/products?"+r.URL.RawQuery)
}

// writeCatalogPage answers one page of a catalog listing. The catalog is
// one document in memory, in a fixed order; the continuation token names
// the last item of the page before (a keyset on the document's order).
func writeCatalogPage[J any](w http.ResponseWriter, r *http.Request, kind string, items []J, key func(J) string, self string) {
	pg, err := page[string](r, kind, app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	from := 0
	if pg.After != nil {
		from = -1
		for i, it := range items {
			if key(it) == *pg.After {
				from = i + 1
				break
			}
		}
		if from < 0 {
			writeError(w, r, csp.Errorf(csp.EInvalidToken, "the continuation token names %s, which this listing no longer holds (the catalog changed): start again without MS-ContinuationToken", *pg.After))
			return
		}
	}
	rest := items[from:]
	next := ""
	if len(rest) > pg.Size {
		rest = rest[:pg.Size]
		next = encodeToken(kind, key(rest[len(rest)-1]))
	}
	writeJSON(w, http.StatusOK, newCollection(rest, self, next))
}

func (s *Server) listSkus(w http.ResponseWriter, r *http.Request) {
	items, country, err := s.marketItems(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var out []skuJSON
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[it.Sku.ID] {
			seen[it.Sku.ID] = true
			out = append(out, skuResource(it.Product, it.Sku, country))
		}
	}
	if chi.URLParam(r, "skuId") != "" {
		writeJSON(w, http.StatusOK, out[0])
		return
	}
	writeCatalogPage(w, r, "skus:"+country, out, func(s skuJSON) string { return s.ID }, r.URL.Path[len("/v1"):]+"?"+r.URL.RawQuery)
}

func (s *Server) listAvailabilities(w http.ResponseWriter, r *http.Request) {
	items, _, err := s.marketItems(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var out []availabilityJSON
	for _, it := range items {
		out = append(out, s.availabilityResource(r, it))
	}
	if chi.URLParam(r, "availabilityId") != "" {
		writeJSON(w, http.StatusOK, out[0])
		return
	}
	writeCatalogPage(w, r, "availabilities", out, func(a availabilityJSON) string { return a.CatalogItemID }, r.URL.Path[len("/v1"):]+"?"+r.URL.RawQuery)
}

// addPartnerService adds the calling partner's own service to the catalog
// (OpenCSP addition): a product in the catalog document's format, visible
// and sellable only by this partner.
func (s *Server) addPartnerService(w http.ResponseWriter, r *http.Request) {
	var prod csp.Product
	if err := decode(r, &prod); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.app.AddPartnerService(r.Context(), principal(r), prod)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, productResource(p, ""))
}

func (s *Server) getCatalog(w http.ResponseWriter, r *http.Request) {
	if err := requireOperatorHTTP(r); err != nil {
		writeError(w, r, err)
		return
	}
	_, raw, err := s.app.Catalog(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(raw)
}

func (s *Server) putCatalog(w http.ResponseWriter, r *http.Request) {
	const maxCatalog = 16 << 20
	body, err := io.ReadAll(io.LimitReader(r.Body, maxCatalog+1))
	if err != nil {
		writeError(w, r, csp.Errorf(csp.EInvalidBody, "the request body could not be read"))
		return
	}
	if len(body) > maxCatalog {
		writeError(w, r, csp.Errorf(csp.EInvalidBody, "the catalog document is larger than %d bytes", maxCatalog))
		return
	}
	if err := checkJSONText(body); err != nil {
		writeError(w, r, err)
		return
	}
	cat, err := s.app.ReplaceCatalog(r.Context(), principal(r), body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, catalogVersionJSON{Version: cat.Version, Products: len(cat.Products), Currencies: cat.Currencies(), Attributes: attrs("Catalog")})
}

func requireOperatorHTTP(r *http.Request) error {
	if principal(r).Kind != csp.PrincipalOperator {
		return csp.Errorf(csp.EWrongAPI, "only the operator may do this")
	}
	return nil
}
