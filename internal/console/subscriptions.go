package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

func (h *handler) subscriptionAction(w http.ResponseWriter, r *http.Request) {
	p, id, ok := h.customerForm(w, r)
	if !ok {
		return
	}
	sid, err := uuid.Parse(r.PathValue("sid"))
	if err != nil {
		h.fail(w, r, csp.Errorf(csp.ESubscriptionNotFound, "subscription %q was not found among this partner's subscriptions of customer %s", r.PathValue("sid"), id))
		return
	}
	f := r.PostForm
	quantity := func() (*int, error) {
		q, err := strconv.Atoi(strings.TrimSpace(f.Get("quantity")))
		if err != nil {
			return nil, csp.Errorf(csp.EInvalidField, "Quantity %q is not a number of seats: enter a whole number.", f.Get("quantity"))
		}
		return &q, nil
	}
	// Each action is one change, made as it is named: not a whole-object
	// PATCH, where what the form leaves out would count as off or deleted.
	var change csp.Change
	switch r.PathValue("action") {
	case "cancel":
		change.Status = csp.StatusDeleted
	case "suspend":
		change.Status = csp.StatusSuspended
	case "reactivate":
		change.Status = csp.StatusActive
	case "quantity":
		change.Quantity, err = quantity()
	case "autorenew":
		on := f.Get("autoRenew") == "on"
		change.AutoRenew = &on
	case "schedule":
		var q *int
		if q, err = quantity(); err == nil {
			// Only the quantity: the same SKU and term are filled in.
			change.Schedule = &csp.NextTerm{Quantity: *q}
		}
	case "unschedule":
		change.ClearSchedule = true
	default:
		h.fail(w, r, csp.Errorf(csp.ENotFound, "There is no page at %s.", r.URL.Path))
		return
	}
	if err == nil {
		_, err = h.app.ChangeSubscription(r.Context(), p, id, sid, change)
	}
	if err != nil {
		ab := about{Action: r.PathValue("action")}
		ab.Sub, _ = h.app.GetSubscription(r.Context(), p, id, sid)
		h.actionFailed(w, r, p, id, err, ab, customerView{})
		return
	}
	http.Redirect(w, r, customerURL(id, nil), http.StatusSeeOther)
}
