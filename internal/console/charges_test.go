package console_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

var (
	rowPattern  = regexp.MustCompile(`(?s)<tr class="([^"]*)"[^>]*>(.*?)</tr>`)
	cellPattern = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
	tagPattern  = regexp.MustCompile(`<[^>]*>`)
	nextPattern = regexp.MustCompile(`<a id="next-page" href="([^"]+)">`)
)

// rows answers the rows of class in an HTML page, each as its cells' text
// joined by "|" (a list item or a line break is a new line).
func rows(body, class string) []string {
	var out []string
	for _, m := range rowPattern.FindAllStringSubmatch(body, -1) {
		if m[1] != class {
			continue
		}
		var cells []string
		for _, c := range cellPattern.FindAllStringSubmatch(m[2], -1) {
			text := strings.NewReplacer("</li>", "\n", "<br>", "\n").Replace(c[1])
			cells = append(cells, strings.TrimSpace(html.UnescapeString(tagPattern.ReplaceAllString(text, ""))))
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

// nextPage is the page's next-page link, "" when it has none.
func nextPage(body string) string {
	if m := nextPattern.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// TestUnbilledCharges buys on 2026-01-05 09:00 and reads the month's
// unbilled lines. By hand, from the built-in catalog's prices:
//
//   - Northwind (CAD): 5 seats of Business Premium on P1Y/monthly at
//     CAD 31.61: one new line of CAD 158.05;
//   - Fabrikam (USD): 1 seat of Business Premium at USD 23.10, then raised
//     one seat at a time to 51 at the same instant: each raise n−1 → n
//     covers the whole first month, so 1 new line and 50 pairs (C-2): the
//     n−1 seats refunded at −23.10 and the n seats charged at 23.10; then 3
//     seats of Business Basic on P1M/monthly at USD 7.20: USD 21.60.
//
// The month's totals: CAD 158.05 and 51 × 23.10 + 21.60 = USD 1199.70 (each
// pair nets one seat). The lines run currency after currency (CAD, then
// USD), 50 to a page: the first page holds the CAD line, the new line and
// the pairs of the raises to 25; the second the pairs of 26 to 50; the
// third the raise to 51 and the Business Basic line.
func TestUnbilledCharges(t *testing.T) {
	w := MustSeed(t, "http://console.test")
	srv := MustConsole(t, w)
	ctx := t.Context()
	ann := MustPrincipal(t, w, w.partnerKey)
	MustAgree(t, w, ann, w.northwind)
	MustAgree(t, w, ann, w.fabrikam)
	MustBuy(t, w, ann, w.northwind, premium, "P1Y", "monthly", 5)
	sub := MustBuy(t, w, ann, w.fabrikam, premium, "P1Y", "monthly", 1)
	for q := 2; q <= 51; q++ {
		if _, err := w.app.ChangeSubscription(ctx, ann, w.fabrikam.ID, sub.ID, csp.Change{Quantity: &q}); err != nil {
			t.Fatal(err)
		}
	}
	MustBuy(t, w, ann, w.fabrikam, basic, "P1M", "monthly", 3)

	const (
		nw    = "2026-01-05|Northwind Traders|Microsoft 365 Business Premium|New purchase|5|CAD 158.05|2026-01-05 to 2026-02-04"
		fab   = "2026-01-05|Fabrikam|Microsoft 365 Business Premium|New purchase|1|USD 23.10|2026-01-05 to 2026-02-04"
		basic = "2026-01-05|Fabrikam|Microsoft 365 Business Basic|New purchase|3|USD 21.60|2026-01-05 to 2026-02-04"
	)
	status, _, body := MustDo(t, srv, scenario{method: "GET", path: "/console/charges", key: w.partnerKey})
	if status != http.StatusOK {
		t.Fatalf("charges: status %d\n%s", status, body)
	}
	MustPlainWords(t, body)
	for _, s := range []string{`<h2>January 2026</h2>`, `<input id="month" name="month" type="month" value="2026-01" required>`,
		`<strong class="month-total">CAD 158.05</strong>, <strong class="month-total">USD 1199.70</strong>`,
		`<a href="/console/charges" id="nav-charges">Unbilled charges</a>`} {
		if !strings.Contains(body, s) {
			t.Errorf("charges page lacks %q", s)
		}
	}
	// raise is the pair of n−1 → n seats: 23.10 a seat, 2,310 cents.
	raise := func(n int) []string {
		line := func(title string, seats, cents int) string {
			sign := ""
			if cents < 0 {
				sign, cents = "-", -cents
			}
			return fmt.Sprintf("2026-01-05|Fabrikam|Microsoft 365 Business Premium|Seats added, %s|%d|USD %s%d.%02d|2026-01-05 to 2026-02-04",
				title, seats, sign, cents/100, cents%100)
		}
		return []string{line("old count refunded", n-1, -2310*(n-1)), line("new count charged", n, 2310*n)}
	}
	want := []string{nw, fab}
	for n := 2; n <= 25; n++ {
		want = append(want, raise(n)...)
	}
	if got := rows(body, "charge-line"); !slices.Equal(got, want) {
		t.Errorf("first page: %d lines\n%s\nwant %d\n%s", len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
	next := nextPage(body)
	if !strings.HasPrefix(next, "/console/charges?") {
		t.Fatalf("first page: next link %q", next)
	}
	status, _, body = MustDo(t, srv, scenario{method: "GET", path: next, key: w.partnerKey})
	want = nil
	for n := 26; n <= 50; n++ {
		want = append(want, raise(n)...)
	}
	if got := rows(body, "charge-line"); status != http.StatusOK || !slices.Equal(got, want) {
		t.Errorf("second page: status %d\n%s", status, strings.Join(got, "\n"))
	}
	next = nextPage(body)
	status, _, body = MustDo(t, srv, scenario{method: "GET", path: next, key: w.partnerKey})
	if got := rows(body, "charge-line"); status != http.StatusOK || !slices.Equal(got, append(raise(51), basic)) {
		t.Errorf("third page: status %d\n%s", status, strings.Join(got, "\n"))
	}
	if nextPage(body) != "" || !strings.Contains(body, `<strong class="month-total">USD 1199.70</strong>`) {
		t.Errorf("second page: next link %q, or the month's totals are missing", nextPage(body))
	}

	MustScenario(t, srv, scenario{name: "PreviousMonth", method: "GET", path: "/console/charges?month=2025-12", key: w.partnerKey, status: http.StatusOK,
		want: []string{`<h2>December 2025</h2>`, "No unbilled charges in December 2025."}, notWant: []string{`class="charge-line"`}})
	MustScenario(t, srv, scenario{name: "ErrBadMonth", method: "GET", path: "/console/charges?month=January", key: w.partnerKey, status: http.StatusBadRequest,
		want: []string{"Choose the month as year and month, for example 2026-01."}})
	MustScenario(t, srv, scenario{name: "ErrBadContinuation", method: "GET", path: "/console/charges?continuation=e30", key: w.partnerKey, status: http.StatusBadRequest,
		want: []string{"The continuation parameter is not a position in this listing. Start again from the first page."}})

	// A sales agent neither sees the link nor opens the page.
	_, key, err := w.app.CreatePartnerUser(ctx, w.operator, w.contoso.ID, app.NewPartnerUser{DisplayName: "Sal", Email: "sal@contoso-partner.com", Roles: []string{"salesAgent"}})
	if err != nil {
		t.Fatal(err)
	}
	MustScenario(t, srv, scenario{name: "SalesAgentHasNoLink", method: "GET", path: "/console", key: key.APIKey, status: http.StatusOK,
		rows: 4, want: []string{`<span class="role" id="user-role">Sales agent</span>`}, notWant: []string{`id="nav-charges"`, `id="nav-audit"`}})
	MustScenario(t, srv, scenario{name: "ErrSalesAgent", method: "GET", path: "/console/charges", key: key.APIKey, status: http.StatusForbidden,
		want: []string{"Your role does not allow this: it needs the role Admin agent or Billing admin. Ask your partner's admin agent."}})
}
