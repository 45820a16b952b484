package console

// The cart and the orders on the customer page: each line's amount and
// problem in plain words, the cart's totals, the orders a checkout placed.

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// market is what a cart's lines are read against: the customer, its
// partner and the catalog items sold in the customer's country (every
// segment), by catalog item id.
type market struct {
	Tenant  *csp.Tenant
	Partner *csp.Partner
	Items   map[string]app.MarketItem
}

type cartView struct {
	ID        uuid.UUID
	Status    string
	Active    bool
	ExpiresAt time.Time
	Lines     []cartLineView
	// Totals add up the amounts of the lines without problems, per
	// currency: what the checkout charges for their first billing period.
	Totals []string
}

type cartLineView struct {
	csp.CartLine
	Number  int // from 1
	Name    string
	Price   string // the unit price per billing period
	Amount  string // unit price × quantity
	Problem string // the line's error in plain words
}

func (m market) item(catalogItemID string) (app.MarketItem, bool) {
	id, ok := csp.ParseCatalogItemID(catalogItemID)
	if !ok {
		return app.MarketItem{}, false
	}
	it, ok := m.Items[id.String()]
	return it, ok
}

func (m market) cartView(q *app.CartQuote) *cartView {
	cart := q.Cart
	cv := &cartView{ID: cart.ID, Status: cart.Status, Active: cart.Status == csp.CartActive, ExpiresAt: cart.ExpiresAt}
	totals := map[string]csp.Money{}
	for _, l := range cart.Lines {
		lv := cartLineView{CartLine: l, Number: l.ID + 1, Name: l.CatalogItemID}
		it, found := m.item(l.CatalogItemID)
		if found {
			lv.Name = itemLabel(it.Item)
		}
		// Prices are the checkout's (app.QuoteCart), for the lines it
		// accepts: the stored line has no error and the rules take it now.
		if checked, ok := q.Priced[l.ID]; ok && l.Error == nil {
			if checked.Item.Product.ProductType == csp.ProductTypeAzure {
				lv.Amount = "billed by usage"
			} else {
				amount := checked.Amount()
				lv.Price, lv.Amount = checked.Price.String(), amount.String()
				t, ok := totals[amount.Currency]
				if !ok {
					t = csp.ZeroMoney(amount.Currency)
				}
				// Same currency: Add cannot fail.
				totals[amount.Currency], _ = t.Add(amount)
			}
		}
		if l.Error != nil {
			var itp *app.MarketItem
			if found {
				itp = &it
			}
			lv.Problem = m.lineProblem(l, itp)
		}
		cv.Lines = append(cv.Lines, lv)
	}
	for _, t := range totals {
		cv.Totals = append(cv.Totals, t.String())
	}
	slices.Sort(cv.Totals)
	return cv
}

// remove ends every line problem: the cart form adds lines but does not
// edit them.
const remove = " Remove this line"

// lineProblem says what is wrong with a cart line and what to do, from its
// CartErrorCode and the catalog item (nil when it is not sold here).
func (m market) lineProblem(l csp.CartLine, it *app.MarketItem) string {
	t := m.Tenant
	again := remove + " and add the item again "
	switch l.Error.ErrorCode {
	case csp.CartCatalogItemNotValid:
		if it != nil && it.Availability.Segment != t.Segment {
			return "This item is sold to " + string(it.Availability.Segment) + " customers only, and " + t.DisplayName + " is a " + string(t.Segment) + " customer." + remove + "."
		}
		return "This item is not in your catalog." + remove + "."
	case csp.CartCurrencyNotSupported:
		return "This item is not sold to customers in " + countryName(t.Country) + "." + remove + "."
	case csp.CartQuotaNotAvailable:
		switch {
		case it != nil && it.Sku.IsTrial:
			return "A customer gets one trial of each offer: this customer already had this one, or another line of the cart buys it." + remove + "."
		case it != nil && it.Product.ProductType == csp.ProductTypeAzure:
			return "A customer has one Azure plan with you: this customer already has one, or another line of the cart buys it." + remove + "."
		}
		return "Another line of the cart, or a subscription the customer has, already covers this item." + remove + "."
	case csp.CartParticipantsNotSupported:
		return "The partner of record named on this line is not one of your indirect resellers." + remove + "."
	case csp.CartUnableToProcess:
		if m.Partner != nil {
			if err := m.Partner.CheckSale(t.Country, t.Region, t.Segment); err != nil {
				return plainMessage(err, about{Country: t.Country, Partner: m.Partner}) + remove + "."
			}
		}
	case csp.CartSubscriptionNotValid:
		if it != nil {
			return "This add-on needs an active subscription to " + orList(m.offerNames(it.Sku.Prerequisites)) +
				" first: buy that on an earlier line of this cart, or before this one."
		}
	case csp.CartInvalidInput:
		switch {
		case it != nil && it.Sku.IsTrial:
			n := strconv.Itoa(it.Sku.TrialQuantity)
			return "This trial comes with exactly " + n + " seats." + again + "with quantity " + n + "."
		case it != nil && it.Product.ProductType == csp.ProductTypeAzure:
			return "The Azure plan is bought with quantity 1." + again + "with quantity 1."
		case it != nil:
			return "Buy at least " + strconv.Itoa(it.Sku.MinimumQuantity) + " seats of this item." + again + "with more seats."
		}
	case csp.CartBillingPlanNotSupported:
		if it != nil {
			var terms []string
			for _, t := range it.Availability.Terms {
				terms = append(terms, formatTerm(t.Duration, t.BillingCycle))
			}
			return "This item is not sold as " + formatTerm(l.TermDuration, l.BillingCycle) + ": it is sold as " + orList(terms) + "." + again + "with one of those terms."
		}
	case csp.CartMaxSeatsExceeded:
		if it != nil {
			return "At most " + strconv.Itoa(it.Sku.MaximumQuantity) + " seats of this item can be in one subscription." + again + "with fewer seats."
		}
	case csp.CartBaseSeatsNotMet:
		return "This add-on cannot have more seats than the customer's base subscriptions." + again + "with fewer seats."
	case csp.CartInvalidCustomEnd, csp.CartInvalidCustomEndProduct:
		return "The end date chosen for this line is not allowed: a custom end date must be the term's last month end, or the last end within the term of one of the customer's subscriptions (a yearly term cannot end with a month-to-month subscription)." + again + "without it."
	}
	return "This line cannot be bought as it is." + remove + " and add the item again."
}

// offerNames names offers (productId:skuId) by their catalog titles.
func (m market) offerNames(offers []string) []string {
	out := make([]string, 0, len(offers))
	for _, o := range offers {
		name := o
		for _, it := range m.Items {
			if strings.EqualFold(it.Product.ID+":"+it.Sku.ID, o) {
				name = itemLabel(it.Item)
				break
			}
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// orderView is an order a checkout placed, with what its lines cost for
// their first billing period.
type orderView struct {
	ID        uuid.UUID
	CreatedAt time.Time
	Total     string
	Lines     []orderLineView
}

type orderLineView struct {
	Name     string
	Term     string
	Quantity int
	Amount   string
}

func (m market) orderView(o *csp.Order) (orderView, error) {
	total, err := o.Total()
	if err != nil {
		return orderView{}, err
	}
	v := orderView{ID: o.ID, CreatedAt: o.CreatedAt, Total: total.String()}
	for _, l := range o.Lines {
		name := l.FriendlyName
		if it, ok := m.item(l.OfferID); ok {
			name = itemLabel(it.Item)
		}
		v.Lines = append(v.Lines, orderLineView{Name: name, Term: formatTerm(l.TermDuration, l.BillingCycle), Quantity: l.Quantity, Amount: l.ProratedPrice.String()})
	}
	return v, nil
}
