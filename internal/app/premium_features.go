package app

import "github.com/opencsp/opencsp/internal/csp/directory"

// PremiumFeature is one of Entra ID's premium features as a tenant has it:
// whether its licences unlock it, and how much of it is in use.
type PremiumFeature struct {
	Name  string
	Needs string // the tier's name: Microsoft Entra ID P1
	Has   bool   // the tenant's usable licences give that tier
	InUse int    // its policies, or its eligible role assignments
}

// Features lists the premium features the program models, in the order
// of the tier they need: conditional access (P1), risk-based conditional
// access and PIM (P2).
func (s PremiumState) Features() []PremiumFeature {
	var plain, risk int
	for _, p := range s.Policies {
		if p.RiskBased() {
			risk++
		} else {
			plain++
		}
	}
	f := func(name string, needs directory.Tier, n int) PremiumFeature {
		return PremiumFeature{Name: name, Needs: needs.String(), Has: s.Tier >= needs, InUse: n}
	}
	return []PremiumFeature{
		f("Conditional access", directory.P1, plain),
		f("Risk-based conditional access", directory.P2, risk),
		f("Privileged Identity Management (eligible role assignments)", directory.P2, len(s.Eligible)),
	}
}
