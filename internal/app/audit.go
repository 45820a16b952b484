package app

import (
	"context"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// ListAudit pages through the calling partner's own audit records in
// [from, to).
func (a *App) ListAudit(ctx context.Context, p csp.Principal, from, to time.Time, after *store.AuditCursor, limit int) ([]*csp.AuditRecord, error) {
	if err := p.Can(csp.PermAuditRead); err != nil {
		return nil, err
	}
	if !to.After(from) {
		return nil, csp.Errorf(csp.EInvalidQuery, "endDate %s must be after startDate %s", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	var out []*csp.AuditRecord
	err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		out, err = tx.ListAudit(ctx, store.AuditFilter{PartnerID: p.PartnerID, From: from, To: to, After: after, Limit: limit})
		return err
	})
	return out, err
}
