package app

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/store"
)

// PutResourceGroup creates or updates a resource group (PUT
// /subscriptions/{id}/resourcegroups/{name}); created reports which. A
// group's location is fixed at creation.
func (a *App) PutResourceGroup(ctx context.Context, c ARMCaller, id azure.ResourceID, location string, tags map[string]string) (g azure.ResourceGroup, created bool, err error) {
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
		if _, _, err := a.armWrite(ctx, tx, c, id, azure.WriteResourceGroup); err != nil {
			return err
		}
		if g, err = azure.CheckGroup(id, location, tags); err != nil {
			return err
		}
		old, err := tx.GetResourceGroup(ctx, id)
		switch {
		case err == nil:
			if old.Location != g.Location {
				return csp.Errorf(csp.EAzureLocationMismatch, "Invalid resource group location '%s'. The Resource group already exists in location '%s'.", g.Location, old.Location)
			}
			g.ID, g.Created, created = old.ID, old.Created, false
		case csp.ErrorCode(err) == csp.EAzureResourceGroupNotFound:
			g.Created, created = now, true
		default:
			return err
		}
		return tx.PutResourceGroup(ctx, g)
	})
	return g, created, err
}

// GetResourceGroup reads a resource group.
func (a *App) GetResourceGroup(ctx context.Context, c ARMCaller, id azure.ResourceID) (*azure.ResourceGroup, error) {
	var g *azure.ResourceGroup
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		if _, _, err = a.armScope(ctx, tx, c, id, azure.ReadResourceGroup, store.LockNone); err != nil {
			return err
		}
		g, err = tx.GetResourceGroup(ctx, id)
		return err
	})
	return g, err
}

// ListResourceGroups lists a subscription's resource groups: read at the
// subscription's scope is needed.
func (a *App) ListResourceGroups(ctx context.Context, c ARMCaller, sub uuid.UUID) ([]azure.ResourceGroup, error) {
	var out []azure.ResourceGroup
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		if _, _, err = a.armScope(ctx, tx, c, azure.SubscriptionScope(sub), azure.ReadResourceGroup, store.LockNone); err != nil {
			return err
		}
		out, err = tx.ListResourceGroups(ctx, sub)
		return err
	})
	return out, err
}

// DeleteResourceGroup deletes a group with every resource in it (ARM
// deletes them together): their metering stops now.
func (a *App) DeleteResourceGroup(ctx context.Context, c ARMCaller, id azure.ResourceID) error {
	return a.write(ctx, func(tx store.Tx, now time.Time) error {
		if _, _, err := a.armWrite(ctx, tx, c, id, azure.DeleteResourceGroup); err != nil {
			return err
		}
		if err := tx.CloseRuns(ctx, id, now); err != nil {
			return err
		}
		return tx.DeleteResourceGroup(ctx, id)
	})
}

// PutResource creates or updates a resource (PUT
// .../providers/{namespace}/{type}/{name}); created reports which. A new
// virtual machine runs at once; a metered resource meters from now, and a
// change of its size, sku or tags starts a new running interval.
func (a *App) PutResource(ctx context.Context, c ARMCaller, id azure.ResourceID, spec azure.Spec) (r azure.Resource, created bool, err error) {
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
		if id.Level() != azure.LevelResource {
			return csp.Errorf(csp.EAzureInvalidResourceID, "%s is not a resource id", id)
		}
		if _, _, err := a.armWrite(ctx, tx, c, id, azure.WriteAction(id.Type)); err != nil {
			return err
		}
		s, err := azure.CheckSpec(id, spec, azure.Prices())
		if err != nil {
			return err
		}
		if _, err := tx.GetResourceGroup(ctx, azure.GroupScope(id.Subscription, id.Group)); err != nil {
			return err
		}
		if err := a.checkPlacement(ctx, tx, id, s); err != nil {
			return err
		}
		old, err := tx.GetResource(ctx, id)
		switch {
		case err == nil:
			if err := azure.CheckUpdate(*old, s); err != nil {
				return err
			}
			r, created = *old, false
			r.Spec = s
		case csp.ErrorCode(err) == csp.EAzureResourceNotFound:
			r, created = azure.NewResource(id, s, now), true
		default:
			return err
		}
		if err := tx.PutResource(ctx, r); err != nil {
			return err
		}
		changed := created || old.Sku != r.Sku || !maps.Equal(old.Tags, r.Tags)
		if !r.Running() || !changed {
			return nil
		}
		if !created {
			if err := tx.CloseRuns(ctx, id, now); err != nil {
				return err
			}
		}
		return tx.OpenRun(ctx, runOf(r, now))
	})
	return r, created, err
}

// checkPlacement applies the rules between a resource and others: a
// database's server exists in its region, a web app's plan in its, and a
// globally unique name is free in every other subscription.
func (a *App) checkPlacement(ctx context.Context, tx store.Tx, id azure.ResourceID, s azure.Spec) error {
	if parent, ok := id.Parent(); ok && parent.Level() == azure.LevelResource {
		p, err := tx.GetResource(ctx, parent)
		if csp.ErrorCode(err) == csp.EAzureResourceNotFound {
			return csp.Errorf(csp.EAzureParentNotFound, "Can not perform requested operation on nested resource. Parent resource '%s' not found.", parent.Name())
		}
		if err != nil {
			return err
		}
		if err := azure.CheckParent(s, *p); err != nil {
			return err
		}
	}
	if id.Type == azure.TypeWebApp {
		planID, _ := azure.ParseResourceID(s.ServerFarmID)
		plan, err := tx.GetResource(ctx, planID)
		if err != nil {
			return err
		}
		if err := azure.CheckPlan(s, *plan); err != nil {
			return err
		}
	}
	if id.Type.GlobalName() {
		other, ok, err := tx.ResourceByGlobalName(ctx, id.Type, id.Name())
		if err != nil {
			return err
		}
		if ok && !other.ID.Equal(id) {
			return csp.Errorf(csp.EAzureNameTaken, "The name '%s' is already taken: %s names are unique across Azure. Choose another name.", id.Name(), id.Type)
		}
	}
	return nil
}

// GetResource reads a resource.
func (a *App) GetResource(ctx context.Context, c ARMCaller, id azure.ResourceID) (*azure.Resource, error) {
	var r *azure.Resource
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		if _, _, err = a.armScope(ctx, tx, c, id, azure.ReadAction(id.Type), store.LockNone); err != nil {
			return err
		}
		r, err = tx.GetResource(ctx, id)
		return err
	})
	return r, err
}

// ListResources lists a resource group's resources: read at the group's
// scope (or above) is needed.
func (a *App) ListResources(ctx context.Context, c ARMCaller, group azure.ResourceID) ([]azure.Resource, error) {
	var out []azure.Resource
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		if _, _, err = a.armScope(ctx, tx, c, group, azure.ReadResourceGroup, store.LockNone); err != nil {
			return err
		}
		if _, err = tx.GetResourceGroup(ctx, group); err != nil {
			return err
		}
		out, err = tx.ListResources(ctx, group.Subscription, group.Group)
		return err
	})
	return out, err
}

// DeleteResource deletes a resource (and a server's databases): its
// metering stops now.
func (a *App) DeleteResource(ctx context.Context, c ARMCaller, id azure.ResourceID) error {
	return a.write(ctx, func(tx store.Tx, now time.Time) error {
		if _, _, err := a.armWrite(ctx, tx, c, id, azure.DeleteAction(id.Type)); err != nil {
			return err
		}
		if _, err := tx.GetResource(ctx, id); err != nil {
			return err
		}
		if err := tx.CloseRuns(ctx, id, now); err != nil {
			return err
		}
		return tx.DeleteResource(ctx, id)
	})
}

// StartVM starts a deallocated virtual machine (POST .../start): it meters
// from now. Starting a running one changes nothing.
func (a *App) StartVM(ctx context.Context, c ARMCaller, id azure.ResourceID) (*azure.Resource, error) {
	return a.power(ctx, c, id, "start")
}

// DeallocateVM deallocates a virtual machine (POST .../deallocate): its
// metering stops now.
func (a *App) DeallocateVM(ctx context.Context, c ARMCaller, id azure.ResourceID) (*azure.Resource, error) {
	return a.power(ctx, c, id, "deallocate")
}

func (a *App) power(ctx context.Context, c ARMCaller, id azure.ResourceID, action string) (*azure.Resource, error) {
	var out *azure.Resource
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		if _, _, err := a.armWrite(ctx, tx, c, id, azure.ResourceAction(id.Type, action)); err != nil {
			return err
		}
		r, err := tx.GetResource(ctx, id)
		if err != nil {
			return err
		}
		next, changed, err := r.Start()
		if action == "deallocate" {
			next, changed, err = r.Deallocate()
		}
		if err != nil {
			return err
		}
		out = &next
		if !changed {
			return nil
		}
		if err := tx.PutResource(ctx, next); err != nil {
			return err
		}
		if next.Running() {
			return tx.OpenRun(ctx, runOf(next, now))
		}
		return tx.CloseRuns(ctx, id, now)
	})
	return out, err
}

// NewRoleAssignment is a role assignment's PUT body
// (properties.roleDefinitionId, principalId, principalType).
type NewRoleAssignment struct {
	RoleDefinitionID string
	PrincipalID      uuid.UUID
	PrincipalType    azure.PrincipalType
}

// PutRoleAssignment creates a role assignment named name at scope (PUT
// {scope}/providers/Microsoft.Authorization/roleAssignments/{name}):
// Microsoft.Authorization/roleAssignments/write at the scope is needed
// (Owner, User Access Administrator). The same PUT again answers the
// assignment unchanged; role assignments are not updated.
func (a *App) PutRoleAssignment(ctx context.Context, c ARMCaller, scope azure.ResourceID, name uuid.UUID, in NewRoleAssignment) (ra azure.RoleAssignment, created bool, err error) {
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
		_, existing, err := a.armWrite(ctx, tx, c, scope, azure.WriteRoleAssignments)
		if err != nil {
			return err
		}
		role, err := azure.ParseRoleDefinitionID(in.RoleDefinitionID)
		if err != nil {
			return err
		}
		if err := a.scopeExists(ctx, tx, scope); err != nil {
			return err
		}
		ra = azure.RoleAssignment{ID: name, Scope: scope, RoleDefinitionID: role.ID, PrincipalID: in.PrincipalID, PrincipalType: in.PrincipalType, CreatedOn: now}
		same, err := azure.CheckAssignment(ra, existing)
		if err != nil {
			return err
		}
		if same {
			i := slices.IndexFunc(existing, func(e azure.RoleAssignment) bool { return e.ID == name })
			ra, created = existing[i], false
			return nil
		}
		created = true
		return tx.CreateRoleAssignment(ctx, ra)
	})
	return ra, created, err
}

// scopeExists answers the not-found refusal of a group or resource scope
// that does not exist.
func (a *App) scopeExists(ctx context.Context, tx store.Tx, scope azure.ResourceID) error {
	switch scope.Level() {
	case azure.LevelResourceGroup:
		_, err := tx.GetResourceGroup(ctx, scope)
		return err
	case azure.LevelResource:
		_, err := tx.GetResource(ctx, scope)
		return err
	}
	return nil
}

// ListRoleAssignments lists the role assignments that apply at scope (at it
// or above) and those below it, oldest first: read of role assignments at
// the scope is needed.
func (a *App) ListRoleAssignments(ctx context.Context, c ARMCaller, scope azure.ResourceID) ([]azure.RoleAssignment, error) {
	var out []azure.RoleAssignment
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		_, all, err := a.armScope(ctx, tx, c, scope, azure.ReadRoleAssignments, store.LockNone)
		if err != nil {
			return err
		}
		for _, ra := range all {
			if ra.Scope.Contains(scope) || scope.Contains(ra.Scope) {
				out = append(out, ra)
			}
		}
		return nil
	})
	return out, err
}

// DeleteRoleAssignment deletes the role assignment named name in a
// subscription: roleAssignments/delete at its scope is needed.
func (a *App) DeleteRoleAssignment(ctx context.Context, c ARMCaller, sub, name uuid.UUID) error {
	return a.write(ctx, func(tx store.Tx, now time.Time) error {
		all, err := tx.RoleAssignments(ctx, sub)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(all, func(e azure.RoleAssignment) bool { return e.ID == name })
		scope := azure.SubscriptionScope(sub)
		if i >= 0 {
			scope = all[i].Scope
		}
		if _, _, err := a.armWrite(ctx, tx, c, scope, azure.DeleteRoleAssignments); err != nil {
			return err
		}
		return tx.DeleteRoleAssignment(ctx, sub, name, now)
	})
}
