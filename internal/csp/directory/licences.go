package directory

import (
	"cmp"
	"slices"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

// Units counts a SKU's prepaid units by state, as Graph's prepaidUnits does.
type Units struct {
	Enabled   int `json:"enabled"`
	Warning   int `json:"warning"`
	Suspended int `json:"suspended"`
	LockedOut int `json:"lockedOut"`
}

// UnitState answers the prepaid-unit state a subscription's seats are in
// (decision 76), or "" when they count nowhere: active seats (trials too)
// are enabled; an expired subscription's seats are in warning, still used
// for 30 days; a suspended one's are suspended, not usable but able
// to come back; a disabled one's are locked out, admins only, never
// coming back; pending and deleted seats are not counted.
func UnitState(s csp.Status) string {
	switch s {
	case csp.StatusActive:
		return "enabled"
	case csp.StatusExpired:
		return "warning"
	case csp.StatusSuspended:
		return "suspended"
	case csp.StatusDisabled:
		return "lockedOut"
	}
	return ""
}

// Source is one subscription adding units to a SKU's pool: which partner
// (or channel) sold it, in what state.
type Source struct {
	SubscriptionID uuid.UUID
	PartnerID      *uuid.UUID
	Channel        csp.Channel
	Quantity       int
	Status         csp.Status
	IsTrial        bool
}

// Pool is one SKU a tenant holds: Graph's subscribedSku, with the
// subscriptions behind it.
type Pool struct {
	SkuID         uuid.UUID
	SkuPartNumber string
	Title         string
	ServicePlans  []csp.ServicePlan
	Prepaid       Units
	Consumed      int
	Sources       []Source
}

// CapabilityStatus is Graph's summary of a pool: Enabled while any unit is,
// else Warning, Suspended or LockedOut by the best state left.
func (p Pool) CapabilityStatus() string {
	switch {
	case p.Prepaid.Enabled > 0:
		return "Enabled"
	case p.Prepaid.Warning > 0:
		return "Warning"
	case p.Prepaid.Suspended > 0:
		return "Suspended"
	}
	return "LockedOut"
}

// Available is how many more users may be given the SKU: enabled units not
// assigned (never below zero; Overage says by how much assignments exceed).
func (p Pool) Available() int { return max(p.Prepaid.Enabled-p.Consumed, 0) }

// Overage is how many assigned units exceed the enabled ones: after seats
// were removed or subscriptions left the enabled state, the assignments stay
// and the overage shows.
func (p Pool) Overage() int { return max(p.Consumed-p.Prepaid.Enabled, 0) }

// Pools sums the prepaid units of every subscription of a tenant (every
// partner's and channel's) by the Graph SKU of its catalog SKU, and counts
// the assigned units from consumed (Graph SKU id → users holding it). SKUs
// without a Graph id (the Azure plan, partners' own services) are not
// licences and are left out; so are SKUs the catalog no longer lists. A SKU
// still assigned to users after every subscription left stays listed, with
// no prepaid units. Pools are ordered by part number.
func Pools(c *csp.Catalog, subs []*csp.Subscription, consumed map[uuid.UUID]int) []Pool {
	bySku := map[uuid.UUID]*Pool{}
	pool := func(sku *csp.Sku) *Pool {
		p := bySku[sku.GraphSkuID]
		if p == nil {
			p = &Pool{SkuID: sku.GraphSkuID, SkuPartNumber: sku.SkuPartNumber, Title: sku.Title, ServicePlans: sku.ServicePlans}
			bySku[sku.GraphSkuID] = p
		}
		return p
	}
	for _, s := range subs {
		_, sku, ok := c.FindSku(s.ProductID + ":" + s.SkuID)
		state := UnitState(s.Status)
		if !ok || sku.GraphSkuID == uuid.Nil || state == "" {
			continue
		}
		p := pool(sku)
		if !sku.IsTrial {
			p.Title = sku.Title
		}
		switch state {
		case "enabled":
			p.Prepaid.Enabled += s.Quantity
		case "warning":
			p.Prepaid.Warning += s.Quantity
		case "suspended":
			p.Prepaid.Suspended += s.Quantity
		case "lockedOut":
			p.Prepaid.LockedOut += s.Quantity
		}
		p.Sources = append(p.Sources, Source{SubscriptionID: s.ID, PartnerID: s.PartnerID, Channel: s.Channel, Quantity: s.Quantity, Status: s.Status, IsTrial: s.IsTrial})
	}
	for id, n := range consumed {
		if p := bySku[id]; p != nil {
			p.Consumed = n
		} else if sku := GraphSku(c, id); sku != nil {
			pool(sku).Consumed = n
		}
	}
	out := make([]Pool, 0, len(bySku))
	for _, p := range bySku {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Pool) int {
		return cmp.Or(cmp.Compare(a.SkuPartNumber, b.SkuPartNumber), cmp.Compare(a.SkuID.String(), b.SkuID.String()))
	})
	return out
}

// Assignment is one licence of a user: a Graph SKU with the service plans
// turned off for that user.
type Assignment struct {
	SkuID         uuid.UUID   `json:"skuId"`
	DisabledPlans []uuid.UUID `json:"disabledPlans"`
}

// CheckAssign checks adding a licence of pool p to a user: the user needs a
// usage location, the disabled plans must be the SKU's, and a user who does
// not hold the SKU yet needs a free enabled unit. (Changing the disabled
// plans of a licence the user holds takes no unit.)
func CheckAssign(p Pool, user *csp.TenantUser, a Assignment, holds bool) error {
	if user.UsageLocation == "" {
		return csp.Errorf(csp.ENeedsUsageLocation, "License assignment cannot be done for user %s with invalid usage location: set the user's usageLocation (for example US) first", user.UserPrincipalName)
	}
	for _, d := range a.DisabledPlans {
		if !slices.ContainsFunc(p.ServicePlans, func(sp csp.ServicePlan) bool { return sp.ID == d }) {
			return csp.Errorf(csp.EInvalidDisabledPlan, "disabledPlans names service plan %s, which SKU %s (%s) does not contain: use servicePlanIds from its servicePlans", d, p.SkuPartNumber, a.SkuID)
		}
	}
	if holds {
		return nil
	}
	if p.Prepaid.Enabled == 0 {
		return csp.Errorf(csp.ESkuNotAssignable, "Subscription with SKU %s (%s) has no enabled units: its subscriptions are %s; reactivate or buy one before assigning it", a.SkuID, p.SkuPartNumber, stateWords(p))
	}
	if p.Available() == 0 {
		return csp.Errorf(csp.ENoUnitsAvailable, "Subscription with SKU %s (%s) does not have any available licenses: %d of %d enabled units are assigned; buy more seats or remove a licence first", a.SkuID, p.SkuPartNumber, p.Consumed, p.Prepaid.Enabled)
	}
	return nil
}

func stateWords(p Pool) string {
	switch {
	case p.Prepaid.Warning > 0:
		return "expired (in warning)"
	case p.Prepaid.Suspended > 0:
		return "suspended"
	case p.Prepaid.LockedOut > 0:
		return "disabled (locked out)"
	}
	return "gone"
}

// GraphSku answers the catalog SKU with Graph SKU id id (the paid one when a
// trial shares it), or nil.
func GraphSku(c *csp.Catalog, id uuid.UUID) *csp.Sku {
	var found *csp.Sku
	for i := range c.Products {
		for j := range c.Products[i].Skus {
			if s := &c.Products[i].Skus[j]; s.GraphSkuID == id && (found == nil || found.IsTrial) {
				found = s
			}
		}
	}
	return found
}
