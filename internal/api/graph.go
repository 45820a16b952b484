package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// Microsoft's own APIs keep Microsoft's conventions: the token endpoint
// answers OAuth's errors, Graph (/graph/v1.0) answers
// {error: {code, message, innerError}} with Graph's string codes and
// collections {value, @odata.nextLink}. Each error also names OpenCSP's
// stable numeric code in innerError.opencspCode (docs/errors.md).

// graphBase is the Graph root the answers' @odata links name.
const graphBase = "https://graph.microsoft.com/v1.0"

// tokenPath matches /{tenant}/oauth2/v2.0/token.
var tokenPath = regexp.MustCompile(`^/[^/]+/oauth2/v2\.0/token$`)

// isGraphPath reports whether the lower-cased path p is Microsoft's: the
// token endpoint, Graph, or GDAP's Graph API answered under /v1.0 for
// partner user keys (graph_gdap.go).
func isGraphPath(p string) bool {
	return strings.HasPrefix(p, "/graph/") || strings.HasPrefix(p, gdapKeyPrefix+"/") || p == gdapKeyPrefix || tokenPath.MatchString(p)
}

// graphRouter serves the token endpoint and Graph.
func (s *Server) graphRouter() *chi.Mux {
	r := chi.NewRouter()
	r.Use(s.correlation, checkGraphRequest)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeGraphError(w, r, csp.Errorf(csp.ENotFound, "Resource not found for the segment in %s %s: see docs/graph.md for the Graph paths this server answers", r.Method, r.URL.Path))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeGraphError(w, r, csp.Errorf(csp.ENotFound, "%s is not supported on %s", r.Method, r.URL.Path))
	})
	r.Post("/{tenant}/oauth2/v2.0/token", s.issueToken)
	r.Route("/graph/v1.0", func(r chi.Router) {
		r.Use(s.tokenAuth(app.AudienceGraph, writeGraphError), s.throttle(writeGraphError))
		s.graphDirectoryRoutes(r)
		s.graphPremiumRoutes(r)
		s.graphGDAPRoutes(r)
	})
	// GDAP's Graph API, for a partner user's key: the same routes, shapes
	// and errors (DESIGN.md "Partner API").
	r.Route(gdapKeyPrefix, func(r chi.Router) {
		r.Use(s.authenticateWith(csp.PrincipalPartner, writeGraphError), s.throttle(writeGraphError))
		s.graphGDAPRoutes(r)
	})
	return r
}

// checkGraphRequest is checkRequest answering in Graph's shape.
func checkGraphRequest(next http.Handler) http.Handler {
	return checkRequest(next, writeGraphError)
}

// tokenAuth resolves a tenant-scoped bearer token of audience.
func (s *Server) tokenAuth(audience string, fail func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			p, err := s.app.TokenPrincipal(r.Context(), strings.TrimSpace(bearer), audience, clientAddress(r))
			if err != nil {
				fail(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
		})
	}
}

// graphCodes are Graph's error codes for OpenCSP's kinds of refusal;
// graphCodeOf names the exceptions.
var graphCodes = map[csp.Kind]string{
	csp.KindInvalid:            "Request_BadRequest",
	csp.KindUnauthenticated:    "InvalidAuthenticationToken",
	csp.KindForbidden:          "Authorization_RequestDenied",
	csp.KindNotFound:           "Request_ResourceNotFound",
	csp.KindConflict:           "Request_Conflict",
	csp.KindPreconditionFailed: "PreconditionFailed",
	csp.KindThrottled:          "TooManyRequests",
	csp.KindInternal:           "InternalServerError",
}

// graphStatusOf names the codes whose Graph status differs from Partner
// Center's: Graph answers a duplicate with 400.
var graphStatusOf = map[csp.Code]int{csp.EUPNTaken: http.StatusBadRequest, csp.EMemberExists: http.StatusBadRequest}

var graphCodeOf = map[csp.Code]string{
	csp.ETokenExpired: "InvalidAuthenticationToken", csp.EUPNTaken: "Request_BadRequest", csp.EMemberExists: "Request_BadRequest",
	csp.ENeedsEntraP1: "Request_BadRequest", csp.ENeedsEntraP2: "Request_BadRequest",
}

// GraphStatusOf answers the HTTP status Graph gives a code.
func GraphStatusOf(c csp.Code) int {
	if st, ok := graphStatusOf[c]; ok {
		return st
	}
	return StatusOf(c)
}

type graphInnerError struct {
	Date            string `json:"date"`
	RequestID       string `json:"request-id"`
	ClientRequestID string `json:"client-request-id"`
	OpenCSPCode     int    `json:"opencspCode"`
}

type graphErrorBody struct {
	Error struct {
		Code       string          `json:"code"`
		Message    string          `json:"message"`
		InnerError graphInnerError `json:"innerError"`
	} `json:"error"`
}

// writeGraphError answers err in Graph's (and ARM's) error shape.
func writeGraphError(w http.ResponseWriter, r *http.Request, err error) {
	var e *csp.Error
	if !errors.As(err, &e) {
		slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "correlationId", w.Header().Get(hdrCorrelationID), "err", err)
		e = &csp.Error{Code: csp.EInternal, Message: csp.ErrorMessage(err)}
	}
	var b graphErrorBody
	b.Error.Code = graphCodeOf[e.Code]
	if b.Error.Code == "" {
		b.Error.Code = graphCodes[e.Code.Kind()]
	}
	b.Error.Message = e.Message
	b.Error.InnerError = graphInnerError{Date: time.Now().UTC().Format("2006-01-02T15:04:05"), RequestID: w.Header().Get(hdrRequestID),
		ClientRequestID: r.Header.Get("client-request-id"), OpenCSPCode: int(e.Code)}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
	}
	status := GraphStatusOf(e.Code)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"`)
	}
	writeJSON(w, status, b)
}

// graphCollection is Graph's collection: one page and the link to the next.
type graphCollection[T any] struct {
	Context  string `json:"@odata.context"`
	Value    []T    `json:"value"`
	NextLink string `json:"@odata.nextLink,omitempty"`
}

func newGraphCollection[T any](entity string, items []T, next string) graphCollection[T] {
	if items == nil {
		items = []T{}
	}
	return graphCollection[T]{Context: graphBase + "/$metadata#" + entity, Value: items, NextLink: next}
}

// graphPage reads Graph's $top (default def, at most app.MaxPageSize) and
// $skiptoken (a cursor of listing kind).
func graphPage[C any](r *http.Request, kind string, def int) (app.Page[C], error) {
	pg := app.Page[C]{Size: def}
	if top := r.URL.Query().Get("$top"); top != "" {
		n, err := strconv.Atoi(top)
		if err != nil || n < 1 {
			return pg, csp.Errorf(csp.EInvalidQuery, "Invalid page size specified: $top %q must be a whole number from 1", top)
		}
		pg.Size = min(n, app.MaxPageSize)
	}
	if raw := r.URL.Query().Get("$skiptoken"); raw != "" {
		r2 := r.Clone(r.Context())
		r2.Header.Set(hdrContinuation, raw)
		after, err := readToken[C](r2, kind)
		if err != nil {
			return pg, csp.Errorf(csp.EInvalidToken, "$skiptoken is not valid for this listing: start again without it")
		}
		pg.After = after
	}
	return pg, nil
}

// graphNextLink is the @odata.nextLink of a page whose next cursor is next.
func graphNextLink[C any](r *http.Request, kind string, size int, next *C) string {
	if next == nil {
		return ""
	}
	path := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/graph"), "/v1.0")
	return graphBase + path + "?$top=" + strconv.Itoa(size) + "&$skiptoken=" + encodeToken(kind, *next)
}

// graphDecode decodes a Graph body.
func graphDecode(r *http.Request, v any) error { return decode(r, v) }

// graphID parses a GUID path parameter, answering Graph's not-found.
func graphID(r *http.Request, name, what string) (uuid.UUID, error) {
	raw := chi.URLParam(r, name)
	id, err := uuid.Parse(raw)
	if err != nil {
		return uuid.Nil, csp.Errorf(csp.ENotFound, "Resource '%s' does not exist or one of its queried reference-property objects are not present (%s ids are GUIDs)", raw, what)
	}
	return id, nil
}

// graphHandler adapts a handler that answers an error to Graph's shape.
func graphHandler(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			writeGraphError(w, r, err)
		}
	}
}

// actingTenant is the tenant the token acts in.
func actingTenant(r *http.Request) uuid.UUID { return principal(r).ActingIn }

// graphRef reads a Graph reference body {"@odata.id": ".../directoryObjects/{id}"}
// and answers the object's id.
func graphRef(r *http.Request) (string, error) {
	var body struct {
		ODataID string `json:"@odata.id"`
	}
	if err := graphDecode(r, &body); err != nil {
		return "", err
	}
	i := strings.LastIndex(body.ODataID, "/")
	if body.ODataID == "" || i < 0 || i == len(body.ODataID)-1 {
		return "", csp.Errorf(csp.EMissingField, "@odata.id is required: https://graph.microsoft.com/v1.0/directoryObjects/{id}")
	}
	return body.ODataID[i+1:], nil
}
