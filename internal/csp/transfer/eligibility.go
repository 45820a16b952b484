package transfer

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
)

// Parties is what the partners' eligibility depends on.
type Parties struct {
	Customer       *csp.Tenant
	Source, Target *csp.Partner
	// SourceLinked and TargetLinked say whether each partner has a reseller
	// relationship with the customer.
	SourceLinked, TargetLinked bool
}

// CheckParties checks, at every step, that the transfer may happen between
// these partners for this customer: two different partners, the target
// one that buys from Microsoft (not an indirect reseller), both with a
// reseller relationship with the customer, and the target authorised in
// the customer's market and by its own sale policy (R-30, csp.CheckSale).
func CheckParties(p Parties) error {
	t, src, tgt := p.Customer, p.Source, p.Target
	if src.ID == tgt.ID {
		return csp.Errorf(csp.ETransferSamePartner, "sourcePartnerTenantId is the target partner itself (%s): a transfer moves subscriptions from another partner to you", tgt.ID)
	}
	if tgt.Type == csp.PartnerIndirectReseller {
		return csp.Errorf(csp.ETransferTargetReseller,
			"partner %s is an indirect reseller: it cannot hold subscriptions from Microsoft, so its indirect provider creates the transfer and names it in partnerOnRecord (commerce rules R-32, R-39)", tgt.Name)
	}
	if !p.TargetLinked {
		return csp.Errorf(csp.ETransferTargetNoRelationship,
			"partner %s has no reseller relationship with customer %s: the customer accepts the target partner's invitation first (commerce rule R-37)", tgt.Name, t.DisplayName)
	}
	if !p.SourceLinked {
		return csp.Errorf(csp.ETransferSourceNoRelationship,
			"partner %s (sourcePartnerTenantId %s) is not a partner of customer %s: name the partner the customer's subscriptions are with now", src.Name, src.ID, t.DisplayName)
	}
	if err := tgt.CheckSale(t.Country, t.Region, t.Segment); err != nil {
		code := csp.ETransferTargetMarket
		switch csp.ErrorCode(err) {
		case csp.ESegmentNotInPolicy, csp.ERegionNotInPolicy:
			code = csp.ETransferTargetSalePolicy
		}
		return csp.Errorf(code, "the target partner may not take over this customer's subscriptions (commerce rule R-39): %s", csp.ErrorMessage(err)).
			WithData(fmt.Sprintf("rule=%d", csp.ErrorCode(err)))
	}
	return nil
}

// Offer is how the target partner sells a line's offer: the item in its
// catalog (nil when absent), and its price for the subscription's term in
// the target's currency for the customer (nil when there is none).
type Offer struct {
	Item  *csp.Item
	Price *csp.Money
}

// LineCheck is what one line's eligibility depends on.
type LineCheck struct {
	Line           Line
	Index          int // its position in the body, for messages
	CustomerID     uuid.UUID
	SourceID       uuid.UUID
	TargetID       uuid.UUID
	Country        string
	Segment        csp.Segment
	TargetCurrency string
	// Subscription is the line's subscription, nil when absent.
	Subscription *csp.Subscription
	Offer        Offer
	// OtherTransfer names another open transfer holding the subscription.
	OtherTransfer *uuid.UUID
	Now           time.Time
}

// CheckLine checks that a line may move: a subscription of the
// source for this customer, licence-based new commerce (not the Azure
// plan, a partner's own service or an add-on), active and not a trial,
// with 1 to its seats moving, billed in the target's currency, of an offer
// the target may sell to this customer, and on no other open transfer.
func CheckLine(c LineCheck) error {
	s, at := c.Subscription, fmt.Sprintf("lineItems[%d]", c.Index)
	if s == nil || s.TenantID != c.CustomerID || s.PartnerID == nil || *s.PartnerID != c.SourceID {
		return csp.Errorf(csp.ETransferLineSubscription, "%s: subscription %s is not one of the source partner's subscriptions of this customer", at, c.Line.SubscriptionID)
	}
	if !s.HasTerm() || s.PartnerService || s.Channel != csp.ChannelCSP {
		return csp.Errorf(csp.ETransferLineNotLicence,
			"%s: subscription %s (%s) is not a new-commerce licence subscription: only those move between partners in a NewCommerce transfer (commerce rule R-39)", at, s.ID, s.OfferName)
	}
	if s.ParentID != nil {
		return csp.Errorf(csp.ETransferLineAddOn, "%s: subscription %s is an add-on of %s: add-ons do not move (not simulated); it stays with the source until its term ends %s",
			at, s.ID, *s.ParentID, s.TermEnd.Format(time.DateOnly))
	}
	if s.Status != csp.StatusActive {
		return csp.Errorf(csp.ETransferLineNotActive, "%s: subscription %s is %s: only an active subscription moves (commerce rule R-39); reactivate it first", at, s.ID, s.Status)
	}
	if s.IsTrial {
		return csp.Errorf(csp.ETransferLineTrial, "%s: subscription %s is a trial: trials do not move (commerce rule R-39); convert it to a paid subscription first", at, s.ID)
	}
	if c.Line.Quantity < 1 || c.Line.Quantity > s.Quantity {
		return csp.Errorf(csp.ETransferLineQuantity, "%s: quantity %d: subscription %s has %d seats; move from 1 to %d (fewer than all is a partial transfer)",
			at, c.Line.Quantity, s.ID, s.Quantity, s.Quantity)
	}
	if s.UnitPrice.Currency != c.TargetCurrency {
		return csp.Errorf(csp.ETransferCurrency, "%s: subscription %s is billed in %s, and the target partner bills this customer in %s: a transfer keeps the currency (commerce rule R-39)",
			at, s.ID, s.UnitPrice.Currency, c.TargetCurrency)
	}
	if err := c.sellable(at); err != nil {
		return err
	}
	if c.OtherTransfer != nil {
		return csp.Errorf(csp.ETransferLineInOtherTransfer, "%s: subscription %s is on open transfer %s: complete, decline or cancel that one first", at, s.ID, *c.OtherTransfer)
	}
	return nil
}

// sellable checks that the target may sell the subscription's offer.
func (c LineCheck) sellable(at string) error {
	s, it := c.Subscription, c.Offer.Item
	bad := func(why string, args ...any) error {
		return csp.Errorf(csp.ETransferOfferNotSellable, "%s: the target partner may not sell %s to this customer: %s (commerce rule R-39)", at, s.CatalogItemID(), fmt.Sprintf(why, args...))
	}
	switch {
	case it == nil || !it.Product.VisibleTo(c.TargetID):
		return bad("it is not in the target's catalog")
	case it.Availability.Segment != c.Segment:
		return bad("it is sold to the %s segment and the customer is %s", it.Availability.Segment, c.Segment)
	case !it.Availability.OfferedIn(c.Country):
		return bad("it is not offered in %s", c.Country)
	}
	if _, ok := it.Availability.Term(s.TermDuration, s.BillingCycle); !ok {
		return bad("it is not sold with term %s billed %s", s.TermDuration, s.BillingCycle)
	}
	if c.Offer.Price == nil {
		return bad("it has no %s price on %s", c.TargetCurrency, c.Now.Format(time.DateOnly))
	}
	return nil
}

// Describe fills a line's copied fields from its subscription.
func Describe(l Line, s *csp.Subscription) Line {
	l.OfferID, l.SkuID, l.SkuName, l.CatalogItemID = s.OfferID(), s.SkuID, s.OfferName, s.CatalogItemID().String()
	l.BillingCycle, l.TermDuration, l.FriendlyName = s.BillingCycle, s.TermDuration, s.FriendlyName
	return l
}
