package console_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserTenantPlan: Fabrikam's admin plans to leave CSP for an
// enterprise agreement on 2026-01-07 and applies the plan. Both its
// subscriptions (Contoso's 2 seats and Litware's 3, bought 2026-01-05 for
// P1Y, auto-renewing) end their terms on 2027-01-04: auto-renew goes off
// that day, the terms run to it, and the seats are bought under the
// agreement on 2027-01-05.
func TestBrowserTenantPlan(t *testing.T) {
	_, _, ctx := MustTenantBrowser(t)
	steps := func() []string {
		t.Helper()
		return MustRun(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#plans-section li.step")).map(li =>
			li.querySelector(".date").innerText + "|" + li.querySelector(".action").innerText + "|" + li.querySelector(".quantity").innerText + "|" + li.querySelector(".state").innerText)`))
	}
	MustLoad(t, ctx, chromedp.SetValue(chromedp.ID("plan-destination"), "channel:ea"), chromedp.Click(chromedp.CSS("#new-plan button")))
	if msg := MustRun(t, ctx, chromedp.Text(chromedp.ID("action-notice"))); msg != "You made a plan to move to Enterprise Agreement: 6 steps. Nothing changes until you apply it." {
		t.Errorf("notice %q", msg)
	}
	got := steps()
	// Steps of one day are in action order; the two subscriptions' order
	// within an action is their ids', so compare without the seats.
	var actions []string
	for _, s := range got {
		parts := strings.Split(s, "|")
		actions = append(actions, parts[0]+"|"+parts[1]+"|"+parts[3])
	}
	want := []string{
		"2027-01-04|Turn auto-renew off (last day)|planned", "2027-01-04|Turn auto-renew off (last day)|planned",
		"2027-01-04|Wait for the term to end on 2027-01-04|planned", "2027-01-04|Wait for the term to end on 2027-01-04|planned",
		"2027-01-05|Buy at the destination (Enterprise Agreement)|planned", "2027-01-05|Buy at the destination (Enterprise Agreement)|planned",
	}
	if !slices.Equal(actions, want) {
		t.Errorf("timeline =\n%q\nwant\n%q", got, want)
	}
	MustLoad(t, ctx, chromedp.Click(chromedp.CSS("#plans-section form.apply button")))
	if msg := MustRun(t, ctx, chromedp.Text(chromedp.ID("action-notice"))); !strings.HasPrefix(msg, "You applied the plan to move to Enterprise Agreement: its steps are scheduled") {
		t.Errorf("notice %q", msg)
	}
	if applied := MustRun(t, ctx, chromedp.Text(chromedp.CSS("#plans-section .applied"))); applied != "applied 2026-01-07 09:00 UTC by admin@fabrikam.onmicrosoft.com" {
		t.Errorf("applied %q", applied)
	}
	for _, s := range steps() {
		if !strings.HasSuffix(s, "|scheduled") {
			t.Errorf("step %q is not scheduled", s)
		}
	}
	if n := MustRun(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#plans-section form.apply").length`)); n != 0 {
		t.Errorf("%d Apply buttons after applying", n)
	}
}
