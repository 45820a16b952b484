package csp

import (
	"strings"

	"github.com/google/uuid"
)

// Product types besides ProductTypeAzure (Partner Center's product type ids).
const (
	ProductTypeOnlineServices = "OnlineServices" // licence-based new commerce
	ProductTypeCustom         = "Custom"         // a partner's own service
)

// Values of ServicePlan.AppliesTo, as Graph's servicePlanInfo gives them.
const (
	AppliesToUser    = "User"    // assigned with each user's licence
	AppliesToCompany = "Company" // serves the tenant as a whole
)

// Service plans other contexts look for in a tenant's licences, with
// Microsoft's ids ("Product names and service plan identifiers for
// licensing"): Entra ID P1 comes with Microsoft 365 E3, E5, F3, Business
// Premium, A3 and the standalone P1 and P2; P2 with E5 and the standalone P2.
var (
	ServicePlanEntraIDP1 = uuid.MustParse("41781fb2-bc02-4b7c-bd55-b576c07bb09d") // AAD_PREMIUM
	ServicePlanEntraIDP2 = uuid.MustParse("eec0eb4f-6444-4f95-aba0-50c24d67f998") // AAD_PREMIUM_P2
)

// ServicePlan answers the SKU's service plan with that id.
func (s *Sku) ServicePlan(id uuid.UUID) (ServicePlan, bool) {
	for _, sp := range s.ServicePlans {
		if sp.ID == id {
			return sp, true
		}
	}
	return ServicePlan{}, false
}

// HasServicePlan reports whether a licence of the SKU includes the plan.
func (s *Sku) HasServicePlan(id uuid.UUID) bool {
	_, ok := s.ServicePlan(id)
	return ok
}

// validateGraphIdentity checks the SKUs' Microsoft Graph identity:
//   - a Microsoft licence (an OnlineServices SKU that is not a partner's own
//     service) names its graphSkuId and skuPartNumber, since a tenant
//     holding it lists it in subscribedSkus;
//   - an Azure or Custom product's SKUs carry none of the three fields:
//     they are no licence a user is assigned;
//   - service plans have an id unique within the SKU, a name, and
//     appliesTo User or Company;
//   - two SKUs share a graphSkuId only when one is the other's trial
//     (convertsTo), and then with the same skuPartNumber.
func (c *Catalog) validateGraphIdentity() error {
	bad := func(format string, args ...any) error {
		return Errorf(EInvalidCatalog, "catalog: "+format, args...)
	}
	type holder struct {
		offer string
		sku   *Sku
	}
	bySkuID := map[uuid.UUID][]holder{}
	for i := range c.Products {
		p := &c.Products[i]
		for j := range p.Skus {
			s := &p.Skus[j]
			where := p.ID + ":" + s.ID
			carries := s.GraphSkuID != uuid.Nil || s.SkuPartNumber != "" || len(s.ServicePlans) > 0
			switch {
			case (p.ProductType == ProductTypeAzure || p.ProductType == ProductTypeCustom) && carries:
				return bad("%s: SKUs of %s products carry no graphSkuId, skuPartNumber or servicePlans (those name Microsoft licences); remove them", where, p.ProductType)
			case p.ProductType == ProductTypeOnlineServices && p.PartnerID == nil && (s.GraphSkuID == uuid.Nil || s.SkuPartNumber == ""):
				return bad("%s: an OnlineServices SKU needs graphSkuId and skuPartNumber, Microsoft Graph's skuId and skuPartNumber for it", where)
			}
			plans := map[uuid.UUID]bool{}
			for _, sp := range s.ServicePlans {
				if sp.ID == uuid.Nil || plans[sp.ID] {
					return bad("%s: service plan %q has an empty or repeated servicePlanId; each plan of a SKU has its own id", where, sp.Name)
				}
				plans[sp.ID] = true
				if sp.Name == "" {
					return bad("%s: service plan %s needs a servicePlanName", where, sp.ID)
				}
				if sp.AppliesTo != AppliesToUser && sp.AppliesTo != AppliesToCompany {
					return bad("%s: service plan %s: appliesTo %q is not %s or %s", where, sp.Name, sp.AppliesTo, AppliesToUser, AppliesToCompany)
				}
			}
			if s.GraphSkuID == uuid.Nil {
				continue
			}
			for _, h := range bySkuID[s.GraphSkuID] {
				if !sameLicence(where, s, h.offer, h.sku) {
					return bad("%s and %s share graphSkuId %s; only a trial and the SKU it converts to may", h.offer, where, s.GraphSkuID)
				}
				if h.sku.SkuPartNumber != s.SkuPartNumber {
					return bad("%s and %s share graphSkuId %s but not skuPartNumber (%s, %s); Graph names a skuId with one part number", h.offer, where, s.GraphSkuID, h.sku.SkuPartNumber, s.SkuPartNumber)
				}
			}
			bySkuID[s.GraphSkuID] = append(bySkuID[s.GraphSkuID], holder{where, s})
		}
	}
	return nil
}

// sameLicence reports whether one of two offers is the other's trial.
func sameLicence(offerA string, a *Sku, offerB string, b *Sku) bool {
	converts := func(trial *Sku, paid string) bool {
		return trial.IsTrial && strings.EqualFold(trial.ConvertsTo, paid)
	}
	return converts(a, offerB) || converts(b, offerA)
}
