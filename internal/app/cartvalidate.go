package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// Partner Center's CartErrorCode names (partner-center-api.md §2).
const (
	cartCurrencyNotSupported     = "CurrencyIsNotSupported"
	cartCatalogItemNotValid      = "CatalogItemIdIsNotValid"
	cartQuotaNotAvailable        = "QuotaNotAvailable"
	cartParticipantsNotSupported = "ParticipantsIsNotSupportedForPartner"
	cartUnableToProcess          = "UnableToProcessCartLineItem"
	cartSubscriptionNotValid     = "SubscriptionIsNotValid"
	cartInvalidInput             = "InvalidInput"
	cartBillingPlanNotSupported  = "BillingPlanNotSupported"
	cartMaxSeatsExceeded         = "MaxAllowedSeatsPerSubscriptionExceeded"
	cartInvalidCustomEndProduct  = "InvalidCustomTermEndDateProduct"
	cartInvalidCustomEnd         = "InvalidCustomTermEndDate"
	cartBaseSeatsNotMet          = "BaseOfferSeatQuantityNotMet"
)

// cartValidator checks cart lines against the catalog, the customer's
// market and segment, the partner's markets and sale policy, and the
// customer's existing subscriptions with the partner.
type cartValidator struct {
	now      time.Time
	tx       store.Tx
	customer *csp.Customer
	partner  *csp.Partner
	cat      *csp.Catalog
	currency string
	saleErr  error
	existing []*csp.Subscription

	// Filled by validate, by line id.
	resolved map[int]csp.Item
	price    map[int]decimal.Decimal
	reseller map[int]string
}

// cartValidator locks the partner's relationship with the customer (every
// cart change and checkout runs one after the other per customer) and
// reads what validating lines needs.
func (a *App) cartValidator(ctx context.Context, tx store.Tx, now time.Time, p csp.Principal, customerID uuid.UUID) (*cartValidator, error) {
	c, partner, cat, currency, err := a.customerMarket(ctx, tx, p, customerID, true)
	if err != nil {
		return nil, err
	}
	if err := partnerSells(partner); err != nil {
		return nil, err
	}
	existing, err := allSubscriptions(ctx, tx, store.SubscriptionFilter{TenantID: &customerID, PartnerID: &p.PartnerID})
	if err != nil {
		return nil, err
	}
	return &cartValidator{now: now, tx: tx, customer: c, partner: partner, cat: cat, currency: currency, existing: existing,
		saleErr: partner.CheckSale(c.Tenant.Country, c.Tenant.Region, c.Tenant.Segment)}, nil
}

// validate numbers the lines, clears old errors and sets new ones.
func (v *cartValidator) validate(ctx context.Context, lines []csp.CartLine) ([]csp.CartLine, error) {
	if len(lines) == 0 {
		return nil, csp.Errorf(csp.ECartEmpty, "lineItems is empty: a cart needs at least one line item")
	}
	v.resolved, v.price, v.reseller = map[int]csp.Item{}, map[int]decimal.Decimal{}, map[int]string{}
	out := make([]csp.CartLine, len(lines))
	for i, l := range lines {
		l.ID, l.Error = i, nil
		if code, msg := v.line(ctx, &l, out[:i]); code != "" {
			l.Error = &csp.CartLineError{ErrorCode: code, ErrorDescription: msg}
		}
		out[i] = l
	}
	return out, nil
}

// line checks one line (earlier lines of the cart count for quotas and
// prerequisites) and answers a CartErrorCode and description, or "".
func (v *cartValidator) line(ctx context.Context, l *csp.CartLine, earlier []csp.CartLine) (string, string) {
	id, ok := csp.ParseCatalogItemID(l.CatalogItemID)
	if !ok {
		return cartCatalogItemNotValid, fmt.Sprintf("catalogItemId %q is not productId:skuId:availabilityId", l.CatalogItemID)
	}
	item, ok := v.cat.Find(id)
	if !ok || !item.Product.VisibleTo(v.partner.ID) {
		return cartCatalogItemNotValid, fmt.Sprintf("catalogItemId %s is not in the catalog", id)
	}
	t := v.customer.Tenant
	if item.Availability.Segment != t.Segment {
		return cartCatalogItemNotValid, fmt.Sprintf("%s is sold to the %s segment; customer %s is %s (commerce rule R-29: a customer needs the qualification first)",
			id, item.Availability.Segment, t.DisplayName, t.Segment)
	}
	priced := len(item.Availability.Prices) > 0
	if !item.Availability.OfferedIn(t.Country) || (priced && !item.Availability.HasCurrency(v.currency)) {
		return cartCurrencyNotSupported, fmt.Sprintf("%s is not sold in %s (pricing currency %s)", id, t.Country, v.currency)
	}
	if l.CurrencyCode != "" && !strings.EqualFold(l.CurrencyCode, v.currency) {
		return cartCurrencyNotSupported, fmt.Sprintf("currencyCode %s: customers in %s are priced in %s", l.CurrencyCode, t.Country, v.currency)
	}
	if v.saleErr != nil {
		return cartUnableToProcess, csp.ErrorMessage(v.saleErr) + fmt.Sprintf(" (OpenCSP code %d)", csp.ErrorCode(v.saleErr))
	}
	if code, msg := v.partnerOfRecord(ctx, l); code != "" {
		return code, msg
	}
	azure := item.Product.ProductType == "Azure"
	l.BillingCycle, l.TermDuration = strings.ToLower(l.BillingCycle), strings.ToUpper(l.TermDuration)
	term, ok := item.Availability.Term(l.TermDuration, l.BillingCycle)
	if !ok {
		return cartBillingPlanNotSupported, fmt.Sprintf("%s is not sold with termDuration %q and billingCycle %q (commerce rules R-1, R-2): it is sold as %s",
			id, l.TermDuration, l.BillingCycle, termList(item.Availability.Terms))
	}
	switch {
	case item.Sku.IsTrial && l.Quantity != item.Sku.TrialQuantity:
		return cartInvalidInput, fmt.Sprintf("%s is a trial of %d seats: quantity must be %d (commerce rule R-26)", id, item.Sku.TrialQuantity, item.Sku.TrialQuantity)
	case azure && l.Quantity != 1:
		return cartInvalidInput, "the Azure plan is bought with quantity 1"
	case l.Quantity < item.Sku.MinimumQuantity:
		return cartInvalidInput, fmt.Sprintf("quantity %d is below the minimum of %d for %s", l.Quantity, item.Sku.MinimumQuantity, id)
	case l.Quantity > item.Sku.MaximumQuantity:
		return cartMaxSeatsExceeded, fmt.Sprintf("quantity %d is above the maximum of %d seats for %s", l.Quantity, item.Sku.MaximumQuantity, id)
	}
	if item.Sku.IsTrial || azure {
		if code, msg := v.quota(l, item, earlier); code != "" {
			return code, msg
		}
	}
	if item.Sku.IsAddon {
		if code, msg := v.prerequisites(l, item, earlier); code != "" {
			return code, msg
		}
	}
	if l.CustomTermEndDate != nil {
		if code, msg := v.customEnd(l, item); code != "" {
			return code, msg
		}
	}
	price := decimal.Zero
	if priced && !item.Sku.IsTrial {
		if price, ok = item.Availability.Price(term, v.currency, v.now); !ok {
			return cartCurrencyNotSupported, fmt.Sprintf("%s has no %s price for %s on %s", id, v.currency, term, v.now.Format(time.DateOnly))
		}
	}
	v.resolved[l.ID], v.price[l.ID] = item, price
	return "", ""
}

// partnerOfRecord reads the partner of record from participants: only an
// indirect provider names one, and it must be one of its resellers.
func (v *cartValidator) partnerOfRecord(ctx context.Context, l *csp.CartLine) (string, string) {
	var mpn string
	for _, p := range l.Participants {
		if k := strings.ToLower(p.Key); k == "transaction" || k == "partneronrecord" {
			mpn = p.Value
		}
	}
	if mpn == "" {
		return "", ""
	}
	if v.partner.Type != csp.PartnerIndirectProvider {
		return cartParticipantsNotSupported, "only an indirect provider names a partner of record in participants"
	}
	r, err := v.tx.GetPartnerByMpnID(ctx, mpn)
	if err != nil || r.ProviderID == nil || *r.ProviderID != v.partner.ID {
		return cartParticipantsNotSupported, fmt.Sprintf("partner of record %s is not an indirect reseller of %s", mpn, v.partner.Name)
	}
	v.reseller[l.ID] = mpn
	return "", ""
}

// quota allows one trial per customer per offer and one Azure plan
// per customer per partner, or per reseller under a provider.
func (v *cartValidator) quota(l *csp.CartLine, item csp.Item, earlier []csp.CartLine) (string, string) {
	offer := item.Product.ID + ":" + item.Sku.ID
	for _, s := range v.existing {
		if s.OfferID() != offer {
			continue
		}
		if item.Sku.IsTrial {
			return cartQuotaNotAvailable, fmt.Sprintf("customer already had the trial %s (subscription %s): one trial per customer per offer (commerce rule R-26)", offer, s.ID)
		}
		if s.Live() && s.ResellerMpnID == v.reseller[l.ID] {
			return cartQuotaNotAvailable, fmt.Sprintf("customer already has an Azure plan with this partner (subscription %s): one per customer per partner or reseller (commerce rule R-21)", s.ID)
		}
	}
	for _, e := range earlier {
		if it, ok := v.resolved[e.ID]; ok && it.Product.ID+":"+it.Sku.ID == offer && v.reseller[e.ID] == v.reseller[l.ID] {
			return cartQuotaNotAvailable, fmt.Sprintf("line %d already buys %s: one per customer (commerce rules R-21, R-26)", e.ID, offer)
		}
	}
	return "", ""
}

// prerequisites needs a live base subscription (or a base line earlier in
// the cart) with at least as many seats as the add-on.
func (v *cartValidator) prerequisites(l *csp.CartLine, item csp.Item, earlier []csp.CartLine) (string, string) {
	seats := 0
	for _, s := range v.existing {
		if s.Status == csp.StatusActive && !s.IsTrial && containsFold(item.Sku.Prerequisites, s.OfferID()) {
			seats += s.Quantity
		}
	}
	for _, e := range earlier {
		if it, ok := v.resolved[e.ID]; ok && containsFold(item.Sku.Prerequisites, it.Product.ID+":"+it.Sku.ID) {
			seats += e.Quantity
		}
	}
	if seats == 0 {
		return cartSubscriptionNotValid, fmt.Sprintf("%s is an add-on: the customer needs an active subscription to one of %s first", item.ID(), strings.Join(item.Sku.Prerequisites, ", "))
	}
	if l.Quantity > seats {
		return cartBaseSeatsNotMet, fmt.Sprintf("%d add-on seats exceed the %d seats of the base subscriptions", l.Quantity, seats)
	}
	return "", ""
}

// customEnd checks a custom term end date: the end date of one of the
// customer's active paid subscriptions, or a calendar month end, after today
// and not after the term's normal end.
func (v *cartValidator) customEnd(l *csp.CartLine, item csp.Item) (string, string) {
	if item.Sku.IsTrial || item.Product.ProductType == "Azure" {
		return cartInvalidCustomEndProduct, fmt.Sprintf("%s does not take a customTermEndDate", item.ID())
	}
	end := csp.Day(*l.CustomTermEndDate)
	l.CustomTermEndDate = &end
	normal := csp.TermEnd(v.now, l.TermDuration)
	if !end.After(csp.Day(v.now)) || end.After(normal) {
		return cartInvalidCustomEnd, fmt.Sprintf("customTermEndDate %s must fall after today and on or before the term's normal end, %s (commerce rule R-4)",
			end.Format(time.DateOnly), normal.Format(time.DateOnly))
	}
	if csp.IsMonthEnd(end) {
		return "", ""
	}
	for _, s := range v.existing {
		if s.Status == csp.StatusActive && !s.IsTrial && s.HasTerm() && s.TermEnd.Equal(end) {
			return "", ""
		}
	}
	return cartInvalidCustomEnd, fmt.Sprintf("customTermEndDate %s is neither a calendar month end nor the end date of one of the customer's active subscriptions (commerce rule R-4)", end.Format(time.DateOnly))
}

func termList(ts []csp.Term) string {
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
