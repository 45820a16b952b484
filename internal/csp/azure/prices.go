package azure

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/shopspring/decimal"
)

// PriceCurrency is the currency of Azure's list prices (and of the price
// file): Microsoft prices every Azure service in USD.
const PriceCurrency = "USD"

// Meter is one billing meter in one region, as Azure's price sheets and
// usage files name it, with its list price per unit.
type Meter struct {
	ID          uuid.UUID
	Category    string // meterCategory: Virtual Machines
	SubCategory string // meterSubCategory: BS Series
	Name        string // meterName: B2s
	Region      string // meterRegion: US East
	Unit        string // unitOfMeasure: 1 Hour, 1 GB/Month
	UnitPrice   decimal.Decimal
	// What the meter prices: a resource type, its size or sku, a region.
	Type     Type
	Sku      string
	Location string
}

// PriceList is a set of meters, one per resource type, sku and region.
type PriceList struct {
	meters []Meter
	by     map[string]int // type|sku|location, lower case
	ids    map[uuid.UUID]int
	// PECPercent is the partner earned credit the list grants on eligible
	// meters: the file's "@partnerEarnedCreditPercent" field, 15
	// when the file names none.
	PECPercent decimal.Decimal
}

// DefaultPECPercent is R-23's published rate.
var DefaultPECPercent = decimal.NewFromInt(15)

// PECEligible tells a meter on which partner earned credit is earned:
// not reservations, savings plans, Spot virtual machines or third-party
// (marketplace) meters.
func (m Meter) PECEligible() bool {
	for _, c := range []string{"reservation", "savings plan", "marketplace"} {
		if strings.Contains(strings.ToLower(m.Category), c) {
			return false
		}
	}
	return !strings.Contains(strings.ToLower(m.Name), "spot") && !strings.Contains(strings.ToLower(m.SubCategory), "spot")
}

//go:embed prices.tsv
var builtinPrices string

var (
	builtinOnce sync.Once
	builtin     *PriceList
)

// Prices is the built-in price file (prices.tsv).
func Prices() *PriceList {
	builtinOnce.Do(func() {
		var err error
		if builtin, err = ParsePrices(builtinPrices); err != nil {
			panic("the built-in Azure price file is broken: " + err.Error())
		}
	})
	return builtin
}

// priceColumns are the price file's columns, in order.
var priceColumns = []string{"armResourceType", "armSkuName", "armRegionName", "meterId", "meterCategory",
	"meterSubCategory", "meterName", "meterRegion", "unitOfMeasure", "unitPrice"}

// ParsePrices reads a price file: tab-separated, a header line of
// priceColumns, '#' comment lines, one meter per line. Every meter prices a
// modelled type, sku and region once, and its id is unique.
func ParsePrices(text string) (*PriceList, error) {
	p := &PriceList{by: map[string]int{}, ids: map[uuid.UUID]int{}, PECPercent: DefaultPECPercent}
	header := false
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if field, value, ok := strings.Cut(line, "\t"); ok && strings.HasPrefix(field, "@") {
			if field != "@partnerEarnedCreditPercent" {
				return nil, fmt.Errorf("line %d: unknown field %s", n+1, field)
			}
			d, err := decimal.NewFromString(value)
			if err != nil || d.IsNegative() || d.GreaterThan(decimal.NewFromInt(100)) {
				return nil, fmt.Errorf("line %d: partnerEarnedCreditPercent %q is not a percentage from 0 to 100", n+1, value)
			}
			p.PECPercent = d
			continue
		}
		f := strings.Split(line, "\t")
		if !header {
			if strings.Join(f, "\t") != strings.Join(priceColumns, "\t") {
				return nil, fmt.Errorf("line %d: the header must be %s", n+1, strings.Join(priceColumns, ", "))
			}
			header = true
			continue
		}
		if len(f) != len(priceColumns) {
			return nil, fmt.Errorf("line %d: %d fields, want %d", n+1, len(f), len(priceColumns))
		}
		m, err := parseMeter(f)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		k := meterKey(m.Type, m.Sku, m.Location)
		if _, dup := p.by[k]; dup {
			return nil, fmt.Errorf("line %d: a second meter for %s %s in %s", n+1, m.Type, m.Sku, m.Location)
		}
		if _, dup := p.ids[m.ID]; dup {
			return nil, fmt.Errorf("line %d: meter id %s is used twice", n+1, m.ID)
		}
		p.by[k], p.ids[m.ID] = len(p.meters), len(p.meters)
		p.meters = append(p.meters, m)
	}
	if !header {
		return nil, fmt.Errorf("no header line")
	}
	return p, nil
}

func parseMeter(f []string) (Meter, error) {
	ns, rest, _ := strings.Cut(f[0], "/")
	t, ok := LookupType(ns, strings.Split(rest, "/"))
	if !ok {
		return Meter{}, fmt.Errorf("%q is not a modelled resource type", f[0])
	}
	sku, ok := canonicalSku(t, f[1])
	if !ok {
		return Meter{}, fmt.Errorf("%q is not a modelled sku of %s", f[1], t)
	}
	region, ok := RegionByName(f[2])
	if !ok {
		return Meter{}, fmt.Errorf("%q is not a modelled region", f[2])
	}
	id, err := uuid.Parse(f[3])
	if err != nil {
		return Meter{}, fmt.Errorf("meterId %q is not a GUID", f[3])
	}
	price, err := decimal.NewFromString(f[9])
	if err != nil || price.IsNegative() {
		return Meter{}, fmt.Errorf("unitPrice %q is not a decimal of at least 0", f[9])
	}
	if f[7] != region.MeterRegion {
		return Meter{}, fmt.Errorf("meterRegion %q is not %s's (%s)", f[7], region.Name, region.MeterRegion)
	}
	for i := 4; i <= 8; i++ {
		if f[i] == "" {
			return Meter{}, fmt.Errorf("%s is empty", priceColumns[i])
		}
	}
	return Meter{ID: id, Category: f[4], SubCategory: f[5], Name: f[6], Region: f[7], Unit: f[8],
		UnitPrice: price, Type: t, Sku: sku, Location: region.Name}, nil
}

func meterKey(t Type, sku, location string) string {
	return strings.ToLower(string(t) + "|" + sku + "|" + location)
}

// Lookup answers the meter of a resource type, sku and region.
func (p *PriceList) Lookup(t Type, sku, location string) (Meter, bool) {
	i, ok := p.by[meterKey(t, sku, location)]
	if !ok {
		return Meter{}, false
	}
	return p.meters[i], true
}

// ByID answers the meter with that id.
func (p *PriceList) ByID(id uuid.UUID) (Meter, bool) {
	i, ok := p.ids[id]
	if !ok {
		return Meter{}, false
	}
	return p.meters[i], true
}

// Meters lists every meter in the file's order.
func (p *PriceList) Meters() []Meter { return append([]Meter(nil), p.meters...) }

// Price is the meter's unit price as money.
func (m Meter) Price() csp.Money { return csp.NewMoney(m.UnitPrice, PriceCurrency) }
