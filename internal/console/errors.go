package console

import (
	"log/slog"
	"net/http"

	"github.com/opencsp/opencsp/internal/csp"
)

type errorPage struct {
	layout
	Heading string
	Message string
}

// fail renders err on the error page, in plain words. Internal errors are
// logged and their details never shown.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.failAbout(w, r, err, about{})
}

// failAbout is fail with what the page knows around the refusal.
func (h *handler) failAbout(w http.ResponseWriter, r *http.Request, err error, ab about) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		slog.Error("console: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	h.failStatus(w, r, status, plainMessage(err, ab))
}

// failStatus renders the error page with a status and a message.
func (h *handler) failStatus(w http.ResponseWriter, r *http.Request, status int, msg string) {
	heading := headings[status]
	if heading == "" {
		heading = "This could not be done"
	}
	h.render(w, r, status, "error", errorPage{layout: h.layout(heading, nil), Heading: heading, Message: msg})
}

// headings title the error page by its status, in words.
var headings = map[int]string{
	http.StatusBadRequest:          "This could not be done",
	http.StatusUnauthorized:        "Sign in again",
	http.StatusForbidden:           "Not allowed",
	http.StatusNotFound:            "Not found",
	http.StatusMethodNotAllowed:    "Not available",
	http.StatusConflict:            "This clashes with a change",
	http.StatusPreconditionFailed:  "Changed in the meantime",
	http.StatusTooManyRequests:     "Too many requests",
	http.StatusInternalServerError: "Something went wrong",
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
