package app

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/catalog"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

const settingCatalog = "catalog.document"

// catalogCache holds the parsed catalog of this instance. The document is
// stored in the database; PUT replaces both.
type catalogCache struct {
	mu  sync.RWMutex
	cat *csp.Catalog
	raw []byte
}

// Catalog answers the catalog in force: the operator's document if one was
// stored, else the built-in one, with the partners' own services added.
func (a *App) Catalog(ctx context.Context) (*csp.Catalog, []byte, error) {
	a.catalog.mu.RLock()
	cat, raw := a.catalog.cat, a.catalog.raw
	a.catalog.mu.RUnlock()
	if cat != nil {
		return cat, raw, nil
	}
	var stored string
	var ok bool
	var services []csp.Product
	if err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		if stored, ok, err = tx.Setting(ctx, settingCatalog); err != nil {
			return err
		}
		services, err = tx.PartnerProducts(ctx)
		return err
	}); err != nil {
		return nil, nil, err
	}
	raw = catalog.DefaultJSON()
	if ok {
		raw = []byte(stored)
	}
	cat, err := catalog.Parse(raw)
	if err != nil {
		return nil, nil, err
	}
	cat.Products = append(cat.Products, services...)
	a.catalog.mu.Lock()
	a.catalog.cat, a.catalog.raw = cat, raw
	a.catalog.mu.Unlock()
	return cat, raw, nil
}

// forgetCatalog drops the cached catalog; the next read rebuilds it.
func (a *App) forgetCatalog() {
	a.catalog.mu.Lock()
	a.catalog.cat, a.catalog.raw = nil, nil
	a.catalog.mu.Unlock()
}

// AddPartnerService adds a partner's own service (for example managed
// support per seat) to the catalog: a product of type Custom that only this
// partner sees and sells, under the same rules as Microsoft's offers.
func (a *App) AddPartnerService(ctx context.Context, p csp.Principal, prod csp.Product) (*csp.Product, error) {
	if err := p.Can(csp.PermBillingWrite); err != nil {
		return nil, err
	}
	cat, _, err := a.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	err = a.store.Write(ctx, func(tx store.Tx) error {
		partner, err := tx.GetPartner(ctx, p.PartnerID)
		if err != nil {
			return err
		}
		if err := partnerSells(partner); err != nil {
			return err
		}
		prod.ProductType, prod.PartnerID, prod.Publisher = "Custom", &partner.ID, partner.Name
		if prod.ID == "" {
			return csp.Errorf(csp.EMissingField, "id is required: the product id of the service (letters and digits)")
		}
		for _, other := range cat.Products {
			if strings.EqualFold(other.ID, prod.ID) {
				return csp.Errorf(csp.EProductExists, "product id %s is already used: choose another", prod.ID)
			}
		}
		for _, sku := range prod.Skus {
			for _, ref := range append(append([]string{}, sku.UpgradeTargets...), sku.Prerequisites...) {
				if !strings.HasPrefix(strings.ToUpper(ref), strings.ToUpper(prod.ID)+":") {
					return csp.Errorf(csp.EInvalidCatalog, "catalog: %s:%s may refer only to its own SKUs, not %s", prod.ID, sku.ID, ref)
				}
			}
		}
		merged := &csp.Catalog{Products: append(append([]csp.Product{}, cat.Products...), prod)}
		if err := merged.Validate(); err != nil {
			return err
		}
		if err := tx.CreatePartnerProduct(ctx, partner.ID, &prod, a.Now()); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, csp.AuditRecord{ResourceType: "catalog", OperationType: "add_partner_service"}, nil, map[string]any{"productId": prod.ID, "title": prod.Title})
	})
	if err != nil {
		return nil, err
	}
	a.forgetCatalog()
	return &prod, nil
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
	err = a.store.Write(ctx, func(tx store.Tx) error {
		if err := tx.SetSetting(ctx, settingCatalog, string(doc)); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, csp.AuditRecord{ResourceType: "catalog", OperationType: "update_catalog"}, nil,
			map[string]any{"version": cat.Version, "products": len(cat.Products)})
	})
	if err != nil {
		return nil, err
	}
	a.forgetCatalog()
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
	cat, _, err := a.Catalog(ctx)
	if err != nil {
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
				out = append(out, MarketItem{Item: csp.Item{Product: prod, Sku: sku, Availability: av}, Country: country.Code, Currency: currency})
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

// customerMarket answers the catalog, the pricing currency and the partner
// for a customer of the calling partner.
func (a *App) customerMarket(ctx context.Context, tx store.Tx, p csp.Principal, customerID uuid.UUID) (*Customer, *csp.Partner, *csp.Catalog, string, error) {
	c, err := a.customer(ctx, tx, p, customerID)
	if err != nil {
		return nil, nil, nil, "", err
	}
	partner, err := tx.GetPartner(ctx, p.PartnerID)
	if err != nil {
		return nil, nil, nil, "", err
	}
	cat, _, err := a.Catalog(ctx)
	if err != nil {
		return nil, nil, nil, "", err
	}
	currency := csp.PricingCurrency(c.Tenant.Country, func(cur string) bool { return slices.Contains(cat.Currencies(), cur) })
	return c, partner, cat, currency, nil
}
