package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// CreatePartner creates a partner (operator).
func (c *Client) CreatePartner(ctx context.Context, in NewPartner) (*Partner, error) {
	var out Partner
	_, err := c.Do(ctx, http.MethodPost, "/admin/v1/partners", in, &out, nil)
	return &out, err
}

// ListPartners reads one page of partners (operator).
func (c *Client) ListPartners(ctx context.Context, size int, token string) (*Collection[Partner], error) {
	var out Collection[Partner]
	_, err := c.Do(ctx, http.MethodGet, "/admin/v1/partners?size="+strconv.Itoa(size), nil, &out, &Request{ContinuationToken: token})
	return &out, err
}

// GetPartner reads a partner (operator).
func (c *Client) GetPartner(ctx context.Context, id uuid.UUID) (*Partner, error) {
	var out Partner
	_, err := c.Do(ctx, http.MethodGet, "/admin/v1/partners/"+id.String(), nil, &out, nil)
	return &out, err
}

// SetSalePolicy replaces a partner's sale policy (operator).
func (c *Client) SetSalePolicy(ctx context.Context, id uuid.UUID, sp SalePolicy) (*Partner, error) {
	var out Partner
	_, err := c.Do(ctx, http.MethodPut, "/admin/v1/partners/"+id.String()+"/salePolicy", sp, &out, nil)
	return &out, err
}

// CreatePartnerUser adds a user with roles to a partner and answers its key (operator).
func (c *Client) CreatePartnerUser(ctx context.Context, partnerID uuid.UUID, in NewPartnerUser) (*IssuedKey, error) {
	var out IssuedKey
	_, err := c.Do(ctx, http.MethodPost, "/admin/v1/partners/"+partnerID.String()+"/users", in, &out, nil)
	return &out, err
}

// CreateTenant creates a tenant outside any partner (operator).
func (c *Client) CreateTenant(ctx context.Context, in NewTenant) (*CreatedTenant, error) {
	var out CreatedTenant
	_, err := c.Do(ctx, http.MethodPost, "/admin/v1/tenants", in, &out, nil)
	return &out, err
}

// MintTenantKey creates a key for a tenant's user (operator).
func (c *Client) MintTenantKey(ctx context.Context, tenantID uuid.UUID, upn string) (*IssuedKey, error) {
	var out IssuedKey
	_, err := c.Do(ctx, http.MethodPost, "/admin/v1/tenants/"+tenantID.String()+"/keys", map[string]string{"userPrincipalName": upn}, &out, nil)
	return &out, err
}

// RevokeKey revokes a key (operator).
func (c *Client) RevokeKey(ctx context.Context, keyID uuid.UUID) error {
	_, err := c.Do(ctx, http.MethodDelete, "/admin/v1/keys/"+keyID.String(), nil, nil, nil)
	return err
}

// Clock reads the server's clock (operator).
func (c *Client) Clock(ctx context.Context) (*Clock, error) {
	var out Clock
	_, err := c.Do(ctx, http.MethodGet, "/admin/v1/clock", nil, &out, nil)
	return &out, err
}

// AdvanceClock moves the sandbox clock by duration (operator).
func (c *Client) AdvanceClock(ctx context.Context, duration string) (*Clock, error) {
	var out Clock
	_, err := c.Do(ctx, http.MethodPost, "/admin/v1/clock/advance", map[string]string{"duration": duration}, &out, nil)
	return &out, err
}

// CreateCustomer creates a customer (partner). opt may carry an MS-RequestId.
func (c *Client) CreateCustomer(ctx context.Context, in Customer, opt *Request) (*Customer, error) {
	var out Customer
	_, err := c.Do(ctx, http.MethodPost, "/v1/customers", in, &out, opt)
	return &out, err
}

// CustomerQuery selects customers: Q searches name, domain or tenant id;
// Filter is Partner Center's JSON filter.
type CustomerQuery struct {
	Size   int
	Q      string
	Filter string
	Token  string
}

// ListCustomers reads one page of the partner's customers.
func (c *Client) ListCustomers(ctx context.Context, q CustomerQuery) (*Collection[Customer], error) {
	v := url.Values{}
	if q.Size > 0 {
		v.Set("size", strconv.Itoa(q.Size))
	}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	if q.Filter != "" {
		v.Set("filter", q.Filter)
	}
	path := "/v1/customers"
	if len(v) > 0 {
		path += "?" + v.Encode()
	}
	var out Collection[Customer]
	_, err := c.Do(ctx, http.MethodGet, path, nil, &out, &Request{ContinuationToken: q.Token})
	return &out, err
}

// GetCustomer reads a customer (partner).
func (c *Client) GetCustomer(ctx context.Context, id string) (*Customer, error) {
	var out Customer
	_, err := c.Do(ctx, http.MethodGet, "/v1/customers/"+url.PathEscape(id), nil, &out, nil)
	return &out, err
}

// DomainTaken reports whether a default domain is used.
func (c *Client) DomainTaken(ctx context.Context, domain string) (bool, error) {
	_, err := c.Do(ctx, http.MethodGet, "/v1/domains/"+url.PathEscape(domain), nil, nil, nil)
	if e, ok := err.(*Error); ok && e.Status == http.StatusNotFound {
		return false, nil
	}
	return err == nil, err
}

// SetQualification changes a customer's segment by qualification (partner).
func (c *Client) SetQualification(ctx context.Context, id, qualification string) error {
	_, err := c.Do(ctx, http.MethodPost, "/v1/customers/"+url.PathEscape(id)+"/qualifications", map[string]string{"qualification": qualification}, nil, nil)
	return err
}

// RelationshipRequestURL answers the partner's reseller invitation link.
func (c *Client) RelationshipRequestURL(ctx context.Context) (string, error) {
	var out struct {
		URL string `json:"url"`
	}
	_, err := c.Do(ctx, http.MethodGet, "/v1/customers/relationshiprequests", nil, &out, nil)
	return out.URL, err
}

// AuditRecords reads one page of the partner's audit records.
func (c *Client) AuditRecords(ctx context.Context, startDate, endDate, token string) (*Collection[AuditRecord], error) {
	v := url.Values{"startDate": {startDate}}
	if endDate != "" {
		v.Set("endDate", endDate)
	}
	var out Collection[AuditRecord]
	_, err := c.Do(ctx, http.MethodGet, "/v1/auditrecords?"+v.Encode(), nil, &out, &Request{ContinuationToken: token})
	return &out, err
}

// TenantRelationships lists the caller's tenant's partners (customer).
func (c *Client) TenantRelationships(ctx context.Context) ([]Relationship, error) {
	var out Collection[Relationship]
	_, err := c.Do(ctx, http.MethodGet, "/tenant/v1/relationships", nil, &out, nil)
	return out.Items, err
}

// AcceptInvitation accepts a partner's reseller invitation (customer).
func (c *Client) AcceptInvitation(ctx context.Context, invitationURL string) ([]Relationship, error) {
	var out Collection[Relationship]
	_, err := c.Do(ctx, http.MethodPost, "/tenant/v1/relationships", map[string]string{"invitationUrl": invitationURL}, &out, nil)
	return out.Items, err
}

// RemovePartner ends a partner's relationship with the tenant (customer).
func (c *Client) RemovePartner(ctx context.Context, partnerID uuid.UUID) error {
	_, err := c.Do(ctx, http.MethodDelete, "/tenant/v1/relationships/"+partnerID.String(), nil, nil, nil)
	return err
}

// MultiTenantOrganization reads the tenant's organization (customer).
func (c *Client) MultiTenantOrganization(ctx context.Context) (*MultiTenantOrganization, error) {
	var out MultiTenantOrganization
	_, err := c.Do(ctx, http.MethodGet, "/tenant/v1/multiTenantOrganization", nil, &out, nil)
	return &out, err
}

// CreateMultiTenantOrganization creates the organization with the caller's tenant as owner.
func (c *Client) CreateMultiTenantOrganization(ctx context.Context, displayName string) (*MultiTenantOrganization, error) {
	var out MultiTenantOrganization
	_, err := c.Do(ctx, http.MethodPut, "/tenant/v1/multiTenantOrganization", map[string]string{"displayName": displayName}, &out, nil)
	return &out, err
}

// AddOrganizationTenant adds a member tenant (owner's admin).
func (c *Client) AddOrganizationTenant(ctx context.Context, tenantID uuid.UUID) (*MultiTenantOrganization, error) {
	var out MultiTenantOrganization
	_, err := c.Do(ctx, http.MethodPost, "/tenant/v1/multiTenantOrganization/tenants", map[string]string{"tenantId": tenantID.String()}, &out, nil)
	return &out, err
}

// JoinOrganization joins the organization of the tenant that added this one.
func (c *Client) JoinOrganization(ctx context.Context, addedBy uuid.UUID) (*MultiTenantOrganization, error) {
	var out MultiTenantOrganization
	_, err := c.Do(ctx, http.MethodPatch, "/tenant/v1/multiTenantOrganization/joinRequest", map[string]string{"addedByTenantId": addedBy.String()}, &out, nil)
	return &out, err
}

// Subscription is a subscription as the partner API shows it.
type Subscription struct {
	ID                           string     `json:"id"`
	OfferID                      string     `json:"offerId"`
	OfferName                    string     `json:"offerName"`
	FriendlyName                 string     `json:"friendlyName"`
	Quantity                     int        `json:"quantity"`
	Status                       string     `json:"status"`
	AutoRenewEnabled             bool       `json:"autoRenewEnabled"`
	TermDuration                 string     `json:"termDuration"`
	BillingCycle                 string     `json:"billingCycle"`
	CommitmentEndDate            *time.Time `json:"commitmentEndDate"`
	CommitmentEndDateTime        *time.Time `json:"commitmentEndDateTime"`
	CancellationAllowedUntilDate *time.Time `json:"cancellationAllowedUntilDate"`
	// RenewalTermDuration is empty when the subscription will not renew.
	RenewalTermDuration  string   `json:"renewalTermDuration"`
	SuspensionReasons    []string `json:"suspensionReasons"`
	HasPurchasableAddons bool     `json:"hasPurchasableAddons"`
	ContractType         string   `json:"contractType"`
	// UnitPrice is the price locked for the term, after PromotionID's
	// discount when there is one.
	UnitPrice    json.Number `json:"unitPrice"`
	CurrencyCode string      `json:"currencyCode"`
	PromotionID  string      `json:"promotionId"`
}

// Subscriptions lists every subscription of a customer (partner), page by page.
func (c *Client) Subscriptions(ctx context.Context, customerID string) ([]Subscription, error) {
	return all[Subscription](ctx, c, "/v1/customers/"+url.PathEscape(customerID)+"/subscriptions")
}

// CustomTermEndDate is a date a new term may end on (coterming).
type CustomTermEndDate struct {
	// Type is calendarMonthAligned or subscriptionAligned.
	Type string    `json:"allowedCustomTermEndDateType"`
	Date time.Time `json:"allowedCustomTermEndDate"`
	// SubscriptionIDs are the subscriptions a subscriptionAligned date
	// ends the term with.
	SubscriptionIDs []string `json:"cotermSubscriptionIds"`
}

// CustomTermEndDates lists the customTermEndDate values a term of
// termDuration (P1M, P1Y, P3Y) may take for a customer (partner): starting
// today when start is zero; target, when set, limits the subscription-aligned
// dates to that subscription's.
func (c *Client) CustomTermEndDates(ctx context.Context, customerID, termDuration string, start time.Time, target string) ([]CustomTermEndDate, error) {
	v := url.Values{"term_duration": {termDuration}}
	if !start.IsZero() {
		v.Set("term_start_date", start.Format(time.DateOnly))
	}
	if target != "" {
		v.Set("target_coterm_subscription_id", target)
	}
	return all[CustomTermEndDate](ctx, c, "/v1/customers/"+url.PathEscape(customerID)+"/subscriptions/customTermEndDates?"+v.Encode())
}

// all reads every page of a collection, following its continuation tokens.
func all[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	var items []T
	opt := &Request{}
	for {
		var page Collection[T]
		if _, err := c.Do(ctx, http.MethodGet, path, nil, &page, opt); err != nil {
			return items, err
		}
		items = append(items, page.Items...)
		next := page.Next()
		if next == "" {
			return items, nil
		}
		opt = &Request{ContinuationToken: next}
	}
}

// ChargeLine is one charge of a subscription's history.
type ChargeLine struct {
	ChargeType       string      `json:"chargeType"`
	Quantity         int         `json:"quantity"`
	BillableQuantity json.Number `json:"billableQuantity"`
	UnitPrice        json.Number `json:"unitPrice"`
	// EffectiveUnitPrice is prorated and signed (negative on credits).
	EffectiveUnitPrice json.Number `json:"effectiveUnitPrice"`
	Subtotal           json.Number `json:"subtotal"`
	Currency           string      `json:"currency"`
	ChargeStartDate    time.Time   `json:"chargeStartDate"`
	ChargeEndDate      time.Time   `json:"chargeEndDate"`
	// ReferenceID ties the lines of one change (a seat change's pair, an
	// upgrade's two subscriptions).
	ReferenceID       string   `json:"referenceId"`
	ProductQualifiers []string `json:"productQualifiers"`
}

// HistoryEvent is one event of a subscription's history.
type HistoryEvent struct {
	EventDate   time.Time      `json:"eventDate"`
	EventType   string         `json:"eventType"`
	Changes     map[string]any `json:"changes"`
	ChargeLines []ChargeLine   `json:"chargeLines"`
}

// SubscriptionHistory reads a subscription's events by its id (partner),
// page by page.
func (c *Client) SubscriptionHistory(ctx context.Context, subscriptionID string) ([]HistoryEvent, error) {
	return all[HistoryEvent](ctx, c, "/v1/subscriptions/"+url.PathEscape(subscriptionID)+"/history")
}

// ImportReconciliation posts a Partner Center reconciliation or daily rated
// usage file (CSV) to be made into customer invoices (billing roles).
func (c *Client) ImportReconciliation(ctx context.Context, file io.Reader) (*Import, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/v1/imports/reconciliation", file)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+c.Key)
	var out Import
	if _, err := c.send(req, http.MethodPost, "/v1/imports/reconciliation", &out); err != nil {
		return nil, err
	}
	return &out, nil
}
