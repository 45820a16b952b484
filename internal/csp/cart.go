package csp

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Partner Center's CartErrorCode names (partner-center-api.md §2).
const (
	CartCurrencyNotSupported     = "CurrencyIsNotSupported"
	CartCatalogItemNotValid      = "CatalogItemIdIsNotValid"
	CartQuotaNotAvailable        = "QuotaNotAvailable"
	CartParticipantsNotSupported = "ParticipantsIsNotSupportedForPartner"
	CartUnableToProcess          = "UnableToProcessCartLineItem"
	CartSubscriptionNotValid     = "SubscriptionIsNotValid"
	CartInvalidInput             = "InvalidInput"
	CartBillingPlanNotSupported  = "BillingPlanNotSupported"
	CartMaxSeatsExceeded         = "MaxAllowedSeatsPerSubscriptionExceeded"
	CartInvalidCustomEndProduct  = "InvalidCustomTermEndDateProduct"
	CartInvalidCustomEnd         = "InvalidCustomTermEndDate"
	CartBaseSeatsNotMet          = "BaseOfferSeatQuantityNotMet"
	CartInvalidPromotionID       = "InvalidPromotionId"
)

// CartCheck is what checking a cart's lines depends on; the caller reads it
// (in the transaction that stores the cart) and the rules are pure.
type CartCheck struct {
	Now      time.Time
	Customer *Customer
	Partner  *Partner
	Catalog  *Catalog // as the partner sees it
	Prices   Prices
	Currency string // the customer's pricing currency
	// Existing is every subscription of the customer with the partner.
	Existing []*Subscription
	// Held is every subscription of the customer, from every partner and
	// channel: a first-purchase promotion needs none of its product.
	Held []*Subscription
	// Resellers are the partners the lines name as partner of record, by
	// mpnId (PartnersOfRecord lists what to read); an unknown one is absent.
	Resellers map[string]*Partner
}

// CheckedLine is a line without errors, resolved against the catalog.
type CheckedLine struct {
	Line          CartLine
	Item          Item
	Price         Money // unit price per billing period; zero for trials and usage
	ResellerMpnID string
	// Converts is a trial's default scheduledNextTermInstructions.
	Converts *NextTerm
	// Promotion is the line's promotion, nil when none: Price is then its
	// discount of ListPrice.
	Promotion *Promotion
	ListPrice Money
}

// Amount is what the line costs per billing period: its unit price times
// its quantity (zero for trials and usage-billed items, whose price is).
func (c CheckedLine) Amount() Money {
	return c.Price.Times(decimal.NewFromInt(int64(c.Line.Quantity)))
}

// PartnersOfRecord lists the mpnIds the lines name as partner of record.
func PartnersOfRecord(lines []CartLine) []string {
	var out []string
	for _, l := range lines {
		if mpn := partnerOfRecord(l); mpn != "" {
			out = append(out, mpn)
		}
	}
	return out
}

// partnerOfRecord is a line's participant of key transaction or
// partnerOnRecord.
func partnerOfRecord(l CartLine) string {
	var mpn string
	for _, p := range l.Participants {
		if k := strings.ToLower(p.Key); k == "transaction" || k == "partneronrecord" {
			mpn = p.Value
		}
	}
	return mpn
}

// Check numbers the lines, clears old errors and sets the error of each
// line that breaks a rule, as Partner Center keeps them on the cart. It
// answers the lines and, by line id, those without errors. Earlier lines
// of the cart count for quotas and prerequisites.
func (c CartCheck) Check(lines []CartLine) ([]CartLine, map[int]CheckedLine, error) {
	if len(lines) == 0 {
		return nil, nil, Errorf(ECartEmpty, "lineItems is empty: a cart needs at least one line item")
	}
	ok := map[int]CheckedLine{}
	out := make([]CartLine, len(lines))
	for i, l := range lines {
		l.ID, l.Error = i, nil
		checked, code, msg := c.line(&l, ok)
		if code != "" {
			l.Error = &CartLineError{ErrorCode: code, ErrorDescription: msg}
		} else {
			checked.Line = l
			ok[l.ID] = checked
		}
		out[i] = l
	}
	return out, ok, nil
}

// line checks one line against the cart's earlier good lines and answers
// it resolved, or a CartErrorCode and description. It normalises the
// line's term, billing cycle and custom end date in place.
func (c CartCheck) line(l *CartLine, earlier map[int]CheckedLine) (CheckedLine, string, string) {
	bad := func(code, format string, args ...any) (CheckedLine, string, string) {
		return CheckedLine{}, code, fmt.Sprintf(format, args...)
	}
	id, ok := ParseCatalogItemID(l.CatalogItemID)
	if !ok {
		return bad(CartCatalogItemNotValid, "catalogItemId %q is not productId:skuId:availabilityId", l.CatalogItemID)
	}
	item, ok := c.Catalog.Find(id)
	if !ok || !item.Product.VisibleTo(c.Partner.ID) {
		return bad(CartCatalogItemNotValid, "catalogItemId %s is not in the catalog", id)
	}
	t := c.Customer.Tenant
	if item.Availability.Segment != t.Segment {
		return bad(CartCatalogItemNotValid, "%s is sold to the %s segment; customer %s is %s (commerce rule R-29: a customer needs the qualification first)",
			id, item.Availability.Segment, t.DisplayName, t.Segment)
	}
	priced := len(item.Availability.Prices) > 0
	if !item.Availability.OfferedIn(t.Country) || (priced && !item.Availability.HasCurrency(c.Currency)) {
		return bad(CartCurrencyNotSupported, "%s is not sold in %s (pricing currency %s)", id, t.Country, c.Currency)
	}
	if l.CurrencyCode != "" && !strings.EqualFold(l.CurrencyCode, c.Currency) {
		return bad(CartCurrencyNotSupported, "currencyCode %s: customers in %s are priced in %s", l.CurrencyCode, t.Country, c.Currency)
	}
	if err := c.Partner.CheckSale(t.Country, t.Region, t.Segment); err != nil {
		return bad(CartUnableToProcess, "%s (OpenCSP code %d)", ErrorMessage(err), ErrorCode(err))
	}
	checked := CheckedLine{Item: item}
	if mpn := partnerOfRecord(*l); mpn != "" {
		if c.Partner.Type != PartnerIndirectProvider {
			return bad(CartParticipantsNotSupported, "only an indirect provider names a partner of record in participants")
		}
		r := c.Resellers[mpn]
		if r == nil || r.ProviderID == nil || *r.ProviderID != c.Partner.ID {
			return bad(CartParticipantsNotSupported, "partner of record %s is not an indirect reseller of %s", mpn, c.Partner.Name)
		}
		checked.ResellerMpnID = mpn
	}
	azure := item.Product.ProductType == ProductTypeAzure
	l.BillingCycle, l.TermDuration = strings.ToLower(l.BillingCycle), strings.ToUpper(l.TermDuration)
	term, ok := item.Availability.Term(l.TermDuration, l.BillingCycle)
	if !ok {
		return bad(CartBillingPlanNotSupported, "%s is not sold with termDuration %q and billingCycle %q (commerce rules R-1, R-2): it is sold as %s",
			id, l.TermDuration, l.BillingCycle, termList(item.Availability.Terms))
	}
	sku := item.Sku
	switch {
	case sku.IsTrial && l.Quantity != sku.TrialQuantity:
		return bad(CartInvalidInput, "%s is a trial of %d seats: quantity must be %d (commerce rule R-26)", id, sku.TrialQuantity, sku.TrialQuantity)
	case azure && l.Quantity != 1:
		return bad(CartInvalidInput, "the Azure plan is bought with quantity 1")
	case l.Quantity < sku.MinimumQuantity:
		return bad(CartInvalidInput, "quantity %d is below the minimum of %d for %s", l.Quantity, sku.MinimumQuantity, id)
	case l.Quantity > sku.MaximumQuantity:
		return bad(CartMaxSeatsExceeded, "quantity %d is above the maximum of %d seats for %s", l.Quantity, sku.MaximumQuantity, id)
	}
	if sku.IsTrial || azure {
		if code, msg := c.quota(*l, item, checked.ResellerMpnID, earlier); code != "" {
			return bad(code, "%s", msg)
		}
	}
	if sku.IsAddon {
		if code, msg := c.prerequisites(*l, item, earlier); code != "" {
			return bad(code, "%s", msg)
		}
	}
	if l.CustomTermEndDate != nil {
		end, code, msg := c.customEnd(*l, item)
		if !end.IsZero() {
			l.CustomTermEndDate = &end
		}
		if code != "" {
			return bad(code, "%s", msg)
		}
	}
	checked.Price = ZeroMoney(c.Currency)
	if priced && !sku.IsTrial {
		if checked.Price, ok = c.Prices.UnitPrice(item, term, c.Currency, c.Now); !ok {
			return bad(CartCurrencyNotSupported, "%s has no %s price for %s on %s", id, c.Currency, term, c.Now.Format(time.DateOnly))
		}
	}
	checked.ListPrice = checked.Price
	if l.PromotionID != "" {
		promo, msg := PromotionCheck{Now: c.Now, Item: item, Term: term, Held: c.held(earlier)}.Check(c.Catalog, l.PromotionID)
		if promo == nil {
			return bad(CartInvalidPromotionID, "%s", msg)
		}
		l.PromotionID = promo.ID
		checked.Promotion, checked.Price = promo, promo.Discount(checked.Price)
	}
	if sku.IsTrial {
		checked.Converts = c.trialConversion(item, l.Quantity)
	}
	return checked, "", ""
}

// trialConversion is a new trial's default next term: its paid
// equivalent in the trial's segment, P1Y billed monthly, the trial's
// seats; nil when the catalog does not sell that (the trial then expires
// at its end unless the partner schedules a conversion).
func (c CartCheck) trialConversion(trial Item, seats int) *NextTerm {
	probe := &Subscription{ProductID: trial.Product.ID, SkuID: trial.Sku.ID, AvailabilityID: trial.Availability.ID, Quantity: seats}
	product, sku, _ := strings.Cut(trial.Sku.ConvertsTo, ":")
	nt, item, _, err := probe.ResolveNextTerm(NextTerm{ProductID: product, SkuID: sku, TermDuration: "P1Y", BillingCycle: "monthly", Quantity: seats}, c.Catalog)
	if err != nil {
		return nil
	}
	if _, ok := item.Availability.Term(nt.TermDuration, nt.BillingCycle); !ok {
		return nil
	}
	nt.AvailabilityID = item.Availability.ID
	return &nt
}

// held is what the customer holds before a line: its subscriptions and the
// cart's earlier good lines, which a checkout buys first.
func (c CartCheck) held(earlier map[int]CheckedLine) []*Subscription {
	out := slices.Clip(c.Held)
	for _, e := range earlier {
		out = append(out, &Subscription{ProductID: e.Item.Product.ID, SkuID: e.Item.Sku.ID})
	}
	return out
}

// quota allows one trial per customer per offer and one Azure plan
// per customer per partner, or per reseller under a provider.
func (c CartCheck) quota(l CartLine, item Item, reseller string, earlier map[int]CheckedLine) (string, string) {
	offer := item.Product.ID + ":" + item.Sku.ID
	for _, s := range c.Existing {
		if s.OfferID() != offer {
			continue
		}
		if item.Sku.IsTrial {
			return CartQuotaNotAvailable, fmt.Sprintf("customer already had the trial %s (subscription %s): one trial per customer per offer (commerce rule R-26)", offer, s.ID)
		}
		if s.Live() && s.ResellerMpnID == reseller {
			return CartQuotaNotAvailable, fmt.Sprintf("customer already has an Azure plan with this partner (subscription %s): one per customer per partner or reseller (commerce rule R-21)", s.ID)
		}
	}
	for id := range l.ID {
		if e, ok := earlier[id]; ok && e.Item.Product.ID+":"+e.Item.Sku.ID == offer && e.ResellerMpnID == reseller {
			return CartQuotaNotAvailable, fmt.Sprintf("line %d already buys %s: one per customer (commerce rules R-21, R-26)", id, offer)
		}
	}
	return "", ""
}

// prerequisites needs a live base subscription (or a base line earlier in
// the cart) with at least as many seats as the add-on.
func (c CartCheck) prerequisites(l CartLine, item Item, earlier map[int]CheckedLine) (string, string) {
	seats := 0
	for _, s := range c.Existing {
		if s.BaseOf(item.Sku) {
			seats += s.Quantity
		}
	}
	for id := range l.ID {
		if e, ok := earlier[id]; ok && containsFold(item.Sku.Prerequisites, e.Item.Product.ID+":"+e.Item.Sku.ID) {
			seats += e.Line.Quantity
		}
	}
	if seats == 0 {
		return CartSubscriptionNotValid, fmt.Sprintf("%s is an add-on: the customer needs an active subscription to one of %s first", item.ID(), strings.Join(item.Sku.Prerequisites, ", "))
	}
	if l.Quantity > seats {
		return CartBaseSeatsNotMet, fmt.Sprintf("%d add-on seats exceed the %d seats of the base subscriptions", l.Quantity, seats)
	}
	return "", ""
}

// customEnd checks a custom term end date: one of the dates
// CotermDates lists for a term starting today, among the customer's
// subscriptions. It answers the date as a day.
func (c CartCheck) customEnd(l CartLine, item Item) (time.Time, string, string) {
	if item.Sku.IsTrial || item.Product.ProductType == ProductTypeAzure {
		return time.Time{}, CartInvalidCustomEndProduct, fmt.Sprintf("%s does not take a customTermEndDate", item.ID())
	}
	end, err := CheckCustomTermEnd(c.Now, l.TermDuration, *l.CustomTermEndDate, c.Existing)
	if err != nil {
		return end, CartInvalidCustomEnd, ErrorMessage(err)
	}
	return end, "", ""
}

func termList(ts []Term) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.String())
	}
	return strings.Join(s, ", ")
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}
