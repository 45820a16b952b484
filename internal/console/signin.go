package console

import (
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
)

type signinPage struct {
	layout
	Error string
}

func (h *handler) signinForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "signin", signinPage{layout: h.layout("Sign in", nil)})
}

func (h *handler) signin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		h.render(w, r, http.StatusBadRequest, "signin", signinPage{layout: h.layout("Sign in", nil), Error: "The form could not be read; try again."})
		return
	}
	key := strings.TrimSpace(r.PostForm.Get("key"))
	if key == "" {
		h.render(w, r, http.StatusUnauthorized, "signin", signinPage{layout: h.layout("Sign in", nil), Error: "Enter an API key."})
		return
	}
	token, _, err := h.app.SignIn(r.Context(), key, clientAddress(r))
	if err != nil {
		if !isAuthError(err) {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, statusOf(err), "signin", signinPage{layout: h.layout("Sign in", nil), Error: plainMessage(err, about{})})
		return
	}
	// A session cookie (no expiry in the browser; the server ends the
	// session after app.SessionLifetime).
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Path: cookiePath,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: h.secure(r)})
	http.Redirect(w, r, "/console", http.StatusSeeOther)
}

func (h *handler) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil && c.Value != "" {
		if err := h.app.SignOut(r.Context(), c.Value); err != nil {
			slog.Warn("console: sign out", "err", err)
		}
	}
	h.clearCookie(w, r)
	http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
}

// secure reports whether the console is served over HTTPS, directly or
// behind a proxy at a public https:// URL (--public-url): its cookie is then
// Secure, so that a browser never sends it in clear.
func (h *handler) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(strings.ToLower(h.app.BaseURL), "https://")
}

func (h *handler) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: cookiePath, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: h.secure(r)})
}

func isAuthError(err error) bool {
	switch csp.ErrorCode(err) {
	case csp.EUnauthenticated, csp.EKeyInvalid, csp.EKeyExpired, csp.EKeyRevoked, csp.EAuthThrottled:
		return true
	}
	return false
}

// clientAddress is the peer's IP, which failed sign-ins are counted by.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// principal resolves the cookie's session. When the cookie is missing or
// its session (or key) no longer works it redirects to the sign-in form and
// answers false.
func (h *handler) principal(w http.ResponseWriter, r *http.Request) (csp.Principal, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
		return csp.Principal{}, false
	}
	p, err := h.app.Session(r.Context(), c.Value, clientAddress(r))
	if err != nil {
		if !isAuthError(err) {
			h.fail(w, r, err)
			return csp.Principal{}, false
		}
		h.clearCookie(w, r)
		http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
		return csp.Principal{}, false
	}
	return p, true
}
