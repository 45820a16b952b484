package api

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

// ARM's subscriptions, role assignments and role definitions.

type armSubscriptionOut struct {
	ID                   string `json:"id"`
	SubscriptionID       string `json:"subscriptionId"`
	TenantID             string `json:"tenantId"`
	DisplayName          string `json:"displayName"`
	State                string `json:"state"`
	AuthorizationSource  string `json:"authorizationSource"`
	SubscriptionPolicies struct {
		LocationPlacementID string `json:"locationPlacementId"`
		QuotaID             string `json:"quotaId"`
		SpendingLimit       string `json:"spendingLimit"`
	} `json:"subscriptionPolicies"`
	ManagedByTenants []struct {
		TenantID string `json:"tenantId"`
	} `json:"managedByTenants"`
}

// armSubscription renders an Azure subscription as Subscriptions - Get
// answers it: state Enabled or Disabled, and the partner's tenant among
// the tenants that manage it (a CSP subscription).
func armSubscription(s *azure.Subscription) armSubscriptionOut {
	out := armSubscriptionOut{ID: "/subscriptions/" + s.ID.String(), SubscriptionID: s.ID.String(), TenantID: s.TenantID.String(),
		DisplayName: s.FriendlyName, State: "Enabled", AuthorizationSource: "RoleBased"}
	if s.Status == azure.StatusDisabled {
		out.State = "Disabled"
	}
	out.SubscriptionPolicies.LocationPlacementID = "Public_2014-09-01"
	out.SubscriptionPolicies.QuotaID = "CSP_2015-05-01"
	out.SubscriptionPolicies.SpendingLimit = "Off"
	out.ManagedByTenants = append(out.ManagedByTenants, struct {
		TenantID string `json:"tenantId"`
	}{s.PartnerID.String()})
	return out
}

func (s *Server) armListSubscriptions(a *armCall) error {
	subs, err := s.app.ListARMSubscriptions(a.r.Context(), a.c)
	if err != nil {
		return err
	}
	out := make([]armSubscriptionOut, len(subs))
	for i, sub := range subs {
		out[i] = armSubscription(sub)
	}
	type count struct {
		Type  string `json:"type"`
		Value int    `json:"value"`
	}
	writeJSON(a.w, http.StatusOK, struct {
		armCollection[armSubscriptionOut]
		Count count `json:"count"`
	}{newARMCollection(out), count{"Total", len(out)}})
	return nil
}

func (s *Server) armGetSubscription(a *armCall) error {
	id, err := a.subscription()
	if err != nil {
		return err
	}
	sub, err := s.app.GetAzureSubscription(a.r.Context(), a.c, id.Subscription)
	if err != nil {
		return err
	}
	writeJSON(a.w, http.StatusOK, armSubscription(sub))
	return nil
}

type armRoleAssignmentOut struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	Properties struct {
		RoleDefinitionID string `json:"roleDefinitionId"`
		PrincipalID      string `json:"principalId"`
		PrincipalType    string `json:"principalType"`
		Scope            string `json:"scope"`
		CreatedOn        string `json:"createdOn"`
		UpdatedOn        string `json:"updatedOn"`
	} `json:"properties"`
}

func armRoleAssignment(ra azure.RoleAssignment) armRoleAssignmentOut {
	out := armRoleAssignmentOut{ID: azure.RoleAssignmentPath(ra.Scope, ra.ID), Name: ra.ID.String(), Type: "Microsoft.Authorization/roleAssignments"}
	p := &out.Properties
	p.RoleDefinitionID = azure.RoleDefinitionPath(ra.Scope.Subscription, ra.RoleDefinitionID)
	p.PrincipalID, p.PrincipalType, p.Scope = ra.PrincipalID.String(), string(ra.PrincipalType), ra.Scope.String()
	p.CreatedOn, p.UpdatedOn = armTime(ra.CreatedOn), armTime(ra.CreatedOn)
	return out
}

// armRoleAssignment serves PUT, GET and DELETE on
// {scope}/providers/Microsoft.Authorization/roleAssignments/{name}.
func (s *Server) armRoleAssignment(a *armCall, scope azure.ResourceID, rawName string) error {
	name, err := uuid.Parse(rawName)
	if err != nil || len(rawName) != 36 {
		return csp.Errorf(csp.EAzureInvalidAssignmentID, "The role assignment ID '%s' is not valid. The role assignment ID must be a GUID.", rawName)
	}
	ctx := a.r.Context()
	switch a.r.Method {
	case http.MethodPut:
		var in struct {
			Properties struct {
				RoleDefinitionID string `json:"roleDefinitionId"`
				PrincipalID      string `json:"principalId"`
				PrincipalType    string `json:"principalType"`
				Scope            string `json:"scope"`
			} `json:"properties"`
		}
		if err := decode(a.r, &in); err != nil {
			return err
		}
		p := in.Properties
		principal, err := uuid.Parse(p.PrincipalID)
		if err != nil {
			return csp.Errorf(csp.EAzureInvalidPrincipal, "Principal ID '%s' is not valid: properties.principalId is the object id (a GUID) of a user or group", p.PrincipalID)
		}
		if p.Scope != "" {
			if given, err := azure.ParseResourceID(p.Scope); err != nil || !given.Equal(scope) {
				return csp.Errorf(csp.EAzureScopeMismatch, "The scope '%s' in the request body does not match the scope '%s' of the path: leave properties.scope out or send the path's", p.Scope, scope)
			}
		}
		typ := azure.PrincipalType(p.PrincipalType)
		if typ == "" {
			typ = azure.PrincipalUser
		}
		ra, created, err := s.app.PutRoleAssignment(ctx, a.c, scope, name, app.NewRoleAssignment{RoleDefinitionID: p.RoleDefinitionID, PrincipalID: principal, PrincipalType: typ})
		if err != nil {
			return err
		}
		writeJSON(a.w, createdStatus(created, http.StatusCreated), armRoleAssignment(ra))
		return nil
	case http.MethodGet:
		ra, err := s.app.GetRoleAssignment(ctx, a.c, scope, name)
		if err != nil {
			return err
		}
		writeJSON(a.w, http.StatusOK, armRoleAssignment(ra))
		return nil
	case http.MethodDelete:
		ra, getErr := s.app.GetRoleAssignment(ctx, a.c, scope, name)
		err := s.app.DeleteRoleAssignment(ctx, a.c, scope.Subscription, name)
		switch {
		case err == nil && getErr == nil:
			writeJSON(a.w, http.StatusOK, armRoleAssignment(ra))
		case err == nil:
			a.w.WriteHeader(http.StatusOK)
		case csp.ErrorCode(err) == csp.EAzureRoleAssignmentNotFound:
			a.w.WriteHeader(http.StatusNoContent)
		default:
			return err
		}
		return nil
	}
	return a.methodNotAllowed()
}

// armFilter reads the role assignment listing's $filter: atScope() (only
// those at the scope or above) and principalId eq '{id}'.
var armPrincipalFilter = regexp.MustCompile(`(?i)principalId\s+eq\s+'([0-9a-f-]{36})'`)

func (s *Server) armListRoleAssignments(a *armCall, scope azure.ResourceID) error {
	list, err := s.app.ListRoleAssignments(a.r.Context(), a.c, scope)
	if err != nil {
		return err
	}
	filter := a.r.URL.Query().Get("$filter")
	atScope := strings.Contains(strings.ToLower(filter), "atscope()")
	var principal uuid.UUID
	if m := armPrincipalFilter.FindStringSubmatch(filter); m != nil {
		principal, _ = uuid.Parse(m[1])
	}
	out := []armRoleAssignmentOut{}
	for _, ra := range list {
		if atScope && !ra.Scope.Contains(scope) || principal != uuid.Nil && ra.PrincipalID != principal {
			continue
		}
		out = append(out, armRoleAssignment(ra))
	}
	writeJSON(a.w, http.StatusOK, newARMCollection(out))
	return nil
}

type armPermission struct {
	Actions        []string `json:"actions"`
	NotActions     []string `json:"notActions"`
	DataActions    []string `json:"dataActions"`
	NotDataActions []string `json:"notDataActions"`
}

type armRoleDefinitionOut struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	Properties struct {
		RoleName         string          `json:"roleName"`
		Type             string          `json:"type"`
		Description      string          `json:"description"`
		AssignableScopes []string        `json:"assignableScopes"`
		Permissions      []armPermission `json:"permissions"`
	} `json:"properties"`
}

var armRoleNameFilter = regexp.MustCompile(`(?i)roleName\s+eq\s+'([^']*)'`)

// armListRoleDefinitions lists the built-in roles at scope (their ids in
// the scope's subscription), filtered by $filter=roleName eq '{name}'; with
// id (a GUID) it answers that one role.
func (s *Server) armListRoleDefinitions(a *armCall, scope azure.ResourceID, id string) error {
	roles, err := s.app.ListRoleDefinitions(a.r.Context(), a.c, scope)
	if err != nil {
		return err
	}
	var name string
	if m := armRoleNameFilter.FindStringSubmatch(a.r.URL.Query().Get("$filter")); m != nil {
		name = m[1]
	}
	out := []armRoleDefinitionOut{}
	for _, role := range roles {
		if name != "" && !strings.EqualFold(role.Name, name) || id != "" && role.ID.String() != id {
			continue
		}
		d := armRoleDefinitionOut{ID: azure.RoleDefinitionPath(scope.Subscription, role.ID), Name: role.ID.String(), Type: "Microsoft.Authorization/roleDefinitions"}
		d.Properties.RoleName, d.Properties.Type, d.Properties.Description = role.Name, "BuiltInRole", role.Description
		d.Properties.AssignableScopes = []string{"/"}
		d.Properties.Permissions = []armPermission{{Actions: role.Actions, NotActions: nonNil(role.NotActions), DataActions: []string{}, NotDataActions: []string{}}}
		out = append(out, d)
	}
	if id == "" {
		writeJSON(a.w, http.StatusOK, newARMCollection(out))
		return nil
	}
	if len(out) == 0 {
		return csp.Errorf(csp.EAzureRoleDefinitionNotFound, "The role definition '%s' could not be found: the built-in roles are Owner (%s), Contributor (%s), Reader (%s) and User Access Administrator (%s)",
			id, azure.RoleOwner, azure.RoleContributor, azure.RoleReader, azure.RoleUserAccessAdministrator)
	}
	writeJSON(a.w, http.StatusOK, out[0])
	return nil
}
