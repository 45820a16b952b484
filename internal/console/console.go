// Package console is the server-rendered web console. A partner user sees
// the partner's customers, a customer's admin sees its tenant, its partners
// and its multitenant organization, and the operator sees the partners.
//
// Pages are html/template files embedded in the binary and parsed once by
// New, so a broken template fails at start-up (and in the tests), not on the
// first request. There is no JavaScript. Handlers are thin: read the key
// from the cookie, call internal/app, render.
package console

import (
	"bytes"
	"context"
	"embed"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

//go:embed templates/*.html static/console.css
var files embed.FS

const (
	// cookieName holds the signed-in user's session token: a random id the
	// server keeps (hashed) with the key it stands for. The key itself
	// never leaves the sign-in form.
	cookieName = "opencsp_session"
	// cookiePath keeps the session away from the APIs' paths: API clients
	// send their key in the Authorization header, never as a cookie.
	cookiePath = "/console"
	// pageSize is the number of rows on one page of a listing.
	pageSize = 50
	// maxForm bounds a form body; the sign-in form carries one key.
	maxForm = 64 << 10
)

// pages are the templates under templates/, each rendered inside layout.html.
var pages = []string{"signin", "partner", "tenant", "operator", "invitation", "error", "customer", "history", "catalog"}

type handler struct {
	app   *app.App
	pages map[string]*template.Template
	css   []byte
	mux   *http.ServeMux
}

// New builds the console over the use cases. It parses every template once
// and returns the parse error, if any. The console answers:
//
//	GET  /                    redirect to /console
//	GET  /console             the signed-in user's home (partner, tenant or operator view)
//	GET  /console/signin      the sign-in form
//	POST /console/signin      checks the key (form field "key") and opens a session (cookie)
//	POST /console/signout     ends the session and clears the cookie
//	GET  /console/static/console.css
//	GET  /invitations/reseller  a partner's invitation link: on to /console/invitation
//	GET  /console/invitation    a customer admin reviews the invitation
//	POST /console/invitation    and accepts it (form field "url")
//
// and, for a partner user:
//
//	GET  /console/catalog?country=&segment=         the market catalog with today's prices
//	GET  /console/customers/{id}?cart=              a customer, its subscriptions, the agreement and a cart
//	POST /console/customers/{id}/agreement          records the customer's MCA acceptance (firstName, lastName, email)
//	POST /console/customers/{id}/cart               adds a line (catalogItemId, term "P1Y:monthly", quantity) to the cart (cart) or a new one
//	POST /console/customers/{id}/checkout           checks the cart (cart) out
//	GET  /console/customers/{id}/subscriptions/{sid}  a subscription's history with its charge lines
//	POST /console/customers/{id}/subscriptions/{sid}/{action}
//	     cancel, suspend, reactivate, quantity (quantity), autorenew (autoRenew=on|off),
//	     schedule (quantity for the next term), unschedule
//
// and, for the operator:
//
//	POST /console/clock/advance  moves the sandbox clock (duration, or custom as free text)
func New(a *app.App) (http.Handler, error) {
	h := &handler{app: a, pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	funcs := template.FuncMap{"date": formatDate, "datetime": formatDateTime, "join": strings.Join, "policy": formatPolicy,
		"term": formatTerm, "money": formatMoney, "qty": formatQuantity}
	for _, name := range pages {
		t, err := template.New(name).Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		h.pages[name] = t
	}
	css, err := files.ReadFile("static/console.css")
	if err != nil {
		return nil, err
	}
	h.css = css

	h.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console", http.StatusFound)
	})
	h.mux.HandleFunc("GET /console/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console", http.StatusFound)
	})
	h.mux.HandleFunc("GET /console", h.home)
	h.mux.HandleFunc("GET /console/signin", h.signinForm)
	h.mux.HandleFunc("POST /console/signin", h.signin)
	h.mux.HandleFunc("POST /console/signout", h.signout)
	h.mux.HandleFunc("GET /console/static/console.css", h.stylesheet)
	h.mux.HandleFunc("GET /invitations/reseller", h.invitationLink)
	h.mux.HandleFunc("GET /console/invitation", h.invitation)
	h.mux.HandleFunc("POST /console/invitation", h.acceptInvitation)
	h.routesCommerce()
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.failStatus(w, r, http.StatusMethodNotAllowed, "This page does not accept "+r.Method+" requests.")
			return
		}
		h.fail(w, r, csp.Errorf(csp.ENotFound, "There is no page at %s.", r.URL.Path))
	})

	// CSRF: the key cookie is SameSite=Strict, so a browser never sends it
	// with a request that another site starts, and a forged POST acts
	// without a signed-in user. CrossOriginProtection also refuses
	// cross-origin POSTs by their Sec-Fetch-Site and Origin headers, which
	// covers the one form that needs no cookie: a forged sign-in with the
	// attacker's own key (login CSRF).
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.failStatus(w, r, http.StatusForbidden, "This form was sent from another site, so it was refused. Open the console and try again.")
	}))
	return securityHeaders(cop.Handler(h.mux)), nil
}

// securityHeaders keeps pages out of frames and caches and allows only this
// server's stylesheet: the console has no scripts.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// layout is what every page's header needs.
type layout struct {
	Title string
	// Who is the signed-in user; nil on the sign-in and error pages.
	Who *who
	// Clock is the sandbox clock's time, empty outside a sandbox.
	Clock string
}

type who struct {
	Org  string // the partner's or tenant's name
	User string // email or user principal name; empty for the operator
	Role string // how the user acts here, e.g. "Partner user"
	// Partner shows the partner's navigation (customers, catalog).
	Partner bool
}

func (h *handler) layout(title string, w *who) layout {
	l := layout{Title: title, Who: w}
	if h.app.IsSandbox() {
		l.Clock = h.app.Now(context.Background()).UTC().Format("2006-01-02 15:04 UTC")
	}
	return l
}

// --- signing in and out ---

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
		h.render(w, r, statusOf(err), "signin", signinPage{layout: h.layout("Sign in", nil), Error: csp.ErrorMessage(err)})
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

// --- home pages ---

func (h *handler) home(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	switch p.Kind {
	case csp.PrincipalPartner:
		h.partnerHome(w, r, p)
	case csp.PrincipalTenant:
		h.tenantHome(w, r, p)
	case csp.PrincipalOperator:
		h.operatorHome(w, r, p)
	default:
		h.fail(w, r, csp.Errorf(csp.EWrongAPI, "This key's kind (%s) has no console view.", p.Kind))
	}
}

type partnerPage struct {
	layout
	Query     string
	Customers []*csp.Tenant // as the partner records them
	Next      string        // the next page's URL, empty on the last page
}

func (h *handler) partnerHome(w http.ResponseWriter, r *http.Request, p csp.Principal) {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	after, err := decodeCursor(r.URL.Query().Get("continuation"), func(c app.CustomerCursor) bool { return c.TenantID != uuid.Nil })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	got, err := h.app.ListCustomers(ctx, p, app.CustomerQuery{Search: q}, app.Page[app.CustomerCursor]{After: after, Size: pageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	partner, err := h.app.OwnPartner(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := partnerPage{layout: h.layout("Customers", &who{Org: partner.Name, User: p.UserPrincipalName, Role: "Partner user", Partner: true}), Query: q}
	for _, c := range got.Items {
		page.Customers = append(page.Customers, c.Tenant)
	}
	if got.Next != nil {
		v := url.Values{"continuation": {encodeCursor(*got.Next)}}
		if q != "" {
			v.Set("q", q)
		}
		page.Next = "/console?" + v.Encode()
	}
	h.render(w, r, http.StatusOK, "partner", page)
}

// invitationLink is where a partner's reseller invitation link lands. The
// key cookie lives under /console, so the link hands over to a console page.
func (h *handler) invitationLink(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/console/invitation?"+url.Values{"url": {r.URL.RequestURI()}}.Encode(), http.StatusSeeOther)
}

type invitationPage struct {
	layout
	Tenant   *csp.Tenant
	Partners []*csp.Partner
	URL      string
}

func (h *handler) invitation(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	link := h.absolute(r.URL.Query().Get("url"))
	partners, err := h.app.InvitationPartners(r.Context(), p, link)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.app.OwnTenant(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "invitation", invitationPage{layout: h.layout("Reseller invitation", &who{Org: t.DisplayName, User: p.UserPrincipalName, Role: "Customer admin"}),
		Tenant: t, Partners: partners, URL: link})
}

func (h *handler) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		h.failStatus(w, r, http.StatusBadRequest, "The form could not be read; try again.")
		return
	}
	if _, err := h.app.AcceptInvitation(r.Context(), p, h.absolute(r.PostForm.Get("url"))); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/console", http.StatusSeeOther)
}

// absolute turns the path of an invitation link that landed here (the
// console hands it over as a path) into the link on this server.
func (h *handler) absolute(link string) string {
	if strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//") {
		return strings.TrimRight(h.app.BaseURL, "/") + link
	}
	return link
}

// encodeCursor makes the continuation parameter: base64url JSON of the
// keyset position.
func encodeCursor[C any](c C) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a continuation parameter; valid says whether the
// position it decoded is one (a zero id is not).
func decodeCursor[C any](s string, valid func(C) bool) (*C, error) {
	if s == "" {
		return nil, nil
	}
	var c C
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || !valid(c) {
		return nil, csp.Errorf(csp.EInvalidToken, "The continuation parameter is not a position in this listing. Start again from the first page.")
	}
	return &c, nil
}

type tenantPage struct {
	layout
	Tenant   *csp.Tenant
	Partners []app.PartnerOfTenant
	MTO      *mtoView // nil when the tenant belongs to none
}

type mtoView struct {
	Name    string
	Owner   bool // the signed-in tenant owns it, so members' partners are shown
	Role    string
	Members []mtoMember
}

type mtoMember struct {
	Tenant   *csp.Tenant
	Role     string
	State    string
	Self     bool
	Partners []app.PartnerOfTenant
}

func (h *handler) tenantHome(w http.ResponseWriter, r *http.Request, p csp.Principal) {
	ctx := r.Context()
	t, err := h.app.OwnTenant(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	partners, err := h.app.TenantPartners(ctx, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	role := "Customer user"
	if p.GlobalAdmin {
		role = "Customer admin"
	}
	page := tenantPage{layout: h.layout(t.DisplayName, &who{Org: t.DisplayName, User: p.UserPrincipalName, Role: role}),
		Tenant: t, Partners: partners}
	v, err := h.app.GetMTO(ctx, p)
	switch {
	case csp.ErrorCode(err) == csp.EMTONotFound:
	case err != nil:
		h.fail(w, r, err)
		return
	default:
		page.MTO = newMTOView(v, p.TenantID)
	}
	h.render(w, r, http.StatusOK, "tenant", page)
}

func newMTOView(v *app.MTOView, self uuid.UUID) *mtoView {
	m := &mtoView{Name: v.Org.DisplayName, Owner: v.Org.OwnerTenantID == self}
	for _, mem := range v.Org.Members {
		t := v.Tenants[mem.TenantID]
		if t == nil {
			// mtoView loads every member; keep the row even if one is missing.
			t = &csp.Tenant{ID: mem.TenantID}
		}
		if mem.TenantID == self {
			m.Role = mem.Role
		}
		m.Members = append(m.Members, mtoMember{Tenant: t, Role: mem.Role, State: mem.State, Self: mem.TenantID == self,
			Partners: v.Partners[mem.TenantID]})
	}
	// The owner first, then the members by name.
	slices.SortStableFunc(m.Members, func(x, y mtoMember) int {
		if (x.Role == "owner") != (y.Role == "owner") {
			if x.Role == "owner" {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(x.Tenant.DisplayName), strings.ToLower(y.Tenant.DisplayName))
	})
	return m
}

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
	page := operatorPage{layout: h.layout("Partners", &who{Org: "Operator"}), Partners: got.Items, Steps: clockSteps, operatorNotice: n}
	if got.Next != nil {
		page.Next = "/console?" + url.Values{"after": {got.Next.String()}}.Encode()
	}
	h.render(w, r, status, "operator", page)
}

// --- rendering and errors ---

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

// render executes a page into a buffer first, so a template failure becomes
// a clean 500 instead of half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		slog.Error("console: render", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// Pages show customers' data and depend on who is signed in.
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (h *handler) stylesheet(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(h.css)
}

// --- template helpers ---

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// formatPolicy describes a sale policy; absent means every market the
// partner's locations allow.
func formatPolicy(sp *csp.SalePolicy) string {
	if sp == nil || (len(sp.Segments) == 0 && len(sp.Regions) == 0) {
		return "all its markets"
	}
	segs, regs := "any segment", "any region"
	if len(sp.Segments) > 0 {
		s := make([]string, len(sp.Segments))
		for i, v := range sp.Segments {
			s[i] = string(v)
		}
		segs = strings.Join(s, ", ")
	}
	if len(sp.Regions) > 0 {
		s := make([]string, len(sp.Regions))
		for i, v := range sp.Regions {
			s[i] = string(v)
		}
		regs = "regions " + strings.Join(s, ", ")
	}
	return segs + "; " + regs
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
