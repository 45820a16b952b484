package directory

import (
	"slices"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

// Tier is the premium level a feature needs.
type Tier int

// Tiers of Entra ID.
const (
	Free Tier = iota
	P1
	P2
)

func (t Tier) String() string {
	switch t {
	case P1:
		return "Microsoft Entra ID P1"
	case P2:
		return "Microsoft Entra ID P2"
	}
	return "Microsoft Entra ID Free"
}

// PlanTier is the tier a service plan gives.
func PlanTier(id uuid.UUID) Tier {
	switch id {
	case csp.ServicePlanEntraIDP2:
		return P2
	case csp.ServicePlanEntraIDP1:
		return P1
	}
	return Free
}

// TenantTier is the best tier among the pools with units a tenant can
// still use (enabled or in warning): what unlocks a premium feature for the
// tenant as a whole (P2 includes P1).
func TenantTier(pools []Pool) Tier {
	best := Free
	for _, p := range pools {
		if p.Prepaid.Enabled+p.Prepaid.Warning == 0 {
			continue
		}
		for _, sp := range p.ServicePlans {
			best = max(best, PlanTier(sp.ID))
		}
	}
	return best
}

// UserTier is the best tier a user's own licences give, leaving out the
// plans disabled on that assignment and pools with no usable units.
func UserTier(pools []Pool, held []Assignment) Tier {
	best := Free
	for _, a := range held {
		i := slices.IndexFunc(pools, func(p Pool) bool { return p.SkuID == a.SkuID })
		if i < 0 || pools[i].Prepaid.Enabled+pools[i].Prepaid.Warning == 0 {
			continue
		}
		for _, sp := range pools[i].ServicePlans {
			if !slices.Contains(a.DisabledPlans, sp.ID) {
				best = max(best, PlanTier(sp.ID))
			}
		}
	}
	return best
}

// RequireTier refuses a feature that needs tier need when the tenant has
// only have, naming the licence to buy.
func RequireTier(feature string, need, have Tier) error {
	if have >= need {
		return nil
	}
	code := csp.ENeedsEntraP1
	suites := "Microsoft Entra ID P1, or a suite that includes it such as Microsoft 365 Business Premium, E3 or E5"
	if need == P2 {
		code = csp.ENeedsEntraP2
		suites = "Microsoft Entra ID P2, or a suite that includes it such as Microsoft 365 E5"
	}
	return csp.Errorf(code, "%s needs %s: the tenant has %s. Buy %s, then retry", feature, need, have, suites)
}
