package csp

import (
	"time"

	"github.com/google/uuid"
)

// Agreement is a customer's attested Microsoft Customer Agreement.
type Agreement struct {
	ID        uuid.UUID `json:"id"`
	TenantID  uuid.UUID `json:"tenantId"`
	PartnerID uuid.UUID `json:"partnerId"`
	// UserID is the partner user who recorded it (nil for records from
	// before it was kept).
	UserID     *uuid.UUID `json:"userId,omitempty"`
	Type       string     `json:"type"`
	TemplateID string     `json:"templateId"`
	DateAgreed time.Time  `json:"dateAgreed"`
	Contact    Contact    `json:"primaryContact"`
	CreatedAt  time.Time  `json:"createdAt"`
}

// Contact is the person who accepted an agreement.
type Contact struct {
	FirstName   string `json:"firstName"`
	LastName    string `json:"lastName"`
	Email       string `json:"email"`
	PhoneNumber string `json:"phoneNumber,omitempty"`
}

// AgreementMCA is the Microsoft Customer Agreement's type name.
const AgreementMCA = "MicrosoftCustomerAgreement"

// MCATemplateID is the template id this program publishes for the MCA at
// GET /v1/agreements.
const MCATemplateID = "117a1e36-a1e6-4f0f-9e8b-0f7d33b7f3f6"

// CartLine is one line of a cart, as Partner Center's CartLineItem.
type CartLine struct {
	ID                  int               `json:"id"`
	CatalogItemID       string            `json:"catalogItemId"`
	FriendlyName        string            `json:"friendlyName,omitempty"`
	Quantity            int               `json:"quantity"`
	CurrencyCode        string            `json:"currencyCode,omitempty"`
	BillingCycle        string            `json:"billingCycle"`
	TermDuration        string            `json:"termDuration,omitempty"`
	ProvisioningContext map[string]string `json:"provisioningContext,omitempty"`
	Participants        []Participant     `json:"participants,omitempty"`
	CustomTermEndDate   *time.Time        `json:"customTermEndDate,omitempty"`
	PromotionID         string            `json:"promotionId,omitempty"`
	OrderGroup          string            `json:"orderGroup,omitempty"`
	Error               *CartLineError    `json:"error,omitempty"`
}

// Participant names a partner on an order line, such as the indirect
// reseller of record (key "transaction" or "partnerOnRecord").
type Participant struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// CartLineError is Partner Center's CartError on a line.
type CartLineError struct {
	ErrorCode        string `json:"errorCode"`
	ErrorDescription string `json:"errorDescription"`
}

// Cart statuses.
const (
	CartActive  = "Active"
	CartOrdered = "Ordered"
	CartExpired = "Expired"
)

// CartLifetime is how long a cart can be checked out (Partner Center: 7 days).
const CartLifetime = 7 * 24 * time.Hour

// Cart is a partner's basket for one customer.
type Cart struct {
	ID               uuid.UUID
	TenantID         uuid.UUID
	PartnerID        uuid.UUID
	Status           string
	Lines            []CartLine
	LastModifiedUser string
	CreatedAt        time.Time
	ModifiedAt       time.Time
	ExpiresAt        time.Time
	// Version counts the cart's changes (its etag).
	Version int64
}

// Order status and transaction type (Partner Center's values).
const (
	OrderCompleted    = "completed"
	OrderUserPurchase = "UserPurchase"
)

// Order is what a checkout made: lines of one billing cycle and currency.
type Order struct {
	ID              uuid.UUID
	TenantID        uuid.UUID
	PartnerID       uuid.UUID
	ResellerMpnID   string
	Currency        string
	BillingCycle    string
	Status          string // completed
	TransactionType string // UserPurchase
	Lines           []OrderLine
	CreatedAt       time.Time
}

// OrderLine is one order line and the subscription it provisioned.
type OrderLine struct {
	LineNumber        int        `json:"lineItemNumber"`
	OfferID           string     `json:"offerId"` // catalogItemId
	SubscriptionID    uuid.UUID  `json:"subscriptionId"`
	TermDuration      string     `json:"termDuration"`
	BillingCycle      string     `json:"billingCycle"`
	FriendlyName      string     `json:"friendlyName"`
	Quantity          int        `json:"quantity"`
	PartnerIDOnRecord string     `json:"partnerIdOnRecord,omitempty"`
	CustomTermEndDate *time.Time `json:"customTermEndDate,omitempty"`
	ListPrice         Money      `json:"listPrice"`
	// PromotionID and DiscountedPrice are the promotion the line got and
	// its price per unit and billing period; nil without one.
	PromotionID     string `json:"promotionId,omitempty"`
	DiscountedPrice *Money `json:"discountedPrice,omitempty"`
	// ProratedPrice is what the first period costs (the `new` charge).
	ProratedPrice Money `json:"proratedPrice"`
}

// Total is the sum of the order's first charges, in the order's currency.
func (o *Order) Total() (Money, error) {
	ms := make([]Money, len(o.Lines))
	for i, l := range o.Lines {
		ms[i] = l.ProratedPrice
	}
	return Sum(o.Currency, ms...)
}
