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

// statusOf is the one table from rule code to HTTP status. Codes not listed
// here are 400 (a broken business rule); docs/errors.md lists every code.
var statusOf = map[csp.Code]int{
	csp.EInternal:               http.StatusInternalServerError,
	csp.EIdempotencyMismatch:    http.StatusConflict,
	csp.ERequestInProgress:      http.StatusConflict,
	csp.EAnswerLost:             http.StatusConflict,
	csp.EPreconditionFailed:     http.StatusPreconditionFailed,
	csp.EConcurrentChange:       http.StatusConflict,
	csp.EClockAdvancing:         http.StatusConflict,
	csp.ERateLimited:            http.StatusTooManyRequests,
	csp.EAuthThrottled:          http.StatusTooManyRequests,
	csp.EUnauthenticated:        http.StatusUnauthorized,
	csp.EKeyInvalid:             http.StatusUnauthorized,
	csp.EKeyExpired:             http.StatusUnauthorized,
	csp.EKeyRevoked:             http.StatusUnauthorized,
	csp.EForbiddenRole:          http.StatusForbidden,
	csp.EWrongAPI:               http.StatusForbidden,
	csp.EResellerCannotTransact: http.StatusForbidden,
	csp.ENotMTOOwner:            http.StatusForbidden,
	csp.ENotFound:               http.StatusNotFound,
	csp.ECustomerNotFound:       http.StatusNotFound,
	csp.EPartnerNotFound:        http.StatusNotFound,
	csp.EKeyNotFound:            http.StatusNotFound,
	csp.ETenantNotFound:         http.StatusNotFound,
	csp.EUserNotFound:           http.StatusNotFound,
	csp.EDomainNotFound:         http.StatusNotFound,
	csp.ERelationshipNotFound:   http.StatusNotFound,
	csp.EMTONotFound:            http.StatusNotFound,
	csp.ESubscriptionNotFound:   http.StatusNotFound,
	csp.EOrderNotFound:          http.StatusNotFound,
	csp.ECartNotFound:           http.StatusNotFound,
	csp.EProductNotFound:        http.StatusNotFound,
	csp.EQualificationNotFound:  http.StatusNotFound,
	csp.EMpnIDTaken:             http.StatusConflict,
	csp.EEmailTaken:             http.StatusConflict,
	csp.EDomainTaken:            http.StatusConflict,
	csp.ERelationshipExists:     http.StatusConflict,
	csp.EMTOExists:              http.StatusConflict,
	csp.ETenantInOtherMTO:       http.StatusConflict,
}

// StatusOf answers the HTTP status for a rule code.
func StatusOf(c csp.Code) int {
	if s, ok := statusOf[c]; ok {
		return s
	}
	return http.StatusBadRequest
}

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

// Codes lists every rule code with its status, for docs and tests.
func Codes() map[csp.Code]int { return statusOf }
