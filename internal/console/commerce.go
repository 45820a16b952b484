package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

func (h *handler) routesCommerce() {
	h.mux.HandleFunc("GET /console/catalog", h.catalogPage)
	h.mux.HandleFunc("GET /console/customers/new", h.newCustomerForm)
	h.mux.HandleFunc("POST /console/customers", h.createCustomer)
	h.mux.HandleFunc("GET /console/charges", h.chargesPage)
	h.routesInvoices()
	h.routesPriceBooks()
	h.routesCustomerInvoices()
	h.mux.HandleFunc("GET /console/audit", h.auditPage)
	h.mux.HandleFunc("GET /console/customers/{id}", h.customer)
	h.mux.HandleFunc("POST /console/customers/{id}/agreement", h.recordAgreement)
	h.mux.HandleFunc("POST /console/customers/{id}/cart", h.addToCart)
	h.mux.HandleFunc("POST /console/customers/{id}/cart/remove", h.removeLine)
	h.mux.HandleFunc("POST /console/customers/{id}/checkout", h.checkout)
	h.mux.HandleFunc("GET /console/customers/{id}/subscriptions/{sid}", h.subscriptionHistory)
	h.mux.HandleFunc("POST /console/customers/{id}/subscriptions/{sid}/{action}", h.subscriptionAction)
	h.mux.HandleFunc("POST /console/clock/advance", h.advanceClock)
}

// parseForm reads a bounded form body.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return csp.Errorf(csp.EInvalidField, "The form could not be read; try again.")
	}
	return nil
}

func customerID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return uuid.Nil, csp.Errorf(csp.ECustomerNotFound, "customer %q was not found among this partner's customers", r.PathValue("id"))
	}
	return id, nil
}

// customerURL is the customer page, showing the cart when one is given.
func customerURL(id uuid.UUID, cart *uuid.UUID) string {
	u := "/console/customers/" + id.String()
	if cart != nil {
		u += "?" + url.Values{"cart": {cart.String()}}.Encode()
	}
	return u
}

// optionalID parses an optional id from a form or query; an empty value is
// nil, a malformed one answers notFound.
func optionalID(s string, notFound error) (*uuid.UUID, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return nil, notFound
	}
	return &id, nil
}
