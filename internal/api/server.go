// Package api serves the three HTTP APIs of DESIGN.md: the Partner Center
// shaped partner API (/v1), the operator API (/admin/v1) and the customer API
// (/tenant/v1). Handlers decode, call internal/app and encode; rules live in
// internal/csp and errors map to statuses in one table (errors.go).
package api

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/clock"
	"github.com/opencsp/opencsp/internal/csp"
)

// Header names, as Partner Center spells them.
const (
	hdrRequestID     = "MS-RequestId"
	hdrCorrelationID = "MS-CorrelationId"
	hdrContinuation  = "MS-ContinuationToken"
)

// Server is the HTTP API.
type Server struct {
	app *app.App
	// wall is the wall clock used for idempotency windows, which DESIGN.md
	// counts in wall-clock time even in a sandbox.
	wall   clock.Clock
	limits *limiter
}

// Options configure the API.
type Options struct {
	// RequestsPerMinute throttles each partner and each customer tenant;
	// 0 turns throttling off.
	RequestsPerMinute int
}

// New builds the API over the use cases.
func New(a *app.App, opts Options) *Server {
	return &Server{app: a, wall: clock.Real{}, limits: newLimiter(opts.RequestsPerMinute)}
}

// Handler answers the three APIs, Graph and Azure Resource Manager. Paths
// are matched case-insensitively, as Partner Center does; path parameters
// are GUIDs and domains, which are case-insensitive too. ARM's paths (/arm/)
// go to its router as they were sent: ARM keeps the case of the names it
// stores and compares them case-insensitively itself (arm.go).
func (s *Server) Handler() http.Handler {
	r, g, arm := s.router(), s.graphRouter(), s.armRouter()
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if isARMPath(strings.ToLower(req.URL.Path)) {
			req.URL.RawPath = ""
			arm.ServeHTTP(w, req)
			return
		}
		req.URL.Path = strings.ToLower(req.URL.Path)
		req.URL.RawPath = ""
		if isGraphPath(req.URL.Path) {
			// Microsoft's own APIs (the token endpoint, Graph) keep their
			// own conventions and error shapes (graph.go).
			g.ServeHTTP(w, req)
			return
		}
		r.ServeHTTP(w, req)
	})
}

// Serves reports whether the APIs answer the lower-cased path p: the three
// APIs, Graph and the token endpoint, and Azure Resource Manager (/arm/);
// the console answers the rest.
func Serves(p string) bool {
	for _, prefix := range []string{"/v1/", "/admin/v1/", "/tenant/v1/", armPrefix} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return p == "/openapi.json" || isGraphPath(p)
}

// router routes the lower-cased paths: each API behind its key, and the
// OpenAPI document (openapi.go) behind none.
func (s *Server) router() *chi.Mux {
	r := chi.NewRouter()
	r.Use(s.correlation, checkPartnerCenterRequest)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, csp.Errorf(csp.ENotFound, "no resource at %s %s: see /openapi.json or docs/api.md for the paths this server answers", r.Method, r.URL.Path))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, csp.Errorf(csp.ENotFound, "%s is not supported on %s", r.Method, r.URL.Path))
	})
	r.Get("/openapi.json", serveOpenAPI)
	r.Route("/v1", func(r chi.Router) {
		r.Use(s.authenticate(csp.PrincipalPartner), s.throttle(writeError), s.idempotent)
		s.partnerRoutes(r)
	})
	r.Route("/admin/v1", func(r chi.Router) {
		r.Use(s.authenticate(csp.PrincipalOperator), s.throttle(writeError), s.idempotent)
		s.operatorRoutes(r)
	})
	r.Route("/tenant/v1", func(r chi.Router) {
		r.Use(s.authenticate(csp.PrincipalTenant), s.throttle(writeError), s.idempotent)
		s.tenantRoutes(r)
	})
	return r
}

// correlation echoes MS-CorrelationId and MS-RequestId (making each when
// absent) and puts the correlation id where audit records find it. Either
// header longer than 128 characters, or holding a control character,
// answers 400 before anything is stored or echoed.
func (s *Server) correlation(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, h := range []string{hdrCorrelationID, hdrRequestID} {
			if err := csp.CheckText(h, r.Header.Get(h), csp.MaxRequestID); err != nil {
				writeError(w, r, csp.Errorf(csp.EInvalidHeader, "header %s", csp.ErrorMessage(err)).WithData("header="+h))
				return
			}
		}
		cid := r.Header.Get(hdrCorrelationID)
		if cid == "" {
			cid = uuid.NewString()
		}
		w.Header().Set(hdrCorrelationID, cid)
		rid := r.Header.Get(hdrRequestID)
		if rid == "" {
			// Echoed for the client's logs; only a client's own id makes a
			// write idempotent.
			w.Header().Set(hdrRequestID, uuid.NewString())
		} else {
			w.Header().Set(hdrRequestID, rid)
		}
		next.ServeHTTP(w, r.WithContext(app.WithCorrelationID(r.Context(), cid)))
	})
}

// checkRequest refuses a path or query parameter that holds invalid UTF-8
// or a control character, or a parameter longer than csp.MaxText
// characters, naming it (use cases bound each parameter further).
func checkRequest(next http.Handler, fail func(http.ResponseWriter, *http.Request, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := csp.CheckChars("path", r.URL.Path); err != nil {
			fail(w, r, err)
			return
		}
		for name, vs := range r.URL.Query() {
			if err := csp.CheckText("query parameter "+name+" (name)", name, csp.MaxShort); err != nil {
				fail(w, r, err)
				return
			}
			for _, v := range vs {
				if err := csp.CheckText(name, v, csp.MaxText); err != nil {
					fail(w, r, err)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// checkPartnerCenterRequest is checkRequest answering Partner Center's errors.
func checkPartnerCenterRequest(next http.Handler) http.Handler { return checkRequest(next, writeError) }

type principalKey struct{}

// authenticate resolves the bearer key and admits only principals of kind.
func (s *Server) authenticate(kind csp.PrincipalKind) func(http.Handler) http.Handler {
	return s.authenticateWith(kind, writeError)
}

// authenticateWith is authenticate answering its refusals through fail.
func (s *Server) authenticateWith(kind csp.PrincipalKind, fail func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			p, err := s.app.Authenticate(r.Context(), strings.TrimSpace(bearer), clientAddress(r))
			if err != nil {
				fail(w, r, err)
				return
			}
			if p.Kind != kind {
				fail(w, r, csp.Errorf(csp.EWrongAPI, "a %s key may not call %s: this API takes %s keys", p.Kind, apiName(kind), kind))
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
		})
	}
}

// clientAddress is the address failed authentications are counted by: the
// peer's IP (a proxy in front of the server should keep one connection per
// client or the count is the proxy's).
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func apiName(kind csp.PrincipalKind) string {
	switch kind {
	case csp.PrincipalOperator:
		return "the operator API (/admin/v1)"
	case csp.PrincipalTenant:
		return "the customer API (/tenant/v1)"
	}
	return "the partner API (/v1)"
}

func principal(r *http.Request) csp.Principal {
	p, _ := r.Context().Value(principalKey{}).(csp.Principal)
	return p
}
