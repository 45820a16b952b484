package app

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/store"
)

// Transfers between partners (partner-center-api.md §9, commerce-rules
// R-37..R-40): the target partner creates the request, the source adds
// line items and submits it; under the source's review policy the source
// then approves it. The rules are internal/csp/transfer's; completing one
// is transfers_complete.go.
//
// Locks (docs/architecture.md "Concurrency"): the clock, both partners'
// relationships with the customer (in partner id order), the transfer,
// then the subscriptions of its lines (in id order).

// TransferRequest is the create body as the target partner sends it.
type TransferRequest struct {
	transfer.Request
	// TargetPartnerID, when set, must be the caller's partner.
	TargetPartnerID *uuid.UUID
}

// CreateTransfer is the target partner's request to move subscriptions of
// its customer from the source partner.
func (a *App) CreateTransfer(ctx context.Context, p csp.Principal, customerID uuid.UUID, req TransferRequest) (*transfer.Transfer, error) {
	if err := p.Can(csp.PermTransfers); err != nil {
		return nil, err
	}
	if req.TargetPartnerID != nil && *req.TargetPartnerID != p.PartnerID {
		return nil, csp.Errorf(csp.ETransferTargetNotCaller, "targetPartnerTenantId %s is not your partner tenant (%s): the target partner creates the transfer itself; the source accepts it (commerce rule R-37)",
			*req.TargetPartnerID, p.PartnerID)
	}
	r := req.Request
	if err := r.Check(); err != nil {
		return nil, err
	}
	var out *transfer.Transfer
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		source, err := tx.GetPartner(ctx, r.SourcePartnerID)
		if csp.ErrorCode(err) == csp.EPartnerNotFound {
			return csp.Errorf(csp.ETransferSourceNotFound, "sourcePartnerTenantId %s names no CSP partner: give the partner tenant id of the partner the customer buys from now", r.SourcePartnerID)
		}
		if err != nil {
			return err
		}
		parties, err := a.transferParties(ctx, tx, customerID, source.ID, p.PartnerID, true)
		if err != nil {
			return err
		}
		if !parties.TargetLinked {
			return csp.Errorf(csp.ECustomerNotFound, "customer %s was not found among this partner's customers", customerID)
		}
		if err := transfer.CheckParties(parties); err != nil {
			return err
		}
		out = transfer.New(a.newID(), r, parties.Customer, source, parties.Target, who(p), now)
		if err := tx.CreateTransfer(ctx, out); err != nil {
			return err
		}
		return a.auditTransfer(ctx, tx, now, p, out, "create_transfer", nil)
	})
	return out, err
}

// who names the user in lastModifiedUser.
func who(p csp.Principal) string {
	if p.UserPrincipalName != "" {
		return p.UserPrincipalName
	}
	return string(p.Kind)
}

// transferParties reads the customer and both partners, and whether each
// partner has a relationship with the customer; lock locks both
// relationships, in partner id order, first.
func (a *App) transferParties(ctx context.Context, tx store.Tx, tenantID, sourceID, targetID uuid.UUID, lock bool) (transfer.Parties, error) {
	ids := []uuid.UUID{sourceID, targetID}
	slices.SortFunc(ids, func(x, y uuid.UUID) int { return bytes.Compare(x[:], y[:]) })
	linked := map[uuid.UUID]bool{}
	for _, id := range slices.Compact(ids) {
		_, err := tx.GetCustomer(ctx, id, tenantID, lock)
		if err == nil {
			linked[id] = true
		} else if csp.ErrorCode(err) != csp.ERelationshipNotFound {
			return transfer.Parties{}, err
		}
	}
	var ps transfer.Parties
	var err error
	if ps.Customer, err = tx.GetTenant(ctx, tenantID); err != nil {
		return ps, err
	}
	if ps.Source, err = tx.GetPartner(ctx, sourceID); err != nil {
		return ps, err
	}
	if ps.Target, err = tx.GetPartner(ctx, targetID); err != nil {
		return ps, err
	}
	ps.SourceLinked, ps.TargetLinked = linked[sourceID], linked[targetID]
	return ps, nil
}

// transferOf reads a transfer of the customer where the partner is the
// source or the target; anything else is ETransferNotFound.
func transferOf(ctx context.Context, tx store.Tx, p csp.Principal, customerID, id uuid.UUID, lock bool) (*transfer.Transfer, error) {
	t, err := tx.GetTransfer(ctx, id, lock)
	if err == nil && (t.CustomerTenantID != customerID || t.SideOf(p.PartnerID) == transfer.SideNone) {
		err = csp.Errorf(csp.ETransferNotFound, "transfer %s was not found among this partner's transfers of customer %s", id, customerID)
	}
	if csp.ErrorCode(err) == csp.ETransferNotFound {
		return nil, csp.Errorf(csp.ETransferNotFound, "transfer %s was not found among this partner's transfers of customer %s", id, customerID)
	}
	return t, err
}

// GetTransfer reads a transfer where the partner is the source or the
// target.
func (a *App) GetTransfer(ctx context.Context, p csp.Principal, customerID, id uuid.UUID) (*transfer.Transfer, error) {
	if err := p.Can(csp.PermTransfers); err != nil {
		return nil, err
	}
	var out *transfer.Transfer
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = transferOf(ctx, tx, p, customerID, id, false)
		return err
	})
	return out, err
}

// ListTransfers pages through a customer's transfers where the partner is
// the source or the target, oldest first. The partner must still see the
// customer.
func (a *App) ListTransfers(ctx context.Context, p csp.Principal, customerID uuid.UUID, pg Page[Cursor]) (Paged[*transfer.Transfer, Cursor], error) {
	if err := p.Can(csp.PermTransfers); err != nil {
		return Paged[*transfer.Transfer, Cursor]{}, err
	}
	var out []*transfer.Transfer
	err := a.read(ctx, func(tx store.Tx, _ time.Time) error {
		if _, err := a.customer(ctx, tx, p, customerID, false); err != nil {
			return err
		}
		var err error
		out, err = tx.ListTransfers(ctx, store.TransferFilter{TenantID: &customerID, PartnerID: &p.PartnerID, After: pg.After.store(), Limit: pg.limit()})
		return err
	})
	return paged(out, pg, transferCursor), err
}

func transferCursor(t *transfer.Transfer) Cursor { return Cursor{At: t.CreatedAt, ID: t.ID} }

// TransferPatch is Partner Center's PATCH body: the entity as the client
// wants it. Status "Cancel" is the target's cancellation and "Decline"
// the source's; Lines, when set, are the source's line items. The request
// fields the target set cannot change.
type TransferPatch struct {
	Status          string
	Lines           *[]transfer.Line
	SourcePartnerID *uuid.UUID
	CustomerEmailID *string
	Type            *transfer.Type
}

// Patch statuses.
const (
	PatchCancel  = "cancel"
	PatchDecline = "decline"
)

// PatchTransfer applies a PATCH: cancel (target), decline (source) or
// the line items (source). ifMatch, when set, must be the transfer's etag.
func (a *App) PatchTransfer(ctx context.Context, p csp.Principal, customerID, id uuid.UUID, body TransferPatch, ifMatch string) (*transfer.Transfer, error) {
	status := strings.ToLower(strings.TrimSpace(body.Status))
	return a.changeTransfer(ctx, p, customerID, id, ifMatch, func(tx store.Tx, now time.Time, t *transfer.Transfer, ps transfer.Parties) (string, error) {
		if err := readOnlyFields(t, body); err != nil {
			return "", err
		}
		switch {
		case status == PatchCancel:
			return "cancel_transfer", t.Cancel(now, p.PartnerID, who(p))
		case status == PatchDecline:
			return "decline_transfer", t.Decline(now, p.PartnerID, who(p))
		case status != "" && status != strings.ToLower(string(t.Status)):
			return "", csp.Errorf(csp.ETransferStatusValue, "status %q: a PATCH sets status Cancel (the target, while Active) or Decline (the source); send the current status (%s) or none to change only lineItems",
				body.Status, t.Status)
		case body.Lines == nil:
			return "", csp.Errorf(csp.EEmptyPatch, "the PATCH body changes nothing: the source sends lineItems (subscriptionId and quantity of each), the target status Cancel")
		}
		lines := slices.Clone(*body.Lines)
		if err := t.SetLines(now, p.PartnerID, who(p), lines); err != nil {
			return "", err
		}
		if err := transfer.CheckParties(ps); err != nil {
			return "", err
		}
		if err := a.checkTransferLines(ctx, tx, now, t, ps); err != nil {
			return "", err
		}
		return "update_transfer_line_items", nil
	})
}

// readOnlyFields refuses a PATCH that changes what the target's request
// set.
func readOnlyFields(t *transfer.Transfer, b TransferPatch) error {
	bad := func(field string) error {
		return csp.Errorf(csp.ETransferReadOnlyField, "%s cannot change after the transfer is created: send the value GET answers, or create a new transfer", field)
	}
	switch {
	case b.SourcePartnerID != nil && *b.SourcePartnerID != t.SourcePartnerID:
		return bad("sourcePartnerTenantId")
	case b.CustomerEmailID != nil && *b.CustomerEmailID != t.CustomerEmailID:
		return bad("customerEmailId")
	case b.Type != nil && *b.Type != t.Type:
		return bad("transferType")
	}
	return nil
}

// SubmitTransfer is the source's submission: under its automatic
// policy the transfer completes at once; under review it waits, InProgress,
// for ApproveTransfer.
func (a *App) SubmitTransfer(ctx context.Context, p csp.Principal, customerID, id uuid.UUID, ifMatch string) (*transfer.Transfer, error) {
	return a.changeTransfer(ctx, p, customerID, id, ifMatch, func(tx store.Tx, now time.Time, t *transfer.Transfer, ps transfer.Parties) (string, error) {
		if err := t.Submit(now, p.PartnerID, who(p)); err != nil {
			return "", err
		}
		if err := transfer.CheckParties(ps); err != nil {
			return "", err
		}
		if err := a.checkTransferLines(ctx, tx, now, t, ps); err != nil {
			return "", err
		}
		policy, err := tx.TransferPolicy(ctx, t.SourcePartnerID)
		if err != nil || policy == transfer.PolicyReview {
			return "submit_transfer", err
		}
		if err := a.auditTransfer(ctx, tx, now, p, t, "submit_transfer", nil); err != nil {
			return "", err
		}
		return a.completeTransfer(ctx, tx, now, t, ps)
	})
}

// ApproveTransfer is the source's approval of a submitted transfer under
// its review policy: it completes.
func (a *App) ApproveTransfer(ctx context.Context, p csp.Principal, customerID, id uuid.UUID, ifMatch string) (*transfer.Transfer, error) {
	return a.changeTransfer(ctx, p, customerID, id, ifMatch, func(tx store.Tx, now time.Time, t *transfer.Transfer, ps transfer.Parties) (string, error) {
		if err := t.Approve(now, p.PartnerID, who(p)); err != nil {
			return "", err
		}
		if err := transfer.CheckParties(ps); err != nil {
			return "", err
		}
		if err := a.auditTransfer(ctx, tx, now, p, t, "approve_transfer", nil); err != nil {
			return "", err
		}
		return a.completeTransfer(ctx, tx, now, t, ps)
	})
}

// changeTransfer locks the transfer's parties and the transfer, checks
// ifMatch, lets change move it, and stores it with an audit record in both
// partners' logs, named by the operation change answers.
func (a *App) changeTransfer(ctx context.Context, p csp.Principal, customerID, id uuid.UUID, ifMatch string,
	change func(tx store.Tx, now time.Time, t *transfer.Transfer, ps transfer.Parties) (string, error)) (*transfer.Transfer, error) {
	if err := p.Can(csp.PermTransfers); err != nil {
		return nil, err
	}
	var out *transfer.Transfer
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		seen, err := transferOf(ctx, tx, p, customerID, id, false)
		if err != nil {
			return err
		}
		ps, err := a.transferParties(ctx, tx, customerID, seen.SourcePartnerID, seen.TargetPartnerID, true)
		if err != nil {
			return err
		}
		t, err := transferOf(ctx, tx, p, customerID, id, true)
		if err != nil {
			return err
		}
		if err := csp.CheckETag("transfer", t.ID, t.Version, ifMatch); err != nil {
			return err
		}
		op, err := change(tx, now, t, ps)
		if err != nil {
			return err
		}
		out = t
		if op == "" { // completed: stored and audited already
			return nil
		}
		if err := tx.UpdateTransfer(ctx, t); err != nil {
			return err
		}
		return a.auditTransfer(ctx, tx, now, p, t, op, nil)
	})
	return out, err
}

// auditTransfer appends the record of a transfer's step to both partners'
// audit logs.
func (a *App) auditTransfer(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, t *transfer.Transfer, op string, extra map[string]any) error {
	after := map[string]any{"transferId": t.ID, "status": t.Status, "sourcePartnerTenantId": t.SourcePartnerID, "targetPartnerTenantId": t.TargetPartnerID,
		"lineItems": len(t.Lines)}
	for k, v := range extra {
		after[k] = v
	}
	for _, partner := range []uuid.UUID{t.SourcePartnerID, t.TargetPartnerID} {
		id := partner
		rec := csp.AuditRecord{PartnerID: &id, TenantID: &t.CustomerTenantID, CustomerName: t.CustomerName, ResourceType: "transfer", OperationType: op}
		if err := a.audit(ctx, tx, now, p, rec, map[string]any{"transferId": t.ID}, after); err != nil {
			return err
		}
	}
	return nil
}

// SetTransferPolicy sets the partner's outgoing transfer policy.
func (a *App) SetTransferPolicy(ctx context.Context, p csp.Principal, outgoing string) (transfer.Policy, error) {
	if err := p.Can(csp.PermTransfers); err != nil {
		return "", err
	}
	policy, err := transfer.ParsePolicy(outgoing)
	if err != nil {
		return "", err
	}
	err = a.write(ctx, func(tx store.Tx, now time.Time) error {
		before, err := tx.TransferPolicy(ctx, p.PartnerID)
		if err != nil {
			return err
		}
		if err := tx.SetTransferPolicy(ctx, p.PartnerID, policy); err != nil {
			return err
		}
		return a.audit(ctx, tx, now, p, csp.AuditRecord{ResourceType: "transfer_policy", OperationType: "update_transfer_policy"},
			map[string]any{"outgoing": before}, map[string]any{"outgoing": policy})
	})
	return policy, err
}

// TransferPolicy reads the partner's outgoing transfer policy.
func (a *App) TransferPolicy(ctx context.Context, p csp.Principal) (transfer.Policy, error) {
	if err := p.Can(csp.PermTransfers); err != nil {
		return "", err
	}
	var out transfer.Policy
	err := a.read(ctx, func(tx store.Tx, _ time.Time) (err error) {
		out, err = tx.TransferPolicy(ctx, p.PartnerID)
		return err
	})
	return out, err
}
