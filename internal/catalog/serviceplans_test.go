package catalog

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

// The expected values below are read from Microsoft's "Product names and
// service plan identifiers for licensing" (MicrosoftDocs/entra-docs,
// docs/identity/users/licensing-service-plan-reference.md, last updated
// 29 October 2025): the row's String ID and GUID columns, and its "Service
// plans included" column (each "NAME (id)" entry, counted by hand).

func TestBuiltinGraphIdentity(t *testing.T) {
	c := MustDefault(t)
	for _, p := range c.Products {
		for _, s := range p.Skus {
			offer := p.ID + ":" + s.ID
			switch p.ProductType {
			case csp.ProductTypeOnlineServices:
				if s.GraphSkuID == uuid.Nil || s.SkuPartNumber == "" || len(s.ServicePlans) == 0 {
					t.Errorf("%s (%s) lacks its Graph identity: skuId %s, skuPartNumber %q, %d service plans",
						offer, s.Title, s.GraphSkuID, s.SkuPartNumber, len(s.ServicePlans))
				}
			default:
				if s.GraphSkuID != uuid.Nil || s.SkuPartNumber != "" || len(s.ServicePlans) != 0 {
					t.Errorf("%s is a %s SKU and carries a Graph identity", offer, p.ProductType)
				}
			}
			if s.IsTrial {
				// A trial is a licence of the SKU it converts to.
				_, paid := MustSku(t, c, s.ConvertsTo)
				want := []any{paid.GraphSkuID, paid.SkuPartNumber, paid.ServicePlans}
				if d := cmp.Diff(want, []any{s.GraphSkuID, s.SkuPartNumber, s.ServicePlans}); d != "" {
					t.Errorf("trial %s does not carry %s's identity (-paid +trial):\n%s", offer, s.ConvertsTo, d)
				}
			}
		}
	}
}

// TestBuiltinEntraPlans lists, from the table, every catalog product whose
// row includes AAD_PREMIUM (41781fb2-…) or AAD_PREMIUM_P2 (eec0eb4f-…).
func TestBuiltinEntraPlans(t *testing.T) {
	c := MustDefault(t)
	withPlan := func(id uuid.UUID) []string {
		var out []string
		for _, p := range c.Products {
			for _, s := range p.Skus {
				if s.HasServicePlan(id) {
					out = append(out, p.ID+":"+s.ID)
				}
			}
		}
		slices.Sort(out)
		return out
	}
	// AAD_PREMIUM: Business Premium (SPB) and its trial, E3 (SPE_E3), E5
	// (SPE_E5), F3 (SPE_F1), A3 for faculty (M365EDU_A3_FACULTY), Entra ID P1
	// (AAD_PREMIUM) and Entra ID P2 (AAD_PREMIUM_P2, which includes P1).
	p1 := []string{"CFQ7TTC0LCHC:0001", "CFQ7TTC0LCHC:0002", "CFQ7TTC0LFK5:0001", "CFQ7TTC0LFLS:0001",
		"CFQ7TTC0LFLX:0001", "CFQ7TTC0LFLZ:0001", "CFQ7TTC0LGTX:0001", "CFQ7TTC0LH0Z:0001"}
	if d := cmp.Diff(p1, withPlan(csp.ServicePlanEntraIDP1)); d != "" {
		t.Errorf("SKUs with Entra ID P1 (-want +got):\n%s", d)
	}
	// AAD_PREMIUM_P2: E5 and Entra ID P2 only (Office 365 E5 has neither).
	p2 := []string{"CFQ7TTC0LFK5:0001", "CFQ7TTC0LFLZ:0001"}
	if d := cmp.Diff(p2, withPlan(csp.ServicePlanEntraIDP2)); d != "" {
		t.Errorf("SKUs with Entra ID P2 (-want +got):\n%s", d)
	}
	for _, offer := range []string{"CFQ7TTC0LFLX:0001", "CFQ7TTC0LCHC:0001", "CFQ7TTC0LFLS:0001"} {
		_, s := MustSku(t, c, offer)
		if sp, _ := s.ServicePlan(csp.ServicePlanEntraIDP1); sp.Name != "AAD_PREMIUM" || sp.AppliesTo != csp.AppliesToUser {
			t.Errorf("%s: Entra ID P1 plan is %+v, want AAD_PREMIUM for each user", offer, sp)
		}
	}
}

func TestBuiltinRealValues(t *testing.T) {
	c := MustDefault(t)
	type plan struct{ name, id string }
	tests := []struct {
		offer, part, skuID string
		plans              int    // entries in the row's "Service plans included"
		has                []plan // some of them
	}{
		// Row "Microsoft 365 E3 | SPE_E3 | 05e9a617-…": 50 plans, Entra ID P1 and Intune among them.
		{"CFQ7TTC0LFLX:0001", "SPE_E3", "05e9a617-0261-4cee-bb44-138d3ef5d965", 50,
			[]plan{{"AAD_PREMIUM", "41781fb2-bc02-4b7c-bd55-b576c07bb09d"}, {"INTUNE_A", "c1ec4a95-1f05-45b3-a911-aa3fa01094f5"},
				{"EXCHANGE_S_ENTERPRISE", "efb87545-963c-4e0d-99df-69c6916d9eb0"}}},
		// Row "Microsoft 365 E5 | SPE_E5 | 06ebc4ee-…": 86 plans.
		{"CFQ7TTC0LFLZ:0001", "SPE_E5", "06ebc4ee-1bb5-47dd-8120-11324bc54e06", 86,
			[]plan{{"AAD_PREMIUM_P2", "eec0eb4f-6444-4f95-aba0-50c24d67f998"}, {"WINDEFATP", "871d91ec-ec1a-452b-a83f-bd76c7d770ef"}}},
		// Row "Microsoft 365 Business Premium | SPB | cbdc14ab-…": 55 plans.
		{"CFQ7TTC0LCHC:0001", "SPB", "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", 55,
			[]plan{{"AAD_PREMIUM", "41781fb2-bc02-4b7c-bd55-b576c07bb09d"}, {"MDE_SMB", "bfc1bbd9-981b-4f71-9b82-17c35fd0e2a4"}}},
		// Row "Microsoft 365 Business Basic | O365_BUSINESS_ESSENTIALS | 3b555118-…": 14 plans.
		{"CFQ7TTC0LH18:0001", "O365_BUSINESS_ESSENTIALS", "3b555118-da6a-4418-894f-7df1e2096870", 14,
			[]plan{{"TEAMS1", "57ff2da0-773e-42df-b2af-ffb7a2317929"}}},
		// Row "Microsoft Entra ID P1 | AAD_PREMIUM | 078d2b04-…": 4 plans.
		{"CFQ7TTC0LFLS:0001", "AAD_PREMIUM", "078d2b04-f1bd-4111-bbd4-b4b1b354cef4", 4,
			[]plan{{"MFA_PREMIUM", "8a256a2b-b617-496d-b51b-e76466e88db0"}}},
		// Row "Microsoft Entra ID P2 | AAD_PREMIUM_P2 | 84a661c4-…": 5 plans, P1 and P2.
		{"CFQ7TTC0LFK5:0001", "AAD_PREMIUM_P2", "84a661c4-e949-4bd2-a560-ed7766fcaf2b", 5,
			[]plan{{"AAD_PREMIUM", "41781fb2-bc02-4b7c-bd55-b576c07bb09d"}, {"AAD_PREMIUM_P2", "eec0eb4f-6444-4f95-aba0-50c24d67f998"}}},
		// Row "Microsoft 365 Apps for enterprise | OFFICESUBSCRIPTION | c2273bd0-…":
		// 12 entries, of which EXCHANGE_S_FOUNDATION, OFFICESUBSCRIPTION and
		// ONEDRIVESTANDARD twice: 12 - 3 = 9 plans (decision 62).
		{"CFQ7TTC0LGZT:0001", "OFFICESUBSCRIPTION", "c2273bd0-dff7-4215-9ef5-2c7bcfb06425", 9,
			[]plan{{"OFFICESUBSCRIPTION", "43de0ff5-c92c-492b-9116-175376d08c38"}}},
		// Row "Microsoft Teams Phone Standard | MCOEV | e43b5b99-…": one plan.
		{"CFQ7TTC0LH0H:0001", "MCOEV", "e43b5b99-8dfb-405f-9987-dc307f34bcbd", 1,
			[]plan{{"MCOEV", "4828c8ec-dc2e-4779-b502-87ac9ce28ab7"}}},
		// Row "Windows 365 Business 2 vCPU 4 GB 128 GB | CPC_B_2C_4RAM_128GB | 135bee78-…": 4 plans.
		{"CFQ7TTC0J203:0001", "CPC_B_2C_4RAM_128GB", "135bee78-485b-4181-ad6e-40286e311850", 4,
			[]plan{{"CPC_B_2C_4RAM_128GB", "1a13832e-cd79-497d-be76-24186f55c8b0"}}},
		// Row "Microsoft Teams Essentials (Microsoft Entra identity) | TEAMS_ESSENTIALS_AAD | 3ab6abff-…": 8 plans.
		{"CFQ7TTC0RM8K:0001", "TEAMS_ESSENTIALS_AAD", "3ab6abff-666f-4424-bfb7-f0bc274ec7bc", 8,
			[]plan{{"TEAMS1", "57ff2da0-773e-42df-b2af-ffb7a2317929"}}},
		// Row "Power Automate Premium | POWERAUTOMATE_ATTENDED_RPA | eda1941c-…": 3 plans.
		{"CFQ7TTC0LSGZ:0001", "POWERAUTOMATE_ATTENDED_RPA", "eda1941c-3c4f-4995-b5eb-e85a42175ab9", 3,
			[]plan{{"POWER_AUTOMATE_ATTENDED_RPA", "375cd0ad-c407-49fd-866a-0bff4f8a9a4d"}}},
	}
	for _, tt := range tests {
		t.Run(tt.part, func(t *testing.T) {
			_, s := MustSku(t, c, tt.offer)
			if s.SkuPartNumber != tt.part || s.GraphSkuID != uuid.MustParse(tt.skuID) {
				t.Errorf("identity %s %s, want %s %s", s.SkuPartNumber, s.GraphSkuID, tt.part, tt.skuID)
			}
			if len(s.ServicePlans) != tt.plans {
				t.Errorf("%d service plans, want %d", len(s.ServicePlans), tt.plans)
			}
			for _, want := range tt.has {
				if sp, ok := s.ServicePlan(uuid.MustParse(want.id)); !ok || sp.Name != want.name {
					t.Errorf("plan %s: got %+v, %v; want %s", want.id, sp, ok, want.name)
				}
			}
		})
	}
}

// TestBuiltinCompanyPlans: decision 61 marks as company-wide the plans
// Graph's own subscribedSku examples answer with appliesTo Company,
// EXCHANGE_S_FOUNDATION and ADALLOM_S_O365; every other plan is per user.
func TestBuiltinCompanyPlans(t *testing.T) {
	company := map[uuid.UUID]string{
		uuid.MustParse("113feb6c-3fe4-4440-bddc-54d774bf0318"): "EXCHANGE_S_FOUNDATION",
		uuid.MustParse("8c098270-9dd4-4350-9b30-ba4703f3b36b"): "ADALLOM_S_O365",
	}
	for _, p := range MustDefault(t).Products {
		for _, s := range p.Skus {
			for _, sp := range s.ServicePlans {
				want := csp.AppliesToUser
				if company[sp.ID] != "" {
					want = csp.AppliesToCompany
				}
				if sp.AppliesTo != want {
					t.Errorf("%s:%s %s appliesTo %s, want %s", p.ID, s.ID, sp.Name, sp.AppliesTo, want)
				}
			}
		}
	}
}

// TestParseGraphIdentity: the operator's document (PUT /admin/v1/catalog)
// goes through the same rules.
func TestParseGraphIdentity(t *testing.T) {
	mutate := func(t *testing.T, f func(c *csp.Catalog)) []byte {
		t.Helper()
		c := MustDefault(t)
		f(c)
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sku := func(c *csp.Catalog, offer string) *csp.Sku {
		_, s, _ := c.FindSku(offer)
		return s
	}
	tests := []struct {
		name   string
		change func(c *csp.Catalog)
		want   string
	}{
		{"NoGraphSkuID", func(c *csp.Catalog) { sku(c, "CFQ7TTC0LFLX:0001").GraphSkuID = uuid.Nil },
			"CFQ7TTC0LFLX:0001: an OnlineServices SKU needs graphSkuId and skuPartNumber"},
		{"TrialOfOtherLicence", func(c *csp.Catalog) { sku(c, "CFQ7TTC0LH18:0002").GraphSkuID = sku(c, "CFQ7TTC0LFLX:0001").GraphSkuID },
			"CFQ7TTC0LH18:0002 and CFQ7TTC0LFLX:0001 share graphSkuId 05e9a617-0261-4cee-bb44-138d3ef5d965"},
		{"AzureWithPlans", func(c *csp.Catalog) {
			sku(c, "DZH318Z0BPS6:0001").ServicePlans = sku(c, "CFQ7TTC0LFLS:0001").ServicePlans
		}, "DZH318Z0BPS6:0001: SKUs of Azure products carry no graphSkuId"},
		{"AppliesToLowercase", func(c *csp.Catalog) { sku(c, "CFQ7TTC0LFLS:0001").ServicePlans[0].AppliesTo = "user" },
			`CFQ7TTC0LFLS:0001: service plan AAD_PREMIUM: appliesTo "user" is not User or Company`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(mutate(t, tt.change))
			var e *csp.Error
			if !errors.As(err, &e) || e.Code != csp.EInvalidCatalog {
				t.Fatalf("err = %v, want a *csp.Error with code EInvalidCatalog", err)
			}
			if !strings.Contains(e.Message, tt.want) {
				t.Errorf("message %q does not say %q", e.Message, tt.want)
			}
		})
	}
}
