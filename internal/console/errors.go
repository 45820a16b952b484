package console

import (
	"log/slog"
	"net/http"

	"github.com/opencsp/opencsp/internal/csp"
)

type errorPage struct {
	layout
	Status  int
	Message string
}

// fail renders err on the error page. Internal errors are logged and their
// details never shown.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	msg := csp.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		slog.Error("console: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = "Something went wrong on our side. Try again; if it keeps happening, tell the operator the time it happened."
	}
	h.failStatus(w, r, status, msg)
}

// failStatus renders the error page with a status and a message.
func (h *handler) failStatus(w http.ResponseWriter, r *http.Request, status int, msg string) {
	h.render(w, r, status, "error", errorPage{layout: h.layout(http.StatusText(status), nil), Status: status, Message: msg})
}

// statusOf is the HTTP status of the page that shows err.
func statusOf(err error) int { return pageStatus[csp.ErrorCode(err).Kind()] }

// pageStatus is the status of an error page by kind of refusal.
var pageStatus = map[csp.Kind]int{
	csp.KindInvalid:            http.StatusBadRequest,
	csp.KindUnauthenticated:    http.StatusUnauthorized,
	csp.KindForbidden:          http.StatusForbidden,
	csp.KindNotFound:           http.StatusNotFound,
	csp.KindConflict:           http.StatusConflict,
	csp.KindPreconditionFailed: http.StatusPreconditionFailed,
	csp.KindThrottled:          http.StatusTooManyRequests,
	csp.KindInternal:           http.StatusInternalServerError,
}
