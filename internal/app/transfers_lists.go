package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/store"
)

// Reads the console's transfer pages need beside the Partner Center
// routes (docs/decisions.md 158-165).

// PartnerTransfers pages through every transfer where the partner is the
// source or the target, over all its customers, oldest first. A transfer
// stays listed after either partner's relationship with the customer ends:
// it is the partner's own record, as its audit log is.
func (a *App) PartnerTransfers(ctx context.Context, p csp.Principal, pg Page[Cursor]) (Paged[*transfer.Transfer, Cursor], error) {
	if err := p.Can(csp.PermTransfers); err != nil {
		return Paged[*transfer.Transfer, Cursor]{}, err
	}
	var out []*transfer.Transfer
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = tx.ListTransfers(ctx, store.TransferFilter{PartnerID: &p.PartnerID, After: pg.After.store(), Limit: pg.limit()})
		return err
	})
	return paged(out, pg, transferCursor), err
}

// TransferSources answers the partners a transfer of the customer may come
// from: the customer's partners other than the caller's, by name. The
// caller must see the customer; eligibility is CreateTransfer's.
func (a *App) TransferSources(ctx context.Context, p csp.Principal, customerID uuid.UUID) ([]*csp.Partner, error) {
	if err := p.Can(csp.PermTransfers); err != nil {
		return nil, err
	}
	var out []*csp.Partner
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		if _, err := a.customer(ctx, tx, p, customerID, false); err != nil {
			return err
		}
		all, err := tenantPartners(ctx, tx, customerID)
		if err != nil {
			return err
		}
		for _, pt := range all {
			if pt.Partner.ID != p.PartnerID && !slices.ContainsFunc(out, func(x *csp.Partner) bool { return x.ID == pt.Partner.ID }) {
				out = append(out, pt.Partner)
			}
		}
		return nil
	})
	slices.SortFunc(out, func(x, y *csp.Partner) int { return strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)) })
	return out, err
}
