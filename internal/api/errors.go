package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/opencsp/opencsp/internal/csp"
)

// statusOf maps each kind of refusal to Partner Center's HTTP status;
// docs/errors.md lists every code with its status.
var statusOf = map[csp.Kind]int{
	csp.KindInvalid:            http.StatusBadRequest,
	csp.KindUnauthenticated:    http.StatusUnauthorized,
	csp.KindForbidden:          http.StatusForbidden,
	csp.KindNotFound:           http.StatusNotFound,
	csp.KindConflict:           http.StatusConflict,
	csp.KindPreconditionFailed: http.StatusPreconditionFailed,
	csp.KindThrottled:          http.StatusTooManyRequests,
	csp.KindInternal:           http.StatusInternalServerError,
}

// StatusOf answers the HTTP status for a rule code.
func StatusOf(c csp.Code) int { return statusOf[c.Kind()] }

// apiFault is Partner Center's error body.
type apiFault struct {
	Code        int               `json:"code"`
	Description string            `json:"description"`
	Data        []string          `json:"data"`
	Source      string            `json:"source"`
	Attributes  map[string]string `json:"attributes"`
}

// writeError answers err in the Partner Center error shape. Internal errors
// are logged with the correlation id and never shown.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *csp.Error
	if !errors.As(err, &e) {
		slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "correlationId", w.Header().Get(hdrCorrelationID), "err", err)
		e = &csp.Error{Code: csp.EInternal, Message: csp.ErrorMessage(err)}
	}
	data := e.Data
	if data == nil {
		data = []string{}
	}
	status := StatusOf(e.Code)
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="opencsp", error="invalid_token"`)
	}
	writeJSON(w, status, apiFault{Code: int(e.Code), Description: e.Message, Data: data, Source: "OpenCSP",
		Attributes: map[string]string{"objectType": "ApiFault"}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":1000,"description":"response encoding failed","data":[],"source":"OpenCSP","attributes":{"objectType":"ApiFault"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
