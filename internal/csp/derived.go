package csp

// What a subscription resource shows that the subscription does not store.

// BaseOf reports whether s can carry seats of the add-on: an active, paid
// subscription of one of its prerequisite offers.
func (s *Subscription) BaseOf(addon *Sku) bool {
	return s.Status == StatusActive && !s.IsTrial && containsFold(addon.Prerequisites, s.OfferID())
}

// HasPurchasableAddons reports whether the catalog sells an add-on that s
// can be the base of now (Partner Center's hasPurchasableAddons).
func (c *Catalog) HasPurchasableAddons(s *Subscription) bool {
	for _, p := range c.Products {
		for i := range p.Skus {
			if sku := &p.Skus[i]; sku.IsAddon && s.BaseOf(sku) {
				return true
			}
		}
	}
	return false
}

// RenewalTermDuration is the term the next renewal takes:
// the scheduled instructions' term, else the current one; "" when the
// subscription will not renew (auto-renew off, no term, or no longer live).
func (s *Subscription) RenewalTermDuration() string {
	switch {
	case !s.AutoRenew || !s.HasTerm() || !s.Live():
		return ""
	case s.Scheduled != nil && s.Scheduled.TermDuration != "":
		return s.Scheduled.TermDuration
	}
	return s.TermDuration
}

// SuspensionPartnerInitiated is Partner Center's suspension reason for a
// suspension the partner asked for, the only kind this program makes.
const SuspensionPartnerInitiated = "PartnerInitiated"

// SuspensionReasons are why the subscription is suspended; none unless it is.
func (s *Subscription) SuspensionReasons() []string {
	if s.Status == StatusSuspended {
		return []string{SuspensionPartnerInitiated}
	}
	return []string{}
}
