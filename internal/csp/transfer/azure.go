package transfer

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

// AzureSubscription is what a line's rules read of an Azure subscription
// (the azure context's, which this package does not import).
type AzureSubscription struct {
	ID           uuid.UUID
	FriendlyName string
	Disabled     bool
	StatusSince  time.Time
}

// An Azure line (transferType 3, R-41) names one of the source's Azure
// subscriptions of the customer, or the source's Azure plan for the
// customer: then every Azure subscription under it. Its quantity is 1.
// On completion the Azure subscriptions move, with their resources, role
// assignments and running usage, to the target's Azure plan for the
// customer (created when the target has none); the usage before the
// transfer hour stays billed to the source (the hour the transfer completes in).

// azureQuantities gives each line of an Azure transfer quantity 1 when it
// names none (Azure subscriptions carry no seats).
func azureQuantities(lines []Line) []Line {
	for i := range lines {
		if lines[i].Quantity == 0 {
			lines[i].Quantity = 1
		}
	}
	return lines
}

// AzureLineCheck is what one Azure line's eligibility depends on.
type AzureLineCheck struct {
	Line       Line
	Index      int
	CustomerID uuid.UUID
	SourceID   uuid.UUID
	// Plan is the Azure plan the line names or the one its Azure
	// subscription is under (nil when the line names neither). IsPlan says
	// whether the line names the plan itself.
	Plan   *csp.Subscription
	IsPlan bool
	// Moving are the Azure subscriptions the line moves: the one it names,
	// or every one under the plan it names.
	Moving []AzureSubscription
	// Licence is set when the line names a licence subscription instead.
	Licence *csp.Subscription
	// OtherTransfer names another open transfer holding the line's Azure
	// subscription or its plan.
	OtherTransfer *uuid.UUID
}

// CheckAzureLine checks that an Azure line may move: it names
// the source's Azure subscription or Azure plan for this customer, with
// quantity 1, the plan active and every Azure subscription moving active
// (a disabled one is read-only: the partner or Microsoft enables it first),
// at least one of them, and none on another open transfer.
func CheckAzureLine(c AzureLineCheck) error {
	at := fmt.Sprintf("lineItems[%d]", c.Index)
	if s := c.Licence; s != nil && s.TenantID == c.CustomerID && s.PartnerID != nil && *s.PartnerID == c.SourceID {
		return csp.Errorf(csp.ETransferAzureLineKind, "%s: subscription %s (%s) is a licence subscription: a transferType 3 (ModernAzure) transfer moves Azure subscriptions and Azure plans; move licences in a transferType 5 (NewCommerce) transfer",
			at, s.ID, s.OfferName)
	}
	if c.Plan == nil || c.Plan.TenantID != c.CustomerID || c.Plan.PartnerID == nil || *c.Plan.PartnerID != c.SourceID {
		return csp.Errorf(csp.ETransferLineSubscription, "%s: %s is neither one of the source partner's Azure subscriptions of this customer nor its Azure plan for the customer", at, c.Line.SubscriptionID)
	}
	if c.Line.Quantity != 1 {
		return csp.Errorf(csp.ETransferLineQuantity, "%s: quantity %d: an Azure subscription or Azure plan line moves as a whole; send quantity 1 (or none)", at, c.Line.Quantity)
	}
	if c.Plan.Status != csp.StatusActive {
		return csp.Errorf(csp.ETransferLineNotActive, "%s: the source's Azure plan %s is %s: Azure subscriptions move from an active Azure plan (commerce rule R-39)", at, c.Plan.ID, c.Plan.Status)
	}
	if len(c.Moving) == 0 {
		return csp.Errorf(csp.ETransferAzurePlanEmpty, "%s: the source's Azure plan %s has no Azure subscriptions: there is nothing to move; the target buys its own Azure plan instead", at, c.Plan.ID)
	}
	for _, s := range c.Moving {
		if s.Disabled {
			return csp.Errorf(csp.ETransferLineNotActive, "%s: Azure subscription %s (%s) is disabled since %s: only an active Azure subscription moves (commerce rule R-39); whoever disabled it enables it first",
				at, s.ID, s.FriendlyName, s.StatusSince.Format("2006-01-02T15:04Z"))
		}
	}
	if c.OtherTransfer != nil {
		return csp.Errorf(csp.ETransferLineInOtherTransfer, "%s: %s is on open transfer %s: complete, decline or cancel that one first", at, c.Line.SubscriptionID, *c.OtherTransfer)
	}
	return nil
}

// CheckAzureOverlap refuses lines where one names an Azure plan and
// another one of the Azure subscriptions under it (planOf maps each
// line's id to its Azure plan, for the lines naming an Azure subscription).
func CheckAzureOverlap(lines []Line, planOf map[uuid.UUID]uuid.UUID) error {
	named := map[uuid.UUID]bool{}
	for _, l := range lines {
		named[l.SubscriptionID] = true
	}
	for i, l := range lines {
		if plan, ok := planOf[l.SubscriptionID]; ok && named[plan] {
			return csp.Errorf(csp.ETransferAzureLineOverlap, "lineItems[%d] names Azure subscription %s and another line its Azure plan %s, which moves every Azure subscription under it: keep one of the two lines",
				i, l.SubscriptionID, plan)
		}
	}
	return nil
}

// DescribeAzure fills an Azure line's copied fields from the plan and, for
// an Azure subscription's line, the subscription.
func DescribeAzure(l Line, plan *csp.Subscription, sub *AzureSubscription) Line {
	l.OfferID, l.SkuID, l.SkuName, l.CatalogItemID = plan.OfferID(), plan.SkuID, plan.OfferName, plan.CatalogItemID().String()
	l.BillingCycle, l.TermDuration, l.FriendlyName = plan.BillingCycle, "", plan.FriendlyName
	if sub != nil {
		l.FriendlyName = sub.FriendlyName
	}
	return l
}
