package app

import (
	"context"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// delegatedRoles answers the Entra roles a partner user holds in a
// customer tenant: those its partner's active GDAP relationships with the
// tenant give to the partner security groups the user belongs to. A
// reseller relationship alone gives none.
func (a *App) delegatedRoles(ctx context.Context, tx store.Tx, p csp.Principal, tenantID uuid.UUID) ([]uuid.UUID, error) {
	groups, err := tx.GroupsOfMember(ctx, p.UserID)
	if err != nil || len(groups) == 0 {
		return nil, err
	}
	return a.DelegatedRoles(ctx, tx, p.PartnerID, tenantID, groups)
}
