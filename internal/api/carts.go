package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

var cartsDoc = []openapi.Operation{
	{Method: http.MethodPost, Path: "/v1/customers/{customer-id}/carts", Tag: "Carts", Summary: "Create a cart",
		Description: "Each line is checked against the catalog and the customer; a refused line carries error.errorCode (a CartErrorCode).",
		Body:        cartBody{}, Responses: openapi.Created(cartJSON{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/carts/{cart-id}", Tag: "Carts", Summary: "Read a cart", Responses: openapi.OK(cartJSON{})},
	{Method: http.MethodPut, Path: "/v1/customers/{customer-id}/carts/{cart-id}", Tag: "Carts", Summary: "Replace a cart's lines", IfMatch: true,
		Body: cartBody{}, Responses: openapi.OK(cartJSON{})},
	{Method: http.MethodPost, Path: "/v1/customers/{customer-id}/carts/{cart-id}/checkout", Tag: "Carts", Summary: "Check a cart out into orders",
		Description: "Needs the customer's attested MCA (R-33).", IfMatch: true, Responses: openapi.Created(checkoutJSON{})},
}

type checkoutJSON struct {
	Orders      []orderJSON       `json:"orders"`
	OrderErrors []any             `json:"orderErrors"`
	Attributes  map[string]string `json:"attributes"`
}

type cartJSON struct {
	ID                    uuid.UUID         `json:"id"`
	CreationTimestamp     time.Time         `json:"creationTimestamp"`
	LastModifiedTimestamp time.Time         `json:"lastModifiedTimestamp"`
	ExpirationTimestamp   time.Time         `json:"expirationTimestamp"`
	LastModifiedUser      string            `json:"lastModifiedUser"`
	Status                string            `json:"status"`
	LineItems             []csp.CartLine    `json:"lineItems"`
	Attributes            map[string]string `json:"attributes"`
}

func cartResource(c *csp.Cart) cartJSON {
	return cartJSON{ID: c.ID, CreationTimestamp: c.CreatedAt, LastModifiedTimestamp: c.ModifiedAt, ExpirationTimestamp: c.ExpiresAt,
		LastModifiedUser: c.LastModifiedUser, Status: c.Status, LineItems: c.Lines, Attributes: attrsETag("Cart", csp.ETag(c.ID, c.Version))}
}

type cartBody struct {
	LineItems []csp.CartLine `json:"lineItems"`
}

func (s *Server) createCart(w http.ResponseWriter, r *http.Request) {
	id, err := customerID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b cartBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := s.app.CreateCart(r.Context(), principal(r), id, b.LineItems)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, cartResource(c))
}

func (s *Server) cartIDs(r *http.Request) (uuid.UUID, uuid.UUID, error) {
	id, err := customerID(r)
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	cartID, err := pathID(r, "cartId", csp.ECartNotFound, "cart")
	return id, cartID, err
}

func (s *Server) getCart(w http.ResponseWriter, r *http.Request) {
	id, cartID, err := s.cartIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	c, err := s.app.GetCart(r.Context(), principal(r), id, cartID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cartResource(c))
}

func (s *Server) putCart(w http.ResponseWriter, r *http.Request) {
	id, cartID, err := s.cartIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b cartBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := s.app.UpdateCart(r.Context(), principal(r), id, cartID, b.LineItems, ifMatch(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cartResource(c))
}

func (s *Server) checkout(w http.ResponseWriter, r *http.Request) {
	id, cartID, err := s.cartIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.app.Checkout(r.Context(), principal(r), id, cartID, ifMatch(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	orders := make([]orderJSON, len(res.Orders))
	for i, o := range res.Orders {
		if orders[i], err = orderResource(o); err != nil {
			writeError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusCreated, checkoutJSON{Orders: orders, OrderErrors: []any{}, Attributes: attrs("CartCheckoutResult")})
}
