package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

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
	Next         string      // the next page's URL, empty on the last page
}

type eventView struct {
	*csp.Event
	Changes []string
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
	for _, ev := range evs.Items {
		page.Events = append(page.Events, eventView{Event: ev, Changes: formatChanges(ev.Changes)})
	}
	if evs.Next != nil {
		page.Next = r.URL.Path + "?" + url.Values{"continuation": {encodeCursor(*evs.Next)}}.Encode()
	}
	h.render(w, r, http.StatusOK, "history", page)
}

// formatChanges describes an event's changes, one "key: value" per entry,
// by key.
func formatChanges(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + ": " + formatValue(m[k])
	}
	return out
}

func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "none"
	case string:
		if x == "" {
			return "none"
		}
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "on"
		}
		return "off"
	case []any:
		if len(x) == 2 {
			return formatValue(x[0]) + " → " + formatValue(x[1])
		}
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatValue(e)
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k, e := range x {
			if e != nil && e != "" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + formatValue(x[k])
		}
		return strings.Join(parts, " ")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
