package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/store"
)

// completeAzureTransfer moves every line of an Azure transfer at now
// . It locks the lines' Azure subscriptions (each line's in id
// order), checks every line again and the target's Azure plan for the
// customer (found, or created as checkout buys it); when one fails the
// transfer is Failed with each failing line's transferError and nothing
// moves. Otherwise each Azure subscription moves to the target's plan from
// the transfer hour (azure.TransferHour): the source's holding is recorded
// (the usage before it stays the source's, in its unbilled usage lines and
// month-to-date spend), its resources, runs and the customer's role
// assignments stay as they are, the source's admin-agents assignments
// (admin on behalf of: ForeignGroup, principal the source's id) are
// deleted and the target's Owner added, each audited in its partner's log.
func (a *App) completeAzureTransfer(ctx context.Context, tx store.Tx, now time.Time, t *transfer.Transfer) (string, error) {
	problems := map[int]string{}
	var lines []azureLine
	for i := range t.Lines {
		l, err := a.resolveAzureLine(ctx, tx, t, i, store.LockUpdate)
		if err != nil {
			return "", err
		}
		if err := transfer.CheckAzureLine(l.check); err != nil {
			problems[t.Lines[i].ID] = csp.ErrorMessage(err)
		}
		lines = append(lines, l)
	}
	var plan *csp.Subscription
	if len(problems) == 0 {
		tp, err := a.prepareTargetPlan(ctx, tx, now, t, lines[0].plan)
		if err == nil {
			plan, err = a.place(ctx, tx, now, t, tp)
		}
		if err != nil && csp.ErrorCode(err) == csp.EInternal {
			return "", err
		}
		if err != nil {
			for _, l := range t.Lines {
				problems[l.ID] = csp.ErrorMessage(err)
			}
		}
	}
	if len(problems) > 0 {
		t.Fail(now, problems)
		if err := tx.UpdateTransfer(ctx, t); err != nil {
			return "", err
		}
		return "", a.auditTransfer(ctx, tx, now, csp.Principal{UserPrincipalName: t.ModifiedBy}, t, "fail_transfer", map[string]any{"problems": problems})
	}
	hour := azure.TransferHour(now)
	moved := map[int]transfer.Moved{}
	for i, l := range lines {
		for _, sub := range l.subs {
			if err := a.moveAzureSubscription(ctx, tx, now, hour, t, sub, plan); err != nil {
				return "", err
			}
		}
		moved[t.Lines[i].ID] = transfer.Moved{TargetSubscriptionID: plan.ID, Quantity: len(l.subs)}
	}
	t.Complete(now, moved)
	if err := tx.UpdateTransfer(ctx, t); err != nil {
		return "", err
	}
	return "", a.auditTransfer(ctx, tx, now, csp.Principal{UserPrincipalName: t.ModifiedBy}, t, "complete_transfer",
		map[string]any{"transferHour": hour, "targetAzurePlanId": plan.ID})
}

// moveAzureSubscription moves one locked Azure subscription to the
// target's Azure plan from hour, and hands its admin on behalf of from the
// source's admin agents to the target's.
func (a *App) moveAzureSubscription(ctx context.Context, tx store.Tx, now, hour time.Time, t *transfer.Transfer, sub *azure.Subscription, plan *csp.Subscription) error {
	before := *sub
	ended := sub.MoveTo(t.TargetPartnerID, plan.ID, t.ID, hour)
	if err := tx.MoveAzureSubscription(ctx, sub, ended); err != nil {
		return err
	}
	assignments, err := tx.RoleAssignments(ctx, sub.ID)
	if err != nil {
		return err
	}
	src, tgt := transferPrincipal(t, t.SourcePartnerID), transferPrincipal(t, t.TargetPartnerID)
	rec := func(partner uuid.UUID, op string) csp.AuditRecord {
		id, tenant := partner, t.CustomerTenantID
		return csp.AuditRecord{PartnerID: &id, TenantID: &tenant, CustomerName: t.CustomerName, ResourceType: "azure_role_assignment", OperationType: op}
	}
	targetHas := false
	for _, ra := range assignments {
		if ra.PrincipalType != azure.PrincipalForeignGroup {
			continue
		}
		switch ra.PrincipalID {
		case t.SourcePartnerID:
			if err := tx.DeleteRoleAssignment(ctx, sub.ID, ra.ID, now); err != nil {
				return err
			}
			if err := a.audit(ctx, tx, now, src, rec(t.SourcePartnerID, "delete_role_assignment"), ra, map[string]any{"transferId": t.ID}); err != nil {
				return err
			}
		case t.TargetPartnerID:
			targetHas = targetHas || (ra.RoleDefinitionID == azure.RoleOwner && ra.Scope.Equal(azure.SubscriptionScope(sub.ID)))
		}
	}
	if !targetHas {
		owner := azure.AdminAgentsOwner(a.newID(), sub.ID, t.TargetPartnerID, now)
		if err := tx.CreateRoleAssignment(ctx, owner); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, now, tgt, rec(t.TargetPartnerID, "create_role_assignment"), nil, owner); err != nil {
			return err
		}
	}
	for _, p := range []csp.Principal{src, tgt} {
		r := rec(p.PartnerID, "transfer_azure_entitlement")
		r.ResourceType = "azure_entitlement"
		if err := a.audit(ctx, tx, now, p, r, before, sub); err != nil {
			return err
		}
	}
	return nil
}
