package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

// createCustomerBody is Partner Center's create-customer request.
// Optional fields are omitempty, which the document reads as not required.
type createCustomerBody struct {
	CompanyProfile struct {
		Domain                         string `json:"domain"`
		OrganizationRegistrationNumber string `json:"organizationRegistrationNumber,omitempty"`
	} `json:"companyProfile"`
	BillingProfile *struct {
		csp.BillingProfile
		DefaultAddress *csp.Address `json:"defaultAddress"`
	} `json:"billingProfile"`
	Segment             string `json:"segment,omitempty"`
	AssociatedPartnerID string `json:"associatedPartnerId,omitempty"`
}

var customersDoc = []openapi.Operation{
	{Method: http.MethodPost, Path: "/v1/customers", Tag: "Customers", Summary: "Create a customer (a new tenant) with its admin's one-time credentials",
		Description: "companyProfile.domain is a prefix or a full onmicrosoft.com domain; the markets (R-30) and the sale policy are checked. " +
			"userCredentials.password is shown once: null in a replay of the same MS-RequestId.",
		Body: createCustomerBody{}, Responses: openapi.Created(customerJSON{})},
	{Method: http.MethodGet, Path: "/v1/customers", Tag: "Customers", Summary: "List the partner's customers", Paged: true,
		Query: []openapi.Param{{Name: "filter", Description: `Partner Center's filter, URL-encoded JSON: {"Field":"CompanyName"|"Domain","Value":"con","Operator":"starts_with"}.`},
			{Name: "q", Description: "OpenCSP: matches name or domain substrings, or a tenant id."}},
		Responses: openapi.OK(collection[customerJSON]{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}", Tag: "Customers", Summary: "Read a customer", Responses: openapi.OK(customerJSON{})},
	{Method: http.MethodPatch, Path: "/v1/customers/{customer-id}", Tag: "Customers", Summary: "End the reseller relationship", IfMatch: true,
		Description: `The one supported change is {"relationshipToPartner": "none"}; refused while the partner has live subscriptions (R-34).`,
		Body:        patchCustomerBody{}, Responses: openapi.OK(customerJSON{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/profiles/company", Tag: "Customers", Summary: "Read a customer's company profile",
		Responses: openapi.OK(companyProfileJSON{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/profiles/billing", Tag: "Customers", Summary: "Read the partner's billing profile of a customer",
		Responses: openapi.OK(billingProfileJSON{})},
	{Method: http.MethodPut, Path: "/v1/customers/{customer-id}/profiles/billing", Tag: "Customers", Summary: "Replace the partner's billing profile of a customer",
		Description: "The partner's own record: another partner of the tenant keeps its own; the country cannot change (2108). The etag comes in If-Match or attributes.etag.",
		IfMatch:     true, Body: billingProfileBody{}, Responses: openapi.OK(billingProfileJSON{})},
}

func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) {
	var b createCustomerBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	if b.BillingProfile == nil {
		writeError(w, r, csp.Errorf(csp.EMissingField, "billingProfile is required: email, culture, language, companyName and defaultAddress"))
		return
	}
	if b.BillingProfile.DefaultAddress == nil {
		writeError(w, r, csp.Errorf(csp.EMissingField, "billingProfile.defaultAddress is required: the customer's address fixes its country and tenant region"))
		return
	}
	in := app.NewCustomer{NewTenant: csp.NewTenant{CompanyName: b.BillingProfile.CompanyName, Domain: b.CompanyProfile.Domain, Segment: b.Segment,
		Address: *b.BillingProfile.DefaultAddress, BillingProfile: b.BillingProfile.BillingProfile, OrgRegNumber: b.CompanyProfile.OrganizationRegistrationNumber}}
	if b.AssociatedPartnerID != "" {
		id, err := uuid.Parse(b.AssociatedPartnerID)
		if err != nil {
			writeError(w, r, csp.Errorf(csp.EInvalidField, "associatedPartnerId %q is not a GUID", b.AssociatedPartnerID))
			return
		}
		in.AssociatedPartnerID = &id
	}
	c, err := s.app.CreateCustomer(r.Context(), principal(r), in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res := customerResource(csp.NewCustomer(*c.Tenant, c.Relationships[0]))
	if in.AssociatedPartnerID != nil {
		res.AssociatedPartnerID = in.AssociatedPartnerID.String()
	}
	replay := res
	replay.UserCredentials = &credentialsJSON{UserName: c.AdminUPN}
	res.UserCredentials = &credentialsJSON{UserName: c.AdminUPN, Password: &c.AdminPassword}
	writeJSONOnce(w, http.StatusCreated, res, replay)
}

// customerFilter is Partner Center's list filter, URL-encoded JSON.
type customerFilter struct {
	Field    string `json:"Field"`
	Value    string `json:"Value"`
	Operator string `json:"Operator"`
}

func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request) {
	pg, err := page[app.CustomerCursor](r, "customers", 40)
	if err != nil {
		writeError(w, r, err)
		return
	}
	f := app.CustomerQuery{Search: r.URL.Query().Get("q")}
	if raw := r.URL.Query().Get("filter"); raw != "" {
		var cf customerFilter
		if err := json.Unmarshal([]byte(raw), &cf); err != nil || cf.Value == "" {
			writeError(w, r, csp.Errorf(csp.EInvalidQuery, `filter must be JSON such as {"Field":"CompanyName","Value":"con","Operator":"starts_with"}`))
			return
		}
		if op := strings.ToLower(cf.Operator); op != "" && op != "starts_with" {
			writeError(w, r, csp.Errorf(csp.EInvalidQuery, "filter Operator %q is not supported: use starts_with", cf.Operator))
			return
		}
		switch strings.ToLower(cf.Field) {
		case "companyname":
			f.NamePrefix = cf.Value
		case "domain":
			f.DomainPrefix = cf.Value
		default:
			writeError(w, r, csp.Errorf(csp.EInvalidQuery, "filter Field %q is not supported: use CompanyName or Domain", cf.Field))
			return
		}
	}
	got, err := s.app.ListCustomers(r.Context(), principal(r), f, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]customerJSON, len(got.Items))
	for i, c := range got.Items {
		items[i] = customerResource(c)
	}
	q := url.Values{}
	for _, k := range []string{"size", "filter", "q"} {
		if v := r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	self := "/customers"
	if len(q) > 0 {
		self += "?" + q.Encode()
	}
	writeJSON(w, http.StatusOK, newCollection(items, self, nextToken("customers", got.Next)))
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) {
	s.customerPart(func(c *csp.Customer) any { return customerResource(c) })(w, r)
}

// customerPart answers one view of a customer of the calling partner.
func (s *Server) customerPart(view func(*csp.Customer) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
		if err != nil {
			writeError(w, r, err)
			return
		}
		c, err := s.app.GetCustomer(r.Context(), principal(r), id)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, view(c))
	}
}

// patchCustomer supports Partner Center's one customer PATCH:
// relationshipToPartner "none" ends the reseller relationship.
func (s *Server) patchCustomer(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b *patchCustomerBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	if b == nil || b.RelationshipToPartner == "" {
		writeError(w, r, csp.Errorf(csp.EEmptyPatch, `the PATCH body changes nothing: send {"relationshipToPartner": "none"} to remove the reseller relationship`))
		return
	}
	if !strings.EqualFold(b.RelationshipToPartner, "none") {
		writeError(w, r, csp.Errorf(csp.EInvalidField, `only {"relationshipToPartner": "none"} can be patched on a customer: it removes the reseller relationship`))
		return
	}
	c, err := s.app.RemoveCustomerRelationship(r.Context(), principal(r), id, ifMatch(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	res := customerResource(c)
	res.RelationshipToPartner = "none"
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) putBillingProfile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b billingProfileBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	if b.DefaultAddress == nil {
		writeError(w, r, csp.Errorf(csp.EMissingField, "defaultAddress is required"))
		return
	}
	// Partner Center's SDK sends the etag it read in the body's attributes;
	// If-Match says the same and wins.
	etag := ifMatch(r)
	if etag == "" {
		etag = b.Attributes.ETag
	}
	c, err := s.app.UpdateBillingProfile(r.Context(), principal(r), id, b.BillingProfile, *b.DefaultAddress, etag)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, billingProfile(c))
}

type patchCustomerBody struct {
	RelationshipToPartner string `json:"relationshipToPartner" enum:"none"`
}

type billingProfileBody struct {
	csp.BillingProfile
	DefaultAddress *csp.Address `json:"defaultAddress"`
	Attributes     struct {
		ETag string `json:"etag,omitempty"`
	} `json:"attributes,omitempty"`
}

// customerJSON is Partner Center's Customer resource, plus tenantRegion and
// segment (OpenCSP additions, DESIGN.md).
type customerJSON struct {
	ID                    string             `json:"id"`
	CommerceID            string             `json:"commerceId"`
	CompanyProfile        companyProfileJSON `json:"companyProfile"`
	BillingProfile        billingProfileJSON `json:"billingProfile"`
	RelationshipToPartner string             `json:"relationshipToPartner"`
	AllowDelegatedAccess  bool               `json:"allowDelegatedAccess"`
	UserCredentials       *credentialsJSON   `json:"userCredentials,omitempty"`
	CustomDomains         []string           `json:"customDomains"`
	AssociatedPartnerID   string             `json:"associatedPartnerId,omitempty"`
	TenantRegion          csp.Region         `json:"tenantRegion"`
	Segment               csp.Segment        `json:"segment"`
	Qualification         string             `json:"qualification"`
	CreatedDate           time.Time          `json:"createdDate"`
	Links                 map[string]link    `json:"links"`
	Attributes            map[string]string  `json:"attributes"`
}

type companyProfileJSON struct {
	TenantID                       string            `json:"tenantId"`
	Domain                         string            `json:"domain"`
	CompanyName                    string            `json:"companyName"`
	OrganizationRegistrationNumber string            `json:"organizationRegistrationNumber,omitempty"`
	Address                        csp.Address       `json:"address"`
	Links                          map[string]link   `json:"links"`
	Attributes                     map[string]string `json:"attributes"`
}

type billingProfileJSON struct {
	ID             string            `json:"id"`
	FirstName      string            `json:"firstName"`
	LastName       string            `json:"lastName"`
	Email          string            `json:"email"`
	Culture        string            `json:"culture"`
	Language       string            `json:"language"`
	CompanyName    string            `json:"companyName"`
	DefaultAddress csp.Address       `json:"defaultAddress"`
	Links          map[string]link   `json:"links"`
	Attributes     map[string]string `json:"attributes"`
}

// credentialsJSON is the new admin's one-time credentials: a replay of the
// request shows the password as null.
type credentialsJSON struct {
	UserName string  `json:"userName"`
	Password *string `json:"password"`
}

func companyProfile(c *csp.Customer) companyProfileJSON {
	t := c.Tenant
	return companyProfileJSON{TenantID: t.ID.String(), Domain: t.DefaultDomain(), CompanyName: t.DisplayName,
		OrganizationRegistrationNumber: t.OrgRegNumber, Address: t.Address,
		Links: selfLink("/customers/%s/profiles/company", t.ID), Attributes: attrsETag("CustomerCompanyProfile", c.ETag())}
}

func billingProfile(c *csp.Customer) billingProfileJSON {
	t := c.Tenant
	b := t.BillingProfile
	return billingProfileJSON{ID: t.CommerceID.String(), FirstName: b.FirstName, LastName: b.LastName, Email: b.Email, Culture: b.Culture,
		Language: b.Language, CompanyName: t.DisplayName, DefaultAddress: t.Address,
		Links: selfLink("/customers/%s/profiles/billing", t.ID), Attributes: attrsETag("CustomerBillingProfile", c.ETag())}
}

// customerResource is a customer as its partner sees it; its etag changes
// with every change of the tenant's facts or of the partner's profile.
func customerResource(c *csp.Customer) customerJSON {
	t := c.Tenant
	return customerJSON{ID: t.ID.String(), CommerceID: t.CommerceID.String(), CompanyProfile: companyProfile(c), BillingProfile: billingProfile(c),
		RelationshipToPartner: "reseller", CustomDomains: []string{}, TenantRegion: t.Region, Segment: t.Segment,
		Qualification: csp.QualificationFor(t.Segment), CreatedDate: t.CreatedAt,
		Links: selfLink("/customers/%s", t.ID), Attributes: attrsETag("Customer", c.ETag())}
}
