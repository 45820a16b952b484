package csp

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

// Graph skuIds of the fixtures' licences, from Microsoft's "Product names and
// service plan identifiers for licensing" table (GUID column of the rows
// O365_BUSINESS_ESSENTIALS, ATP_ENTERPRISE, SPE_E3 and EXCHANGESTANDARD).
var (
	graphBusinessBasic  = uuid.MustParse("3b555118-da6a-4418-894f-7df1e2096870")
	graphDefenderO365P1 = uuid.MustParse("4ef96642-f096-40de-a3e9-d83fb2f90211")
	graphSPEE3          = uuid.MustParse("05e9a617-0261-4cee-bb44-138d3ef5d965")
	graphExchangeP1     = uuid.MustParse("4b9405b0-7788-4568-add1-99614e613b69")
)

// identityCatalog is miniCatalog with service plans on BASE (two of Business
// Basic's plans in the table: EXCHANGE_S_STANDARD and TEAMS1), BASE's trial,
// an Azure plan and a partner's own service.
func identityCatalog() *Catalog {
	c := miniCatalog()
	base := &c.Products[0].Skus[0]
	base.ServicePlans = []ServicePlan{
		{ID: uuid.MustParse("9aaf7827-d63c-4b61-89c3-182f06f82e5c"), Name: "EXCHANGE_S_STANDARD", AppliesTo: AppliesToUser},
		{ID: uuid.MustParse("57ff2da0-773e-42df-b2af-ffb7a2317929"), Name: "TEAMS1", AppliesTo: AppliesToUser},
	}
	trial := *base
	trial.ID, trial.Title, trial.IsTrial, trial.TrialQuantity, trial.ConvertsTo = "0002", "Base Trial", true, 25, "BASE:0001"
	trial.MinimumQuantity, trial.MaximumQuantity = 25, 25
	trial.Availabilities = []Availability{{ID: "T1", Segment: SegmentCommercial, Terms: []Term{{Duration: "P1M", BillingCycle: "monthly"}}}}
	c.Products[0].Skus = append(c.Products[0].Skus, trial)
	partner := uuid.MustParse("6a1b6f49-3a80-4f0d-9a1e-1f2b3c4d5e6f")
	c.Products = append(c.Products,
		Product{ID: "AZ", Title: "Azure plan", ProductType: ProductTypeAzure, Skus: []Sku{{ID: "0001", Title: "Azure plan", MinimumQuantity: 1,
			MaximumQuantity: 1, UnitType: "Usage-based", Availabilities: []Availability{{ID: "Z1", Segment: SegmentCommercial,
				Terms: []Term{{Duration: "", BillingCycle: "monthly"}}}}}}},
		Product{ID: "OWN", Title: "Backup", ProductType: ProductTypeCustom, PartnerID: &partner, Skus: []Sku{{ID: "0001", Title: "Backup",
			MinimumQuantity: 1, MaximumQuantity: 10, Availabilities: c.Products[0].Skus[0].Availabilities}}},
	)
	return c
}

func TestGraphIdentityRules(t *testing.T) {
	if err := identityCatalog().Validate(); err != nil {
		t.Fatalf("valid catalog refused: %v", err)
	}
	tests := []struct {
		name   string
		change func(c *Catalog)
		want   string // the message names the SKU and the rule
	}{
		{"LicenceWithoutSkuID", func(c *Catalog) { c.Products[0].Skus[0].GraphSkuID = uuid.Nil },
			"BASE:0001: an OnlineServices SKU needs graphSkuId and skuPartNumber"},
		{"LicenceWithoutPartNumber", func(c *Catalog) { c.Products[1].Skus[0].SkuPartNumber = "" },
			"ADD:0001: an OnlineServices SKU needs graphSkuId and skuPartNumber"},
		{"RepeatedPlan", func(c *Catalog) {
			s := &c.Products[0].Skus[0]
			s.ServicePlans = append(s.ServicePlans, s.ServicePlans[0])
		}, `BASE:0001: service plan "EXCHANGE_S_STANDARD" has an empty or repeated servicePlanId`},
		{"PlanWithoutID", func(c *Catalog) { c.Products[0].Skus[0].ServicePlans[1].ID = uuid.Nil },
			`BASE:0001: service plan "TEAMS1" has an empty or repeated servicePlanId`},
		{"PlanWithoutName", func(c *Catalog) { c.Products[0].Skus[0].ServicePlans[1].Name = "" },
			"BASE:0001: service plan 57ff2da0-773e-42df-b2af-ffb7a2317929 needs a servicePlanName"},
		{"AppliesToTenant", func(c *Catalog) { c.Products[0].Skus[0].ServicePlans[0].AppliesTo = "Tenant" },
			`BASE:0001: service plan EXCHANGE_S_STANDARD: appliesTo "Tenant" is not User or Company`},
		{"AppliesToEmpty", func(c *Catalog) { c.Products[0].Skus[0].ServicePlans[0].AppliesTo = "" },
			`appliesTo "" is not User or Company`},
		{"TwoLicencesOneSkuID", func(c *Catalog) { c.Products[1].Skus[0].GraphSkuID = graphBusinessBasic },
			"BASE:0001 and ADD:0001 share graphSkuId 3b555118-da6a-4418-894f-7df1e2096870; only a trial and the SKU it converts to may"},
		{"TrialOfAnotherSku", func(c *Catalog) {
			// the trial keeps Business Basic's id but converts to ADD
			t := &c.Products[0].Skus[1]
			t.ConvertsTo = "ADD:0001"
		}, "BASE:0001 and BASE:0002 share graphSkuId"},
		{"TrialWithOtherPartNumber", func(c *Catalog) { c.Products[0].Skus[1].SkuPartNumber = "O365_BUSINESS" },
			"BASE:0001 and BASE:0002 share graphSkuId 3b555118-da6a-4418-894f-7df1e2096870 but not skuPartNumber (O365_BUSINESS_ESSENTIALS, O365_BUSINESS)"},
		{"AzureWithSkuID", func(c *Catalog) { c.Products[2].Skus[0].GraphSkuID = graphSPEE3 },
			"AZ:0001: SKUs of Azure products carry no graphSkuId, skuPartNumber or servicePlans"},
		{"AzureWithPlans", func(c *Catalog) { c.Products[2].Skus[0].ServicePlans = c.Products[0].Skus[0].ServicePlans },
			"AZ:0001: SKUs of Azure products carry no graphSkuId"},
		{"CustomWithPartNumber", func(c *Catalog) { c.Products[3].Skus[0].SkuPartNumber = "SPE_E3" },
			"OWN:0001: SKUs of Custom products carry no graphSkuId, skuPartNumber or servicePlans"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := identityCatalog()
			tt.change(c)
			err := c.Validate()
			if ErrorCode(err) != EInvalidCatalog {
				t.Fatalf("Validate = %v, want code %d", err, EInvalidCatalog)
			}
			if msg := ErrorMessage(err); !strings.Contains(msg, tt.want) || !strings.HasPrefix(msg, "catalog: ") {
				t.Fatalf("message %q, want it to contain %q", msg, tt.want)
			}
		})
	}
}

func TestGraphIdentityAllowed(t *testing.T) {
	t.Run("TrialSharesItsPaidSkuID", func(t *testing.T) {
		// identityCatalog's BASE:0002 already carries BASE:0001's id; the
		// check holds whichever of the two comes first.
		c := identityCatalog()
		s := c.Products[0].Skus
		s[0], s[1] = s[1], s[0]
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("PartnerOnlineServicesWithoutIdentity", func(t *testing.T) {
		// An OnlineServices product with a partnerId is a partner's own
		// service, not a Microsoft licence: no Graph identity is needed.
		c := identityCatalog()
		c.Products[3].ProductType = ProductTypeOnlineServices
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("CompanyPlan", func(t *testing.T) {
		c := identityCatalog()
		c.Products[0].Skus[0].ServicePlans[0].AppliesTo = AppliesToCompany
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSkuHasServicePlan(t *testing.T) {
	s := identityCatalog().Products[0].Skus[0]
	teams := uuid.MustParse("57ff2da0-773e-42df-b2af-ffb7a2317929")
	if sp, ok := s.ServicePlan(teams); !ok || sp.Name != "TEAMS1" {
		t.Fatalf("ServicePlan(TEAMS1) = %+v, %v", sp, ok)
	}
	if s.HasServicePlan(ServicePlanEntraIDP1) {
		t.Fatal("Business Basic's fixture plans include Entra ID P1")
	}
}
