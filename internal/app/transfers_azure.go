package app

import (
	"bytes"
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/store"
)

// Azure transfers (transferType 3, commerce-rules R-41): each line names
// one of the source's Azure subscriptions of the customer or its Azure
// plan (every Azure subscription under it). Completing one is
// completeAzureTransfer (transfers_azure_move.go).

// azureLine is a line resolved: the Azure plan it names or its Azure
// subscription is under, and the Azure subscriptions it moves.
type azureLine struct {
	check transfer.AzureLineCheck
	plan  *csp.Subscription
	subs  []*azure.Subscription
}

// resolveAzureLine reads what line i names: an Azure subscription of the
// customer (locked with lock), an Azure plan (its Azure subscriptions, each
// locked) or a licence subscription.
func (a *App) resolveAzureLine(ctx context.Context, tx store.Tx, t *transfer.Transfer, i int, lock store.Lock) (azureLine, error) {
	l := t.Lines[i]
	out := azureLine{check: transfer.AzureLineCheck{Line: l, Index: i, CustomerID: t.CustomerTenantID, SourceID: t.SourcePartnerID}}
	ids := []uuid.UUID{l.SubscriptionID}
	sub, err := tx.GetAzureSubscription(ctx, l.SubscriptionID, lock)
	switch {
	case err == nil && sub.TenantID == t.CustomerTenantID:
		if out.plan, err = tx.GetSubscription(ctx, sub.PlanSubscriptionID); err != nil {
			return out, err
		}
		out.subs = []*azure.Subscription{sub}
		ids = append(ids, out.plan.ID)
	case err == nil || csp.ErrorCode(err) == csp.EAzureSubscriptionNotFound:
		s, err := tx.GetSubscription(ctx, l.SubscriptionID)
		if csp.ErrorCode(err) == csp.ESubscriptionNotFound {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if !a.isAzurePlan(ctx, tx, s) {
			out.check.Licence = s
			return out, nil
		}
		out.plan, out.check.IsPlan = s, true
		under, err := tx.ListAzureSubscriptions(ctx, s.ID)
		if err != nil {
			return out, err
		}
		slices.SortFunc(under, func(x, y *azure.Subscription) int { return bytes.Compare(x.ID[:], y.ID[:]) })
		for _, u := range under {
			if lock != store.LockNone {
				if u, err = tx.GetAzureSubscription(ctx, u.ID, lock); err != nil {
					return out, err
				}
			}
			out.subs = append(out.subs, u)
			ids = append(ids, u.ID)
		}
	default:
		return out, err
	}
	out.check.Plan = out.plan
	for _, s := range out.subs {
		out.check.Moving = append(out.check.Moving, transfer.AzureSubscription{ID: s.ID, FriendlyName: s.FriendlyName,
			Disabled: s.Status != azure.StatusActive, StatusSince: s.StatusSince})
	}
	for _, id := range ids {
		open, err := tx.OpenTransfersOf(ctx, t.CustomerTenantID, id)
		if err != nil {
			return out, err
		}
		if k := slices.IndexFunc(open, func(o uuid.UUID) bool { return o != t.ID }); k >= 0 {
			out.check.OtherTransfer = &open[k]
			break
		}
	}
	return out, nil
}

// checkAzureLines resolves and checks every line of an Azure transfer
// (answering the first refusal), then that no line repeats another's
// plan, and fills the lines' copied fields. It answers the lines resolved.
func (a *App) checkAzureLines(ctx context.Context, tx store.Tx, t *transfer.Transfer, lock store.Lock) ([]azureLine, error) {
	out := make([]azureLine, len(t.Lines))
	planOf := map[uuid.UUID]uuid.UUID{}
	for i := range t.Lines {
		l, err := a.resolveAzureLine(ctx, tx, t, i, lock)
		if err != nil {
			return nil, err
		}
		if err := transfer.CheckAzureLine(l.check); err != nil {
			return nil, err
		}
		var named *transfer.AzureSubscription
		if !l.check.IsPlan {
			planOf[t.Lines[i].SubscriptionID] = l.plan.ID
			named = &l.check.Moving[0]
		}
		t.Lines[i] = transfer.DescribeAzure(t.Lines[i], l.plan, named)
		out[i] = l
	}
	return out, transfer.CheckAzureOverlap(t.Lines, planOf)
}

// checkAzureTransfer checks an Azure transfer's lines and that the
// target's Azure plan for the customer is there or may be bought.
func (a *App) checkAzureTransfer(ctx context.Context, tx store.Tx, now time.Time, t *transfer.Transfer) error {
	lines, err := a.checkAzureLines(ctx, tx, t, store.LockNone)
	if err != nil || len(lines) == 0 {
		return err
	}
	_, err = a.prepareTargetPlan(ctx, tx, now, t, lines[0].plan)
	return err
}

// licenceLineAzure answers ETransferAzureLineKind when a NewCommerce line
// names one of the source's Azure subscriptions of the customer (which
// moves in a ModernAzure transfer), nil otherwise.
func licenceLineAzure(ctx context.Context, tx store.Tx, t *transfer.Transfer, i int) error {
	id := t.Lines[i].SubscriptionID
	sub, err := tx.GetAzureSubscription(ctx, id, store.LockNone)
	if err != nil || sub.TenantID != t.CustomerTenantID || sub.PartnerID != t.SourcePartnerID {
		return nil
	}
	return csp.Errorf(csp.ETransferAzureLineKind, "lineItems[%d]: %s is an Azure subscription (%s): a transferType 5 (NewCommerce) transfer moves licence subscriptions; Azure subscriptions move in a transferType 3 (ModernAzure) transfer",
		i, id, sub.FriendlyName)
}

// targetAzurePlan answers the target's active Azure plan for the
// customer, nil when it has none; a plan that is not active refuses.
func (a *App) targetAzurePlan(ctx context.Context, tx store.Tx, t *transfer.Transfer) (*csp.Subscription, error) {
	held, err := allSubscriptions(ctx, tx, store.SubscriptionFilter{TenantID: &t.CustomerTenantID})
	if err != nil {
		return nil, err
	}
	var blocked *csp.Subscription
	for _, s := range held {
		if s.PartnerID == nil || *s.PartnerID != t.TargetPartnerID || !a.isAzurePlan(ctx, tx, s) {
			continue
		}
		if s.Status == csp.StatusActive {
			return s, nil
		}
		if s.Status != csp.StatusDeleted && s.Status != csp.StatusExpired {
			blocked = s
		}
	}
	if blocked != nil {
		return nil, csp.Errorf(csp.ETransferAzureTargetPlanBlocked, "the target partner's Azure plan %s for customer %s is %s: Azure subscriptions move under an active Azure plan; the target reactivates it first",
			blocked.ID, t.CustomerName, blocked.Status)
	}
	return nil, nil
}

// transferPrincipal is who acts for a partner in a transfer's completion:
// the user who moved the transfer last, in that partner's name.
func transferPrincipal(t *transfer.Transfer, partnerID uuid.UUID) csp.Principal {
	return csp.Principal{Kind: csp.PrincipalPartner, PartnerID: partnerID, UserPrincipalName: t.ModifiedBy}
}

// targetPlan is the target's Azure plan for the customer, or how it buys
// one: the checkout's rules on one line of the source plan's catalog item.
type targetPlan struct {
	plan    *csp.Subscription
	check   csp.CartCheck
	checked map[int]csp.CheckedLine
	cart    *csp.Cart
}

// prepareTargetPlan finds the target's active Azure plan for the customer
// or checks, as checkout would, that the target may buy one now (like
// names the source's plan, whose catalog item it buys): the customer must
// have attested the Microsoft Customer Agreement with the target
// and the cart rules must accept the line. Nothing is written.
func (a *App) prepareTargetPlan(ctx context.Context, tx store.Tx, now time.Time, t *transfer.Transfer, like *csp.Subscription) (targetPlan, error) {
	plan, err := a.targetAzurePlan(ctx, tx, t)
	if err != nil || plan != nil {
		return targetPlan{plan: plan}, err
	}
	p := transferPrincipal(t, t.TargetPartnerID)
	check, err := a.cartCheck(ctx, tx, now, p, t.CustomerTenantID, false)
	if err != nil {
		return targetPlan{}, csp.Errorf(csp.ETransferAzurePlanNotSellable, "the target partner cannot buy the Azure plan for customer %s, so its Azure plan cannot be created: %s", t.CustomerName, csp.ErrorMessage(err))
	}
	ags, err := tx.ListAgreements(ctx, store.AgreementFilter{PartnerID: t.TargetPartnerID, TenantID: t.CustomerTenantID, Limit: 1})
	if err != nil {
		return targetPlan{}, err
	}
	if len(ags) == 0 {
		return targetPlan{}, csp.Errorf(csp.ETransferAzureTargetAgreement,
			"the target partner has no Azure plan for customer %s and the customer has not attested the Microsoft Customer Agreement with it (commerce rule R-33): the target records the acceptance (POST /v1/customers/%s/agreements) before the Azure subscriptions move",
			t.CustomerName, t.CustomerTenantID)
	}
	cart := &csp.Cart{ID: a.newID(), TenantID: t.CustomerTenantID, PartnerID: t.TargetPartnerID, Status: csp.CartActive,
		Lines: []csp.CartLine{{CatalogItemID: like.CatalogItemID().String(), Quantity: 1, BillingCycle: like.BillingCycle}}}
	lines, checked, err := checkLines(ctx, tx, check, cart.Lines)
	if err != nil {
		return targetPlan{}, err
	}
	if e := lines[0].Error; e != nil {
		return targetPlan{}, csp.Errorf(csp.ETransferAzurePlanNotSellable, "the target partner cannot buy the Azure plan %s for customer %s, so its Azure plan cannot be created: %s (%s)",
			like.CatalogItemID(), t.CustomerName, e.ErrorDescription, e.ErrorCode)
	}
	cart.Lines = lines
	return targetPlan{check: check, checked: checked, cart: cart}, nil
}

// place answers the target's plan, buying it when prepareTargetPlan found
// none, as checkout does (csp.PlaceOrders: the order, the subscription, its
// purchase event and the order's audit record), without a stored cart.
func (a *App) place(ctx context.Context, tx store.Tx, now time.Time, t *transfer.Transfer, tp targetPlan) (*csp.Subscription, error) {
	if tp.plan != nil {
		return tp.plan, nil
	}
	res, err := a.placeOrders(ctx, tx, now, transferPrincipal(t, t.TargetPartnerID), tp.check, tp.checked, tp.cart)
	if err != nil {
		return nil, err
	}
	return res.Subscriptions[0], nil
}
