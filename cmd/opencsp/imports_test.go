package main

import (
	"strings"
	"testing"
)

// TestImportCLI: Northwind's billing admin imports a reconciliation file
// of its real Partner Center account (internal/api's hand-written sample).
// Northwind has no price book in the demo, so its customers are billed at
// cost, untaxed: Fabrikam Real 220.00 − 156.10 + 187.32 = 251.22 USD,
// Müller GmbH 180.00 EUR. A malformed file names its bad lines.
func TestImportCLI(t *testing.T) {
	srv, w := demoServer(t)
	bea := key(t, w, "bea@northwindcloud")
	out, err := run(t, "import", "recon", "../../internal/api/testdata/import-licence-2026-03.csv", "--server", srv.URL, "--key", bea)
	if err != nil {
		t.Fatal(err, out)
	}
	for _, want := range []string{"licence file, 4 lines, 2026-03, imported\n", "Fabrikam Real, Inc.  USD       251.22", "Müller GmbH          EUR       180.00"} {
		if !strings.Contains(out, want) {
			t.Errorf("import lacks %q:\n%s", want, out)
		}
	}
	out, err = run(t, "import", "recon", "../../internal/api/testdata/import-licence-2026-03.csv", "--server", srv.URL, "--key", bea)
	if err != nil || !strings.Contains(out, "imported before (the same file)") {
		t.Errorf("the same file again: %v\n%s", err, out)
	}
	_, err = run(t, "import", "recon", "../../internal/api/testdata/import-licence-malformed.csv", "--server", srv.URL, "--key", bea)
	if err == nil || !strings.Contains(err.Error(), "code 4612") || !strings.Contains(err.Error(), "line 3, column ChargeStartDate") {
		t.Errorf("a malformed file: %v", err)
	}
}
