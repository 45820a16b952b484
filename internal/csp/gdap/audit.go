package gdap

// Audit resource and operation types of delegated admin changes (Partner
// Center's audit records name GDAP changes in these terms).
const (
	ResRelationship     = "delegated_admin_relationship"
	ResAccessAssignment = "delegated_admin_access_assignment"

	OpCreateRelationship    = "create_delegated_admin_relationship"
	OpUpdateRelationship    = "update_delegated_admin_relationship"
	OpDeleteRelationship    = "delete_delegated_admin_relationship"
	OpLockForApproval       = "lock_delegated_admin_relationship_for_approval"
	OpApproveRelationship   = "approve_delegated_admin_relationship"
	OpRejectRelationship    = "reject_delegated_admin_relationship"
	OpTerminateRelationship = "terminate_delegated_admin_relationship"
	OpCreateAssignment      = "create_delegated_admin_access_assignment"
	OpUpdateAssignment      = "update_delegated_admin_access_assignment"
	OpDeleteAssignment      = "delete_delegated_admin_access_assignment"
)

// Audit answers the relationship's audit value, in Graph's field names.
func (r *Relationship) Audit() map[string]any {
	if r == nil {
		return nil
	}
	v := map[string]any{"id": r.ID, "displayName": r.DisplayName, "duration": r.DurationText(),
		"customer":     map[string]any{"tenantId": r.CustomerTenantID, "displayName": r.CustomerDisplayName},
		"unifiedRoles": r.Roles, "autoExtendDuration": r.AutoExtendDuration(), "status": r.Status,
		"createdDateTime": r.CreatedAt, "lastModifiedDateTime": r.LastModifiedAt}
	if r.ActivatedAt != nil {
		v["activatedDateTime"] = *r.ActivatedAt
	}
	if r.EndAt != nil {
		v["endDateTime"] = *r.EndAt
	}
	return v
}

// Audit answers the assignment's audit value, in Graph's field names.
func (a *AccessAssignment) Audit() map[string]any {
	if a == nil {
		return nil
	}
	return map[string]any{"id": a.ID, "relationshipId": a.RelationshipID,
		"accessContainer": map[string]any{"accessContainerId": a.GroupID, "accessContainerType": ContainerSecurityGroup},
		"unifiedRoles":    a.Roles, "status": a.Status, "createdDateTime": a.CreatedAt, "lastModifiedDateTime": a.LastModifiedAt}
}
