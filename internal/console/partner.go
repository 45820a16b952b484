package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

type partnerPage struct {
	layout
	Query     string
	Customers []*csp.Tenant // as the partner records them
	Next      string        // the next page's URL, empty on the last page
}

func (h *handler) partnerHome(w http.ResponseWriter, r *http.Request, p csp.Principal) {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	after, err := decodeCursor(r.URL.Query().Get("continuation"), func(c app.CustomerCursor) bool { return c.TenantID != uuid.Nil })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	got, err := h.app.ListCustomers(ctx, p, app.CustomerQuery{Search: q}, app.Page[app.CustomerCursor]{After: after, Size: pageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	wh, err := h.partnerWho(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := partnerPage{layout: h.layout("Customers", wh), Query: q}
	for _, c := range got.Items {
		page.Customers = append(page.Customers, c.Tenant)
	}
	if got.Next != nil {
		v := url.Values{"continuation": {encodeCursor(*got.Next)}}
		if q != "" {
			v.Set("q", q)
		}
		page.Next = "/console?" + v.Encode()
	}
	h.render(w, r, http.StatusOK, "partner", page)
}
