package pricebook

import (
	"time"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/shopspring/decimal"
)

// ChargeCustomerCredit is a credit the partner gives its customer; it is
// not one of Microsoft's charge types.
const ChargeCustomerCredit csp.ChargeType = "customerCredit"

// CostLine is one line of what the partner pays (a ledger or
// reconciliation line), in the customer's market currency: its pricing
// currency. The sign and the proration are in EffectiveUnitPrice and
// Subtotal (negative on credits); BillableQuantity is the seats billed
// (usage units on Usage lines), Quantity the seats the change added or
// removed. Days of PeriodDays is the line's proration; 0 when unknown.
type CostLine struct {
	SubscriptionID                         string
	ProductID, SkuID, ProductName, SkuName string
	ChargeType                             csp.ChargeType
	PartnerService                         bool
	Usage                                  bool
	UnitPrice, EffectiveUnitPrice          csp.Money
	Quantity                               int
	BillableQuantity                       decimal.Decimal
	Subtotal                               csp.Money
	ChargeStart, ChargeEnd                 time.Time
	Days, PeriodDays                       int
	MeterName                              string
}

// Credit reports whether the line gives money back.
func (l CostLine) Credit() bool {
	return l.EffectiveUnitPrice.Amount.IsNegative() || l.Subtotal.Amount.IsNegative()
}

// CostAmount is what the line costs the partner: its subtotal, or nothing
// for the partner's own services, which Microsoft does not bill.
func (l CostLine) CostAmount() csp.Money {
	if l.PartnerService {
		return csp.ZeroMoney(l.Subtotal.Currency)
	}
	return l.Subtotal
}

// CustomerLine is what the customer pays for one cost line. Rule names the
// rule that priced it ("markup 20%", "margin 25%", "fixed 25.00", "own
// service"); Promotion names the promotion applied, if any. UnitPrice is
// the customer's price before proration and promotion, EffectiveUnitPrice
// after both (signed as the cost line).
type CustomerLine struct {
	Cost                                  CostLine
	Rule                                  string
	Promotion, PromotionID                string
	UnitPrice, EffectiveUnitPrice, Amount csp.Money
	Profit                                csp.Money // Amount − Cost.CostAmount()
	Description                           string
}

type ruleKind int

const (
	markup ruleKind = iota
	margin
	fixed
	ownService
)

type rule struct {
	kind ruleKind
	v    decimal.Decimal
}

func (r rule) String() string {
	switch r.kind {
	case markup:
		return "markup " + r.v.String() + "%"
	case margin:
		return "margin " + r.v.String() + "%"
	case fixed:
		return "fixed " + priceText(r.v)
	}
	return "own service"
}

func itemRule(it Item) rule {
	switch {
	case it.MarkupPercent != nil:
		return rule{markup, *it.MarkupPercent}
	case it.MarginPercent != nil:
		return rule{margin, *it.MarginPercent}
	}
	return rule{fixed, *it.FixedUnitPrice}
}

func defaultRule(b Book) (rule, bool) {
	switch {
	case b.DefaultMarkupPercent != nil:
		return rule{markup, *b.DefaultMarkupPercent}, true
	case b.DefaultMarginPercent != nil:
		return rule{margin, *b.DefaultMarginPercent}, true
	}
	return rule{}, false
}

// Pricer prices cost lines by a partner's book and a customer's.
type Pricer struct {
	partner, customer Book
	items             [2]map[[2]string]Item // customer's, partner's
}

// NewPricer validates both books; an empty customer book is none.
func NewPricer(partner, customer Book) (*Pricer, error) {
	if err := partner.Validate(); err != nil {
		return nil, err
	}
	if err := customer.Validate(); err != nil {
		if e, ok := err.(*csp.Error); ok {
			e.Message = "the customer's price book: " + e.Message
		}
		return nil, err
	}
	p := &Pricer{partner: partner, customer: customer}
	for i, b := range []Book{customer, partner} {
		p.items[i] = make(map[[2]string]Item, len(b.Items))
		for _, it := range b.Items {
			p.items[i][[2]string{it.ProductID, it.SkuID}] = it
		}
	}
	return p, nil
}

// rule is the first that matches of: the customer's item for the SKU, for
// the product, the partner's item for the SKU, for the product, then (but
// for the partner's own services, billed at their subtotal) the customer's
// default, the partner's, and selling at cost.
func (p *Pricer) rule(l CostLine) rule {
	for _, items := range p.items {
		for _, key := range [][2]string{{l.ProductID, l.SkuID}, {l.ProductID, ""}} {
			if it, ok := items[key]; ok {
				return itemRule(it)
			}
		}
	}
	if l.PartnerService {
		return rule{kind: ownService}
	}
	if r, ok := defaultRule(p.customer); ok {
		return r
	}
	if r, ok := defaultRule(p.partner); ok {
		return r
	}
	return rule{markup, decimal.Zero}
}

// Price is the customer line for l.
func (p *Pricer) Price(l CostLine) (CustomerLine, error) {
	cur := l.Subtotal.Currency
	if l.UnitPrice.Currency != cur || l.EffectiveUnitPrice.Currency != cur {
		return CustomerLine{}, csp.Errorf(csp.EPriceBookLineCurrency, "the cost line of %s has its unit price in %q, its effective unit price in %q and its subtotal in %q: one currency",
			offer(l.ProductID, l.SkuID), l.UnitPrice.Currency, l.EffectiveUnitPrice.Currency, cur)
	}
	r := p.rule(l)
	unitPlaces := int32(2)
	if l.Usage {
		unitPlaces = csp.PricePlaces // meter prices have more decimals
	}
	var unit, eup, amount decimal.Decimal
	switch r.kind {
	case ownService:
		unit, eup, amount = l.UnitPrice.Amount, l.EffectiveUnitPrice.Amount, l.Subtotal.Amount
	case markup:
		up := func(d decimal.Decimal, places int32) decimal.Decimal {
			return csp.RoundHalfAway(d.Mul(hundred.Add(r.v)).Shift(-2), places)
		}
		unit, eup, amount = up(l.UnitPrice.Amount, unitPlaces), up(l.EffectiveUnitPrice.Amount, csp.PricePlaces), up(l.Subtotal.Amount, 2)
	case margin:
		up := func(d decimal.Decimal, places int32) decimal.Decimal {
			return divRound(d.Mul(hundred), hundred.Sub(r.v), places)
		}
		unit, eup, amount = up(l.UnitPrice.Amount, unitPlaces), up(l.EffectiveUnitPrice.Amount, csp.PricePlaces), up(l.Subtotal.Amount, 2)
	case fixed:
		unit, eup, amount = fixedPrice(l, r.v)
	}
	out := CustomerLine{Cost: l, Rule: r.String()}
	if promo, ok := p.promotion(l); ok {
		off := hundred.Sub(promo.DiscountPercent)
		eup = csp.RoundHalfAway(eup.Mul(off).Shift(-2), csp.PricePlaces)
		amount = csp.RoundHalfAway(amount.Mul(off).Shift(-2), 2)
		out.Promotion, out.PromotionID = promo.Name, promo.ID
		if out.Promotion == "" {
			out.Promotion = promo.ID
		}
	}
	out.UnitPrice, out.EffectiveUnitPrice, out.Amount = csp.NewMoney(unit, cur), csp.NewMoney(eup, cur), csp.NewMoney(amount, cur)
	out.Profit = csp.NewMoney(amount.Sub(l.CostAmount().Amount), cur)
	out.Description = Describe(l)
	return out, nil
}

// fixedPrice puts price in place of the cost line's unit price. A licence
// line keeps its proration and sign: effectiveUnitPrice = price × d/D to 6
// decimals, truncated to 2 before it multiplies the seats (C-2). A usage
// line is price × quantity.
func fixedPrice(l CostLine, price decimal.Decimal) (unit, eup, amount decimal.Decimal) {
	if l.Usage {
		eup = price
		if l.Credit() {
			eup = eup.Neg()
		}
		return price, eup, csp.RoundHalfAway(eup.Mul(l.BillableQuantity), 2)
	}
	up, partnerEUP := l.UnitPrice.Amount.Abs(), l.EffectiveUnitPrice.Amount.Abs()
	switch {
	case l.Days > 0 && l.PeriodDays > 0:
		eup = csp.ProratePrice(price, l.Days, l.PeriodDays)
	case up.IsZero() || partnerEUP.Equal(up):
		eup = price
	default: // d/D unknown (an imported line): the partner line's own ratio
		eup = divRound(price.Mul(partnerEUP), up, csp.PricePlaces)
	}
	if l.Credit() {
		eup = eup.Neg()
	}
	return price, eup, csp.RoundHalfAway(csp.TruncatePrice(eup).Mul(l.BillableQuantity), 2)
}

// promotion is the largest discount of both books' promotions that apply
// to l; on a tie the customer's book, then the first listed.
func (p *Pricer) promotion(l CostLine) (Promotion, bool) {
	var best Promotion
	found := false
	day := csp.Day(l.ChargeStart)
	for _, b := range []Book{p.customer, p.partner} {
		for _, pr := range b.Promotions {
			if day.Before(csp.Day(pr.StartDate)) || day.After(csp.Day(pr.EndDate)) ||
				pr.ProductID != "" && pr.ProductID != l.ProductID || pr.SkuID != "" && pr.SkuID != l.SkuID {
				continue
			}
			if !found || pr.DiscountPercent.GreaterThan(best.DiscountPercent) {
				best, found = pr, true
			}
		}
	}
	return best, found
}

// divRound is x ÷ y rounded half away from zero to places decimals,
// exactly: decimal's Div stops at 16 digits, which could move a half.
func divRound(x, y decimal.Decimal, places int32) decimal.Decimal {
	q, r := x.QuoRem(y, places)
	// x = q·y + r with |r| < |y|·10^-places: round away when 2|r| ≥ |y|·10^-places.
	if r.Abs().Mul(decimal.NewFromInt(2)).GreaterThanOrEqual(y.Abs().Shift(-places)) {
		step := decimal.New(1, -places)
		if x.Sign()*y.Sign() < 0 {
			step = step.Neg()
		}
		q = q.Add(step)
	}
	return q
}

// priceText is a price with 2 decimals, or all of them past 2.
func priceText(d decimal.Decimal) string {
	if d.Equal(d.Truncate(2)) {
		return d.StringFixed(2)
	}
	return d.String()
}
