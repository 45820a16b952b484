package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/demo"
	"github.com/opencsp/opencsp/internal/server"
	"github.com/opencsp/opencsp/internal/testdb"
)

// demoServer runs the demo world on a fresh SQLite database.
func demoServer(t *testing.T) (*httptest.Server, *demo.World) {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, testdb.SQLite(t), app.Options{Sandbox: true, StartTime: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	w, err := demo.Seed(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.Handler(a)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, w
}

func key(t *testing.T, w *demo.World, who string) string {
	t.Helper()
	for _, k := range w.Keys {
		if strings.HasPrefix(k.Who, who) {
			return k.APIKey
		}
	}
	t.Fatalf("no demo key for %s", who)
	return ""
}

// run executes the CLI in-process.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRoot()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func TestDemoWorld(t *testing.T) {
	_, w := demoServer(t)
	if len(w.Partners) != 4 || len(w.Tenants) != 7 {
		t.Fatalf("demo has %d partners and %d tenants, want 4 and 7", len(w.Partners), len(w.Tenants))
	}
	regions := map[string]string{}
	for name, tn := range w.Tenants {
		regions[name] = string(tn.Region)
	}
	want := map[string]string{"Woodgrove Bank": "US", "Maple Leaf Foods": "CA", "Tailspin Toys UK": "UK", "Woodgrove Bank Europe": "EU",
		"Adatum Retail": "US", "Proseware Clinics": "US", "Fjord Shipping AS": "NO"}
	for name, r := range want {
		if regions[name] != r {
			t.Errorf("%s is in region %q, want %s", name, regions[name], r)
		}
	}
	// Norway is outside Northwind's sale policy.
	if err := w.Partners["Northwind Cloud"].CheckSale("NO", "NO", "commercial"); err == nil {
		t.Error("Northwind may sell to Norway; the demo needs a country outside its policy")
	}
}

func TestCLI(t *testing.T) {
	srv, w := demoServer(t)
	nw := key(t, w, "avery@")
	op := key(t, w, "operator")

	out, err := run(t, "customers", "list", "--server", srv.URL, "--key", nw)
	if err != nil {
		t.Fatal(err, out)
	}
	for _, want := range []string{"Maple Leaf Foods", "mapleleaffoods.onmicrosoft.com", "CA", "Woodgrove Bank Europe", "EU", "commercial"} {
		if !strings.Contains(out, want) {
			t.Errorf("customers list lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Fjord") || strings.Contains(out, "Adatum") {
		t.Errorf("Northwind sees another partner's customers:\n%s", out)
	}
	out, err = run(t, "customers", "list", "-q", "maple", "--server", srv.URL, "--key", nw)
	if err != nil || strings.Count(out, "\n") != 2 {
		t.Fatalf("search maple: %v\n%s", err, out)
	}

	out, err = run(t, "customers", "create", "--server", srv.URL, "--key", nw, "--name", "Coho Winery", "--domain", "cohowinery",
		"--email", "it@coho.example", "--country", "FR", "--city", "Bordeaux", "--address", "1 Quai", "--postal-code", "33000")
	if err != nil {
		t.Fatal(err, out)
	}
	if !strings.Contains(out, `"tenantRegion": "EU"`) || !strings.Contains(out, "admin@cohowinery.onmicrosoft.com") {
		t.Errorf("customers create printed:\n%s", out)
	}
	_, err = run(t, "customers", "create", "--server", srv.URL, "--key", nw, "--name", "Fjell AS", "--domain", "fjell",
		"--email", "it@fjell.example", "--country", "NO", "--city", "Oslo", "--address", "Gate 1", "--postal-code", "0150")
	if err == nil || !strings.Contains(err.Error(), "code 2203") {
		t.Errorf("create in Norway: %v, want the sale policy refusal (2203)", err)
	}

	out, err = run(t, "partners", "list", "--server", srv.URL, "--key", op)
	if err != nil || !strings.Contains(out, "Litware Solutions") || !strings.Contains(out, "indirectReseller") {
		t.Fatalf("partners list: %v\n%s", err, out)
	}
	nwID := w.Partners["Northwind Cloud"].ID.String()
	out, err = run(t, "partners", "set-policy", nwID, "--segments", "commercial", "--regions", "US,CA,UK,EU,NO", "--server", srv.URL, "--key", op)
	if err != nil || !strings.Contains(out, `"NO"`) {
		t.Fatalf("set-policy: %v\n%s", err, out)
	}
	out, err = run(t, "partners", "add-user", nwID, "--name", "Nia", "--email", "nia@northwindcloud.example", "--roles", "salesAgent", "--server", srv.URL, "--key", op)
	if err != nil || !strings.Contains(out, `"apiKey": "ocsp_`) {
		t.Fatalf("add-user: %v\n%s", err, out)
	}
	wg := w.Tenants["Woodgrove Bank"].ID.String()
	out, err = run(t, "subscriptions", "list", wg, "--server", srv.URL, "--key", nw)
	if err != nil || !strings.Contains(out, "Microsoft 365 Business Premium") || !strings.Contains(out, "2027-01-04") || !strings.Contains(out, "23.10 USD") {
		t.Fatalf("subscriptions list: %v\n%s", err, out)
	}
	var subID string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "Premium") {
			subID = strings.Fields(l)[0]
		}
	}
	out, err = run(t, "clock", "advance", "P1M", "--server", srv.URL, "--key", op)
	if err != nil || !strings.HasPrefix(out, "2026-02-05T09:00:00Z") {
		t.Fatalf("clock advance: %v %q", err, out)
	}
	out, err = run(t, "subscriptions", "history", subID, "--server", srv.URL, "--key", nw)
	if err != nil || !strings.Contains(out, "purchased") || !strings.Contains(out, "cycleCharged") {
		t.Fatalf("subscriptions history: %v\n%s", err, out)
	}
	if _, err := run(t, "customers", "list", "--server", srv.URL); err == nil {
		t.Error("customers list without a key succeeded")
	}
}
