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
	"net/http"
	"strings"

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
var pages = []string{"signin", "partner", "tenant", "operator", "invitation", "error", "customer", "history", "catalog",
	"newcustomer", "charges", "invoices", "invoice", "auditlog", "transfers", "transfer", "newtransfer",
	"pricebook", "customerinvoices", "customerinvoice", "profit", "costs"}

// partials are the templates a page includes besides its own, each a
// section in a file of its own.
var partials = map[string][]string{
	"tenant":   {"tenant_subscriptions", "tenant_transfers", "tenant_directory", "tenant_gdap", "tenant_plans", "tenant_azure", "usage_chart"},
	"customer": {"usage_chart"},
}

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
// and, for a customer's user, on its home page: the tenant's licences,
// users, premium features, Azure subscriptions and, for its Global
// Administrator, the partners with admin rights, answered by
//
//	POST /console/tenant/gdap/{id}/{action}  approve, reject or terminate a GDAP relationship
//	POST /console/tenant/transfers/{tid}/reject  rejects a transfer of the tenant's subscriptions (Global Administrator)
//	POST /console/tenant/plans               makes a channel plan (form field "destination": partner:<id> or channel:<name>)
//	POST /console/tenant/plans/{id}/apply    applies a channel plan not applied yet (Global Administrator)
//
// and, for a partner user:
//
//	GET  /console/catalog?country=&segment=&q=&page=  the market catalog with today's prices, searched and paged
//	GET  /console/customers/new                     the new customer form
//	POST /console/customers                         creates the customer and shows its admin's one-time password
//	GET  /console/charges?month=&continuation=      the month's unbilled charges, with totals per currency
//	GET  /console/charges.csv?month=&currency=&lines=licences|usage  the month's unbilled reconciliation file
//	GET  /console/invoices?continuation=            the partner's invoices, newest first
//	GET  /console/invoices/{number}?lines=licences|usage&continuation=
//	     an invoice: its totals, its summary per customer and a page of its lines
//	GET  /console/invoices/{number}/reconciliation.csv?lines=licences|usage  its reconciliation file
//	GET  /console/invoices/{number}/statement.pdf   its statement
//	GET  /console/pricebook                         the partner's price book as a form: its default, items and promotions
//	POST /console/pricebook                         saves it whole (etag, default, defaultPercent, items and item-N-*,
//	     promotions and promotion-N-*; a row's remove box takes it out), the refusal shown on the form
//	GET  /console/customerinvoices?period=&customer=&continuation=  the partner's customer invoices, newest first
//	GET  /console/customerinvoices/{id}             a customer invoice with its lines, cost and profit
//	GET  /console/customerinvoices/{id}.html|.csv|.pdf  its documents, as the API's (the CSV and PDF as attachments)
//	GET  /console/profit?period=                    a month's customer invoices' amount, cost and profit per customer and product
//	GET  /console/costs?continuation=               an indirect reseller's costs: its provider's invoices to it
//	GET  /console/audit?from=&to=&continuation=     the partner's audit log
//	GET  /console/customers/{id}?cart=              a customer, its subscriptions and Azure subscriptions (with
//	     the month's daily cost as a chart), the agreement and a cart
//	POST /console/customers/{id}/agreement          records the customer's MCA acceptance (firstName, lastName, email)
//	POST /console/customers/{id}/cart               adds a line (catalogItemId, term "P1Y:monthly", quantity) to the cart (cart) or a new one
//	POST /console/customers/{id}/cart/remove        takes a line (line) out of the cart (cart)
//	POST /console/customers/{id}/checkout           checks the cart (cart) out; the page then shows the orders (order)
//	GET  /console/customers/{id}/pricebook          the customer's own price book, the same form
//	POST /console/customers/{id}/pricebook          saves it
//	GET  /console/customers/{id}/subscriptions/{sid}  a subscription's history with its charge lines
//	POST /console/customers/{id}/subscriptions/{sid}/{action}
//	     cancel, suspend, reactivate, quantity (quantity), autorenew (autoRenew=on|off),
//	     schedule (quantity for the next term), unschedule
//	GET  /console/transfers                         the partner's transfers, as source or target, and its outgoing policy
//	POST /console/transfers/policy                  sets the outgoing policy (outgoing=automatic|review)
//	GET  /console/customers/{id}/transfers/new      the target's transfer request form
//	POST /console/customers/{id}/transfers          requests a transfer (sourcePartnerId, customerEmail)
//	GET  /console/customers/{id}/transfers/{tid}    a transfer with its line items and the signed-in side's actions
//	POST /console/customers/{id}/transfers/{tid}/lines         the source sets a line (subscription, quantity)
//	POST /console/customers/{id}/transfers/{tid}/lines/remove  the source takes a line out (subscription)
//	POST /console/customers/{id}/transfers/{tid}/{action}      submit, approve, decline (the source), cancel (the target)
//	     every transfer form carries the etag it was read with (etag)
//
// and, for the operator:
//
//	POST /console/clock/advance  moves the sandbox clock (duration, or custom as free text)
//
// and, with WithReference, to anyone: GET /console/reference, the APIs' reference.
func New(a *app.App, opts ...Option) (http.Handler, error) {
	h := &handler{app: a, mux: http.NewServeMux()}
	var err error
	if h.pages, err = parsePages(); err != nil {
		return nil, err
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
	h.routesTransfers()
	h.mux.HandleFunc("POST /console/tenant/gdap/{id}/{action}", h.gdapAction)
	h.mux.HandleFunc("POST /console/tenant/plans", h.createPlan)
	h.mux.HandleFunc("POST /console/tenant/plans/{id}/apply", h.applyPlan)
	for _, o := range opts {
		if err := o(h); err != nil {
			return nil, err
		}
	}
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

// parsePages parses every page with the layout and its partials.
func parsePages() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	funcs := template.FuncMap{"date": formatDate, "datetime": formatDateTime, "join": strings.Join, "policy": formatPolicy,
		"term": formatTerm, "money": formatMoney, "qty": formatQuantity}
	for _, name := range pages {
		names := []string{"templates/layout.html", "templates/" + name + ".html"}
		for _, part := range partials[name] {
			names = append(names, "templates/"+part+".html")
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(files, names...)
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
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

func (h *handler) layout(title string, w *who) layout {
	l := layout{Title: title, Who: w}
	if h.app.IsSandbox() {
		l.Clock = h.app.Now(context.Background()).UTC().Format("2006-01-02 15:04 UTC")
	}
	return l
}

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
