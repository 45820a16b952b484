package csp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Value is one field in an event's changes: a value the event states (a
// purchase states its quantity) or a change from Before to After. On the
// wire a stated value is the value itself and a change is [before, after].
type Value[T any] struct {
	Before *T
	After  T
}

// Stated is a value an event states.
func Stated[T any](v T) *Value[T] { return &Value[T]{After: v} }

// Changed is a change from before to after.
func Changed[T any](before, after T) *Value[T] { return &Value[T]{Before: &before, After: after} }

// IsChange reports whether v is a change (not a stated value).
func (v *Value[T]) IsChange() bool { return v != nil && v.Before != nil }

// MarshalJSON writes a stated value as itself and a change as a pair.
func (v Value[T]) MarshalJSON() ([]byte, error) {
	if v.Before != nil {
		return json.Marshal([2]T{*v.Before, v.After})
	}
	return json.Marshal(v.After)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (v *Value[T]) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		var pair [2]T
		if err := json.Unmarshal(t, &pair); err == nil {
			*v = Value[T]{Before: &pair[0], After: pair[1]}
			return nil
		}
		// Not a pair of T: the value itself may be an array.
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*v = Value[T]{After: one}
	return nil
}

// Changes is what an event changed or states. Nil fields are not part of
// the event. The JSON names are the history's wire names.
type Changes struct {
	Status           *Value[Status] `json:"status,omitempty"`
	Quantity         *Value[int]    `json:"quantity,omitempty"`
	TermDuration     *Value[string] `json:"termDuration,omitempty"`
	BillingCycle     *Value[string] `json:"billingCycle,omitempty"`
	UnitPrice        *Value[string] `json:"unitPrice,omitempty"`         // 2 decimals, the subscription's currency
	PromotionID      *Value[string] `json:"promotionId,omitempty"`       // the promotion in the unit price
	CommitmentEnd    *Value[string] `json:"commitmentEndDate,omitempty"` // yyyy-mm-dd
	OfferID          *Value[string] `json:"offerId,omitempty"`
	AutoRenewEnabled *Value[bool]   `json:"autoRenewEnabled,omitempty"`
	FriendlyName     *Value[string] `json:"friendlyName,omitempty"`
	// Scheduled is the next term's instructions: stated when set, stated
	// nil when cleared.
	Scheduled *Value[*NextTerm] `json:"scheduledNextTermInstructions,omitempty"`
	// NextCharge is a pending billing plan change (R-2a), the same way.
	NextCharge *Value[*PlanChange] `json:"nextChargeInstructions,omitempty"`
	// Reason says why a time-driven move happened.
	Reason string `json:"reason,omitempty"`

	// A purchase's order and catalog item.
	OrderID       *uuid.UUID `json:"orderId,omitempty"`
	CatalogItemID string     `json:"catalogItemId,omitempty"`

	// A transition: the offers it moved seats from and to,
	// how many, and the operation that did it.
	From             string     `json:"from,omitempty"`
	To               string     `json:"to,omitempty"`
	MovedQuantity    *int       `json:"movedQuantity,omitempty"`
	ToSubscriptionID *uuid.UUID `json:"toSubscriptionId,omitempty"`
	OperationID      *uuid.UUID `json:"operationId,omitempty"`

	// A transfer between partners: the transfer, and the
	// subscription the seats came from (the target's side) or went to
	// (ToSubscriptionID, the source's side), and the partners.
	TransferID         *uuid.UUID `json:"transferId,omitempty"`
	FromSubscriptionID *uuid.UUID `json:"fromSubscriptionId,omitempty"`
	FromPartnerID      *uuid.UUID `json:"fromPartnerId,omitempty"`
	ToPartnerID        *uuid.UUID `json:"toPartnerId,omitempty"`
}

// UnmarshalJSON reads changes strictly: a key this program does not know is
// an error, so that no stored history is silently lost. A cleared schedule
// (or pending billing plan change) is written as null, which must come back as a stated nil.
func (c *Changes) UnmarshalJSON(b []byte) error {
	type plain Changes
	var p plain
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&p); err != nil {
		return fmt.Errorf("event changes: %w", err)
	}
	if p.Scheduled == nil || p.NextCharge == nil {
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(b, &keys); err != nil {
			return err
		}
		if _, ok := keys["scheduledNextTermInstructions"]; ok && p.Scheduled == nil {
			p.Scheduled = Stated[*NextTerm](nil)
		}
		if _, ok := keys["nextChargeInstructions"]; ok && p.NextCharge == nil {
			p.NextCharge = Stated[*PlanChange](nil)
		}
	}
	*c = Changes(p)
	return nil
}

// diff is the change from before to after, or nil when they are equal.
func diff[T comparable](before, after T) *Value[T] {
	if before == after {
		return nil
	}
	return Changed(before, after)
}

// purchaseChanges states what a purchase of qty seats bought.
func (s *Subscription) purchaseChanges(qty int) Changes {
	return Changes{Quantity: Stated(qty), TermDuration: Stated(s.TermDuration), BillingCycle: Stated(s.BillingCycle),
		UnitPrice: Stated(s.UnitPrice.Amount.StringFixed(2)), CommitmentEnd: Stated(s.TermEnd.Format(time.DateOnly))}
}
