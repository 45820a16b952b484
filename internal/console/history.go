package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"net/http"
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// historyPageSize is the events on one page of a subscription's history.
const historyPageSize = 200

type historyPage struct {
	layout
	Customer     *csp.Tenant
	Subscription subView
	Events       []eventView // in time order
	Totals       []string    // what this page's charges add up to, per currency
	Next         string      // the next page's URL, empty on the last page
}

// eventView is one event in plain words.
type eventView struct {
	Type    csp.EventType
	Title   string
	Date    time.Time
	Changes []string
	Charges []chargeView
}

func (h *handler) subscriptionHistory(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	id, err := customerID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sid, err := uuid.Parse(r.PathValue("sid"))
	if err != nil {
		h.fail(w, r, csp.Errorf(csp.ESubscriptionNotFound, "subscription %q was not found among this partner's subscriptions of customer %s", r.PathValue("sid"), id))
		return
	}
	wh, err := h.partnerWho(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.app.GetCustomer(ctx, p, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := h.app.GetSubscription(ctx, p, id, sid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	after, err := decodeCursor(r.URL.Query().Get("continuation"), func(c app.Cursor) bool { return c.ID != uuid.Nil })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	evs, err := h.app.SubscriptionHistory(ctx, p, id, sid, app.Page[app.Cursor]{After: after, Size: historyPageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := historyPage{layout: h.layout(s.FriendlyName+" · history", wh), Customer: c.Tenant, Subscription: subView{Subscription: s}}
	page.Events, page.Totals = historyViews(evs.Items, s.UnitPrice.Currency)
	if evs.Next != nil {
		page.Next = r.URL.Path + "?" + url.Values{"continuation": {encodeCursor(*evs.Next)}}.Encode()
	}
	h.render(w, r, http.StatusOK, "history", page)
}
