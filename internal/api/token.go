package api

import (
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// tokenAnswer is OAuth's client-credentials answer.
type tokenAnswer struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	ExtExpiresIn int    `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
}

// oauthError is Entra ID's token endpoint error body.
type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	OpenCSPCode      int    `json:"opencsp_code"`
}

// oauthErrors are OAuth's error names (and statuses) for the token codes.
var oauthErrors = map[csp.Code]struct {
	name   string
	status int
}{
	csp.ETokenInvalidClient:  {"invalid_client", http.StatusUnauthorized},
	csp.ETokenUnsupported:    {"unsupported_grant_type", http.StatusBadRequest},
	csp.ETokenInvalidScope:   {"invalid_scope", http.StatusBadRequest},
	csp.ETokenTenantNotFound: {"invalid_request", http.StatusBadRequest},
	csp.ETokenUnauthorized:   {"unauthorized_client", http.StatusBadRequest},
	csp.EMissingField:        {"invalid_request", http.StatusBadRequest},
	csp.EAuthThrottled:       {"temporarily_unavailable", http.StatusTooManyRequests},
}

var aadsts = regexp.MustCompile(`^AADSTS(\d+):`)

// issueToken is POST /{tenant}/oauth2/v2.0/token (form-encoded).
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, r, csp.Errorf(csp.EMissingField, "AADSTS900144: the request body must be application/x-www-form-urlencoded with grant_type, client_id, client_secret and scope"))
		return
	}
	for _, f := range []string{"grant_type", "client_id", "client_secret", "scope"} {
		if r.PostForm.Get(f) == "" {
			writeOAuthError(w, r, csp.Errorf(csp.EMissingField, "AADSTS900144: The request body must contain the following parameter: '%s'.", f))
			return
		}
	}
	t, err := s.app.IssueToken(r.Context(), app.TokenRequest{Tenant: chi.URLParam(r, "tenant"), GrantType: r.PostForm.Get("grant_type"),
		ClientID: r.PostForm.Get("client_id"), ClientSecret: r.PostForm.Get("client_secret"), Scope: r.PostForm.Get("scope")}, clientAddress(r))
	if err != nil {
		writeOAuthError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, tokenAnswer{TokenType: "Bearer", ExpiresIn: t.ExpiresIn, ExtExpiresIn: t.ExpiresIn, AccessToken: t.AccessToken})
}

// writeOAuthError answers err in OAuth's error shape.
func writeOAuthError(w http.ResponseWriter, r *http.Request, err error) {
	var e *csp.Error
	if !errors.As(err, &e) {
		slog.Error("internal error", "path", r.URL.Path, "err", err)
		e = &csp.Error{Code: csp.EInternal, Message: csp.ErrorMessage(err)}
	}
	kind, ok := oauthErrors[e.Code]
	if !ok {
		kind.name, kind.status = "invalid_request", StatusOf(e.Code)
	}
	body := oauthError{Error: kind.name, ErrorDescription: e.Message, ErrorCodes: []int{}, Timestamp: time.Now().UTC().Format("2006-01-02 15:04:05Z"),
		TraceID: w.Header().Get(hdrRequestID), CorrelationID: w.Header().Get(hdrCorrelationID), OpenCSPCode: int(e.Code)}
	if m := aadsts.FindStringSubmatch(e.Message); m != nil {
		n, _ := strconv.Atoi(m[1])
		body.ErrorCodes = []int{n}
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
	}
	writeJSON(w, kind.status, body)
}
