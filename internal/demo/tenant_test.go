package demo_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/demo"
	"github.com/opencsp/opencsp/internal/server"
	"github.com/opencsp/opencsp/internal/testdb"
)

// TestDemoInsideTenants: the demo world gives Hal (Northwind's helpdesk
// group) User Administrator in Woodgrove Bank through an approved GDAP
// relationship, nothing yet in Woodgrove Bank Europe (its relationship
// waits for approval), and Woodgrove Bank Europe an Azure subscription
// whose virtual machine meters every hour: created at 09:00 on 2 March,
// a day's advance gives 15 hours on 2 March and 9 on 3 March at
// Standard_B2s's West Europe price, $0.0478 an hour.
func TestDemoInsideTenants(t *testing.T) {
	ctx := context.Background()
	seed := uint64(7)
	a, err := app.New(ctx, testdb.SQLite(t), app.Options{Sandbox: true, StartTime: start, BaseURL: "http://demo.test", Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.Handler(a)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	w, err := demo.Seed(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	key := func(who string) string {
		for _, k := range w.Keys {
			if strings.HasPrefix(k.Who, who) {
				return k.APIKey
			}
		}
		t.Fatalf("no demo key for %s", who)
		return ""
	}
	hal := client.New(srv.URL, key("hal@"))
	for tenant, want := range map[string]int{"woodgrovebank.onmicrosoft.com": http.StatusOK, "woodgroveeu.onmicrosoft.com": http.StatusForbidden} {
		g, err := hal.Token(ctx, tenant, client.ScopeGraph)
		if err != nil {
			t.Fatal(err)
		}
		res, err := g.Do(ctx, http.MethodGet, "/graph/v1.0/users", nil, nil, nil)
		if err != nil && res == nil {
			t.Fatal(err)
		}
		if res.Status != want {
			t.Errorf("Hal lists the users of %s: %d, want %d (%s)", tenant, res.Status, want, res.Body)
		}
	}

	agent := key("avery@")
	p, err := a.Authenticate(ctx, agent, "")
	if err != nil {
		t.Fatal(err)
	}
	eu := w.Tenants["Woodgrove Bank Europe"]
	subs, err := client.New(srv.URL, agent).Subscriptions(ctx, eu.ID.String())
	if err != nil {
		t.Fatal(err)
	}
	var azureSubs []*azure.Subscription
	for _, s := range subs {
		if strings.HasPrefix(s.OfferID, "DZH318Z0BPS6") {
			if azureSubs, err = a.ListAzureSubscriptions(ctx, p, eu.ID, mustUUID(t, s.ID)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(azureSubs) != 1 || azureSubs[0].FriendlyName != "Production" {
		t.Fatalf("Woodgrove Bank Europe's Azure subscriptions: %+v, want one named Production", azureSubs)
	}
	if _, err := client.New(srv.URL, key("operator")).AdvanceClock(ctx, "P1D"); err != nil {
		t.Fatal(err)
	}
	lines, err := a.AzureRatedUsage(ctx, p, eu.ID, azureSubs[0].ID, start.Truncate(24*time.Hour), start.Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		if strings.Contains(l.ResourceURI, "virtualMachines") {
			got = append(got, l.UsageDate.Format("01-02")+" "+l.Quantity.String()+"h "+l.Amount.Amount.String())
		}
	}
	want := "03-02 15h 0.717|03-03 9h 0.4302"
	if strings.Join(got, "|") != want {
		t.Errorf("the VM's rated days: %q, want %s", got, want)
	}
}

func mustUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
