package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/schedule"
	"github.com/opencsp/opencsp/internal/store"
)

// The customer's side of transfers (/tenant/v1/transfers): every transfer
// of its tenant's subscriptions between partners, and its rejection of one
// until it completes. The customer approves nothing (DESIGN "Partner API").

func requireTenant(p csp.Principal) error {
	if p.Kind != csp.PrincipalTenant {
		return csp.Errorf(csp.EWrongAPI, "the customer API's transfers are a customer's: use a key minted for a tenant user")
	}
	return nil
}

// TenantTransfers pages through the transfers of the caller's tenant,
// oldest first (any user of the tenant reads them).
func (a *App) TenantTransfers(ctx context.Context, p csp.Principal, pg Page[Cursor]) (Paged[*transfer.Transfer, Cursor], error) {
	if err := requireTenant(p); err != nil {
		return Paged[*transfer.Transfer, Cursor]{}, err
	}
	var out []*transfer.Transfer
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = tx.ListTransfers(ctx, store.TransferFilter{TenantID: &p.TenantID, After: pg.After.store(), Limit: pg.limit()})
		return err
	})
	return paged(out, pg, transferCursor), err
}

// RejectTransfer is the customer's rejection (its Global Administrator's)
// of a transfer of its tenant that has not completed.
func (a *App) RejectTransfer(ctx context.Context, p csp.Principal, id uuid.UUID) (*transfer.Transfer, error) {
	if err := requireTenant(p); err != nil {
		return nil, err
	}
	if !p.GlobalAdmin {
		return nil, csp.Errorf(csp.EForbiddenRole, "a transfer is rejected by the tenant's Global Administrator: use a Global Administrator's key")
	}
	var out *transfer.Transfer
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		t, err := tx.GetTransfer(ctx, id, true)
		if err == nil && t.CustomerTenantID != p.TenantID {
			err = csp.Errorf(csp.ETransferNotFound, "transfer %s is not a transfer of this tenant", id)
		}
		if err != nil {
			return err
		}
		if err := t.Reject(now, who(p)); err != nil {
			return err
		}
		if err := tx.UpdateTransfer(ctx, t); err != nil {
			return err
		}
		out = t
		return a.auditTransfer(ctx, tx, now, p, t, "reject_transfer", nil)
	})
	return out, err
}

// transferJobs expires open transfers at their expirationTime:
// writing a transfer moves or drops its job.
type transferJobs struct{ a *App }

func (transferJobs) Kind() csp.JobKind { return csp.JobTransfer }

func (h transferJobs) Begin(ctx context.Context, tx store.Tx, _ time.Time, jobs []csp.Job) (schedule.Batch, error) {
	ids, err := jobIDs(jobs)
	if err != nil {
		return nil, err
	}
	// Locked in id order, as the scheduler locks every kind's rows; a
	// transfer's writers lock it after the relationships, and this batch
	// takes no relationship.
	ts, err := tx.LockTransfers(ctx, ids)
	if err != nil {
		return nil, err
	}
	b := transferBatch{a: h.a, tx: tx, ts: make(map[string]*transfer.Transfer, len(ts))}
	for _, t := range ts {
		b.ts[t.ID.String()] = t
	}
	return b, nil
}

type transferBatch struct {
	a  *App
	tx store.Tx
	ts map[string]*transfer.Transfer
}

func (b transferBatch) Do(ctx context.Context, j csp.Job) (schedule.Outcome, error) {
	t := b.ts[j.Ref]
	if t == nil {
		return schedule.Outcome{}, b.tx.DeleteJob(ctx, csp.JobTransfer, j.Ref)
	}
	if !t.Lapse(j.Due) {
		return schedule.Outcome{Next: t.Due()}, nil
	}
	if err := b.tx.UpdateTransfer(ctx, t); err != nil {
		return schedule.Outcome{}, err
	}
	return schedule.Outcome{Events: 1}, b.a.auditTransfer(ctx, b.tx, j.Due, csp.Principal{UserPrincipalName: "system"}, t, "expire_transfer", nil)
}

func (transferBatch) Flush(context.Context) error { return nil }
