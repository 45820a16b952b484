package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

func (s *Server) partnerRoutes(r chi.Router) {
	r.Post("/customers", s.createCustomer)
	r.Get("/customers", s.listCustomers)
	r.Get("/customers/relationshiprequests", s.relationshipRequest)
	r.Get("/customers/{id}", s.getCustomer)
	r.Patch("/customers/{id}", s.patchCustomer)
	r.Get("/customers/{id}/profiles/company", s.customerPart(func(c *csp.Customer) any { return companyProfile(c) }))
	r.Get("/customers/{id}/profiles/billing", s.customerPart(func(c *csp.Customer) any { return billingProfile(c) }))
	r.Put("/customers/{id}/profiles/billing", s.putBillingProfile)
	r.Get("/customers/{id}/qualifications", s.qualifications)
	r.Post("/customers/{id}/qualifications", s.setQualification)
	r.Get("/domains/{domain}", s.domain)
	r.Head("/domains/{domain}", s.domain)
	r.Get("/countryvalidationrules/{country}", s.countryRules)
	r.Post("/validations/address", s.validateAddress)
	r.Get("/auditrecords", s.auditRecords)
	s.commerceRoutes(r)
}

// createCustomerBody is Partner Center's create-customer request.
type createCustomerBody struct {
	CompanyProfile struct {
		Domain                         string `json:"domain"`
		OrganizationRegistrationNumber string `json:"organizationRegistrationNumber"`
	} `json:"companyProfile"`
	BillingProfile *struct {
		csp.BillingProfile
		DefaultAddress *csp.Address `json:"defaultAddress"`
	} `json:"billingProfile"`
	Segment             string `json:"segment"`
	AssociatedPartnerID string `json:"associatedPartnerId"`
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
	var b *struct {
		RelationshipToPartner string `json:"relationshipToPartner"`
	}
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
	var b struct {
		csp.BillingProfile
		DefaultAddress *csp.Address `json:"defaultAddress"`
		Attributes     struct {
			ETag string `json:"etag"`
		} `json:"attributes"`
	}
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

// qualificationJSON is Partner Center's CustomerQualification.
type qualificationJSON struct {
	Qualification     string            `json:"qualification"`
	VettingStatus     string            `json:"vettingStatus"`
	VettingCreateDate *time.Time        `json:"vettingCreateDate,omitempty"`
	RequestID         string            `json:"requestId,omitempty"`
	Attributes        map[string]string `json:"attributes"`
}

func qualificationInForce(c *csp.Customer) qualificationJSON {
	return qualificationJSON{Qualification: csp.QualificationFor(c.Tenant.Segment), VettingStatus: csp.VettingApproved, Attributes: attrs("CustomerQualification")}
}

func qualificationRequest(q *csp.QualificationRequest) qualificationJSON {
	return qualificationJSON{Qualification: q.Qualification, VettingStatus: q.Status, VettingCreateDate: &q.CreatedAt, RequestID: q.ID.String(),
		Attributes: attrs("CustomerQualification")}
}

// qualifications answers the qualification in force, then the partner's
// requests still in review.
func (s *Server) qualifications(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	q, err := s.app.CustomerQualifications(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := []qualificationJSON{qualificationInForce(q.Customer)}
	for _, p := range q.Pending {
		out = append(out, qualificationRequest(p))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) setQualification(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", csp.ECustomerNotFound, "customer")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b struct {
		Qualification string `json:"qualification"`
	}
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	if b.Qualification == "" {
		writeError(w, r, csp.Errorf(csp.EMissingField, "qualification is required: Education, GovernmentCommunityCloud, StateOwnedEntity, Nonprofit or None"))
		return
	}
	q, _, err := s.app.RequestQualification(r.Context(), principal(r), id, b.Qualification, ifMatch(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, qualificationRequest(q))
}

func (s *Server) relationshipRequest(w http.ResponseWriter, r *http.Request) {
	u, err := s.app.InvitationURL(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"url": u, "attributes": attrs("RelationshipRequest")})
}

// domain answers 200 when a default domain is taken and 404 when it is free.
func (s *Server) domain(w http.ResponseWriter, r *http.Request) {
	d := chi.URLParam(r, "domain")
	taken, err := s.app.DomainTaken(r.Context(), principal(r), d)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if !taken {
		writeError(w, r, csp.Errorf(csp.EDomainNotFound, "domain %s is available", d))
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) countryRules(w http.ResponseWriter, r *http.Request) {
	c := strings.ToUpper(chi.URLParam(r, "country"))
	rules, ok := csp.RulesFor(c)
	if !ok {
		writeError(w, r, csp.Errorf(csp.EUnknownCountry, "country %q is unknown: use an ISO 3166 alpha-2 code", c))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"iso2Code": rules.Country, "defaultCulture": "en-US", "isStateRequired": rules.StateRequired,
		"supportedStatesList": nonNil(rules.States), "isPostalCodeRequired": slices.Contains(rules.RequiredFields, "postalCode"),
		"postalCodeRegex": rules.PostalCodeRegex, "isCityRequired": true, "isPhoneNumberRequired": rules.PhoneRequired,
		"attributes": attrs("CountryValidationRules")})
}

func (s *Server) validateAddress(w http.ResponseWriter, r *http.Request) {
	var a csp.Address
	if err := decode(r, &a); err != nil {
		writeError(w, r, err)
		return
	}
	norm, err := csp.ValidateAddress(a)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"originalAddress": a, "suggestedAddresses": []csp.Address{norm}, "status": "Verified"})
}

func (s *Server) auditRecords(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err := parseDate("startDate", q.Get("startDate"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	to := s.app.Now(r.Context()).Add(time.Microsecond)
	if q.Get("endDate") != "" {
		if to, err = parseDate("endDate", q.Get("endDate")); err != nil {
			writeError(w, r, err)
			return
		}
		if len(q.Get("endDate")) == len(time.DateOnly) {
			to = to.AddDate(0, 0, 1) // a date-only end includes that whole day
		}
	}
	pg, err := page[app.Cursor](r, "auditrecords", 500)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.ListAudit(r.Context(), principal(r), from, to, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]auditJSON, len(got.Items))
	for i, rec := range got.Items {
		items[i] = auditResource(rec)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/auditrecords?"+url.Values{"startDate": {q.Get("startDate")}, "endDate": {q.Get("endDate")}}.Encode(),
		nextToken("auditrecords", got.Next)))
}

// parseDate accepts yyyy-mm-dd or RFC 3339.
func parseDate(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, csp.Errorf(csp.EInvalidQuery, "%s is required (yyyy-mm-dd or RFC 3339)", name)
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, csp.Errorf(csp.EInvalidQuery, "%s %q is not a date: use yyyy-mm-dd or RFC 3339", name, v)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
