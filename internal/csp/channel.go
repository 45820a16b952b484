package csp

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Subscriptions a tenant holds through a channel other than CSP: bought
// direct from Microsoft (web, MOSP), through an Enterprise Agreement or a
// Microsoft Customer Agreement for enterprise (DESIGN.md "Purchasing
// channels"). The operator records them as Microsoft reports them; their
// state follows from their term on the day (ChannelSubscription.StatusOn),
// so no job moves them. Partners never see them; their seats count in the
// tenant's licences.

// Limits of a recorded channel subscription (decision 137).
const (
	MaxChannelQuantity  = 1_000_000
	MaxChannelTermYears = 5
	// MaxChannelImport is how many items one import may carry.
	MaxChannelImport = 500
)

// Audit names of the channel records.
const (
	ResChannelSubscription      = "channel_subscription"
	OpAddChannelSubscription    = "add_channel_subscription"
	OpRemoveChannelSubscription = "remove_channel_subscription"
	OpUpdateChannelSubscription = "update_channel_subscription"
)

// ChannelSubscription is one subscription bought outside CSP.
type ChannelSubscription struct {
	ID        uuid.UUID
	TenantID  uuid.UUID
	Channel   Channel // direct, ea or mcaE
	ProductID string
	SkuID     string
	Quantity  int
	TermStart time.Time // first day of the recorded term
	TermEnd   time.Time // its last day, inclusive
	AutoRenew bool
	CreatedAt time.Time
}

// OfferID is productId:skuId.
func (s *ChannelSubscription) OfferID() string { return s.ProductID + ":" + s.SkuID }

// ChannelSubscriptionInput is the operator's record of one channel
// subscription, as the API takes it.
type ChannelSubscriptionInput struct {
	Channel          string
	ProductID        string
	SkuID            string
	Quantity         int
	TermStartDate    string // yyyy-mm-dd
	TermEndDate      string // yyyy-mm-dd, the last day
	AutoRenewEnabled bool
}

// RecordableChannel parses a channel the operator may record: direct, ea
// or mcaE (in any case); csp is a partner's checkout's.
func RecordableChannel(s string) (Channel, error) {
	for _, c := range []Channel{ChannelDirect, ChannelEA, ChannelMCAE} {
		if strings.EqualFold(s, string(c)) {
			return c, nil
		}
	}
	if strings.EqualFold(s, string(ChannelCSP)) {
		return "", Errorf(EChannelIsCSP, "channel csp is not recorded here: CSP subscriptions are bought by a partner (cart and checkout of the partner API); record direct, ea or mcaE").WithData("field=channel")
	}
	if s == "" {
		return "", Errorf(EMissingField, "channel is required: direct, ea or mcaE").WithData("field=channel")
	}
	return "", Errorf(EChannelInvalid, "channel %q is not one of direct, ea or mcaE: name where the tenant bought the subscription", s).WithData("field=channel")
}

// CheckChannelSubscription validates an operator's record against
// Microsoft's catalog and answers it with its channel, catalog ids and
// dates in canonical form (ID, TenantID and CreatedAt are left to the
// caller). The SKU must be licence-based (seats with a Graph SKU), not a
// trial; the quantity 1 to MaxChannelQuantity; the term end after its
// start, at most MaxChannelTermYears later, both in the years 2000-2099.
func CheckChannelSubscription(c *Catalog, in ChannelSubscriptionInput) (*ChannelSubscription, *Product, *Sku, error) {
	ch, err := RecordableChannel(in.Channel)
	if err != nil {
		return nil, nil, nil, err
	}
	if in.ProductID == "" || in.SkuID == "" {
		field := "productId"
		if in.ProductID != "" {
			field = "skuId"
		}
		return nil, nil, nil, Errorf(EMissingField, "%s is required: name the SKU as GET /v1/products/{productId}/skus lists it", field).WithData("field=" + field)
	}
	prod, sku, ok := c.FindSku(in.ProductID + ":" + in.SkuID)
	if !ok || prod.PartnerID != nil {
		return nil, nil, nil, Errorf(EChannelOfferNotFound, "productId %s with skuId %s is no SKU of Microsoft's catalog: use a productId and skuId from GET /admin/v1/catalog",
			in.ProductID, in.SkuID).WithData("field=productId")
	}
	if prod.ProductType == ProductTypeAzure || sku.UnitType != "Licenses" || sku.GraphSkuID == uuid.Nil {
		return nil, nil, nil, Errorf(EChannelNotLicence, "%s (%s:%s) is not licence-based: only seat subscriptions are recorded for other channels (Azure from EA or direct stays outside this program)",
			sku.Title, prod.ID, sku.ID).WithData("field=skuId")
	}
	if sku.IsTrial {
		return nil, nil, nil, Errorf(EChannelTrial, "%s (%s:%s) is a trial: record the paid SKU the tenant bought (%s)", sku.Title, prod.ID, sku.ID, sku.ConvertsTo).WithData("field=skuId")
	}
	if in.Quantity < 1 || in.Quantity > MaxChannelQuantity {
		return nil, nil, nil, Errorf(EChannelInvalidQuantity, "quantity %d is outside 1 to %d: record the seats the tenant holds", in.Quantity, MaxChannelQuantity).WithData("field=quantity")
	}
	start, err := channelDate("termStartDate", in.TermStartDate)
	if err != nil {
		return nil, nil, nil, err
	}
	end, err := channelDate("termEndDate", in.TermEndDate)
	if err != nil {
		return nil, nil, nil, err
	}
	if !end.After(start) {
		return nil, nil, nil, Errorf(EChannelTermEndNotAfter, "termEndDate %s is not after termStartDate %s: the end is the term's last day", in.TermEndDate, in.TermStartDate).WithData("field=termEndDate")
	}
	if end.After(start.AddDate(MaxChannelTermYears, 0, 0)) {
		return nil, nil, nil, Errorf(EChannelTermTooLong, "the term %s..%s is longer than %d years: record each enrolment term (EA terms run 1 or 3 years) as its own subscription",
			in.TermStartDate, in.TermEndDate, MaxChannelTermYears).WithData("field=termEndDate")
	}
	return &ChannelSubscription{Channel: ch, ProductID: prod.ID, SkuID: sku.ID, Quantity: in.Quantity, TermStart: start, TermEnd: end, AutoRenew: in.AutoRenewEnabled}, prod, sku, nil
}

func channelDate(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, Errorf(EMissingField, "%s is required, as yyyy-mm-dd", field).WithData("field=" + field)
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil || t.Year() < 2000 || t.Year() > 2099 {
		return time.Time{}, Errorf(EChannelInvalidDate, "%s %q is not a calendar date yyyy-mm-dd in the years 2000-2099", field, v).WithData("field=" + field)
	}
	return t, nil
}

// InImportItem names the import item an error is about: its message starts
// with items[i] and its data says item=i (the field stays in its data).
func InImportItem(i int, err error) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	return &Error{Code: e.Code, Message: fmt.Sprintf("items[%d]: %s; nothing was imported", i, e.Message), Data: append([]string{fmt.Sprintf("item=%d", i)}, e.Data...)}
}

// ChannelChange is what the operator records changed in the other channel:
// auto-renew turned on or off, seats added or removed (an EA true-up).
type ChannelChange struct {
	AutoRenew *bool
	Quantity  *int
}

// Changed answers the subscription with c applied on day (decision 170).
// Turning auto-renew off fixes the record to the term it is in that day
// (the renewal it rolled into, if any), so that it ends there; a record
// whose term ended without renewing takes no change, since the tenant's
// next purchase is a new subscription.
func (s *ChannelSubscription) Changed(day time.Time, c ChannelChange) (*ChannelSubscription, error) {
	if c.AutoRenew == nil && c.Quantity == nil {
		return nil, Errorf(EChannelNoChange, "the change names nothing: send autoRenewEnabled, quantity or both")
	}
	if st := s.StatusOn(day); st != StatusActive && st != StatusPending {
		return nil, Errorf(EChannelTermEnded, "the term %s..%s ended without renewing (the subscription is %s): record the tenant's new term as its own channel subscription",
			s.TermStart.Format(time.DateOnly), s.TermEnd.Format(time.DateOnly), st)
	}
	out := *s
	if q := c.Quantity; q != nil {
		if *q < 1 || *q > MaxChannelQuantity {
			return nil, Errorf(EChannelInvalidQuantity, "quantity %d is outside 1 to %d: record the seats the tenant holds", *q, MaxChannelQuantity).WithData("field=quantity")
		}
		out.Quantity = *q
	}
	if c.AutoRenew != nil {
		if s.AutoRenew && !*c.AutoRenew {
			out.TermStart, out.TermEnd = s.TermOn(day)
		}
		out.AutoRenew = *c.AutoRenew
	}
	return &out, nil
}

// TermOn answers the term the subscription is in on day: the recorded one,
// or, while auto-renew is on, the renewal of the same length it rolled into
// (whole calendar months when the recorded term is, else days). Before the
// recorded term it answers the recorded term.
func (s *ChannelSubscription) TermOn(day time.Time) (start, end time.Time) {
	day = Day(day)
	start, end = s.TermStart, s.TermEnd
	if !s.AutoRenew || !day.After(end) {
		return start, end
	}
	if m := wholeMonths(s.TermStart, s.TermEnd); m > 0 {
		for k := 1; ; k++ {
			start, end = AddMonths(s.TermStart, k*m), AddMonths(s.TermStart, (k+1)*m).AddDate(0, 0, -1)
			if !day.After(end) {
				return start, end
			}
		}
	}
	n := DaysInclusive(s.TermStart, s.TermEnd)
	k := DaysInclusive(s.TermStart, day) - 1
	k -= k % n
	start = s.TermStart.AddDate(0, 0, k)
	return start, start.AddDate(0, 0, n-1)
}

// wholeMonths answers m when the term start..end is m calendar months
// (end + 1 day = start + m months), else 0.
func wholeMonths(start, end time.Time) int {
	next := end.AddDate(0, 0, 1)
	m := (next.Year()-start.Year())*12 + int(next.Month()) - int(start.Month())
	if m > 0 && AddMonths(start, m).Equal(next) {
		return m
	}
	return 0
}

// StatusOn answers the subscription's status on day (decision 138):
// pending before its term starts; active through its term's last day (and
// on, term after term, while auto-renew is on); then as R-19 says for a
// term that ends: expired for ExpiredDays (users keep access), disabled for
// DisabledDays (admins only), then deleted.
func (s *ChannelSubscription) StatusOn(day time.Time) Status {
	day = Day(day)
	switch {
	case day.Before(s.TermStart):
		return StatusPending
	case s.AutoRenew || !day.After(s.TermEnd):
		return StatusActive
	case !day.After(s.TermEnd.AddDate(0, 0, ExpiredDays)):
		return StatusExpired
	case !day.After(s.TermEnd.AddDate(0, 0, ExpiredDays+DisabledDays)):
		return StatusDisabled
	}
	return StatusDeleted
}

// AsSubscription answers the channel subscription as the tenant's
// subscriptions list it on day, beside the CSP ones: no partner, its
// channel, its state and current term; names are the catalog's (empty when
// the catalog no longer lists the SKU).
func (s *ChannelSubscription) AsSubscription(c *Catalog, day time.Time) *Subscription {
	start, end := s.TermOn(day)
	out := &Subscription{ID: s.ID, TenantID: s.TenantID, Channel: s.Channel, ProductID: s.ProductID, SkuID: s.SkuID, UnitType: "Licenses",
		Quantity: s.Quantity, Status: s.StatusOn(day), AutoRenew: s.AutoRenew, TermStart: start, TermEnd: end, CreatedAt: s.CreatedAt}
	if prod, sku, ok := c.FindSku(s.OfferID()); ok {
		out.ProductName, out.OfferName = prod.Title, sku.Title
	}
	return out
}
