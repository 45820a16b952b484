// Package transfer holds the rules of transfers between CSP partners:
// Partner Center's TransferEntity (partner-center-api.md §9), its states
// and who moves it between them (commerce-rules ), and the
// eligibility of the partners and of each line. What a completed
// transfer does to the subscriptions and their charges (R-40, C-1, C-2)
// is csp.Subscription.TransferSeats. Pure: no I/O, no clock, no random
// ids; times and ids are parameters.
package transfer

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

// Status is a transfer's status, in Partner Center's spelling (compared
// case-insensitively on input).
type Status string

// Statuses. Active, InProgress, Completed, Expired and Failed are
// Partner Center's; Cancelled is DESIGN's; Declined (the source's answer)
// and Rejected (the customer's) are this program's names for ends Partner
// Center reaches by deleting the request.
const (
	StatusActive     Status = "Active"     // created by the target: the source may add lines and submit; the target may cancel
	StatusInProgress Status = "InProgress" // submitted, waiting for the source's approval (its review policy)
	StatusCompleted  Status = "Completed"  // the lines moved to the target
	StatusExpired    Status = "Expired"    // not completed within ExpiryDays of its creation
	StatusFailed     Status = "Failed"     // a line was no longer eligible when the transfer was to complete
	StatusCancelled  Status = "Cancelled"  // cancelled by the target while Active
	StatusDeclined   Status = "Declined"   // declined by the source
	StatusRejected   Status = "Rejected"   // rejected by the customer
)

// Open reports whether the status still moves (Active or InProgress).
func (s Status) Open() bool { return s == StatusActive || s == StatusInProgress }

// Type is Partner Center's transferType.
type Type int

// Transfer types.
const (
	TypeModernAzure Type = 3 // the Azure plan's Azure subscriptions
	TypeNewCommerce Type = 5 // new-commerce licence subscriptions
)

// Policy is a partner's outgoing transfer policy (DESIGN "Partner API").
type Policy string

// Policies.
const (
	PolicyAutomatic Policy = "automatic" // a submitted transfer completes at once (the default)
	PolicyReview    Policy = "review"    // a submitted transfer waits for the source's approve
)

// ParsePolicy checks an outgoing policy value.
func ParsePolicy(s string) (Policy, error) {
	switch p := Policy(strings.ToLower(strings.TrimSpace(s))); p {
	case PolicyAutomatic, PolicyReview:
		return p, nil
	}
	return "", csp.Errorf(csp.ETransferPolicy, "outgoing %q is not a transfer policy: use automatic (a submitted transfer completes at once) or review (it waits for your POST .../approve)", s)
}

// Limits (R-38, both uncertain in the reference).
const (
	ExpiryDays = 30 // a transfer not completed 30 days after its creation expires
	MaxLines   = 25 // line items one transfer carries
)

// ProductTypes are the values of targetProductTypes Partner Center lists.
var ProductTypes = []string{"AzureSubscription", "AzureReservation", "AzureSavingsPlan", "OnlineServicesNCE", "Software", "SaaS"}

// Transfer is a TransferEntity: a request by the target partner to move
// subscriptions of one customer from the source partner.
type Transfer struct {
	ID                   uuid.UUID
	CustomerTenantID     uuid.UUID
	CustomerName         string
	CustomerEmailID      string
	SourcePartnerID      uuid.UUID
	SourcePartnerName    string
	TargetPartnerID      uuid.UUID
	TargetPartnerName    string
	TargetPartnerEmailID string
	PartnerOnRecord      string   // an indirect reseller's MPN id, when the target is its provider
	TargetProductTypes   []string // nil: every type
	Type                 Type
	Status               Status
	CreatedAt            time.Time
	ModifiedAt           time.Time
	ModifiedBy           string // lastModifiedUser
	CompletedAt          *time.Time
	ExpiresAt            time.Time
	Lines                []Line
	// Version counts the transfer's changes (its etag).
	Version int64
}

// Line is a TransferLineItem: a subscription of the source and how many of
// its seats move (fewer than all: a partial transfer).
type Line struct {
	ID             int       `json:"id"`
	SubscriptionID uuid.UUID `json:"subscriptionId"`
	Quantity       int       `json:"quantity"`
	// Copied from the subscription when the line is added.
	OfferID       string `json:"offerId"`
	SkuID         string `json:"skuId"`
	SkuName       string `json:"skuName"`
	CatalogItemID string `json:"catalogItemId"`
	BillingCycle  string `json:"billingCycle"`
	TermDuration  string `json:"termDuration"`
	FriendlyName  string `json:"friendlyName"`
	// Set when the transfer completes or fails.
	Status               string     `json:"status,omitempty"`
	TargetSubscriptionID *uuid.UUID `json:"transferTargetSubscriptionId,omitempty"`
	TransferredCount     int        `json:"transferredCount,omitempty"`
	Error                string     `json:"transferError,omitempty"`
}

// Line statuses.
const (
	LineCompleted = "Completed"
	LineFailed    = "Failed"
)

// Request is the create body as the target sends it.
type Request struct {
	SourcePartnerID      uuid.UUID
	CustomerEmailID      string
	CustomerName         string
	TargetPartnerEmailID string
	PartnerOnRecord      string
	TargetProductTypes   []string
	Type                 Type // 0: TypeNewCommerce
}

// Check validates the request's own fields (the parties are
// CheckParties').
func (r *Request) Check() error {
	if r.SourcePartnerID == uuid.Nil {
		return csp.Errorf(csp.ETransferSourceRequired, "sourcePartnerTenantId is required: the target partner names the partner tenant id the subscriptions come from (commerce rule R-37)")
	}
	if !validEmail(r.CustomerEmailID) {
		return csp.Errorf(csp.ETransferCustomerEmail, "customerEmailId %q is not an email address: name the customer's contact for the transfer (required)", r.CustomerEmailID)
	}
	if r.TargetPartnerEmailID != "" && !validEmail(r.TargetPartnerEmailID) {
		return csp.Errorf(csp.ETransferCustomerEmail, "targetPartnerEmailId %q is not an email address", r.TargetPartnerEmailID)
	}
	switch r.Type {
	case 0:
		r.Type = TypeNewCommerce
	case TypeNewCommerce, TypeModernAzure:
	default:
		return csp.Errorf(csp.ETransferType, "transferType %d is not a transfer type: use 5 (NewCommerce, licence subscriptions) or 3 (ModernAzure, the Azure plan's Azure subscriptions)", r.Type)
	}
	for _, pt := range r.TargetProductTypes {
		if !slices.Contains(ProductTypes, pt) {
			return csp.Errorf(csp.ETransferProductType, "targetProductTypes: %q is not a product type; use %s (or leave it null for every type)", pt, strings.Join(ProductTypes, ", "))
		}
	}
	if want := r.Type.ProductType(); len(r.TargetProductTypes) > 0 && !slices.Contains(r.TargetProductTypes, want) {
		return csp.Errorf(csp.ETransferTypeProducts, "targetProductTypes %s does not name %s, the product type transferType %d moves: add it, leave targetProductTypes null, or use the other transferType (3 ModernAzure: AzureSubscription, 5 NewCommerce: OnlineServicesNCE)",
			strings.Join(r.TargetProductTypes, ", "), want, r.Type)
	}
	return nil
}

// ProductType is the targetProductTypes value of what the type moves.
func (t Type) ProductType() string {
	if t == TypeModernAzure {
		return "AzureSubscription"
	}
	return "OnlineServicesNCE"
}

func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " <>\t") && len(s) <= 254
}

// New is a transfer the target creates at now (status Active, expiring
// ExpiryDays later). r must have passed Check.
func New(id uuid.UUID, r Request, customer *csp.Tenant, source, target *csp.Partner, by string, now time.Time) *Transfer {
	return &Transfer{ID: id, CustomerTenantID: customer.ID, CustomerName: firstOf(r.CustomerName, customer.DisplayName), CustomerEmailID: r.CustomerEmailID,
		SourcePartnerID: source.ID, SourcePartnerName: source.Name, TargetPartnerID: target.ID, TargetPartnerName: target.Name,
		TargetPartnerEmailID: r.TargetPartnerEmailID, PartnerOnRecord: r.PartnerOnRecord, TargetProductTypes: r.TargetProductTypes, Type: r.Type,
		Status: StatusActive, CreatedAt: now, ModifiedAt: now, ModifiedBy: by, ExpiresAt: now.AddDate(0, 0, ExpiryDays), Lines: []Line{}}
}

func firstOf(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return strings.TrimSpace(a)
	}
	return b
}

// Due is when the transfer's job falls due: its expiry while it is open,
// nil after.
func (t *Transfer) Due() *time.Time {
	if !t.Status.Open() {
		return nil
	}
	at := t.ExpiresAt
	return &at
}

// ETag is the transfer's etag (If-Match).
func (t *Transfer) ETag() string { return csp.ETag(t.ID, t.Version) }

// Side is a partner's part in a transfer.
type Side int

// Sides.
const (
	SideNone Side = iota
	SideSource
	SideTarget
)

// SideOf answers the partner's part in the transfer.
func (t *Transfer) SideOf(partnerID uuid.UUID) Side {
	switch partnerID {
	case t.SourcePartnerID:
		return SideSource
	case t.TargetPartnerID:
		return SideTarget
	}
	return SideNone
}
