package plan

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// The tenant of decision 148's example: Business Premium P1Y/monthly
// bought from partner A on 2026-01-12 (term end 2027-01-11, auto-renew
// on) and an EA subscription ending 2026-06-30 (no auto-renew).
func held(transferable error) (uuid.UUID, uuid.UUID, []Held) {
	a := uuid.MustParse("00000000-0000-0000-0000-00000000000a")
	csp1 := uuid.MustParse("00000000-0000-0000-0000-000000000001")
	ea := uuid.MustParse("00000000-0000-0000-0000-000000000002")
	return csp1, ea, []Held{
		{ID: csp1, Channel: csp.ChannelCSP, PartnerID: &a, ProductID: "CFQ7TTC0LCHC", SkuID: "0002", AvailabilityID: "AV", Quantity: 10,
			TermDuration: "P1Y", BillingCycle: "monthly", TermStart: day("2026-01-12"), TermEnd: day("2027-01-11"), AutoRenew: true, Licence: true,
			TransferProblem: transferable},
		{ID: ea, Channel: csp.ChannelEA, ProductID: "CFQ7TTC0LFLX", SkuID: "0001", Quantity: 25, TermStart: day("2025-07-01"), TermEnd: day("2026-06-30"), Licence: true},
	}
}

func got(steps []Step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.SubscriptionID.String()[35:]+" "+string(s.Action)+" "+s.Date+" "+s.LastDayToTurnOffAutoRenew+" "+s.TermDuration)
	}
	return out
}

func same(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("steps\n%q\nwant\n%q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("step %d: %q, want %q", i, got[i], want[i])
		}
	}
}

func TestToAnotherPartner(t *testing.T) {
	b := uuid.MustParse("00000000-0000-0000-0000-00000000000b")
	_, _, h := held(nil)
	steps, skipped := Steps(h, Destination{PartnerID: &b}, day("2026-04-01").Add(10*time.Hour))
	// The CSP one moves today; the EA one runs to 2026-06-30 and partner B
	// sells it anew that day (a P1Y, the EA term being a year).
	same(t, got(steps), []string{"1 transferNow 2026-04-01  P1Y", "2 waitForTermEnd 2026-06-30  ", "2 buyAtDestination 2026-06-30  P1Y"})
	if len(skipped) != 0 {
		t.Errorf("skipped %v", skipped)
	}
	// Not transferable (a trial, say): it waits to its end and B sells it
	// that day; auto-renew goes off on the last day.
	_, _, h = held(csp.Errorf(csp.ETransferLineTrial, "a trial"))
	steps, _ = Steps(h, Destination{PartnerID: &b}, day("2026-04-01"))
	same(t, got(steps), []string{"2 waitForTermEnd 2026-06-30  ", "2 buyAtDestination 2026-06-30  P1Y",
		"1 turnOffAutoRenew 2027-01-11  P1Y", "1 waitForTermEnd 2027-01-11 2027-01-11 P1Y", "1 buyAtDestination 2027-01-11  P1Y"})
}

func TestToAnotherChannel(t *testing.T) {
	_, ea, h := held(nil)
	steps, skipped := Steps(h, Destination{Channel: csp.ChannelEA}, day("2026-04-01"))
	// The CSP term's last day is 2027-01-11; auto-renew goes off that
	// day at the latest; the EA term starts the next day.
	same(t, got(steps), []string{"1 turnOffAutoRenew 2027-01-11  P1Y", "1 waitForTermEnd 2027-01-11 2027-01-11 P1Y", "1 buyAtDestination 2027-01-12  P1Y"})
	if len(skipped) != 1 || skipped[0].SubscriptionID != ea || skipped[0].Reason != SkipAtDestination {
		t.Errorf("skipped %v", skipped)
	}
}

func TestTermFor(t *testing.T) {
	for _, c := range []struct{ start, end, want string }{
		{"2026-01-01", "2026-01-31", "P1M"}, {"2026-01-15", "2026-02-14", "P1M"}, {"2025-07-01", "2026-06-30", "P1Y"},
		{"2024-07-01", "2027-06-30", "P3Y"}, {"2025-01-01", "2026-12-31", "P1Y"},
	} {
		if g := TermFor(day(c.start), day(c.end)); g != c.want {
			t.Errorf("%s..%s: %s, want %s", c.start, c.end, g, c.want)
		}
	}
}

func TestDue(t *testing.T) {
	_, _, h := held(nil)
	steps, _ := Steps(h, Destination{Channel: csp.ChannelDirect}, day("2026-04-01"))
	p := &Plan{Steps: steps}
	if p.Due(day("2026-04-01")) != nil {
		t.Fatal("an unapplied plan is due")
	}
	p.Apply(day("2026-04-01"), "admin")
	// The EA one waits to 2026-06-30 first.
	if d := p.Due(day("2026-04-01")); d == nil || !d.Equal(day("2026-06-30")) {
		t.Errorf("due %v", d)
	}
	if idx := p.DueSteps(day("2026-06-30")); len(idx) != 1 || p.Steps[idx[0]].Action != WaitForTermEnd {
		t.Errorf("due steps %v", idx)
	}
}
