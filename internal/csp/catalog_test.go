package csp

import (
	"testing"

	"github.com/shopspring/decimal"
)

func miniCatalog() *Catalog {
	price := func(v string) map[string]decimal.Decimal {
		return map[string]decimal.Decimal{"P1M:monthly": decimal.RequireFromString(v)}
	}
	av := func(id string) []Availability {
		return []Availability{{ID: id, Segment: SegmentCommercial, Terms: []Term{{Duration: "P1M", BillingCycle: "monthly"}},
			Prices: []PriceList{{EffectiveDate: "2026-01-01", Currency: "USD", UnitPrices: price("5.00")}}}}
	}
	return &Catalog{Products: []Product{
		{ID: "BASE", Title: "Base", ProductType: "OnlineServices", Skus: []Sku{{ID: "0001", Title: "Base", MinimumQuantity: 1, MaximumQuantity: 10,
			GraphSkuID: graphBusinessBasic, SkuPartNumber: "O365_BUSINESS_ESSENTIALS", Availabilities: av("A1")}}},
		{ID: "ADD", Title: "Add-on", ProductType: "OnlineServices", Skus: []Sku{{ID: "0001", Title: "Add-on", MinimumQuantity: 1, MaximumQuantity: 10,
			IsAddon: true, Prerequisites: []string{"BASE:0001"}, GraphSkuID: graphDefenderO365P1, SkuPartNumber: "ATP_ENTERPRISE", Availabilities: av("A2")}}},
	}}
}

func TestCatalogValidate(t *testing.T) {
	if err := miniCatalog().Validate(); err != nil {
		t.Fatalf("valid catalog refused: %v", err)
	}
	tests := map[string]func(c *Catalog){
		"AddonWithoutPrerequisites": func(c *Catalog) { c.Products[1].Skus[0].Prerequisites = nil },
		"PrerequisiteIsAddon":       func(c *Catalog) { c.Products[1].Skus[0].Prerequisites = []string{"ADD:0001"} },
		"SelfUpgrade":               func(c *Catalog) { c.Products[0].Skus[0].UpgradeTargets = []string{"BASE:0001"} },
		"DanglingUpgrade":           func(c *Catalog) { c.Products[0].Skus[0].UpgradeTargets = []string{"NOPE:0001"} },
		"DuplicatePriceList": func(c *Catalog) {
			a := &c.Products[0].Skus[0].Availabilities[0]
			a.Prices = append(a.Prices, a.Prices[0])
		},
		"MonthToMonthBilledAnnually": func(c *Catalog) {
			c.Products[0].Skus[0].Availabilities[0].Terms = []Term{{Duration: "P1M", BillingCycle: "annual"}}
		},
		"TrialConvertsToTrial": func(c *Catalog) {
			s := &c.Products[0].Skus[0]
			s.IsTrial, s.TrialQuantity, s.ConvertsTo = true, 25, "BASE:0001"
		},
	}
	for name, change := range tests {
		t.Run("Err"+name, func(t *testing.T) {
			c := miniCatalog()
			change(c)
			if err := c.Validate(); ErrorCode(err) != EInvalidCatalog {
				t.Fatalf("accepted (%v)", err)
			}
		})
	}
}
