package csp

import (
	"slices"
	"testing"
)

func TestDerivedFields(t *testing.T) {
	cat := miniCatalog() // ADD:0001 is an add-on of BASE:0001
	base := func(change func(s *Subscription)) *Subscription {
		s := &Subscription{ProductID: "BASE", SkuID: "0001", Status: StatusActive, AutoRenew: true, TermDuration: "P1Y", BillingCycle: "monthly"}
		change(s)
		return s
	}
	for _, tt := range []struct {
		name    string
		s       *Subscription
		addons  bool
		renewal string
		reasons []string
	}{
		{"active", base(func(*Subscription) {}), true, "P1Y", []string{}},
		{"scheduled to P1M", base(func(s *Subscription) { s.Scheduled = &NextTerm{TermDuration: "P1M", BillingCycle: "monthly"} }), true, "P1M", []string{}},
		{"suspended", base(func(s *Subscription) { s.Status, s.AutoRenew = StatusSuspended, false }), false, "", []string{SuspensionPartnerInitiated}},
		{"auto-renew off", base(func(s *Subscription) { s.AutoRenew = false }), true, "", []string{}},
		{"expired", base(func(s *Subscription) { s.Status = StatusExpired }), false, "", []string{}},
		{"trial", base(func(s *Subscription) { s.IsTrial = true }), false, "P1Y", []string{}},
		{"no add-on needs it", base(func(s *Subscription) { s.ProductID = "ADD" }), false, "P1Y", []string{}},
		{"usage-based", base(func(s *Subscription) { s.TermDuration = "" }), true, "", []string{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := cat.HasPurchasableAddons(tt.s); got != tt.addons {
				t.Errorf("HasPurchasableAddons = %v, want %v", got, tt.addons)
			}
			if got := tt.s.RenewalTermDuration(); got != tt.renewal {
				t.Errorf("RenewalTermDuration = %q, want %q", got, tt.renewal)
			}
			if got := tt.s.SuspensionReasons(); got == nil || !slices.Equal(got, tt.reasons) {
				t.Errorf("SuspensionReasons = %#v, want %#v", got, tt.reasons)
			}
		})
	}
}
