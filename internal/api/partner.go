package api

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

func (s *Server) partnerRoutes(r chi.Router) {
	r.Post("/customers", s.createCustomer)
	r.Get("/customers", s.listCustomers)
	r.Get("/customers/relationshiprequests", s.relationshipRequest)
	r.Get("/customers/{id}", s.getCustomer)
	r.Patch("/customers/{id}", s.patchCustomer)
	s.customerUserRoutes(r)
	s.azurePlanRoutes(r)
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
	s.transferRoutes(r)
}

var partnerDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/customers/relationshiprequests", Tag: "Customers", Summary: "The partner's reseller invitation link",
		Responses: openapi.OK(invitationJSON{})},
	{Method: http.MethodGet, Path: "/v1/domains/{domain}", Tag: "Validation", Summary: "Whether a default domain is taken",
		Responses: []openapi.Response{{Status: http.StatusOK, Description: "Taken; 404 (1206) when it is available."}}},
	{Method: http.MethodHead, Path: "/v1/domains/{domain}", Tag: "Validation", Summary: "Whether a default domain is taken, without a body",
		Responses: []openapi.Response{{Status: http.StatusOK, Description: "Taken; 404 when it is available."}}},
	{Method: http.MethodGet, Path: "/v1/countryvalidationrules/{country}", Tag: "Validation", Summary: "The address rules of a country",
		Responses: openapi.OK(countryRulesJSON{})},
	{Method: http.MethodPost, Path: "/v1/validations/address", Tag: "Validation", Summary: "Check an address by the rules the create call applies",
		Body: csp.Address{}, Responses: openapi.OK(addressValidationJSON{})},
}

type invitationJSON struct {
	URL        string            `json:"url"`
	Attributes map[string]string `json:"attributes"`
}

type countryRulesJSON struct {
	Iso2Code              string            `json:"iso2Code"`
	DefaultCulture        string            `json:"defaultCulture"`
	IsStateRequired       bool              `json:"isStateRequired"`
	SupportedStatesList   []string          `json:"supportedStatesList"`
	IsPostalCodeRequired  bool              `json:"isPostalCodeRequired"`
	PostalCodeRegex       string            `json:"postalCodeRegex"`
	IsCityRequired        bool              `json:"isCityRequired"`
	IsPhoneNumberRequired bool              `json:"isPhoneNumberRequired"`
	Attributes            map[string]string `json:"attributes"`
}

type addressValidationJSON struct {
	OriginalAddress    csp.Address   `json:"originalAddress"`
	SuggestedAddresses []csp.Address `json:"suggestedAddresses"`
	Status             string        `json:"status"`
}

func (s *Server) relationshipRequest(w http.ResponseWriter, r *http.Request) {
	u, err := s.app.InvitationURL(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, invitationJSON{URL: u, Attributes: attrs("RelationshipRequest")})
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
	writeJSON(w, http.StatusOK, countryRulesJSON{Iso2Code: rules.Country, DefaultCulture: "en-US", IsStateRequired: rules.StateRequired,
		SupportedStatesList: nonNil(rules.States), IsPostalCodeRequired: slices.Contains(rules.RequiredFields, "postalCode"),
		PostalCodeRegex: rules.PostalCodeRegex, IsCityRequired: true, IsPhoneNumberRequired: rules.PhoneRequired,
		Attributes: attrs("CountryValidationRules")})
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
	writeJSON(w, http.StatusOK, addressValidationJSON{OriginalAddress: a, SuggestedAddresses: []csp.Address{norm}, Status: "Verified"})
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
