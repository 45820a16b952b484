package azure

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/shopspring/decimal"
)

// AmountPlaces is the precision of a daily rated line's amount
// (PricingPreTaxTotal): rounded half away from zero to 6 decimals, like
// effective unit prices; the invoice truncates to cents when it bills
// (decision 88).
const AmountPlaces = 6

// RatedLine is one day of one meter of one resource, priced: a line of
// Partner Center's daily rated usage (UsageDate, MeterCategory, MeterId,
// MeterSubCategory, MeterName, MeterRegion, Unit, ResourceLocation,
// ConsumedService, ResourceGroup, ResourceURI, UnitPrice, Quantity,
// PricingPreTaxTotal, Tags).
type RatedLine struct {
	UsageDate       time.Time // 00:00 UTC of the day
	Subscription    uuid.UUID
	ResourceURI     string
	ResourceGroup   string
	Location        string
	ConsumedService string
	Meter           Meter
	Quantity        decimal.Decimal // the sum of the day's hourly quantities
	UnitPrice       csp.Money
	Amount          csp.Money // ROUND_HALF_AWAY(Quantity × UnitPrice, 6)
	Tags            map[string]string
}

// Rate gathers hourly records into daily lines, one per UTC day, resource
// and meter, priced from the list: quantity the day's sum, amount
// ROUND_HALF_AWAY(quantity × unit price, 6). Lines come ordered by day,
// resource id (case-insensitively) and meter name. Same records, same
// lines, whatever their order.
func (p *PriceList) Rate(records []UsageRecord) ([]RatedLine, error) {
	type key struct {
		day      time.Time
		resource string
		meter    uuid.UUID
	}
	lines := map[key]*RatedLine{}
	for _, rec := range records {
		m, ok := p.ByID(rec.MeterID)
		if !ok {
			return nil, csp.Errorf(csp.EAzureNoMeter, "the price file has no meter %s (%s, %s) for the usage of %s", rec.MeterID, rec.MeterName, rec.MeterRegion, rec.ResourceURI)
		}
		k := key{rec.Start.UTC().Truncate(24 * time.Hour), strings.ToLower(rec.ResourceURI), rec.MeterID}
		l := lines[k]
		if l == nil {
			l = &RatedLine{UsageDate: k.day, Subscription: rec.Subscription, ResourceURI: rec.ResourceURI,
				ResourceGroup: rec.ResourceGroup, Location: rec.Location, ConsumedService: rec.ConsumedService,
				Meter: m, UnitPrice: m.Price(), Tags: maps.Clone(rec.Tags)}
			lines[k] = l
		}
		l.Quantity = l.Quantity.Add(rec.Quantity)
	}
	out := make([]RatedLine, 0, len(lines))
	for _, l := range lines {
		l.Amount = csp.NewMoney(csp.RoundHalfAway(l.Quantity.Mul(l.UnitPrice.Amount), AmountPlaces), PriceCurrency)
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b RatedLine) int {
		return cmp.Or(a.UsageDate.Compare(b.UsageDate),
			strings.Compare(strings.ToLower(a.ResourceURI), strings.ToLower(b.ResourceURI)),
			strings.Compare(a.Meter.Name, b.Meter.Name), strings.Compare(a.Meter.ID.String(), b.Meter.ID.String()))
	})
	return out, nil
}

// Rate rates with the built-in price file.
func Rate(records []UsageRecord) ([]RatedLine, error) { return Prices().Rate(records) }

// Spend sums the lines' amounts: an estimate of what they cost, in the
// price currency.
func Spend(lines []RatedLine) csp.Money {
	total := csp.ZeroMoney(PriceCurrency)
	for _, l := range lines {
		total.Amount = total.Amount.Add(l.Amount.Amount)
	}
	return total
}

// CheckBudget applies the usage budget rule: an amount of at least 0 (0
// means no budget, and never alerts).
func CheckBudget(amount decimal.Decimal) error {
	if amount.IsNegative() {
		return csp.Errorf(csp.EAzureInvalidBudget, "a usage budget is an amount of at least 0 (0 turns the alert off); %s is negative", amount)
	}
	return nil
}

// Crossed reports whether estimated month-to-date spend crosses the budget
// as it moves from before to after: before is under the budget and after
// reaches or passes it. A zero budget never alerts. Amounts in different
// currencies are refused.
func Crossed(budget, before, after csp.Money) (bool, error) {
	if budget.Currency != before.Currency || budget.Currency != after.Currency {
		return false, fmt.Errorf("budget in %s compared with spend in %s and %s: convert first", budget.Currency, before.Currency, after.Currency)
	}
	if !budget.Amount.IsPositive() {
		return false, nil
	}
	return before.Amount.LessThan(budget.Amount) && after.Amount.GreaterThanOrEqual(budget.Amount), nil
}
