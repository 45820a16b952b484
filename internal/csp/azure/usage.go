package azure

import (
	"maps"
	"time"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/shopspring/decimal"
)

// Interval is a stretch of time in which a resource ran with one size or
// sku: from its creation or start to its deallocation, deletion, resize or
// its subscription's disabling. End is zero while it still runs.
type Interval struct {
	Start time.Time
	End   time.Time
	Sku   string
}

// UsageRecord is one hour of one meter of one resource, in the terms of
// Partner Center's utilization records (usageStartTime, usageEndTime,
// resource {id, name, category, subcategory, region}, quantity, unit,
// instanceData {resourceUri, location, tags}) and of the daily rated usage
// file (MeterId, ConsumedService, ResourceGroup, ResourceURI, Tags).
type UsageRecord struct {
	Subscription     uuid.UUID
	ResourceURI      string
	ResourceGroup    string
	Location         string // the resource's ARM location: eastus
	ConsumedService  string // the resource provider: Microsoft.Compute
	MeterID          uuid.UUID
	MeterName        string
	MeterCategory    string
	MeterSubCategory string
	MeterRegion      string
	Unit             string
	Start            time.Time // the hour, [Start, End)
	End              time.Time
	Quantity         decimal.Decimal
	Tags             map[string]string
}

// QuantityPlaces is the precision of a usage quantity: hours to 6 decimals
// (DESIGN.md "Usage").
const QuantityPlaces = 6

// StoredGB is the capacity every storage account is modelled to hold: ARM
// has no property for the data written into an account, so each one
// meters 100 GB of data stored while it exists (decision 86).
const StoredGB = 100

var hour = decimal.NewFromInt(int64(time.Hour))

// Usage gives the usage records of resource r for each whole hour [h, h+1)
// of [from, to) that intersects one of its running intervals (from and to
// are truncated to the hour, in UTC). An hour's quantity is the running
// time within it in hours, rounded half away from zero to 6 decimals; a
// storage account's is StoredGB × that time ÷ the hours of the month, in
// GB-months. A resize inside an hour gives one record per size. An hour
// whose quantity rounds to zero gives no record. Same intervals, same
// records.
func (p *PriceList) Usage(r Resource, runs []Interval, from, to time.Time) ([]UsageRecord, error) {
	if !r.Metered() {
		return nil, nil
	}
	from, to = from.UTC().Truncate(time.Hour), to.UTC().Truncate(time.Hour)
	var out []UsageRecord
	for h := from; h.Before(to); h = h.Add(time.Hour) {
		end := h.Add(time.Hour)
		var skus []string
		within := map[string]time.Duration{}
		for _, run := range runs {
			d := overlap(run, h, end)
			if d <= 0 {
				continue
			}
			if _, seen := within[run.Sku]; !seen {
				skus = append(skus, run.Sku)
			}
			within[run.Sku] += d
		}
		for _, sku := range skus {
			q := decimal.NewFromInt(int64(within[sku])).Div(hour)
			if r.ID.Type == TypeStorageAccount {
				q = q.Mul(decimal.NewFromInt(StoredGB)).Div(decimal.NewFromInt(int64(hoursInMonth(h))))
			}
			q = csp.RoundHalfAway(q, QuantityPlaces)
			if q.IsZero() {
				continue
			}
			m, ok := p.Lookup(r.ID.Type, sku, r.Location)
			if !ok {
				return nil, csp.Errorf(csp.EAzureNoMeter, "the price file has no meter for %s %s in %s (resource %s)", r.ID.Type, sku, r.Location, r.ID)
			}
			out = append(out, UsageRecord{
				Subscription: r.ID.Subscription, ResourceURI: r.ID.String(), ResourceGroup: r.ID.Group,
				Location: r.Location, ConsumedService: r.ID.Type.Namespace(),
				MeterID: m.ID, MeterName: m.Name, MeterCategory: m.Category, MeterSubCategory: m.SubCategory,
				MeterRegion: m.Region, Unit: m.Unit, Start: h, End: end, Quantity: q, Tags: maps.Clone(r.Tags),
			})
		}
	}
	return out, nil
}

// Usage meters with the built-in price file.
func Usage(r Resource, runs []Interval, from, to time.Time) ([]UsageRecord, error) {
	return Prices().Usage(r, runs, from, to)
}

// overlap is how long run ran within [from, to).
func overlap(run Interval, from, to time.Time) time.Duration {
	start, end := run.Start, run.End
	if end.IsZero() || end.After(to) {
		end = to
	}
	if start.Before(from) {
		start = from
	}
	return end.Sub(start)
}

// hoursInMonth is the number of hours in t's calendar month (UTC).
func hoursInMonth(t time.Time) int {
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	return int(first.AddDate(0, 1, 0).Sub(first) / time.Hour)
}
