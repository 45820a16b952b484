package transfer

import (
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

// The moves between statuses. Each checks who acts and from which status,
// and records the change (lastModifiedTime, lastModifiedUser); none of
// them reads the subscriptions, which the caller checks with CheckLine.
//
//	Active ──SetLines (source)──▶ Active
//	Active ──Submit (source)──▶ InProgress ──Approve (source)──▶ Completed (or Failed)
//	                  └── automatic policy: Completed (or Failed) at once
//	Active ──Cancel (target)──▶ Cancelled
//	Active, InProgress ──Decline (source)──▶ Declined
//	Active, InProgress ──Reject (customer)──▶ Rejected
//	Active, InProgress ──Lapse at ExpiresAt──▶ Expired

// closed answers ETransferClosed when the transfer no longer moves.
func (t *Transfer) closed(action string) error {
	if t.Status.Open() {
		return nil
	}
	return csp.Errorf(csp.ETransferClosed, "transfer %s is %s: it cannot be %s any more. Create a new transfer request if subscriptions should still move", t.ID, t.Status, action)
}

// by checks that the acting partner is on the side named.
func (t *Transfer) by(partnerID uuid.UUID, side Side, action string) error {
	switch {
	case side == SideSource && t.SideOf(partnerID) != SideSource:
		return csp.Errorf(csp.ETransferSourceOnly, "only the source partner (%s, %s) %s transfer %s: the target partner created it and waits for the source (commerce rule R-37)",
			t.SourcePartnerName, t.SourcePartnerID, action, t.ID)
	case side == SideTarget && t.SideOf(partnerID) != SideTarget:
		return csp.Errorf(csp.ETransferTargetOnly, "only the target partner that created transfer %s (%s, %s) %s it; the source declines instead (PATCH status Decline)",
			t.ID, t.TargetPartnerName, t.TargetPartnerID, action)
	}
	return nil
}

func (t *Transfer) touch(now time.Time, user string) {
	t.ModifiedAt, t.ModifiedBy = now, user
}

// SetLines replaces the line items (the source, while Active). Each line
// names a subscription once and moves at least one seat; at most MaxLines.
// The subscription's fields are the caller's (CheckLine, Describe).
func (t *Transfer) SetLines(now time.Time, partnerID uuid.UUID, user string, lines []Line) error {
	if err := t.by(partnerID, SideSource, "adds line items to"); err != nil {
		return err
	}
	if err := t.closed("changed"); err != nil {
		return err
	}
	if t.Status != StatusActive {
		return csp.Errorf(csp.ETransferNotActive, "transfer %s is %s: line items change only while it is Active, before it is submitted", t.ID, t.Status)
	}
	if t.Type == TypeModernAzure {
		lines = azureQuantities(lines)
	}
	if err := CheckLines(lines); err != nil {
		return err
	}
	out := make([]Line, len(lines))
	for i, l := range lines {
		l.ID, l.Status, l.TargetSubscriptionID, l.TransferredCount, l.Error = i+1, "", nil, 0, ""
		out[i] = l
	}
	t.Lines = out
	t.touch(now, user)
	return nil
}

// CheckLines checks a list of lines by itself: at most MaxLines, each
// subscription once, each quantity at least 1.
func CheckLines(lines []Line) error {
	if len(lines) > MaxLines {
		return csp.Errorf(csp.ETransferTooManyLines, "%d line items: one transfer carries at most %d (commerce rule R-38); split the subscriptions over several transfers", len(lines), MaxLines)
	}
	seen := map[uuid.UUID]bool{}
	for i, l := range lines {
		if seen[l.SubscriptionID] {
			return csp.Errorf(csp.ETransferLineDuplicate, "lineItems[%d] names subscription %s again: give each subscription one line with the quantity to move", i, l.SubscriptionID)
		}
		seen[l.SubscriptionID] = true
		if l.Quantity < 1 {
			return csp.Errorf(csp.ETransferLineQuantity, "lineItems[%d].quantity %d: a line moves at least 1 seat (up to the subscription's seats)", i, l.Quantity)
		}
	}
	return nil
}

// Submit is the source's acceptance: the transfer needs line items
// and moves to InProgress; under the automatic policy the caller then
// completes it at once (Complete), under review it waits for Approve.
func (t *Transfer) Submit(now time.Time, partnerID uuid.UUID, user string) error {
	if err := t.by(partnerID, SideSource, "submits"); err != nil {
		return err
	}
	if err := t.closed("submitted"); err != nil {
		return err
	}
	if t.Status != StatusActive {
		return csp.Errorf(csp.ETransferNotActive, "transfer %s is %s: it was submitted already; under a review policy the source approves it with POST .../approve", t.ID, t.Status)
	}
	if len(t.Lines) == 0 {
		return csp.Errorf(csp.ETransferNoLines, "transfer %s has no line items: the source adds the subscriptions to move (PATCH with lineItems) before it submits", t.ID)
	}
	t.Status = StatusInProgress
	t.touch(now, user)
	return nil
}

// Approve is the source's approval of a submitted transfer under its
// review policy; the caller then completes it.
func (t *Transfer) Approve(now time.Time, partnerID uuid.UUID, user string) error {
	if err := t.by(partnerID, SideSource, "approves"); err != nil {
		return err
	}
	if err := t.closed("approved"); err != nil {
		return err
	}
	if t.Status != StatusInProgress {
		return csp.Errorf(csp.ETransferNotAwaitingApproval, "transfer %s is %s: only a submitted transfer (InProgress) waits for approval; submit it first", t.ID, t.Status)
	}
	t.touch(now, user)
	return nil
}

// Moved is what completing one line made: the target's new subscription
// and the seats it holds.
type Moved struct {
	TargetSubscriptionID uuid.UUID
	Quantity             int
}

// Complete records the move of every line (moved, by line id) at now.
func (t *Transfer) Complete(now time.Time, moved map[int]Moved) {
	for i := range t.Lines {
		m := moved[t.Lines[i].ID]
		id := m.TargetSubscriptionID
		t.Lines[i].Status, t.Lines[i].TargetSubscriptionID, t.Lines[i].TransferredCount, t.Lines[i].Error = LineCompleted, &id, m.Quantity, ""
	}
	t.Status, t.CompletedAt = StatusCompleted, &now
	t.ModifiedAt = now
}

// Fail records that lines were no longer eligible when the transfer was to
// complete (problems by line id): nothing moved.
func (t *Transfer) Fail(now time.Time, problems map[int]string) {
	for i := range t.Lines {
		if msg, ok := problems[t.Lines[i].ID]; ok {
			t.Lines[i].Status, t.Lines[i].Error = LineFailed, msg
		}
	}
	t.Status = StatusFailed
	t.ModifiedAt = now
}

// Cancel is the target's withdrawal of its request while Active.
func (t *Transfer) Cancel(now time.Time, partnerID uuid.UUID, user string) error {
	if err := t.by(partnerID, SideTarget, "cancels"); err != nil {
		return err
	}
	if err := t.closed("cancelled"); err != nil {
		return err
	}
	if t.Status != StatusActive {
		return csp.Errorf(csp.ETransferNotActive, "transfer %s is %s: the target cancels only while it is Active (before the source submits it)", t.ID, t.Status)
	}
	t.Status = StatusCancelled
	t.touch(now, user)
	return nil
}

// Decline is the source's refusal, before the transfer completes.
func (t *Transfer) Decline(now time.Time, partnerID uuid.UUID, user string) error {
	if err := t.by(partnerID, SideSource, "declines"); err != nil {
		return err
	}
	if err := t.closed("declined"); err != nil {
		return err
	}
	t.Status = StatusDeclined
	t.touch(now, user)
	return nil
}

// Reject is the customer's refusal, allowed until the transfer completes.
func (t *Transfer) Reject(now time.Time, user string) error {
	if err := t.closed("rejected"); err != nil {
		return err
	}
	t.Status = StatusRejected
	t.touch(now, user)
	return nil
}

// Lapse is the transfer's due job at at: an open transfer past its
// expiry becomes Expired (answers true); anything else is left as it is.
func (t *Transfer) Lapse(at time.Time) bool {
	if !t.Status.Open() || at.Before(t.ExpiresAt) {
		return false
	}
	t.Status = StatusExpired
	t.ModifiedAt, t.ModifiedBy = at, "system"
	return true
}
