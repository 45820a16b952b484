package csp

import (
	"strings"
	"time"

	"github.com/google/uuid"
)

// Placed is what a checkout makes: orders, and each line's subscription
// with its purchase event (Events[i] belongs to Subscriptions[i]).
type Placed struct {
	Orders        []*Order
	Subscriptions []*Subscription
	Events        []*Event
}

// PlaceOrders turns a cart whose lines all passed CartCheck.Check into
// orders, one per order group and billing cycle in the order of the cart's
// lines, and buys each line's subscription at now. newID names the orders
// and subscriptions.
func PlaceOrders(cart *Cart, checked map[int]CheckedLine, currency string, now time.Time, newID func() uuid.UUID) (*Placed, error) {
	out := &Placed{}
	groups := map[string]*Order{}
	for _, l := range cart.Lines {
		c, ok := checked[l.ID]
		if !ok {
			return nil, Errorf(ECartLineErrors, "cart %s line %d was not checked: check the cart before placing its orders", cart.ID, l.ID)
		}
		key := l.OrderGroup + "|" + strings.ToLower(l.BillingCycle)
		o, ok := groups[key]
		if !ok {
			o = &Order{ID: newID(), TenantID: cart.TenantID, PartnerID: cart.PartnerID, Currency: currency,
				BillingCycle: strings.ToLower(l.BillingCycle), Status: OrderCompleted, TransactionType: OrderUserPurchase, CreatedAt: now}
			groups[key] = o
			out.Orders = append(out.Orders, o)
		}
		sub, ev, err := buy(cart, c, o, newID(), now)
		if err != nil {
			return nil, err
		}
		out.Subscriptions, out.Events = append(out.Subscriptions, sub), append(out.Events, ev)
	}
	return out, nil
}

// buy makes a checked line's subscription, purchases it and adds its line
// to the order.
func buy(cart *Cart, c CheckedLine, o *Order, id uuid.UUID, now time.Time) (*Subscription, *Event, error) {
	l, item := c.Line, c.Item
	azure := item.Product.ProductType == ProductTypeAzure
	partner := cart.PartnerID
	sub := &Subscription{ID: id, TenantID: cart.TenantID, PartnerID: &partner, Channel: ChannelCSP, OrderID: &o.ID,
		ResellerMpnID: c.ResellerMpnID, ProductID: item.Product.ID, SkuID: item.Sku.ID, AvailabilityID: item.Availability.ID,
		ProductName: item.Product.Title, OfferName: item.Sku.Title, FriendlyName: l.FriendlyName, UnitType: item.Sku.UnitType,
		Quantity: l.Quantity, IsTrial: item.Sku.IsTrial, PartnerService: item.Product.PartnerID != nil, AutoRenew: !azure,
		TermDuration: strings.ToUpper(l.TermDuration), BillingCycle: strings.ToLower(l.BillingCycle), UnitPrice: c.Price}
	if c.Promotion != nil { // the discount is locked for the term like the price
		sub.PromotionID, sub.ListPrice = c.Promotion.ID, c.ListPrice
	}
	if sub.FriendlyName == "" {
		sub.FriendlyName = item.Sku.Title
	}
	if azure {
		sub.TermDuration = ""
	}
	if c.Converts != nil { // a trial's default conversion
		nt := *c.Converts
		sub.Scheduled = &nt
	}
	ev := sub.Purchase(now, l.CustomTermEndDate)
	ev.Changes.OrderID, ev.Changes.CatalogItemID = &o.ID, l.CatalogItemID
	first := make([]Money, len(ev.Charges))
	for i, ch := range ev.Charges {
		first[i] = ch.Subtotal
	}
	prorated, err := Sum(o.Currency, first...)
	if err != nil {
		return nil, nil, err
	}
	o.ResellerMpnID = sub.ResellerMpnID
	o.Lines = append(o.Lines, OrderLine{LineNumber: len(o.Lines), OfferID: l.CatalogItemID, SubscriptionID: sub.ID,
		TermDuration: sub.TermDuration, BillingCycle: sub.BillingCycle, FriendlyName: sub.FriendlyName, Quantity: sub.Quantity,
		PartnerIDOnRecord: sub.ResellerMpnID, CustomTermEndDate: l.CustomTermEndDate, ListPrice: c.ListPrice, ProratedPrice: prorated})
	if sub.PromotionID != "" {
		line, price := &o.Lines[len(o.Lines)-1], sub.UnitPrice
		line.PromotionID, line.DiscountedPrice = sub.PromotionID, &price
		ev.Changes.PromotionID = Stated(sub.PromotionID)
	}
	return sub, ev, nil
}
