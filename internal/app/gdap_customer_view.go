package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/gdap"
	"github.com/opencsp/opencsp/internal/store"
)

// PartnerAdminRelationship is a relationship asked of the caller's tenant
// with what the customer reads it by: the partner's name and the roles'.
type PartnerAdminRelationship struct {
	*gdap.Relationship
	PartnerName string
	RoleNames   []string
}

// TenantAdminPartners lists every relationship partners asked of the
// caller's tenant (never their drafts), oldest first, with the partners'
// names (the tenant's Global Administrator).
func (a *App) TenantAdminPartners(ctx context.Context, p csp.Principal) ([]PartnerAdminRelationship, error) {
	if err := requireGDAPCustomer(p); err != nil {
		return nil, err
	}
	var out []PartnerAdminRelationship
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		f := store.GDAPFilter{TenantID: &p.TenantID, Statuses: customerStatuses, Limit: store.MaxLimit}
		names := map[uuid.UUID]string{}
		for {
			page, err := tx.ListGDAPRelationships(ctx, f)
			if err != nil {
				return err
			}
			for _, r := range page {
				name, ok := names[r.PartnerID]
				if !ok {
					partner, err := tx.GetPartner(ctx, r.PartnerID)
					if err != nil {
						return err
					}
					name, names[r.PartnerID] = partner.Name, partner.Name
				}
				roles := make([]string, len(r.Roles))
				for i, id := range r.Roles {
					roles[i] = RoleName(id)
				}
				out = append(out, PartnerAdminRelationship{Relationship: r, PartnerName: name, RoleNames: roles})
			}
			if len(page) < f.Limit {
				return nil
			}
			f.After = &store.Cursor{At: page[len(page)-1].CreatedAt, ID: page[len(page)-1].ID}
		}
	})
	return out, err
}
