package console

// A partner creates a customer: a new tenant with its billing profile and
// address. The tenant's global administrator gets a one-time password,
// which only the answer to the form shows: it is never stored, so a
// reload (the form sent again) cannot show it a second time.

import (
	"net/http"
	"slices"
	"strings"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

type newCustomerPage struct {
	layout
	Error     string
	Form      newCustomerForm
	Countries []csp.Country // by name
	Segments  []string
	// Created is the customer the form just created, with its admin's
	// credentials; nil on the form.
	Created *createdCustomer
}

type newCustomerForm struct {
	CompanyName, Domain, Segment                                 string
	Country, AddressLine1, AddressLine2, City, State, PostalCode string
	FirstName, LastName, Email, Phone, Culture, Language         string
}

type createdCustomer struct {
	Tenant   *csp.Tenant
	UserName string
	Password string
}

// newCustomerSegments are the segments a new customer may start in.
var newCustomerSegments = []string{string(csp.SegmentCommercial), string(csp.SegmentEducation), string(csp.SegmentGovernment), string(csp.SegmentNonprofit)}

func (h *handler) newCustomerForm(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	if err := p.Can(csp.PermCustomersWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	h.showNewCustomer(w, r, p, http.StatusOK, newCustomerForm{Segment: string(csp.SegmentCommercial), Culture: "en-US", Language: "en"}, "", nil)
}

func (h *handler) showNewCustomer(w http.ResponseWriter, r *http.Request, p csp.Principal, status int, f newCustomerForm, msg string, created *createdCustomer) {
	wh, err := h.partnerWho(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if f.Country == "" {
		f.Country = "US"
	}
	countries := csp.Countries()
	slices.SortFunc(countries, func(a, b csp.Country) int { return strings.Compare(a.Name, b.Name) })
	title := "New customer"
	if created != nil {
		title = "Customer created"
	}
	h.render(w, r, status, "newcustomer", newCustomerPage{layout: h.layout(title, wh), Error: msg, Form: f,
		Countries: countries, Segments: newCustomerSegments, Created: created})
}

func (h *handler) createCustomer(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	v := func(name string) string { return strings.TrimSpace(r.PostForm.Get(name)) }
	f := newCustomerForm{CompanyName: v("companyName"), Domain: v("domain"), Segment: v("segment"),
		Country: strings.ToUpper(v("country")), AddressLine1: v("addressLine1"), AddressLine2: v("addressLine2"), City: v("city"),
		State: v("state"), PostalCode: v("postalCode"), FirstName: v("firstName"), LastName: v("lastName"), Email: v("email"),
		Phone: v("phone"), Culture: v("culture"), Language: v("language")}
	if msg := f.missing(); msg != "" {
		h.showNewCustomer(w, r, p, http.StatusBadRequest, f, msg, nil)
		return
	}
	ctx := r.Context()
	out, err := h.app.CreateCustomer(ctx, p, app.NewCustomer{NewTenant: csp.NewTenant{CompanyName: f.CompanyName, Domain: f.Domain, Segment: f.Segment,
		Address: csp.Address{Country: f.Country, AddressLine1: f.AddressLine1, AddressLine2: f.AddressLine2, City: f.City, State: f.State,
			PostalCode: f.PostalCode, FirstName: f.FirstName, LastName: f.LastName, PhoneNumber: f.Phone},
		BillingProfile: csp.BillingProfile{FirstName: f.FirstName, LastName: f.LastName, Email: f.Email, Culture: f.Culture, Language: f.Language}}})
	if err != nil {
		status := statusOf(err)
		if status >= http.StatusInternalServerError || status == http.StatusForbidden {
			h.fail(w, r, err)
			return
		}
		partner, _ := h.app.OwnPartner(ctx, p)
		h.showNewCustomer(w, r, p, status, f, plainMessage(err, about{Country: f.Country, Partner: partner}), nil)
		return
	}
	h.showNewCustomer(w, r, p, http.StatusOK, newCustomerForm{}, "", &createdCustomer{Tenant: out.Tenant, UserName: out.AdminUPN, Password: out.AdminPassword})
}

// missing names the first empty field the form needs, in words; the
// country's own address rules are the use case's.
func (f newCustomerForm) missing() string {
	for _, c := range []struct{ value, label string }{
		{f.CompanyName, "the company name"}, {f.Domain, "the domain prefix"}, {f.FirstName, "the contact's first name"},
		{f.LastName, "the contact's last name"}, {f.Email, "the contact email"}, {f.Culture, "the culture (for example en-US)"},
		{f.Language, "the language (for example en)"},
	} {
		if c.value == "" {
			return "Enter " + c.label + "."
		}
	}
	return ""
}
