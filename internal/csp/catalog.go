package csp

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Catalog is the product catalog: Partner Center's products, SKUs and
// availabilities, with list prices per market currency. It is one document
// (docs/catalog.md), embedded in the binary and replaceable by the operator.
type Catalog struct {
	// Version names the document (for example "2026-11"); informational.
	Version  string    `json:"version"`
	Products []Product `json:"products"`
	// Promotions are discounts on some availabilities and terms.
	Promotions []Promotion `json:"promotions,omitempty"`
}

// Product is a catalog product (for example CFQ7TTC0LH18, Microsoft 365
// Business Basic).
// ProductTypeAzure is the Azure plan's product type: usage-based, no term.
const ProductTypeAzure = "Azure"

type Product struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// ProductType is Partner Center's product type id: OnlineServices for
	// licence-based new commerce, Azure for the Azure plan, Custom for a
	// partner's own services.
	ProductType string `json:"productType"`
	Publisher   string `json:"publisher"`
	// PartnerID marks a partner's own service: only that partner sees and
	// sells it.
	PartnerID *uuid.UUID `json:"partnerId,omitempty"`
	Skus      []Sku      `json:"skus"`
}

// Sku is one SKU of a product.
type Sku struct {
	ID              string `json:"id"`
	Title           string `json:"title"`
	Description     string `json:"description,omitempty"`
	MinimumQuantity int    `json:"minimumQuantity"`
	MaximumQuantity int    `json:"maximumQuantity"`
	// UnitType is "Licenses" for seats or "Usage-based" for the Azure plan.
	UnitType string `json:"unitType"`
	IsTrial  bool   `json:"isTrial,omitempty"`
	// TrialQuantity is the fixed seat count of a trial.
	TrialQuantity int `json:"trialQuantity,omitempty"`
	// ConvertsTo names the paid "productId:skuId" a trial converts to.
	ConvertsTo string `json:"convertsTo,omitempty"`
	IsAddon    bool   `json:"isAddon,omitempty"`
	// Prerequisites lists "productId:skuId" base offers an add-on needs:
	// the customer must hold an active subscription of one of them.
	Prerequisites []string `json:"prerequisites,omitempty"`
	// UpgradeTargets lists "productId:skuId" offers this SKU may move to
	// mid-term.
	UpgradeTargets []string `json:"upgradeTargets,omitempty"`
	// GraphSkuID and SkuPartNumber name the SKU as Microsoft Graph's
	// subscribedSkus does in a tenant that holds it; ServicePlans are what
	// a licence of it turns on for a user (Graph's servicePlans), each of
	// which an assignment may disable. A trial names its paid SKU's.
	GraphSkuID     uuid.UUID      `json:"graphSkuId,omitzero"`
	SkuPartNumber  string         `json:"skuPartNumber,omitempty"`
	ServicePlans   []ServicePlan  `json:"servicePlans,omitempty"`
	Availabilities []Availability `json:"availabilities"`
}

// ServicePlan is one service inside a SKU (Exchange, Teams, Entra ID P1 ...)
// by Microsoft's service plan id and name.
type ServicePlan struct {
	ID   uuid.UUID `json:"servicePlanId"`
	Name string    `json:"servicePlanName"`
	// AppliesTo is "User" for plans licensed per user, "Company" for
	// plans that serve the tenant as a whole.
	AppliesTo string `json:"appliesTo"`
}

// Availability is a SKU offered in one segment, with its terms and prices.
type Availability struct {
	ID      string  `json:"id"`
	Segment Segment `json:"segment"`
	// Countries limits the availability to these markets; empty means
	// every country whose pricing currency has a price here.
	Countries []string    `json:"countries,omitempty"`
	Terms     []Term      `json:"terms"`
	Prices    []PriceList `json:"prices"`
}

// Term is a term with its billing plan.
type Term struct {
	Duration     string `json:"duration"`     // P1M, P1Y, P3Y; "" for the Azure plan
	BillingCycle string `json:"billingCycle"` // monthly, annual, triennial; "monthly" in arrears for the Azure plan
	Description  string `json:"description,omitempty"`
}

// Key is the price-list key of a term: "P1Y:annual".
func (t Term) Key() string { return t.Duration + ":" + t.BillingCycle }

// PriceList is an availability's prices in one currency from a date on.
// Each price is per unit and per billing period of its term: per month for
// monthly billing, per year for annual, per three years for triennial.
type PriceList struct {
	EffectiveDate string                     `json:"effectiveDate"` // yyyy-mm-dd, UTC
	Currency      string                     `json:"currency"`
	UnitPrices    map[string]decimal.Decimal `json:"unitPrices"` // by Term.Key
}

// CatalogItemID is Partner Center's productId:skuId:availabilityId.
type CatalogItemID struct{ Product, Sku, Availability string }

// String formats the id.
func (c CatalogItemID) String() string { return c.Product + ":" + c.Sku + ":" + c.Availability }

// Offer is "productId:skuId", the new-commerce offerId.
func (c CatalogItemID) Offer() string { return c.Product + ":" + c.Sku }

// ParseCatalogItemID splits productId:skuId:availabilityId.
func ParseCatalogItemID(s string) (CatalogItemID, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return CatalogItemID{}, false
	}
	return CatalogItemID{Product: strings.ToUpper(parts[0]), Sku: strings.ToUpper(parts[1]), Availability: strings.ToUpper(parts[2])}, true
}

// Item is one resolved catalog item.
type Item struct {
	Product      *Product
	Sku          *Sku
	Availability *Availability
}

// ID answers the item's catalog item id.
func (it Item) ID() CatalogItemID {
	return CatalogItemID{Product: it.Product.ID, Sku: it.Sku.ID, Availability: it.Availability.ID}
}

// Find resolves a catalog item id.
func (c *Catalog) Find(id CatalogItemID) (Item, bool) {
	for i := range c.Products {
		p := &c.Products[i]
		if !strings.EqualFold(p.ID, id.Product) {
			continue
		}
		for j := range p.Skus {
			s := &p.Skus[j]
			if !strings.EqualFold(s.ID, id.Sku) {
				continue
			}
			for k := range s.Availabilities {
				if a := &s.Availabilities[k]; strings.EqualFold(a.ID, id.Availability) {
					return Item{Product: p, Sku: s, Availability: a}, true
				}
			}
		}
	}
	return Item{}, false
}

// FindSku resolves "productId:skuId".
func (c *Catalog) FindSku(offer string) (*Product, *Sku, bool) {
	pid, sid, ok := strings.Cut(offer, ":")
	if !ok {
		return nil, nil, false
	}
	for i := range c.Products {
		p := &c.Products[i]
		if strings.EqualFold(p.ID, pid) {
			for j := range p.Skus {
				if strings.EqualFold(p.Skus[j].ID, sid) {
					return p, &p.Skus[j], true
				}
			}
		}
	}
	return nil, nil, false
}

// VisibleTo reports whether a partner may see and sell the product.
func (p *Product) VisibleTo(partnerID uuid.UUID) bool {
	return p.PartnerID == nil || *p.PartnerID == partnerID
}

// Term answers the availability's term with that duration and cycle.
func (a *Availability) Term(duration, cycle string) (Term, bool) {
	for _, t := range a.Terms {
		if strings.EqualFold(t.Duration, duration) && strings.EqualFold(t.BillingCycle, cycle) {
			return t, true
		}
	}
	return Term{}, false
}

// OfferedIn reports whether the availability is sold in a country.
func (a *Availability) OfferedIn(country string) bool {
	return len(a.Countries) == 0 || slices.Contains(a.Countries, country)
}

// Price answers the unit price of a term in a currency on a day: the
// price list in that currency with the latest effective date not after
// the day.
func (a *Availability) Price(t Term, currency string, day time.Time) (Money, bool) {
	best := ""
	var price decimal.Decimal
	found := false
	d := day.UTC().Format(time.DateOnly)
	for _, pl := range a.Prices {
		if pl.Currency != currency || pl.EffectiveDate > d || pl.EffectiveDate < best {
			continue
		}
		if v, ok := pl.UnitPrices[t.Key()]; ok {
			best, price, found = pl.EffectiveDate, v, true
		}
	}
	return NewMoney(price, currency), found
}

// HasCurrency reports whether any price list is in the currency.
func (a *Availability) HasCurrency(currency string) bool {
	for _, pl := range a.Prices {
		if pl.Currency == currency {
			return true
		}
	}
	return false
}

// PricingCurrency is the currency a customer in country is priced in: the
// country's own currency when the catalog prices in it, else EUR in the
// European market and USD elsewhere (docs/decisions.md).
func PricingCurrency(country string, priced func(currency string) bool) string {
	c, ok := LookupCountry(country)
	if !ok {
		return "USD"
	}
	if priced(c.Currency) {
		return c.Currency
	}
	if m, _ := MarketOf(c.Code); m == MarketEurope {
		return "EUR"
	}
	return "USD"
}

// Currencies lists the currencies any price list uses.
func (c *Catalog) Currencies() []string {
	var out []string
	for _, p := range c.Products {
		for _, s := range p.Skus {
			for _, a := range s.Availabilities {
				for _, pl := range a.Prices {
					if !slices.Contains(out, pl.Currency) {
						out = append(out, pl.Currency)
					}
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

var validTerms = map[string][]string{
	"P1M": {"monthly"},
	"P1Y": {"monthly", "annual"},
	"P3Y": {"monthly", "annual", "triennial"},
	"":    {"monthly"},
}

// Validate checks the document: unique ids, terms that allow,
// a price for every term of every price list, sane quantities, links
// (upgrade targets, prerequisites, trial conversions) that resolve, and the
// SKUs' Microsoft Graph identity (serviceplans.go).
func (c *Catalog) Validate() error {
	bad := func(format string, args ...any) error {
		return Errorf(EInvalidCatalog, "catalog: "+format, args...)
	}
	if len(c.Products) == 0 {
		return bad("no products")
	}
	seen := map[string]bool{}
	for _, p := range c.Products {
		if p.ID == "" || p.Title == "" {
			return bad("a product needs id and title (product %q)", p.ID)
		}
		if seen[p.ID] {
			return bad("product %s appears twice", p.ID)
		}
		seen[p.ID] = true
		if len(p.Skus) == 0 {
			return bad("product %s has no SKUs", p.ID)
		}
		skus := map[string]bool{}
		for _, s := range p.Skus {
			where := p.ID + ":" + s.ID
			if s.ID == "" || skus[s.ID] {
				return bad("product %s has a SKU with an empty or repeated id", p.ID)
			}
			skus[s.ID] = true
			if s.MinimumQuantity < 1 || s.MaximumQuantity < s.MinimumQuantity {
				return bad("%s: minimumQuantity %d and maximumQuantity %d must satisfy 1 <= min <= max", where, s.MinimumQuantity, s.MaximumQuantity)
			}
			if len(s.Availabilities) == 0 {
				return bad("%s has no availabilities", where)
			}
			for _, ref := range slices.Concat(s.UpgradeTargets, s.Prerequisites, nonEmpty(s.ConvertsTo)) {
				if _, _, ok := c.FindSku(ref); !ok {
					return bad("%s refers to %s, which is not in the catalog", where, ref)
				}
			}
			if s.IsTrial && (s.ConvertsTo == "" || s.TrialQuantity < 1) {
				return bad("%s is a trial: it needs convertsTo and trialQuantity", where)
			}
			if s.IsAddon && len(s.Prerequisites) == 0 {
				return bad("%s is an add-on without prerequisites: name the base offers it needs", where)
			}
			for _, ref := range s.Prerequisites {
				if _, base, _ := c.FindSku(ref); base.IsTrial || base.IsAddon {
					return bad("%s: prerequisite %s is a trial or an add-on; a base offer must be a paid offer", where, ref)
				}
			}
			if _, to, ok := c.FindSku(s.ConvertsTo); ok && to.IsTrial {
				return bad("%s converts to %s, which is a trial too", where, s.ConvertsTo)
			}
			if slices.ContainsFunc(s.UpgradeTargets, func(t string) bool { return strings.EqualFold(t, where) }) {
				return bad("%s lists itself as an upgrade target", where)
			}
			avs := map[string]bool{}
			for _, a := range s.Availabilities {
				if a.ID == "" || avs[a.ID] {
					return bad("%s has an availability with an empty or repeated id", where)
				}
				avs[a.ID] = true
				if _, err := ParseSegment(string(a.Segment)); err != nil || a.Segment == "" {
					return bad("%s:%s: segment %q is not valid", where, a.ID, a.Segment)
				}
				if len(a.Terms) == 0 {
					return bad("%s:%s has no terms", where, a.ID)
				}
				for _, t := range a.Terms {
					if !slices.Contains(validTerms[t.Duration], t.BillingCycle) {
						return bad("%s:%s: term %s with billing cycle %s is not sold (R-1, R-2)", where, a.ID, t.Duration, t.BillingCycle)
					}
				}
				lists := map[string]bool{}
				for _, pl := range a.Prices {
					if lists[pl.Currency+"@"+pl.EffectiveDate] {
						return bad("%s:%s has two %s price lists effective %s", where, a.ID, pl.Currency, pl.EffectiveDate)
					}
					lists[pl.Currency+"@"+pl.EffectiveDate] = true
					if _, err := time.Parse(time.DateOnly, pl.EffectiveDate); err != nil {
						return bad("%s:%s: effectiveDate %q is not yyyy-mm-dd", where, a.ID, pl.EffectiveDate)
					}
					if len(pl.Currency) != 3 {
						return bad("%s:%s: currency %q is not an ISO 4217 code", where, a.ID, pl.Currency)
					}
					for _, t := range a.Terms {
						v, ok := pl.UnitPrices[t.Key()]
						if !ok || v.IsNegative() {
							return bad("%s:%s: the %s price list of %s has no price for %s", where, a.ID, pl.Currency, pl.EffectiveDate, t.Key())
						}
					}
				}
				if len(a.Prices) == 0 && !s.IsTrial && p.ProductType != ProductTypeAzure {
					return bad("%s:%s has no prices", where, a.ID)
				}
			}
		}
	}
	if err := c.validateGraphIdentity(); err != nil {
		return err
	}
	return c.validatePromotions()
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// String is for messages.
func (t Term) String() string {
	if t.Duration == "" {
		return t.BillingCycle
	}
	return fmt.Sprintf("%s/%s", t.Duration, t.BillingCycle)
}
