package storetest

import (
	"context"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/plan"
	"github.com/opencsp/opencsp/internal/store"
)

// planCases cover channel plans: their steps as stored, their version,
// their job and the listings.
var planCases = []testCase{
	{"RoundTripApplyAndJob", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		sub, ea := newID(), newID()
		pl := &plan.Plan{ID: newID(), TenantID: tn.ID, Destination: plan.Destination{PartnerID: &p.ID}, DestinationName: p.Name, CreatedAt: t0, CreatedBy: "admin@contoso.example",
			Steps: []plan.Step{{SubscriptionID: sub, Action: plan.TransferNow, Date: "2026-11-26", ProductID: "CFQ7TTC0LCHC", SkuID: "0001", Quantity: 10, State: plan.StatePlanned},
				{SubscriptionID: ea, Action: plan.WaitForTermEnd, Date: "2027-06-30", LastDayToTurnOffAutoRenew: "2027-06-30", Reason: "R-42", State: plan.StatePlanned}},
			Skipped: []plan.Skipped{{SubscriptionID: newID(), Reason: plan.SkipNotLicence}}}
		other := &plan.Plan{ID: newID(), TenantID: MustCreateTenant(t, s, "Fabrikam", "fabrikam").ID, Destination: plan.Destination{Channel: csp.ChannelEA},
			DestinationName: "ea", CreatedAt: t0.Add(time.Minute), Steps: []plan.Step{}}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreatePlan(ctx, pl); err != nil {
				return err
			}
			return tx.CreatePlan(ctx, other)
		})
		if pl.Version != 1 {
			t.Errorf("version %d, want 1", pl.Version)
		}
		var got *plan.Plan
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetPlan(ctx, pl.ID, false)
			return err
		})
		if d := gocmp.Diff(pl, got); d != "" {
			t.Errorf("read back (-want +got):\n%s", d)
		}
		pl.Apply(t0.Add(time.Hour), "admin@contoso.example")
		due := pl.Due(t0.Add(time.Hour))
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.UpdatePlan(ctx, pl, due) })
		var jobs []csp.Job
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			all, err := tx.DueJobs(ctx, day("2020-01-01"), day("2040-01-01"), 100)
			if err != nil {
				return err
			}
			for _, j := range all {
				if j.Kind == csp.JobChannelPlan {
					jobs = append(jobs, j)
				}
			}
			got, err = tx.GetPlan(ctx, pl.ID, false)
			return err
		})
		if len(jobs) != 1 || jobs[0].Ref != pl.ID.String() || !jobs[0].Due.Equal(t0.Add(time.Hour)) {
			t.Errorf("jobs %+v, want one at the application", jobs)
		}
		if got.Version != 2 || got.AppliedAt == nil || !got.AppliedAt.Equal(t0.Add(time.Hour)) || got.Steps[1].State != plan.StateScheduled {
			t.Errorf("applied: %+v", got)
		}
		var mine, applied []*plan.Plan
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			if mine, err = tx.ListPlans(ctx, store.PlanFilter{TenantID: &tn.ID, Limit: 10}); err != nil {
				return err
			}
			applied, err = tx.ListPlans(ctx, store.PlanFilter{Applied: true, Limit: 10})
			return err
		})
		if len(mine) != 1 || mine[0].ID != pl.ID || len(applied) != 1 || applied[0].ID != pl.ID {
			t.Errorf("listings: %d mine, %d applied", len(mine), len(applied))
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.UpdatePlan(ctx, pl, nil) })
		jobs = nil
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			all, err := tx.DueJobs(ctx, day("2020-01-01"), day("2040-01-01"), 100)
			for _, j := range all {
				if j.Kind == csp.JobChannelPlan {
					jobs = append(jobs, j)
				}
			}
			return err
		})
		if len(jobs) != 0 {
			t.Errorf("the job stayed: %+v", jobs)
		}
	}},
	{"NotFound", func(t *testing.T, s store.Store) {
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			if _, err := tx.GetPlan(ctx, newID(), false); csp.ErrorCode(err) != csp.EPlanNotFound {
				t.Errorf("get: %v", err)
			}
			return nil
		})
	}},
}
