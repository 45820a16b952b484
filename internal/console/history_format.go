package console

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
)

// chargeView is one ledger line of an event.
type chargeView struct {
	csp.Charge
	Title    string
	Billable string // the whole seats the line prices
}

var eventTitles = map[csp.EventType]string{
	csp.EvPurchased: "Purchased", csp.EvCycleCharged: "Billing period charged", csp.EvRenewed: "Renewed",
	csp.EvQuantityChanged: "Seats changed", csp.EvCancelled: "Cancelled", csp.EvAutoRenewChanged: "Auto-renew changed",
	csp.EvScheduledSet: "Change scheduled for the next term", csp.EvScheduledCleared: "Scheduled change removed",
	csp.EvSuspended: "Suspended", csp.EvReactivated: "Reactivated", csp.EvExpired: "Expired", csp.EvDisabled: "Disabled",
	csp.EvDeleted: "Deleted", csp.EvFriendlyNameSet: "Renamed", csp.EvUpgradedFrom: "Seats moved in",
	csp.EvUpgradedTo: "Seats moved out", csp.EvTrialConverted: "Trial converted",
	csp.EvTermLengthened: "Term lengthened", csp.EvBillingPlanChangeSet: "Billing plan change requested",
	csp.EvBillingPlanChangeCleared: "Billing plan change removed", csp.EvBillingPlanChanged: "Billing plan changed",
	csp.EvTransferredOut: "Transferred to another partner", csp.EvTransferredIn: "Transferred from another partner",
}

var chargeTitles = map[csp.ChargeType]string{
	csp.ChargeNew: "New purchase", csp.ChargeCycle: "Billing period", csp.ChargeAddQuantity: "Seats added",
	csp.ChargeRemoveQuantity: "Seats removed", csp.ChargeCancelImmediate: "Cancellation refund", csp.ChargeRenew: "Renewal",
	csp.ChargeConvert: "Upgrade", csp.ChargeMoveQuantity: "Seats moved", csp.ChargeChangeBillingPlan: "Billing plan change",
}

// historyViews puts events in plain words and adds up their charges per
// currency.
func historyViews(evs []*csp.Event, currency string) ([]eventView, []string) {
	out := make([]eventView, len(evs))
	totals := map[string]decimal.Decimal{}
	for i, ev := range evs {
		v := eventView{Type: ev.Type, Title: eventTitles[ev.Type], Date: ev.Date, Changes: describeChanges(ev.Changes, currency)}
		if v.Title == "" {
			v.Title = string(ev.Type)
		}
		for _, c := range ev.Charges {
			v.Charges = append(v.Charges, chargeView{Charge: c, Title: chargeTitle(c), Billable: c.BillableQuantity.String()})
			cur := c.Subtotal.Currency
			totals[cur] = totals[cur].Add(c.Subtotal.Amount)
		}
		out[i] = v
	}
	var sums []string
	for cur, t := range totals {
		sums = append(sums, cur+" "+t.StringFixed(2))
	}
	slices.Sort(sums)
	return out, sums
}

// describeChanges is one line per field: "Seats: 10 → 12".
func describeChanges(c csp.Changes, currency string) []string {
	var out []string
	add := func(label, text string) { out = append(out, label+": "+text) }
	if c.Status != nil {
		add("Status", value(c.Status, func(s csp.Status) string { return string(s) }))
	}
	if c.Quantity != nil {
		add("Seats", value(c.Quantity, func(n int) string { return fmt.Sprint(n) }))
	}
	if c.OfferID != nil {
		add("Offer", value(c.OfferID, plain))
	}
	if c.TermDuration != nil {
		add("Term", value(c.TermDuration, termName))
	}
	if c.BillingCycle != nil {
		add("Billing", value(c.BillingCycle, plain))
	}
	if c.UnitPrice != nil {
		add("Unit price", value(c.UnitPrice, func(p string) string { return currency + " " + p }))
	}
	if c.PromotionID != nil {
		add("Promotion", value(c.PromotionID, func(id string) string { return cmp.Or(id, "none") }))
	}
	if c.CommitmentEnd != nil {
		add("Term ends", value(c.CommitmentEnd, plain))
	}
	if c.AutoRenewEnabled != nil {
		add("Auto-renew", value(c.AutoRenewEnabled, func(on bool) string {
			if on {
				return "on"
			}
			return "off"
		}))
	}
	if c.FriendlyName != nil {
		add("Name", value(c.FriendlyName, plain))
	}
	if c.Scheduled != nil {
		add("Next term", value(c.Scheduled, nextTermText))
	}
	if c.NextCharge != nil {
		add("Next billing", value(c.NextCharge, func(n *csp.PlanChange) string {
			if n == nil {
				return "no change"
			}
			return n.BillingCycle + " at " + currency + " " + n.UnitPrice.Amount.StringFixed(2)
		}))
	}
	if c.MovedQuantity != nil {
		add("Seats moved", fmt.Sprint(*c.MovedQuantity))
	}
	if c.From != "" {
		add("From offer", c.From)
	}
	if c.To != "" {
		add("To offer", c.To)
	}
	if c.ToSubscriptionID != nil {
		add("To subscription", c.ToSubscriptionID.String())
	}
	if c.OrderID != nil {
		add("Order", c.OrderID.String())
	}
	if c.Reason != "" {
		add("Why", sanitize(c.Reason))
	}
	return out
}

// value is a stated value, or "before → after".
func value[T any](v *csp.Value[T], text func(T) string) string {
	if v.Before != nil {
		return text(*v.Before) + " → " + text(v.After)
	}
	return text(v.After)
}

func plain(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func termName(d string) string {
	switch d {
	case "P1M":
		return "1 month"
	case "P1Y":
		return "1 year"
	case "P3Y":
		return "3 years"
	case "":
		return "none (usage-based)"
	}
	return d
}

func nextTermText(nt *csp.NextTerm) string {
	if nt == nil {
		return "no change"
	}
	parts := []string{nt.ProductID + ":" + nt.SkuID, fmt.Sprintf("%d seats", nt.Quantity), termName(nt.TermDuration) + ", " + nt.BillingCycle}
	if nt.CustomTermEndDate != nil {
		parts = append(parts, "ends "+formatDate(*nt.CustomTermEndDate))
	}
	return strings.Join(parts, " · ")
}
