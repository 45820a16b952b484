package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/store"
)

// SubscribedSkus answers a tenant's licence pools: prepaid units from every
// subscription of every partner and channel, consumed units from the
// assignments (Graph's subscribedSkus). Reading them is billing.read: a
// member of the tenant reads them by default, a partner through GDAP needs
// a role that reads subscriptions.
func (a *App) SubscribedSkus(ctx context.Context, p csp.Principal, tenantID uuid.UUID) ([]directory.Pool, error) {
	var out []directory.Pool
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.ReadBilling)
		if err != nil {
			return err
		}
		if d.partnerTenant() {
			return nil
		}
		out, err = a.pools(ctx, tx, tenantID)
		return err
	})
	return out, err
}

// pools reads a tenant's licence pools: its subscriptions from every
// partner and every other channel.
func (a *App) pools(ctx context.Context, tx store.Tx, tenantID uuid.UUID) ([]directory.Pool, error) {
	cat, err := a.catalogIn(ctx, tx)
	if err != nil {
		return nil, err
	}
	var subs []*csp.Subscription
	f := store.SubscriptionFilter{TenantID: &tenantID, Limit: store.MaxLimit}
	for {
		page, err := tx.ListSubscriptions(ctx, f)
		if err != nil {
			return nil, err
		}
		subs = append(subs, page...)
		if len(page) < f.Limit {
			break
		}
		last := page[len(page)-1]
		f.After = &store.Cursor{At: last.CreatedAt, ID: last.ID}
	}
	// Seats bought through other channels count beside every partner's,
	// in the state their term gives them today (decision 138).
	now, err := a.txNow(ctx, tx, store.LockNone)
	if err != nil {
		return nil, err
	}
	channels, err := a.channelViews(ctx, tx, cat.msft, tenantID, now)
	if err != nil {
		return nil, err
	}
	subs = append(subs, channels...)
	consumed, err := tx.ConsumedUnits(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return directory.Pools(cat.For(nil), subs, consumed), nil
}

// LicenseChange is Graph's assignLicense body.
type LicenseChange struct {
	Add    []directory.Assignment
	Remove []uuid.UUID
}

// AssignLicense adds and removes a user's licences in one transaction
// (License or User Administrator): each added SKU needs a free enabled unit
// (unless the user holds it already, when only its disabled plans change)
// and the user a usage location; each removed SKU must be held.
func (a *App) AssignLicense(ctx context.Context, p csp.Principal, tenantID uuid.UUID, ref string, c LicenseChange) (DirectoryUser, error) {
	var out DirectoryUser
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.AssignLicenses)
		if err != nil {
			return err
		}
		if d.partnerTenant() {
			return csp.Errorf(csp.EWrongAPI, "licences are assigned in customer tenants: a partner's own tenant holds none here")
		}
		// The tenant's lock makes concurrent assignments of the last free
		// unit run one after the other.
		if _, err := tx.LockTenant(ctx, tenantID); err != nil {
			return err
		}
		u, err := findUser(ctx, tx, d, ref)
		if err != nil {
			return err
		}
		held, err := tx.LicenseAssignments(ctx, u.ID)
		if err != nil {
			return err
		}
		pools, err := a.pools(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		before := assignmentsAudit(held)
		for _, skuID := range c.Remove {
			if err := tx.RemoveLicenseAssignment(ctx, u.ID, skuID); err != nil {
				return err
			}
			if i := poolIndex(pools, skuID); i >= 0 {
				pools[i].Consumed--
			}
		}
		for _, add := range c.Add {
			i := poolIndex(pools, add.SkuID)
			if i < 0 {
				return csp.Errorf(csp.ESkuNotFound, "License assignment failed because the tenant holds no subscription of SKU %s: buy one, or use a skuId from GET /subscribedSkus", add.SkuID)
			}
			holds := false
			for _, h := range held {
				holds = holds || h.SkuID == add.SkuID && !contains(c.Remove, add.SkuID)
			}
			if err := directory.CheckAssign(pools[i], u, add, holds); err != nil {
				return err
			}
			if err := tx.PutLicenseAssignment(ctx, tenantID, u.ID, add, now); err != nil {
				return err
			}
			if !holds {
				pools[i].Consumed++
			}
		}
		if out, err = a.directoryUser(ctx, tx, d, u.ID.String()); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, a.directoryAudit(d, csp.ResLicense, csp.OpAssignLicense), before, assignmentsAudit(out.Licenses))
	})
	return out, err
}

func poolIndex(pools []directory.Pool, skuID uuid.UUID) int {
	for i, p := range pools {
		if p.SkuID == skuID {
			return i
		}
	}
	return -1
}

func contains(ids []uuid.UUID, id uuid.UUID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func assignmentsAudit(as []directory.Assignment) []map[string]any {
	out := []map[string]any{}
	for _, a := range as {
		out = append(out, map[string]any{"skuId": a.SkuID, "disabledPlans": a.DisabledPlans})
	}
	return out
}

// LicenseDetails answers a user's licences with their SKUs' service plans.
func (a *App) LicenseDetails(ctx context.Context, p csp.Principal, tenantID uuid.UUID, ref string) (DirectoryUser, []directory.Pool, error) {
	var (
		out   DirectoryUser
		pools []directory.Pool
	)
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		d, err := a.accessFor(ctx, tx, p, tenantID, directory.ReadDirectory)
		if err != nil {
			return err
		}
		if out, err = a.directoryUser(ctx, tx, d, ref); err != nil || d.partnerTenant() {
			return err
		}
		pools, err = a.pools(ctx, tx, tenantID)
		return err
	})
	return out, pools, err
}
