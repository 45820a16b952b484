package app

import (
	"context"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// ListAudit pages through the calling partner's own audit records in
// [from, to).
func (a *App) ListAudit(ctx context.Context, p csp.Principal, from, to time.Time, pg Page[Cursor]) (Paged[*csp.AuditRecord, Cursor], error) {
	if err := p.Can(csp.PermAuditRead); err != nil {
		return Paged[*csp.AuditRecord, Cursor]{}, err
	}
	if !to.After(from) {
		return Paged[*csp.AuditRecord, Cursor]{}, csp.Errorf(csp.EInvalidQuery, "endDate %s must be after startDate %s", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	var out []*csp.AuditRecord
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = tx.ListAudit(ctx, store.AuditFilter{PartnerID: p.PartnerID, From: from, To: to, After: pg.After.store(), Limit: pg.limit()})
		return err
	})
	return paged(out, pg, func(r *csp.AuditRecord) Cursor { return Cursor{At: r.OperationDate, ID: r.ID} }), err
}
