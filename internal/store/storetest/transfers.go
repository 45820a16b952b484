package storetest

import (
	"context"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/store"
)

// newTransfer answers an Active transfer of a tenant from source to
// target, created at created.
func newTransfer(tenantID, source, target uuid.UUID, created time.Time) *transfer.Transfer {
	return &transfer.Transfer{ID: newID(), CustomerTenantID: tenantID, CustomerName: "Contoso", CustomerEmailID: "gena@contoso.example",
		SourcePartnerID: source, SourcePartnerName: "Source", TargetPartnerID: target, TargetPartnerName: "Target", Type: transfer.TypeNewCommerce,
		Status: transfer.StatusActive, CreatedAt: created, ModifiedAt: created, ModifiedBy: "agent@target.example",
		ExpiresAt: created.AddDate(0, 0, transfer.ExpiryDays), Lines: []transfer.Line{}}
}

func transferJobs(tb testing.TB, s store.Store) []csp.Job {
	tb.Helper()
	var out []csp.Job
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) error {
		jobs, err := tx.DueJobs(ctx, day("2020-01-01"), day("2040-01-01"), 100)
		for _, j := range jobs {
			if j.Kind == csp.JobTransfer {
				out = append(out, j)
			}
		}
		return err
	})
	return out
}

func getTransfer(tb testing.TB, s store.Store, id uuid.UUID) *transfer.Transfer {
	tb.Helper()
	var t *transfer.Transfer
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) (err error) {
		t, err = tx.GetTransfer(ctx, id, false)
		return err
	})
	return t
}

// transferCases cover transfers, their lines, jobs, listings and the
// partners' policies.
var transferCases = []testCase{
	{"RoundTripVersionAndJob", func(t *testing.T, s store.Store) {
		p, q := MustCreatePartner(t, s, mpn(1)), MustCreatePartner(t, s, mpn(2))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		tr := newTransfer(tn.ID, p.ID, q.ID, t0)
		tr.TargetProductTypes = []string{"OnlineServicesNCE"}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateTransfer(ctx, tr) })
		if tr.Version != 1 {
			t.Errorf("version %d, want 1", tr.Version)
		}
		if diff := gocmp.Diff(tr, getTransfer(t, s, tr.ID)); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
		if jobs := transferJobs(t, s); len(jobs) != 1 || !jobs[0].Due.Equal(tr.ExpiresAt) || jobs[0].Ref != tr.ID.String() {
			t.Errorf("jobs %v, want one at %s", jobs, tr.ExpiresAt)
		}
		sub := newID()
		tr.Lines = []transfer.Line{{ID: 1, SubscriptionID: sub, Quantity: 4, OfferID: "CFQ7TTC0LCHC:0001", BillingCycle: "monthly", TermDuration: "P1Y"}}
		tr.Status, tr.ModifiedAt = transfer.StatusInProgress, at(time.Hour)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.UpdateTransfer(ctx, tr) })
		if tr.Version != 2 {
			t.Errorf("version after update %d, want 2", tr.Version)
		}
		if diff := gocmp.Diff(tr, getTransfer(t, s, tr.ID)); diff != "" {
			t.Errorf("after update (-want +got):\n%s", diff)
		}
		var open []uuid.UUID
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			open, err = tx.OpenTransfersOf(ctx, tn.ID, sub)
			return err
		})
		if len(open) != 1 || open[0] != tr.ID {
			t.Errorf("open transfers of the line's subscription %v, want [%s]", open, tr.ID)
		}
		done := at(2 * time.Hour)
		tr.Status, tr.CompletedAt = transfer.StatusCompleted, &done
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.UpdateTransfer(ctx, tr) })
		if jobs := transferJobs(t, s); len(jobs) != 0 {
			t.Errorf("a completed transfer has jobs %v", jobs)
		}
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			open, err = tx.OpenTransfersOf(ctx, tn.ID, sub)
			return err
		})
		if len(open) != 0 {
			t.Errorf("open transfers after completion %v", open)
		}
		err := read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetTransfer(ctx, newID(), false)
			return err
		})
		wantCode(t, "absent", err, csp.ETransferNotFound)
		err = write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.UpdateTransfer(ctx, newTransfer(tn.ID, p.ID, q.ID, t0))
		})
		wantCode(t, "update absent", err, csp.ETransferNotFound)
	}},
	{"ListedForBothPartnersAndTheTenant", func(t *testing.T, s store.Store) {
		a, b, c := MustCreatePartner(t, s, mpn(1)), MustCreatePartner(t, s, mpn(2)), MustCreatePartner(t, s, mpn(3))
		tn, other := MustCreateTenant(t, s, "Contoso", "contoso"), MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		ab := newTransfer(tn.ID, a.ID, b.ID, t0)
		bc := newTransfer(other.ID, b.ID, c.ID, at(time.Minute))
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateTransfer(ctx, ab); err != nil {
				return err
			}
			return tx.CreateTransfer(ctx, bc)
		})
		list := func(f store.TransferFilter) []uuid.UUID {
			var out []uuid.UUID
			f.Limit = 10
			MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
				got, err := tx.ListTransfers(ctx, f)
				for _, x := range got {
					out = append(out, x.ID)
				}
				return err
			})
			return out
		}
		for _, c := range []struct {
			what string
			f    store.TransferFilter
			want []uuid.UUID
		}{
			{"source a", store.TransferFilter{PartnerID: &a.ID}, []uuid.UUID{ab.ID}},
			{"b both sides, oldest first", store.TransferFilter{PartnerID: &b.ID}, []uuid.UUID{ab.ID, bc.ID}},
			{"target c", store.TransferFilter{PartnerID: &c.ID}, []uuid.UUID{bc.ID}},
			{"tenant", store.TransferFilter{TenantID: &tn.ID}, []uuid.UUID{ab.ID}},
			{"b with the other tenant", store.TransferFilter{PartnerID: &b.ID, TenantID: &other.ID}, []uuid.UUID{bc.ID}},
			{"after the first", store.TransferFilter{PartnerID: &b.ID, After: &store.Cursor{At: ab.CreatedAt, ID: ab.ID}}, []uuid.UUID{bc.ID}},
		} {
			if got := list(c.f); gocmp.Diff(c.want, got) != "" {
				t.Errorf("%s: %v, want %v", c.what, got, c.want)
			}
		}
		var locked []*transfer.Transfer
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			locked, err = tx.LockTransfers(ctx, []uuid.UUID{bc.ID, newID(), ab.ID})
			return err
		})
		if len(locked) != 2 {
			t.Errorf("locked %d transfers, want the 2 that exist", len(locked))
		}
	}},
	{"PolicyDefaultsToAutomatic", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		policy := func() transfer.Policy {
			var out transfer.Policy
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				out, err = tx.TransferPolicy(ctx, p.ID)
				return err
			})
			return out
		}
		if got := policy(); got != transfer.PolicyAutomatic {
			t.Errorf("default %s", got)
		}
		for _, want := range []transfer.Policy{transfer.PolicyReview, transfer.PolicyAutomatic, transfer.PolicyReview} {
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.SetTransferPolicy(ctx, p.ID, want) })
			if got := policy(); got != want {
				t.Errorf("after setting %s: %s", want, got)
			}
		}
	}},
}
