package console

// The partner's commerce pages: a customer with its subscriptions, the
// actions on them, a cart and the agreement; a subscription's history; the
// market catalog. And the operator's sandbox clock.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
)

// clockSteps are the durations the operator's clock form offers.
var clockSteps = []string{"P1D", "P7D", "P1M", "P1Y"}

func (h *handler) advanceClock(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	d := strings.TrimSpace(r.PostForm.Get("custom"))
	if d == "" {
		d = strings.TrimSpace(r.PostForm.Get("duration"))
	}
	res, err := h.app.AdvanceClock(r.Context(), p, d, time.Time{})
	if err != nil {
		if p.Kind != csp.PrincipalOperator {
			h.fail(w, r, err)
			return
		}
		status := statusOf(err)
		if status >= http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		h.operatorPage(w, r, p, status, operatorNotice{Error: plainMessage(err, about{}), Duration: d})
		return
	}
	http.Redirect(w, r, "/console?"+url.Values{"processed": {strconv.Itoa(res.ProcessedEvents)}}.Encode(), http.StatusSeeOther)
}
