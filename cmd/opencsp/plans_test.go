package main

import (
	"strings"
	"testing"
)

// TestPlansCLI: Woodgrove Bank's admin plans the move of its Business
// Premium from Northwind (bought 2026-01-05 in the demo, term end
// 2027-01-04, auto-renew on) to its EA, reads and applies the plan.
func TestPlansCLI(t *testing.T) {
	srv, w := demoServer(t)
	admin := key(t, w, "admin@woodgrovebank")
	out, err := run(t, "plans", "create", "--to-channel", "ea", "--server", srv.URL, "--key", admin)
	if err != nil {
		t.Fatal(err, out)
	}
	for _, want := range []string{"to ea (not applied)", "2027-01-04  turnOffAutoRenew", "2027-01-04  waitForTermEnd", "2027-01-05  buyAtDestination",
		"Northwind Cloud", "Microsoft 365 Business Premium", "planned"} {
		if !strings.Contains(out, want) {
			t.Errorf("plans create lacks %q:\n%s", want, out)
		}
	}
	id := strings.Fields(strings.SplitN(out, "\n", 2)[0])[1]
	out, err = run(t, "plans", "apply", id, "--server", srv.URL, "--key", admin)
	if err != nil || !strings.Contains(out, "applied 2026-01-05") || !strings.Contains(out, "scheduled") {
		t.Fatalf("plans apply: %v\n%s", err, out)
	}
	out, err = run(t, "plans", "show", id, "--server", srv.URL, "--key", admin)
	if err != nil || !strings.Contains(out, "scheduled") {
		t.Fatalf("plans show: %v\n%s", err, out)
	}
	if _, err := run(t, "plans", "apply", id, "--server", srv.URL, "--key", admin); err == nil || !strings.Contains(err.Error(), "code 4577") {
		t.Errorf("apply twice: %v, want 4577", err)
	}
	if _, err := run(t, "plans", "create", "--to-partner", "00000000-0000-0000-0000-000000000001", "--server", srv.URL, "--key", admin); err == nil ||
		!strings.Contains(err.Error(), "code 4572") {
		t.Errorf("unknown partner: %v, want 4572", err)
	}
	if _, err := run(t, "plans", "create", "--server", srv.URL, "--key", admin); err == nil {
		t.Error("plans create without a destination succeeded")
	}
}
