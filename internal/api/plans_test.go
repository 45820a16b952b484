package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

type planStepOut struct {
	SubscriptionID            string `json:"subscriptionId"`
	Action                    string `json:"action"`
	Date                      string `json:"date"`
	LastDayToTurnOffAutoRenew string `json:"lastDayToTurnOffAutoRenew"`
	From                      string `json:"from"`
	ProductID                 string `json:"productId"`
	SkuID                     string `json:"skuId"`
	Quantity                  int    `json:"quantity"`
	TermDuration              string `json:"termDuration"`
	BillingCycle              string `json:"billingCycle"`
	Reason                    string `json:"reason"`
	State                     string `json:"state"`
	Result                    string `json:"result"`
}

type planOut struct {
	ID          string `json:"id"`
	Destination struct {
		PartnerID string `json:"partnerId"`
		Channel   string `json:"channel"`
	} `json:"destination"`
	DestinationName string        `json:"destinationName"`
	Steps           []planStepOut `json:"steps"`
	Skipped         []struct {
		SubscriptionID string `json:"subscriptionId"`
		Reason         string `json:"reason"`
	} `json:"skipped"`
	AppliedDateTime *time.Time `json:"appliedDateTime"`
}

// planWorld is the transfer world (Contoso: 10 seats of Business Premium
// P1Y/monthly from Northwind bought 2026-01-12, term end 2027-01-11,
// auto-renew on; Tailspin accepted) plus 25 seats of Microsoft 365 E3
// through an Enterprise Agreement for 2025-07-01..2026-06-30, without
// auto-renew; the clock at 2026-04-01T09:00.
type planWorld struct {
	*transferWorld
	ea string
}

func newPlanWorld(t *testing.T, w *world) *planWorld {
	t.Helper()
	x := newTransferWorld(t, w)
	ea := map[string]any{"channel": "ea", "productId": "CFQ7TTC0LFLX", "skuId": "0001", "quantity": 25,
		"termStartDate": "2025-07-01", "termEndDate": "2026-06-30", "autoRenewEnabled": false}
	var rec channelSubJSON
	if _, err := w.op.Do(w.ctx, http.MethodPost, channelPath(x.customer), ea, &rec, nil); err != nil {
		t.Fatal(err)
	}
	x.src.advanceTo(t, "2026-04-01T09:00:00Z")
	return &planWorld{transferWorld: x, ea: rec.ID}
}

func (x *planWorld) plan(t *testing.T, c *client.Client, dest map[string]any) (planOut, error) {
	t.Helper()
	var out planOut
	_, err := c.Do(x.w.ctx, http.MethodPost, "/tenant/v1/channelPlans", map[string]any{"destination": dest}, &out, nil)
	return out, err
}

func (x *planWorld) planCall(t *testing.T, method, path string) planOut {
	t.Helper()
	var out planOut
	if _, err := x.admin.Do(x.w.ctx, method, path, nil, &out, nil); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return out
}

// steps renders steps as "subscription action date lastDay term state".
func (x *planWorld) steps(p planOut) []string {
	name := map[string]string{x.sub: "csp", x.ea: "ea"}
	var out []string
	for _, s := range p.Steps {
		out = append(out, strings.Join(strings.Fields(fmt.Sprintf("%s %s %s %s %s %s", name[s.SubscriptionID], s.Action, s.Date, s.LastDayToTurnOffAutoRenew, s.TermDuration, s.State)), " "))
	}
	return out
}

func sameSteps(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s:\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// enabled answers the tenant's enabled prepaid units of a Graph SKU, as
// app.SubscribedSkus counts them.
func (x *planWorld) enabled(t *testing.T, graphSku string) int {
	t.Helper()
	tenant := mustUUID(t, x.customer)
	pools, err := x.w.app.SubscribedSkus(x.w.ctx, csp.Principal{Kind: csp.PrincipalTenant, TenantID: tenant, GlobalAdmin: true}, tenant)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pools {
		if p.SkuID == uuid.MustParse(graphSku) {
			return p.Prepaid.Enabled
		}
	}
	return 0
}

// day advances the clock to noon of each day from..to (inclusive) and
// calls check on each.
func (x *planWorld) days(t *testing.T, from, to string, check func(day string)) {
	t.Helper()
	d, _ := time.Parse(time.DateOnly, from)
	end, _ := time.Parse(time.DateOnly, to)
	for ; !d.After(end); d = d.AddDate(0, 0, 1) {
		x.src.advanceTo(t, d.Format(time.DateOnly)+"T12:00:00Z")
		check(d.Format(time.DateOnly))
	}
}

// TestPlanToAnotherPartner: moving Contoso to Tailspin. On 2026-04-01 the
// Business Premium subscription may transfer now (active, paid, an offer
// Tailspin sells in the same market and currency): transferNow that day.
// The EA subscription cannot move into CSP: it runs to its last day,
// 2026-06-30, and Tailspin sells E3 anew that day (a P1Y, the EA term
// being a year), so the seats overlap one day at most and never drop.
func TestPlanToAnotherPartner(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newPlanWorld(t, w)
		x.tgt.agree(t)
		p, err := x.plan(t, x.admin, map[string]any{"partnerId": x.tgtID})
		if err != nil {
			t.Fatal(err)
		}
		sameSteps(t, "plan", x.steps(p), []string{"csp transferNow 2026-04-01 P1Y planned", "ea waitForTermEnd 2026-06-30 planned",
			"ea buyAtDestination 2026-06-30 P1Y planned"})
		if p.DestinationName != "Tailspin Cloud" || p.Steps[0].From != "Northwind Cloud" || p.Steps[1].From != "ea" || !strings.Contains(p.Steps[1].Reason, "R-42") {
			t.Errorf("names and reasons: %+v", p)
		}
		x.planCall(t, http.MethodPost, "/tenant/v1/channelPlans/"+p.ID+"/apply")

		// The job makes the transfer request on Tailspin's behalf; Northwind submits it.
		x.src.advanceTo(t, "2026-04-01T09:01:00Z")
		got := x.planCall(t, http.MethodGet, "/tenant/v1/channelPlans/"+p.ID)
		sameSteps(t, "after the first job", x.steps(got), []string{"csp transferNow 2026-04-01 P1Y requested", "ea waitForTermEnd 2026-06-30 scheduled",
			"ea buyAtDestination 2026-06-30 P1Y scheduled"})
		tr := x.do(t, x.src.pc, http.MethodGet, x.base+"/"+got.Steps[0].Result, nil)
		if tr.Status != "Active" || tr.TargetPartnerTenantID != x.tgtID || len(tr.LineItems) != 1 || tr.LineItems[0].Quantity != 10 {
			t.Fatalf("the plan's transfer: %+v", tr)
		}
		for _, pc := range []*client.Client{x.src.pc, x.tgt.pc} {
			recs, err := pc.AuditRecords(w.ctx, "2026-04-01", "", "")
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, r := range recs.Items {
				found = found || (r.OperationType == "create_transfer" && r.UserPrincipalName == "channelPlan "+p.ID && strings.Contains(r.ResourceNewValue, p.ID))
			}
			if !found {
				t.Errorf("an audit log lacks the plan's transfer request: %+v", recs.Items)
			}
		}
		if tr = x.do(t, x.src.pc, http.MethodPost, x.base+"/"+tr.ID+"/submit", nil); tr.Status != "Completed" {
			t.Fatalf("submitted: %s", tr.Status)
		}
		if old := x.src.sub(t, x.sub); old.Status != "deleted" {
			t.Errorf("Northwind's subscription is %s after the transfer", old.Status)
		}

		var cart string
		x.days(t, "2026-04-02", "2026-07-31", func(day string) {
			if n := x.enabled(t, skuSPB); n != 10 {
				t.Fatalf("%s: %d Business Premium seats enabled, want 10", day, n)
			}
			if day == "2026-06-30" {
				got := x.planCall(t, http.MethodGet, "/tenant/v1/channelPlans/"+p.ID)
				sameSteps(t, "on 2026-06-30", x.steps(got), []string{"csp transferNow 2026-04-01 P1Y requested", "ea waitForTermEnd 2026-06-30 done",
					"ea buyAtDestination 2026-06-30 P1Y requested"})
				cart = got.Steps[2].Result
				var c cartJSON
				if _, err := x.tgt.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+x.customer+"/carts/"+cart, nil, &c, nil); err != nil {
					t.Fatal(err)
				}
				if c.Status != "Active" || len(c.LineItems) != 1 || c.LineItems[0].Quantity != 25 || !strings.HasPrefix(c.LineItems[0].CatalogItemID, "CFQ7TTC0LFLX:0001:") ||
					c.LineItems[0].TermDuration != "P1Y" || c.LineItems[0].Error != nil {
					t.Fatalf("Tailspin's cart: %+v", c)
				}
				if _, err := x.tgt.checkout(t, cart); err != nil {
					t.Fatal(err)
				}
			}
			want := 25
			if day == "2026-06-30" {
				want = 50 // the one day of overlap
			}
			if n := x.enabled(t, skuE3); n != want {
				t.Fatalf("%s: %d E3 seats enabled, want %d", day, n, want)
			}
		})
		if cart == "" {
			t.Fatal("no cart")
		}
		subs := tenantSubsByID(t, x)
		// Expired 2026-07-01..07-30 (R-19, decision 138), disabled from 07-31.
		if s := subs[x.ea]; s.Status != "disabled" || s.TermEndDate != "2026-06-30" {
			t.Errorf("the EA subscription on 2026-07-31: %+v", s)
		}
	})
}

// TestPlanToAnotherChannel: moving Contoso's CSP subscription to its EA.
// The term's last day is 2027-01-11 (bought 2026-01-12, R-3); auto-renew
// is on, so it must be off by the end of that day: the plan turns
// it off on 2027-01-11 and the new EA term starts on 2027-01-12, when the
// CSP one has expired; the E3 one is in the EA already. Over the year,
// Business Premium never has fewer than 10 enabled seats.
func TestPlanToAnotherChannel(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newPlanWorld(t, w)
		p, err := x.plan(t, x.admin, map[string]any{"channel": "ea"})
		if err != nil {
			t.Fatal(err)
		}
		sameSteps(t, "plan", x.steps(p), []string{"csp turnOffAutoRenew 2027-01-11 P1Y planned", "csp waitForTermEnd 2027-01-11 2027-01-11 P1Y planned",
			"csp buyAtDestination 2027-01-12 P1Y planned"})
		if len(p.Skipped) != 1 || p.Skipped[0].SubscriptionID != x.ea || p.Skipped[0].Reason != "alreadyAtDestination" {
			t.Errorf("skipped: %+v", p.Skipped)
		}
		x.planCall(t, http.MethodPost, "/tenant/v1/channelPlans/"+p.ID+"/apply")

		x.days(t, "2026-04-02", "2027-02-15", func(day string) {
			if n := x.enabled(t, skuSPB); n != 10 {
				t.Fatalf("%s: %d Business Premium seats enabled, want 10", day, n)
			}
			switch day {
			case "2027-01-05": // the operator records the EA purchase ahead of its start
				var acts client.Collection[struct {
					PlanID                 string      `json:"planId"`
					Channel                string      `json:"channel"`
					Step                   planStepOut `json:"step"`
					RecordedSubscriptionID *string     `json:"recordedSubscriptionId"`
				}]
				if _, err := w.op.Do(w.ctx, http.MethodGet, "/admin/v1/channelPlanActions", nil, &acts, nil); err != nil {
					t.Fatal(err)
				}
				if len(acts.Items) != 1 || acts.Items[0].Channel != "ea" || acts.Items[0].Step.Date != "2027-01-12" || acts.Items[0].Step.Quantity != 10 ||
					acts.Items[0].RecordedSubscriptionID != nil {
					t.Fatalf("operator's actions: %+v", acts.Items)
				}
				s := acts.Items[0].Step
				rec := map[string]any{"channel": "ea", "productId": s.ProductID, "skuId": s.SkuID, "quantity": s.Quantity,
					"termStartDate": "2027-01-12", "termEndDate": "2028-01-11", "autoRenewEnabled": false}
				if _, err := w.op.Do(w.ctx, http.MethodPost, channelPath(x.customer), rec, nil, nil); err != nil {
					t.Fatal(err)
				}
				if _, err := w.op.Do(w.ctx, http.MethodGet, "/admin/v1/channelPlanActions", nil, &acts, nil); err != nil || acts.Items[0].RecordedSubscriptionID == nil {
					t.Fatalf("recorded: %+v %v", acts.Items, err)
				}
			case "2027-01-10":
				if s := x.src.sub(t, x.sub); !s.AutoRenewEnabled {
					t.Fatalf("%s: auto-renew already off", day)
				}
			case "2027-01-11":
				if s := x.src.sub(t, x.sub); s.AutoRenewEnabled || s.Status != "active" {
					t.Fatalf("%s: %+v", day, s)
				}
				got := x.planCall(t, http.MethodGet, "/tenant/v1/channelPlans/"+p.ID)
				sameSteps(t, day, x.steps(got), []string{"csp turnOffAutoRenew 2027-01-11 P1Y done", "csp waitForTermEnd 2027-01-11 2027-01-11 P1Y done",
					"csp buyAtDestination 2027-01-12 P1Y scheduled"})
				// Audited in Northwind's log, by the plan.
				recs, err := x.src.pc.AuditRecords(w.ctx, "2027-01-11", "", "")
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, r := range recs.Items {
					found = found || (r.OperationType == "update_subscription" && r.UserPrincipalName == "channelPlan "+p.ID && strings.Contains(r.ResourceNewValue, x.sub))
				}
				if !found {
					t.Errorf("Northwind's audit records lack the plan's auto-renew change: %+v", recs.Items)
				}
			case "2027-01-12":
				if s := x.src.sub(t, x.sub); s.Status != "expired" {
					t.Fatalf("%s: the CSP subscription is %s", day, s.Status)
				}
				got := x.planCall(t, http.MethodGet, "/tenant/v1/channelPlans/"+p.ID)
				if got.Steps[2].State != "listed" {
					t.Fatalf("%s: %+v", day, got.Steps[2])
				}
			}
		})
		// Expired 2027-01-12..02-10, disabled from 02-11.
		if s := x.src.sub(t, x.sub); s.Status != "disabled" || s.AutoRenewEnabled {
			t.Errorf("the CSP subscription on 2027-02-15: %s", s.Status)
		}
	})
}

// tenantSubsByID answers the customer's subscriptions by id.
func tenantSubsByID(t *testing.T, x *planWorld) map[string]tenantSubJSON {
	t.Helper()
	var list client.Collection[tenantSubJSON]
	if _, err := x.admin.Do(x.w.ctx, http.MethodGet, "/tenant/v1/subscriptions", nil, &list, nil); err != nil {
		t.Fatal(err)
	}
	out := map[string]tenantSubJSON{}
	for _, s := range list.Items {
		out[s.ID] = s
	}
	return out
}

// TestPlanStepInOneLongAdvance: the same plan as TestPlanToAnotherChannel,
// with the clock advanced in one call from 2026-04-01 past the step's day.
// The subscription's monthly charges (the 12th, 2026-04-12..2027-01-12 when
// the term ends) and the plan's 2027-01-11 step fall in one run: each
// charge is made once and the step's auto-renew change stays, so the term
// expires on 2027-01-12 instead of renewing.
func TestPlanStepInOneLongAdvance(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newPlanWorld(t, w)
		p, err := x.plan(t, x.admin, map[string]any{"channel": "ea"})
		if err != nil {
			t.Fatal(err)
		}
		x.planCall(t, http.MethodPost, "/tenant/v1/channelPlans/"+p.ID+"/apply")
		x.src.advanceTo(t, "2027-01-11T12:00:00Z")
		if s := x.src.sub(t, x.sub); s.AutoRenewEnabled || s.Status != "active" {
			t.Fatalf("on 2027-01-11: auto-renew %v, status %s", s.AutoRenewEnabled, s.Status)
		}
		// Cycle charges from the purchase on: 2026-02-12 .. 2026-12-12, one each.
		want := []string{"2026-02-12", "2026-03-12", "2026-04-12", "2026-05-12", "2026-06-12", "2026-07-12", "2026-08-12", "2026-09-12",
			"2026-10-12", "2026-11-12", "2026-12-12"}
		sameSteps(t, "cycle charges", x.src.cycleDates(t, x.sub), want)
		x.src.advanceTo(t, "2027-01-13T12:00:00Z")
		if s := x.src.sub(t, x.sub); s.Status != "expired" {
			t.Fatalf("on 2027-01-13 the CSP subscription is %s, want expired", s.Status)
		}
		sameSteps(t, "cycle charges after the term", x.src.cycleDates(t, x.sub), want)
		got := x.planCall(t, http.MethodGet, "/tenant/v1/channelPlans/"+p.ID)
		sameSteps(t, "steps", x.steps(got), []string{"csp turnOffAutoRenew 2027-01-11 P1Y done", "csp waitForTermEnd 2027-01-11 2027-01-11 P1Y done",
			"csp buyAtDestination 2027-01-12 P1Y listed"})
	})
}

// TestPlanListsAChannelSubscriptionsAutoRenew: Contoso also holds 5 seats
// of Business Basic bought direct for 2025-06-01..2026-05-31, renewing.
// Moving to Tailspin, that subscription cannot move into CSP: its
// auto-renew must be off by its last day, 2026-05-31, which the operator
// records for the customer (the plan lists it), and Tailspin sells it anew
// that day. On 2026-06-01 the direct one has expired and Tailspin's 5 seats
// are the tenant's only ones.
func TestPlanListsAChannelSubscriptionsAutoRenew(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newPlanWorld(t, w)
		x.tgt.agree(t)
		var direct channelSubJSON
		rec := map[string]any{"channel": "direct", "productId": "CFQ7TTC0LH18", "skuId": "0001", "quantity": 5,
			"termStartDate": "2025-06-01", "termEndDate": "2026-05-31", "autoRenewEnabled": true}
		if _, err := w.op.Do(w.ctx, http.MethodPost, channelPath(x.customer), rec, &direct, nil); err != nil {
			t.Fatal(err)
		}
		p, err := x.plan(t, x.admin, map[string]any{"partnerId": x.tgtID})
		if err != nil {
			t.Fatal(err)
		}
		// names renders the direct subscription's steps as x.steps does.
		names := func(p planOut) []string {
			var out []string
			for _, s := range p.Steps {
				if s.SubscriptionID == direct.ID {
					out = append(out, strings.Join(strings.Fields(fmt.Sprintf("direct %s %s %s %s %s", s.Action, s.Date, s.LastDayToTurnOffAutoRenew, s.TermDuration, s.State)), " "))
				}
			}
			return out
		}
		sameSteps(t, "the direct subscription's steps", names(p), []string{"direct turnOffAutoRenew 2026-05-31 planned",
			"direct waitForTermEnd 2026-05-31 2026-05-31 planned", "direct buyAtDestination 2026-05-31 P1Y planned"})
		x.planCall(t, http.MethodPost, "/tenant/v1/channelPlans/"+p.ID+"/apply")

		x.src.advanceTo(t, "2026-05-31T12:00:00Z")
		got := x.planCall(t, http.MethodGet, "/tenant/v1/channelPlans/"+p.ID)
		sameSteps(t, "on 2026-05-31", names(got), []string{"direct turnOffAutoRenew 2026-05-31 listed",
			"direct waitForTermEnd 2026-05-31 2026-05-31 done", "direct buyAtDestination 2026-05-31 P1Y requested"})
		type action struct {
			Channel                string      `json:"channel"`
			Step                   planStepOut `json:"step"`
			RecordedSubscriptionID *string     `json:"recordedSubscriptionId"`
		}
		actions := func() []action {
			var acts client.Collection[action]
			if _, err := w.op.Do(w.ctx, http.MethodGet, "/admin/v1/channelPlanActions", nil, &acts, nil); err != nil {
				t.Fatal(err)
			}
			return acts.Items
		}
		if a := actions(); len(a) != 1 || a[0].Channel != "direct" || a[0].Step.Action != "turnOffAutoRenew" || a[0].Step.SubscriptionID != direct.ID || a[0].RecordedSubscriptionID != nil {
			t.Fatalf("operator's actions: %+v", a)
		}
		// The operator records what the customer did at Microsoft that day.
		var changed channelSubJSON
		if _, err := w.op.Do(w.ctx, http.MethodPatch, channelPath(x.customer)+"/"+direct.ID, map[string]any{"autoRenewEnabled": false}, &changed, nil); err != nil {
			t.Fatal(err)
		}
		if changed.AutoRenewEnabled || changed.TermStartDate != "2025-06-01" || changed.TermEndDate != "2026-05-31" || changed.Status != "active" {
			t.Fatalf("after the change: %+v", changed)
		}
		if a := actions(); len(a) != 1 || a[0].RecordedSubscriptionID == nil || *a[0].RecordedSubscriptionID != direct.ID {
			t.Fatalf("recorded: %+v", a)
		}
		if _, err := x.tgt.checkout(t, got.Steps[slices.IndexFunc(got.Steps, func(s planStepOut) bool {
			return s.SubscriptionID == direct.ID && s.Action == "buyAtDestination"
		})].Result); err != nil {
			t.Fatal(err)
		}
		if n := x.enabled(t, skuBasic); n != 10 {
			t.Fatalf("2026-05-31: %d Business Basic seats enabled, want 10 (the day of overlap)", n)
		}
		x.src.advanceTo(t, "2026-06-01T12:00:00Z")
		if s := tenantSubsByID(t, x)[direct.ID]; s.Status != "expired" {
			t.Fatalf("the direct subscription on 2026-06-01: %+v", s)
		}
		if n := x.enabled(t, skuBasic); n != 5 {
			t.Fatalf("2026-06-01: %d Business Basic seats enabled, want Tailspin's 5", n)
		}
	})
}

// TestPlanStepFailsOnItsDay: the plan to Tailspin of TestPlanToAnotherPartner,
// but Tailspin narrows its sale policy to education on 2026-05-01. On
// 2026-06-30 the EA's term ends as planned, and the purchase at Tailspin
// fails with the cart's refusal, naming the sale rule; no cart is left for
// Tailspin to check out, and the plan has no step left to run.
func TestPlanStepFailsOnItsDay(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		x := newPlanWorld(t, w)
		x.tgt.agree(t)
		p, err := x.plan(t, x.admin, map[string]any{"partnerId": x.tgtID})
		if err != nil {
			t.Fatal(err)
		}
		x.planCall(t, http.MethodPost, "/tenant/v1/channelPlans/"+p.ID+"/apply")
		x.src.advanceTo(t, "2026-05-01T10:00:00Z")
		if _, err := w.op.Do(w.ctx, http.MethodPut, "/admin/v1/partners/"+x.tgtID+"/salePolicy", map[string]any{"segments": []string{"education"}}, nil, nil); err != nil {
			t.Fatal(err)
		}
		x.src.advanceTo(t, "2026-07-01T12:00:00Z")
		got := x.planCall(t, http.MethodGet, "/tenant/v1/channelPlans/"+p.ID)
		sameSteps(t, "on 2026-07-01", x.steps(got), []string{"csp transferNow 2026-04-01 P1Y requested", "ea waitForTermEnd 2026-06-30 done",
			"ea buyAtDestination 2026-06-30 P1Y failed"})
		if r := got.Steps[2].Result; !strings.HasPrefix(r, "Tailspin Cloud cannot buy CFQ7TTC0LFLX:0001:") || !strings.Contains(r, "education") {
			t.Errorf("the failed step's reason: %q", r)
		}
		var carts, jobs int
		if err := w.db.WritePool().QueryRowContext(w.ctx, `SELECT COUNT(*) FROM carts WHERE partner_id = '`+x.tgtID+`'`).Scan(&carts); err != nil || carts != 0 {
			t.Errorf("Tailspin has %d carts (%v), want none", carts, err)
		}
		if err := w.db.WritePool().QueryRowContext(w.ctx, `SELECT COUNT(*) FROM jobs WHERE kind = 'channelPlan'`).Scan(&jobs); err != nil || jobs != 0 {
			t.Errorf("%d plan jobs left (%v), want none", jobs, err)
		}
	})
}
