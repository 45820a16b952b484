package console

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

type operatorPage struct {
	layout
	Partners []*csp.Partner
	Next     string
	// The sandbox clock's form and the outcome of the last advance.
	Steps []string
	operatorNotice
}

type operatorNotice struct {
	Error     string
	Duration  string // the free text the operator gave, kept on an error
	Processed string // events processed by the advance that led here
}

func (h *handler) operatorHome(w http.ResponseWriter, r *http.Request, p csp.Principal) {
	var n operatorNotice
	if v, err := strconv.Atoi(r.URL.Query().Get("processed")); err == nil && v >= 0 {
		n.Processed = strconv.Itoa(v)
	}
	h.operatorPage(w, r, p, http.StatusOK, n)
}

func (h *handler) operatorPage(w http.ResponseWriter, r *http.Request, p csp.Principal, status int, n operatorNotice) {
	pg := app.Page[uuid.UUID]{Size: pageSize}
	if s := r.URL.Query().Get("after"); s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			h.fail(w, r, csp.Errorf(csp.EInvalidToken, "The after parameter is not a partner id. Start again from the first page."))
			return
		}
		pg.After = &id
	}
	got, err := h.app.ListPartners(r.Context(), p, pg)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := operatorPage{layout: h.layout("Partners", &who{Role: "Operator"}), Partners: got.Items, Steps: clockSteps, operatorNotice: n}
	if got.Next != nil {
		page.Next = "/console?" + url.Values{"after": {got.Next.String()}}.Encode()
	}
	h.render(w, r, status, "operator", page)
}
