package console_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
)

// TestAuditLog reads Contoso's audit log. The world wrote on 2026-01-05
// 09:00: the operator created the partner and Ann, and Ann created four
// customers. On 2026-01-13 09:00 (P8D later) Ann records Fabrikam's
// agreement, buys for it, and creates 43 more customers: 51 records, 50 to
// a page.
func TestAuditLog(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	ann := MustPrincipal(t, w, w.partnerKey)
	if _, err := w.app.AdvanceClock(t.Context(), w.operator, "P8D", time.Time{}); err != nil {
		t.Fatal(err)
	}
	MustAgree(t, w, ann, w.fabrikam)
	MustBuy(t, w, ann, w.fabrikam, premium, "P1Y", "monthly", 2)

	const (
		jan5  = "2026-01-05 09:00 UTC|"
		jan13 = "2026-01-13 09:00 UTC|"
		byAnn = "|ann@contoso-partner.com|Done"
	)
	first := []string{
		jan5 + "Partner account created||operator|Done",
		jan5 + "User added||operator|Done",
		jan5 + "Customer created|Fabrikam" + byAnn,
		jan5 + "Customer created|Northwind Traders" + byAnn,
		jan5 + "Customer created|Woodgrove School" + byAnn,
		jan5 + "Customer created|Tailspin Toys" + byAnn,
	}
	later := []string{jan13 + "Microsoft Customer Agreement recorded|Fabrikam" + byAnn, jan13 + "Order placed|Fabrikam" + byAnn}
	get := func(t *testing.T, path string) string {
		t.Helper()
		status, _, body := MustDo(t, srv, scenario{method: "GET", path: path, key: w.partnerKey})
		if status != http.StatusOK {
			t.Fatalf("GET %s: status %d\n%s", path, status, body)
		}
		MustPlainWords(t, body)
		return body
	}
	wantRows := func(t *testing.T, body string, want []string) {
		t.Helper()
		if got := rows(body, "audit-record"); !slices.Equal(got, want) {
			t.Errorf("records:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}

	t.Run("LastThirtyDays", func(t *testing.T) {
		body := get(t, "/console/audit")
		wantRows(t, body, append(slices.Clone(first), later...))
		for _, s := range []string{`<input id="from" name="from" type="date" value="2025-12-14" required>`, `<input id="to" name="to" type="date" value="2026-01-13" required>`,
			`<a href="/console/audit" id="nav-audit">Audit log</a>`} {
			if !strings.Contains(body, s) {
				t.Errorf("audit page lacks %q", s)
			}
		}
	})
	t.Run("DateFilter", func(t *testing.T) {
		// The end day is inclusive; the 13th's records are outside.
		wantRows(t, get(t, "/console/audit?from=2026-01-05&to=2026-01-12"), first)
		wantRows(t, get(t, "/console/audit?from=2026-01-13&to=2026-01-13"), later)
		body := get(t, "/console/audit?from=2026-01-06&to=2026-01-12")
		if !strings.Contains(body, "Nothing was changed from 2026-01-06 to 2026-01-12.") {
			t.Errorf("empty range: %s", body)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		MustScenario(t, srv, scenario{method: "GET", path: "/console/audit?from=2026-01-13&to=2026-01-05", key: w.partnerKey, status: http.StatusBadRequest,
			want: []string{"The end day 2026-01-05 is before the start day 2026-01-13: choose an end on or after the start."}})
		MustScenario(t, srv, scenario{method: "GET", path: "/console/audit?from=13.01.2026", key: w.partnerKey, status: http.StatusBadRequest,
			want: []string{`The start day "13.01.2026" is not a date: choose it as year-month-day, for example 2026-01-05.`}})
	})
	t.Run("Paging", func(t *testing.T) {
		for i := range 43 {
			MustCreateCustomer(t, w.app, ann, fmt.Sprintf("Audit Co %02d", i), fmt.Sprintf("auditco%02d", i), "",
				csp.Address{Country: "US", City: "Austin", State: "TX", AddressLine1: "1 Congress Ave", PostalCode: "78701"})
		}
		created := func(from, to int) []string {
			var out []string
			for i := from; i < to; i++ {
				out = append(out, jan13+fmt.Sprintf("Customer created|Audit Co %02d", i)+byAnn)
			}
			return out
		}
		body := get(t, "/console/audit?from=2026-01-01&to=2026-01-31")
		wantRows(t, body, slices.Concat(first, later, created(0, 42)))
		next := nextPage(body)
		if !strings.HasPrefix(next, "/console/audit?") || !strings.Contains(next, "from=2026-01-01") || !strings.Contains(next, "to=2026-01-31") {
			t.Fatalf("next link %q does not keep the dates", next)
		}
		body = get(t, next)
		wantRows(t, body, created(42, 43))
		if nextPage(body) != "" {
			t.Errorf("the last page links to %q", nextPage(body))
		}
	})
}
