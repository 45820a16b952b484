package app

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/catalog"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

const (
	settingCatalog = "catalog.document"
	// settingCatalogVersion changes whenever the catalog in force changes
	// (a new document, a partner's new service): every instance checks it in
	// the transaction that uses the catalog and rebuilds its cache when it
	// moved, so several instances on one database see one catalog.
	settingCatalogVersion = "catalog.version"
)

// catalogCache holds this instance's parsed catalog and the version it was
// built from.
type catalogCache struct {
	mu      sync.Mutex
	version string
	set     *catalogSet
}

// catalogSet is the catalog in force: Microsoft's products and every
// partner's own services. A partner sees and sells Microsoft's products and
// its own services only (For); two partners may give their services the
// same product id.
type catalogSet struct {
	all  *csp.Catalog
	raw  []byte
	mu   sync.Mutex
	view map[uuid.UUID]*csp.Catalog
	msft *csp.Catalog
}

// For answers the catalog as a partner sees it (partnerID nil: Microsoft's
// products only, as for subscriptions bought outside CSP).
func (c *catalogSet) For(partnerID *uuid.UUID) *csp.Catalog {
	if partnerID == nil {
		return c.msft
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.view[*partnerID]; ok {
		return v
	}
	v := &csp.Catalog{Version: c.all.Version, Promotions: c.all.Promotions}
	for _, p := range c.all.Products {
		if p.PartnerID == nil || *p.PartnerID == *partnerID {
			v.Products = append(v.Products, p)
		}
	}
	c.view[*partnerID] = v
	return v
}

// Catalog answers the catalog in force, with every partner's services, and
// the operator's document (or the built-in one).
func (a *App) Catalog(ctx context.Context) (*csp.Catalog, []byte, error) {
	var set *catalogSet
	err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		set, err = a.catalogIn(ctx, tx)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return set.all, set.raw, nil
}

// catalogIn answers the catalog in force as tx sees it, from this
// instance's cache while the stored version has not moved.
func (a *App) catalogIn(ctx context.Context, tx store.Tx) (*catalogSet, error) {
	version, _, err := tx.Setting(ctx, settingCatalogVersion)
	if err != nil {
		return nil, err
	}
	a.catalog.mu.Lock()
	set := a.catalog.set
	cached := set != nil && a.catalog.version == version
	a.catalog.mu.Unlock()
	if cached {
		return set, nil
	}
	stored, ok, err := tx.Setting(ctx, settingCatalog)
	if err != nil {
		return nil, err
	}
	services, err := tx.PartnerProducts(ctx)
	if err != nil {
		return nil, err
	}
	raw := catalog.DefaultJSON()
	if ok {
		raw = []byte(stored)
	}
	msft, err := catalog.Parse(raw)
	if err != nil {
		return nil, err
	}
	all := &csp.Catalog{Version: msft.Version, Products: append(slices.Clip(msft.Products), services...), Promotions: msft.Promotions}
	set = &catalogSet{all: all, raw: raw, msft: msft, view: map[uuid.UUID]*csp.Catalog{}}
	a.catalog.mu.Lock()
	a.catalog.version, a.catalog.set = version, set
	a.catalog.mu.Unlock()
	return set, nil
}

// bumpCatalog records that the catalog in force changed (in the
// transaction that changes it).
func (a *App) bumpCatalog(ctx context.Context, tx store.Tx) error {
	return tx.SetSetting(ctx, settingCatalogVersion, a.newID().String())
}

// AddPartnerService adds a partner's own service (for example managed
// support per seat) to the catalog: a product of type Custom that only this
// partner sees and sells, under the same rules as Microsoft's offers. Its
// id must be new among Microsoft's products and the partner's own; other
// partners' services are not looked at (they are not this partner's to know).
func (a *App) AddPartnerService(ctx context.Context, p csp.Principal, prod csp.Product) (*csp.Product, error) {
	if err := p.Can(csp.PermBillingWrite); err != nil {
		return nil, err
	}
	if err := checkProductTexts(prod); err != nil {
		return nil, err
	}
	in := prod
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		prod = in
		partner, err := tx.GetPartner(ctx, p.PartnerID)
		if err != nil {
			return err
		}
		if err := partnerSells(partner); err != nil {
			return err
		}
		set, err := a.catalogIn(ctx, tx)
		if err != nil {
			return err
		}
		cat := set.For(&partner.ID)
		prod.ProductType, prod.PartnerID, prod.Publisher = "Custom", &partner.ID, partner.Name
		if prod.ID == "" {
			return csp.Errorf(csp.EMissingField, "id is required: the product id of the service (letters and digits)")
		}
		for _, other := range cat.Products {
			if strings.EqualFold(other.ID, prod.ID) {
				return csp.Errorf(csp.EProductExists, "product id %s is already used by Microsoft's catalog or one of your services: choose another", prod.ID)
			}
		}
		for _, sku := range prod.Skus {
			for _, ref := range append(append([]string{}, sku.UpgradeTargets...), sku.Prerequisites...) {
				if !strings.HasPrefix(strings.ToUpper(ref), strings.ToUpper(prod.ID)+":") {
					return csp.Errorf(csp.EInvalidCatalog, "catalog: %s:%s may refer only to its own SKUs, not %s", prod.ID, sku.ID, ref)
				}
			}
		}
		merged := &csp.Catalog{Products: append(slices.Clip(cat.Products), prod)}
		if err := merged.Validate(); err != nil {
			return err
		}
		if err := tx.CreatePartnerProduct(ctx, partner.ID, &prod, now); err != nil {
			return err
		}
		if err := a.bumpCatalog(ctx, tx); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{ResourceType: "catalog", OperationType: "add_partner_service"}, nil, map[string]any{"productId": prod.ID, "title": prod.Title})
	})
	if err != nil {
		return nil, err
	}
	return &prod, nil
}

// checkProductTexts bounds a partner service's ids and texts.
func checkProductTexts(prod csp.Product) error {
	fields := []csp.TextField{{Name: "id", Value: prod.ID, Max: csp.MaxShort}, {Name: "title", Value: prod.Title, Max: csp.MaxName},
		{Name: "description", Value: prod.Description, Max: csp.MaxText}}
	for _, sku := range prod.Skus {
		fields = append(fields, csp.TextField{Name: "skus.id", Value: sku.ID, Max: csp.MaxShort}, csp.TextField{Name: "skus.title", Value: sku.Title, Max: csp.MaxName},
			csp.TextField{Name: "skus.description", Value: sku.Description, Max: csp.MaxText})
		for _, av := range sku.Availabilities {
			fields = append(fields, csp.TextField{Name: "skus.availabilities.id", Value: av.ID, Max: csp.MaxShort})
		}
	}
	return csp.CheckTexts(fields...)
}

// ReplaceCatalog validates and stores a new catalog document (operator
// only). Subscriptions keep their locked prices; renewals take the
// new prices.
func (a *App) ReplaceCatalog(ctx context.Context, p csp.Principal, doc []byte) (*csp.Catalog, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	cat, err := catalog.Parse(doc)
	if err != nil {
		return nil, err
	}
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
		services, err := tx.PartnerProducts(ctx)
		if err != nil {
			return err
		}
		for _, svc := range services {
			for _, prod := range cat.Products {
				if strings.EqualFold(prod.ID, svc.ID) {
					return csp.Errorf(csp.EInvalidCatalog, "catalog: product %s is also the id of partner %s's own service: choose another id", prod.ID, svc.Publisher)
				}
			}
		}
		if err := tx.SetSetting(ctx, settingCatalog, string(doc)); err != nil {
			return err
		}
		if err := a.bumpCatalog(ctx, tx); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{ResourceType: "catalog", OperationType: "update_catalog"}, nil,
			map[string]any{"version": cat.Version, "products": len(cat.Products)})
	})
	if err != nil {
		return nil, err
	}
	return cat, nil
}

// CatalogQuery selects catalog items for a market.
type CatalogQuery struct {
	Country    string
	Segment    string // empty = every segment
	TargetView string // OnlineServicesNCE / OnlineServices, Azure / MicrosoftAzure, Custom; empty = all
}

// MarketItem is a catalog item as sold in one market.
type MarketItem struct {
	csp.Item
	Country  string
	Currency string
	// Prices are the unit prices by term key (csp.Term.Key) at the
	// program's time, from the price source purchases use.
	Prices map[string]csp.Money
}

// MarketCatalog lists the catalog items a partner may see in a market.
func (a *App) MarketCatalog(ctx context.Context, p csp.Principal, q CatalogQuery) ([]MarketItem, error) {
	if p.Kind != csp.PrincipalPartner && p.Kind != csp.PrincipalOperator {
		return nil, csp.Errorf(csp.EWrongAPI, "the catalog is read with a partner or operator key")
	}
	country, ok := csp.LookupCountry(q.Country)
	if !ok {
		return nil, csp.Errorf(csp.EUnknownCountry, "country %q is unknown: give ?country= as an ISO 3166 alpha-2 code (US, GB, DE)", q.Country)
	}
	var seg csp.Segment
	if q.Segment != "" {
		var err error
		if seg, err = csp.ParseSegment(q.Segment); err != nil {
			return nil, err
		}
	}
	var cat *csp.Catalog
	var now time.Time
	if err := a.read(ctx, func(tx store.Tx, at time.Time) error {
		now = at
		set, err := a.catalogIn(ctx, tx)
		if err != nil {
			return err
		}
		cat = set.all
		if p.Kind == csp.PrincipalPartner {
			cat = set.For(&p.PartnerID)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	currency := csp.PricingCurrency(country.Code, func(c string) bool { return slices.Contains(cat.Currencies(), c) })
	view := strings.ToLower(q.TargetView)
	var out []MarketItem
	for i := range cat.Products {
		prod := &cat.Products[i]
		if p.Kind == csp.PrincipalPartner && !prod.VisibleTo(p.PartnerID) {
			continue
		}
		if !viewMatches(view, prod.ProductType) {
			continue
		}
		for j := range prod.Skus {
			sku := &prod.Skus[j]
			for k := range sku.Availabilities {
				av := &sku.Availabilities[k]
				if seg != "" && av.Segment != seg {
					continue
				}
				if !av.OfferedIn(country.Code) || (len(av.Prices) > 0 && !av.HasCurrency(currency)) {
					continue
				}
				it := MarketItem{Item: csp.Item{Product: prod, Sku: sku, Availability: av}, Country: country.Code, Currency: currency, Prices: map[string]csp.Money{}}
				for _, t := range av.Terms {
					if price, ok := a.prices.UnitPrice(it.Item, t, currency, now); ok {
						it.Prices[t.Key()] = price
					}
				}
				out = append(out, it)
			}
		}
	}
	return out, nil
}

func viewMatches(view, productType string) bool {
	switch view {
	case "":
		return true
	case "onlineservices", "onlineservicesnce":
		return productType == "OnlineServices"
	case "azure", "microsoftazure":
		return productType == "Azure"
	case "custom":
		return productType == "Custom"
	}
	return strings.EqualFold(view, productType)
}

// customerMarket answers the catalog as the partner sees it, the pricing
// currency and the partner for a customer of the calling partner (locking
// the relationship when lock is set).
func (a *App) customerMarket(ctx context.Context, tx store.Tx, p csp.Principal, customerID uuid.UUID, lock bool) (*csp.Customer, *csp.Partner, *csp.Catalog, string, error) {
	c, err := a.customer(ctx, tx, p, customerID, lock)
	if err != nil {
		return nil, nil, nil, "", err
	}
	partner, err := tx.GetPartner(ctx, p.PartnerID)
	if err != nil {
		return nil, nil, nil, "", err
	}
	set, err := a.catalogIn(ctx, tx)
	if err != nil {
		return nil, nil, nil, "", err
	}
	cat := set.For(&p.PartnerID)
	currency := csp.PricingCurrency(c.Tenant.Country, func(cur string) bool { return slices.Contains(cat.Currencies(), cur) })
	return c, partner, cat, currency, nil
}
