package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/api"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/server"
	"github.com/opencsp/opencsp/internal/store/sqlstore"
	"github.com/opencsp/opencsp/internal/testdb"
)

// start is the sandbox clock's first value in every API test.
var start = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// world is a running server on a fresh database with an operator client.
type world struct {
	t   *testing.T
	ctx context.Context
	db  *sqlstore.DB
	app *app.App
	url string
	op  *client.Client
}

// forEachEngine runs fn against a real server on SQLite and on PostgreSQL.
func forEachEngine(t *testing.T, fn func(t *testing.T, w *world)) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			fn(t, newWorld(t, e.Open(t)))
		})
	}
}

func newWorld(t *testing.T, db *sqlstore.DB, opts ...api.Options) *world {
	t.Helper()
	return newWorldWith(t, db, app.Options{Sandbox: true, StartTime: start}, opts...)
}

// newWorldWith is newWorld with the app's options (BaseURL is the test
// server's).
func newWorldWith(t *testing.T, db *sqlstore.DB, ao app.Options, opts ...api.Options) *world {
	t.Helper()
	ctx := context.Background()
	var h struct{ h httpHandler }
	srv := httptest.NewServer(&h.h)
	t.Cleanup(srv.Close)
	ao.BaseURL = srv.URL
	a, err := app.New(ctx, db, ao)
	if err != nil {
		t.Fatal(err)
	}
	handler, err := server.Handler(a, opts...)
	if err != nil {
		t.Fatal(err)
	}
	h.h.Handler = handler
	k, err := a.MintOperatorKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, ctx: ctx, db: db, app: a, url: srv.URL, op: client.New(srv.URL, k.APIKey)}
}

// MustPartner creates a partner and an adminAgent user, and answers a client
// with that user's key.
func (w *world) MustPartner(in client.NewPartner, roles ...string) (*client.Partner, *client.Client) {
	w.t.Helper()
	p, err := w.op.CreatePartner(w.ctx, in)
	if err != nil {
		w.t.Fatalf("create partner %s: %v", in.Name, err)
	}
	if len(roles) == 0 {
		roles = []string{"adminAgent"}
	}
	k, err := w.op.CreatePartnerUser(w.ctx, p.ID, client.NewPartnerUser{DisplayName: "Agent", Email: "agent@" + strings.ToLower(strings.ReplaceAll(in.Name, " ", "")) + ".example", Roles: roles})
	if err != nil {
		w.t.Fatalf("create partner user: %v", err)
	}
	return p, client.New(w.url, k.APIKey)
}

// MustUser adds another user with the given roles to a partner.
func (w *world) MustUser(partnerID uuid.UUID, email string, roles ...string) *client.Client {
	w.t.Helper()
	k, err := w.op.CreatePartnerUser(w.ctx, partnerID, client.NewPartnerUser{DisplayName: email, Email: email, Roles: roles})
	if err != nil {
		w.t.Fatalf("create partner user: %v", err)
	}
	return client.New(w.url, k.APIKey)
}

// MustCustomer creates a customer through the partner API.
func (w *world) MustCustomer(pc *client.Client, in client.Customer) *client.Customer {
	w.t.Helper()
	c, err := pc.CreateCustomer(w.ctx, in, nil)
	if err != nil {
		w.t.Fatalf("create customer %s: %v", in.CompanyProfile.Domain, err)
	}
	return c
}

// MustAdmin answers a client for the tenant's global administrator.
func (w *world) MustAdmin(tenantID, domain string) *client.Client {
	w.t.Helper()
	k, err := w.op.MintTenantKey(w.ctx, uuid.MustParse(tenantID), "admin@"+domain)
	if err != nil {
		w.t.Fatalf("mint tenant key: %v", err)
	}
	return client.New(w.url, k.APIKey)
}

// Dump renders every row of every table, to prove that refused requests
// change nothing.
func (w *world) Dump() string {
	w.t.Helper()
	tables := []string{"settings", "partners", "partner_users", "tenants", "tenant_users", "api_keys", "relationships", "subscriptions",
		"multitenant_orgs", "multitenant_org_members", "audit_records", "subscription_events", "charges", "orders", "carts", "agreements",
		"partner_products", "jobs", "qualification_requests", "sandbox_clock", "console_sessions",
		"directory_role_members", "directory_groups", "directory_group_members", "license_assignments", "conditional_access_policies", "role_eligibilities",
		"gdap_relationships", "gdap_access_assignments", "channel_subscriptions", "transfers", "transfer_policies", "channel_plans"}
	return w.DumpTables(tables...)
}

// azureTables are the Azure slice's tables, for DumpTables.
var azureTables = []string{"azure_subscriptions", "azure_resource_groups", "azure_resources", "azure_runs", "azure_role_assignments",
	"azure_usage", "azure_budgets", "azure_spend", "azure_holdings"}

// DumpTables renders every row of the tables named.
func (w *world) DumpTables(tables ...string) string {
	w.t.Helper()
	var b strings.Builder
	for _, tbl := range tables {
		rows, err := w.db.WritePool().QueryContext(w.ctx, "SELECT * FROM "+tbl)
		if err != nil {
			w.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				w.t.Fatal(err)
			}
			lines = append(lines, fmt.Sprint(vals...))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(&b, "%s (%d)\n%s\n", tbl, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

// usAddress and friends are valid addresses in the demo's countries.
func address(country string) client.Address {
	switch country {
	case "US":
		return client.Address{Country: "US", City: "Redmond", State: "WA", AddressLine1: "1 Microsoft Way", PostalCode: "98052"}
	case "CA":
		return client.Address{Country: "CA", City: "Ottawa", State: "ON", AddressLine1: "80 Wellington St", PostalCode: "K1A 0A2"}
	case "GB":
		return client.Address{Country: "GB", City: "London", AddressLine1: "10 Downing St", PostalCode: "SW1A 2AA"}
	case "DE":
		return client.Address{Country: "DE", City: "Berlin", AddressLine1: "Unter den Linden 1", PostalCode: "10117"}
	case "FR":
		return client.Address{Country: "FR", City: "Paris", AddressLine1: "1 Rue de Rivoli", PostalCode: "75001"}
	case "NO":
		return client.Address{Country: "NO", City: "Oslo", AddressLine1: "Karl Johans gate 1", PostalCode: "0154"}
	case "JP":
		return client.Address{Country: "JP", City: "Tokyo", AddressLine1: "1-1 Chiyoda", PostalCode: "100-0001"}
	}
	panic("no test address for " + country)
}

// customer is a valid create-customer body.
func customer(name, domain, country string) client.Customer {
	return client.Customer{
		CompanyProfile: client.CompanyProfile{Domain: domain},
		BillingProfile: client.BillingProfile{FirstName: "Gena", LastName: "Soto", Email: "gena@" + domain + ".example", Culture: "en-US",
			Language: "en", CompanyName: name, DefaultAddress: address(country)},
	}
}

// designPartner is the DESIGN.md example: located in the US, Canada and
// Germany (markets United States, Canada and Europe), selling to commercial
// customers with tenants in US, CA, UK and EU.
func designPartner(name string) client.NewPartner {
	return client.NewPartner{Name: name, Country: "US", Locations: []string{"CA", "DE"}, PartnerType: "direct",
		SalePolicy: &client.SalePolicy{Segments: []string{"commercial"}, Regions: []string{"US", "CA", "UK", "EU"}}}
}

// wantAPIError checks an error's status and code.
func wantAPIError(t *testing.T, err error, status, code int) *client.Error {
	t.Helper()
	e, ok := err.(*client.Error)
	if !ok {
		t.Fatalf("got error %v (%T), want API error %d/%d", err, err, status, code)
	}
	if e.Status != status || e.Code != code {
		t.Fatalf("got %d code %d (%s), want %d code %d", e.Status, e.Code, e.Description, status, code)
	}
	return e
}
