package azure

import (
	"maps"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
)

// Status is an Azure subscription's status as Partner Center's
// azureEntitlements answer it.
type Status string

// Azure subscription statuses.
const (
	StatusActive   Status = "active"
	StatusDisabled Status = "disabled"
)

// Subscription is an Azure subscription under a tenant's Azure plan with one
// partner: Partner Center's azureEntitlement (id, friendlyName, status,
// subscriptionId = the plan's id, partnerId, createdDate).
type Subscription struct {
	ID                 uuid.UUID
	TenantID           uuid.UUID
	PartnerID          uuid.UUID
	PlanSubscriptionID uuid.UUID
	FriendlyName       string
	Status             Status
	StatusSince        time.Time
	// DisabledReason says who disabled it: "" while active.
	DisabledReason DisabledReason
	CreatedAt      time.Time
	// HeldSince is when its current partner's holding began, when it came
	// by a transfer (nil: since CreatedAt); Holding is a past one.
	HeldSince *time.Time
	Version   int64
}

// DisabledReason is why an Azure subscription is disabled, which decides
// who may enable it again: the party that disabled it.
type DisabledReason string

// Disabled reasons: the partner's cancel, or Microsoft's (the operator's)
// disabling for non-payment.
const (
	DisabledByPartner  DisabledReason = "partner"
	DisabledNonPayment DisabledReason = "nonPayment"
)

// CheckNonPaymentReason applies the operator's disable rule: Microsoft
// disables an Azure subscription for nonPayment, the one reason it gives.
func CheckNonPaymentReason(reason string) (DisabledReason, error) {
	if DisabledReason(reason) != DisabledNonPayment {
		return "", csp.Errorf(csp.EAzureInvalidDisabledReason, "reason %q is not a reason Microsoft disables an Azure subscription for: use %q", reason, DisabledNonPayment)
	}
	return DisabledNonPayment, nil
}

// MaxFriendlyName bounds an Azure subscription's display name.
const MaxFriendlyName = 64

// CheckFriendlyName applies the display name rule: 1 to 64 characters,
// none of < > ; | and no control characters.
func CheckFriendlyName(name string) error {
	n := utf8.RuneCountInString(name)
	if n == 0 || n > MaxFriendlyName || strings.ContainsAny(name, "<>;|") || !every(name, func(r rune) bool { return r >= ' ' && r != 0x7f }) {
		return csp.Errorf(csp.EAzureInvalidFriendlyName, "friendlyName %q breaks the Azure subscription name rule: 1 to %d characters, none of < > ; | or control characters", name, MaxFriendlyName)
	}
	return nil
}

// CheckWritable refuses writes in a disabled subscription: it is read-only
// until re-enabled (ARM's ReadOnlyDisabledSubscription).
func (s *Subscription) CheckWritable() error {
	if s.Status == StatusDisabled {
		return csp.Errorf(csp.EAzureSubscriptionDisabled, "The subscription '%s' is disabled and therefore marked as read only. You cannot perform any write actions on this subscription until it is re-enabled.", s.ID)
	}
	return nil
}

// SetStatus moves the subscription to active or disabled at now, as party
// asks (DisabledByPartner for the partner, DisabledNonPayment for Microsoft).
// Asking for the status it has is refused. Disabling records party as the
// reason; enabling clears it, and only the party that disabled it may
// enable it: the partner cannot reactivate a subscription Microsoft
// disabled for non-payment, nor Microsoft lift a partner's cancel.
func (s *Subscription) SetStatus(to Status, party DisabledReason, now time.Time) error {
	if to != StatusActive && to != StatusDisabled {
		return csp.Errorf(csp.EAzureInvalidProperty, "status %q is not an Azure subscription status: use active or disabled", to)
	}
	if s.Status == to {
		return csp.Errorf(csp.EAzureSubscriptionStatusSame, "Azure subscription %s is already %s", s.ID, to)
	}
	if to == StatusDisabled {
		s.Status, s.StatusSince, s.DisabledReason = to, now, party
		return nil
	}
	switch by := s.disabledBy(); {
	case by == DisabledNonPayment && party != DisabledNonPayment:
		return csp.Errorf(csp.EAzureDisabledForNonPayment, "Azure subscription %s was disabled by Microsoft for non-payment: the partner cannot reactivate it. Settle the billing account's overdue invoices; Microsoft (the operator) re-enables it once they are paid", s.ID)
	case by != DisabledNonPayment && party == DisabledNonPayment:
		return csp.Errorf(csp.EAzureNotDisabledForNonPayment, "Azure subscription %s was disabled by its partner, not for non-payment: the partner reactivates it", s.ID)
	}
	s.Status, s.StatusSince, s.DisabledReason = to, now, ""
	return nil
}

// disabledBy is who disabled the subscription; a row disabled before
// reasons were stored was disabled by the partner.
func (s *Subscription) disabledBy() DisabledReason {
	if s.DisabledReason == "" {
		return DisabledByPartner
	}
	return s.DisabledReason
}

// ResourceGroup is a resource group: a named container of resources in one
// subscription, with a location for its metadata and tags.
type ResourceGroup struct {
	ID       ResourceID // at resource group scope
	Location string
	Tags     map[string]string
	Created  time.Time
}

// CheckGroup applies the rules of a resource group's PUT: its name, a
// modelled location and ARM's tag rules. It answers the group with the
// location spelled canonically.
func CheckGroup(id ResourceID, location string, tags map[string]string) (ResourceGroup, error) {
	if id.Level() != LevelResourceGroup {
		return ResourceGroup{}, csp.Errorf(csp.EAzureInvalidResourceID, "%s is not a resource group id: /subscriptions/{id}/resourceGroups/{name}", id)
	}
	if err := CheckGroupName(id.Group); err != nil {
		return ResourceGroup{}, err
	}
	region, err := CheckLocation(location)
	if err != nil {
		return ResourceGroup{}, err
	}
	if err := CheckTags(tags); err != nil {
		return ResourceGroup{}, err
	}
	return ResourceGroup{ID: id, Location: region.Name, Tags: maps.Clone(tags)}, nil
}

// Describe completes a stored usage record from its resource id and meter:
// resource group, consumed service, meter names and unit, the hour's end.
func (p *PriceList) Describe(r UsageRecord) UsageRecord {
	if id, err := ParseResourceID(r.ResourceURI); err == nil {
		r.Subscription, r.ResourceGroup, r.ConsumedService = id.Subscription, id.Group, id.Type.Namespace()
	}
	if m, ok := p.ByID(r.MeterID); ok {
		r.MeterName, r.MeterCategory, r.MeterSubCategory, r.MeterRegion, r.Unit = m.Name, m.Category, m.SubCategory, m.Region, m.Unit
	}
	if r.End.IsZero() {
		r.End = r.Start.Add(time.Hour)
	}
	return r
}
