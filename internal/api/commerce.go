package api

import (
	"context"
	"net/http"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

func (s *Server) commerceRoutes(r interface {
	Get(string, http.HandlerFunc)
	Post(string, http.HandlerFunc)
	Put(string, http.HandlerFunc)
	Patch(string, http.HandlerFunc)
}) {
	r.Get("/products", s.listProducts)
	r.Post("/products", s.addPartnerService)
	r.Get("/products/{productId}", s.listProducts)
	r.Get("/products/{productId}/skus", s.listSkus)
	r.Get("/products/{productId}/skus/{skuId}", s.listSkus)
	r.Get("/products/{productId}/skus/{skuId}/availabilities", s.listAvailabilities)
	r.Get("/products/{productId}/skus/{skuId}/availabilities/{availabilityId}", s.listAvailabilities)
	r.Get("/agreements", s.agreementTemplates)
	r.Get("/customers/{id}/agreements", s.listAgreements)
	r.Post("/customers/{id}/agreements", s.createAgreement)
	r.Post("/customers/{id}/carts", s.createCart)
	r.Get("/customers/{id}/carts/{cartId}", s.getCart)
	r.Put("/customers/{id}/carts/{cartId}", s.putCart)
	r.Post("/customers/{id}/carts/{cartId}/checkout", s.checkout)
	r.Get("/customers/{id}/orders", s.listOrders)
	r.Get("/customers/{id}/orders/{orderId}", s.getOrder)
	r.Get("/customers/{id}/subscriptions", s.listSubscriptions)
	r.Get("/customers/{id}/subscriptions/customtermenddates", s.customTermEndDates)
	r.Get("/customers/{id}/subscriptions/{subscriptionId}", s.getSubscription)
	r.Patch("/customers/{id}/subscriptions/{subscriptionId}", s.patchSubscription)
	r.Get("/customers/{id}/subscriptions/{subscriptionId}/history", s.subscriptionHistory)
	r.Get("/customers/{id}/subscriptions/{subscriptionId}/transitioneligibilities", s.transitionEligibilities)
	r.Get("/customers/{id}/subscriptions/{subscriptionId}/transitions", s.listTransitions)
	r.Post("/customers/{id}/subscriptions/{subscriptionId}/transitions", s.postTransition)
	r.Get("/subscriptions/{subscriptionId}/history", s.subscriptionHistory)
	r.Get("/invoices/unbilled/lineitems", s.unbilledLineItems)
	s.billingRoutes(r)
	s.priceBookRoutes(r)
	r.Post("/imports/reconciliation", s.importReconciliation)
}

func customerID(r *http.Request) (uuid.UUID, error) {
	return pathID(r, "id", csp.ECustomerNotFound, "customer")
}

// listOfCustomer answers a page of a customer's collection: what list reads
// for the customer in the path, each item rendered by resource.
func listOfCustomer[T, J, C any](w http.ResponseWriter, r *http.Request, name string,
	list func(context.Context, csp.Principal, uuid.UUID, app.Page[C]) (app.Paged[T, C], error), resource func(T) (J, error)) {
	id, err := customerID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	kind := name + ":" + id.String()
	pg, err := page[C](r, kind, app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := list(r.Context(), principal(r), id, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]J, len(got.Items))
	for i, v := range got.Items {
		if items[i], err = resource(v); err != nil {
			writeError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/customers/"+id.String()+"/"+name, nextToken(kind, got.Next)))
}

// infallible adapts a rendering that cannot fail to listOfCustomer.
func infallible[T, J any](f func(T) J) func(T) (J, error) {
	return func(v T) (J, error) { return f(v), nil }
}
