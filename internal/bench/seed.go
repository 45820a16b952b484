package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/catalog"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
	"github.com/opencsp/opencsp/internal/store/sqlstore"
)

// Start is the sandbox clock when the seed is loaded. The advance moves it
// one calendar month, to Until.
var (
	Start = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	Until = csp.AddMonths(Start, 1)
)

// Mix counts the seeded subscriptions by the work the advance must do.
type Mix struct {
	// CycleCharges are P1Y/monthly subscriptions in mid-term: one
	// cycleCharged event and one charge each.
	CycleCharges int
	// RenewalsMonthly and RenewalsAnnual are P1M/monthly and P1Y/annual
	// subscriptions whose term ends in the month with auto-renew on: one
	// renewed event and one renew charge each.
	RenewalsMonthly, RenewalsAnnual int
	// Expiries have auto-renew off and a term ending in the month: one
	// expired event, no charge.
	Expiries int
	// ExpiriesDisabled are the expiries early enough in the month that
	// their 30 days as expired also end by Until: a second event,
	// disabled.
	ExpiriesDisabled int
	// Disabled were already expired at Start and are disabled in the
	// month: one disabled event, no charge.
	Disabled int
}

// Events is the number of events the advance must process.
func (m Mix) Events() int {
	return m.CycleCharges + m.RenewalsMonthly + m.RenewalsAnnual + m.Expiries + m.ExpiriesDisabled + m.Disabled
}

// Charges is the number of charges the advance must write.
func (m Mix) Charges() int { return m.CycleCharges + m.RenewalsMonthly + m.RenewalsAnnual }

// Seeded is a database loaded for one advance.
type Seeded struct {
	db       *sqlstore.DB
	N        int
	Tenants  int
	Mix      Mix
	SeedTime time.Duration
	// Profile, when set, receives a CPU profile of the advance.
	Profile io.Writer
}

// DB is the seeded database.
func (s *Seeded) DB() *sqlstore.DB { return s.db }

// offer is a catalog item the seed sells, with its list prices in USD.
type offer struct {
	productID, skuID, availabilityID string
	productName, skuName, unitType   string
	prices                           map[string]string // by term key, on Start
}

// terms the seed sells.
var seedTerms = []csp.Term{{Duration: "P1M", BillingCycle: "monthly"}, {Duration: "P1Y", BillingCycle: "monthly"}, {Duration: "P1Y", BillingCycle: "annual"}}

// offers lists the built-in catalog's paid, licence-based, commercial base
// offers sold with every seed term and priced in USD, so that every renewal
// finds a price.
func offers() ([]offer, error) {
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	var out []offer
	for _, p := range cat.Products {
		if p.ProductType != "OnlineServices" || p.PartnerID != nil {
			continue
		}
		for _, s := range p.Skus {
			if s.IsTrial || s.IsAddon || len(s.Prerequisites) > 0 {
				continue
			}
		avail:
			for _, av := range s.Availabilities {
				if av.Segment != csp.SegmentCommercial {
					continue
				}
				o := offer{productID: p.ID, skuID: s.ID, availabilityID: av.ID, productName: p.Title, skuName: s.Title, unitType: s.UnitType,
					prices: map[string]string{}}
				for _, want := range seedTerms {
					t, ok := av.Term(want.Duration, want.BillingCycle)
					if !ok {
						continue avail
					}
					price, ok := av.Price(t, "USD", Start)
					if !ok {
						continue avail
					}
					o.prices[t.Key()] = price.Amount.StringFixed(2)
				}
				out = append(out, o)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("seed: the built-in catalog has no commercial offer sold P1M/monthly, P1Y/monthly and P1Y/annual in USD")
	}
	return out, nil
}

var subscriptionColumns = []string{"id", "tenant_id", "partner_id", "channel", "offer_id", "offer_name", "quantity", "status", "created_at",
	"order_id", "reseller_mpn_id", "parent_id", "availability_id", "product_name", "friendly_name", "unit_type", "status_since", "is_trial",
	"auto_renew", "term_duration", "billing_cycle", "currency", "unit_price", "term_started_at", "term_start", "term_end", "lots", "scheduled",
	"next_event_at"}

// Order is the order Seed stores the subscriptions in.
type Order int

const (
	// ByPurchase stores them in the order they were bought, with ids made
	// in that order, as a database the program fills has them: its ids
	// are time-ordered and rows are appended as subscriptions are bought.
	// Subscriptions bought on the same day of the month then share their
	// events' days and sit next to each other.
	ByPurchase Order = iota
	// Shuffled stores them in random order, ids made in that order, so
	// that the subscriptions due together are spread over the whole table:
	// the worst case for the advance, every row it rewrites on a page of
	// its own.
	Shuffled
)

// Seed loads one partner, n/10 tenants with their relationships, and n
// subscriptions whose next events fall on the days after Start up to Until
// (uniformly), stored in the given order, in one transaction of multi-row
// INSERTs on the write pool, then refreshes the planner statistics. db
// must be fresh (just migrated).
//
// The mix, by subscription index modulo 20: 10 P1Y/monthly in mid-term
// (cycle charges), 4 P1M/monthly and 2 P1Y/annual ending their term with
// auto-renew on (renewals), 3 ending it with auto-renew off (expiries), and
// 1 expired 30 days before its event (disabled).
func Seed(ctx context.Context, db *sqlstore.DB, n int, order Order, out io.Writer) (*Seeded, error) {
	if n < 1 {
		return nil, fmt.Errorf("seed: n must be at least 1, not %d", n)
	}
	offs, err := offers()
	if err != nil {
		return nil, err
	}
	begin := time.Now()
	rng := rand.New(rand.NewPCG(uint64(n), 20261126))
	engine := db.Engine()
	tx, err := db.WritePool().BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	created := Start.AddDate(-2, 0, 0)
	partnerID := uuid.Must(uuid.NewV7())
	p := newBulk(tx, engine, "partners", []string{"id", "mpn_id", "name", "partner_type", "provider_id", "country", "locations", "sale_policy", "created_at"})
	if err := p.add(ctx, partnerID, "9100001", "Lifecycle Bench Partner", string(csp.PartnerDirect), nil, "US", `["US"]`, nil, ts(created)); err != nil {
		return nil, err
	}
	if err := p.flush(ctx); err != nil {
		return nil, fmt.Errorf("seed partner: %w", err)
	}

	nt := max(1, n/10)
	tenants := make([]uuid.UUID, nt)
	addr, _ := json.Marshal(csp.Address{Country: "US", City: "Redmond", State: "WA", AddressLine1: "1 Microsoft Way", PostalCode: "98052"})
	tb := newBulk(tx, engine, "tenants", []string{"id", "commerce_id", "display_name", "name_key", "domain_prefix", "country", "region", "segment",
		"address", "billing_profile", "org_reg_number", "created_at"})
	rb := newBulk(tx, engine, "relationships", []string{"partner_id", "tenant_id", "relationship_type", "name_key", "since", "company_name",
		"billing_profile", "address"})
	for i := range tenants {
		tenants[i] = uuid.Must(uuid.NewV7())
		name := fmt.Sprintf("Lifecycle Customer %06d", i)
		bp, _ := json.Marshal(csp.BillingProfile{FirstName: "Ada", LastName: "Lovelace", Email: "ap@contoso.example.com", Culture: "en-US",
			Language: "en", CompanyName: name})
		if err := tb.add(ctx, tenants[i], uuid.New(), name, store.NameKey(name), fmt.Sprintf("lifecycle%06d", i), "US", "US",
			string(csp.SegmentCommercial), string(addr), string(bp), "", ts(created)); err != nil {
			return nil, fmt.Errorf("seed tenants: %w", err)
		}
		if err := rb.add(ctx, partnerID, tenants[i], "directReseller", store.NameKey(name), ts(created), name, string(bp), string(addr)); err != nil {
			return nil, fmt.Errorf("seed relationships: %w", err)
		}
	}
	if err := tb.flush(ctx); err != nil {
		return nil, fmt.Errorf("seed tenants: %w", err)
	}
	if err := rb.flush(ctx); err != nil {
		return nil, fmt.Errorf("seed relationships: %w", err)
	}

	s := &Seeded{db: db, N: n, Tenants: nt}
	days := csp.DaysInclusive(Start, Until) - 1 // event days after Start, up to Until
	// Each subscription's next event is a job of the scheduler.
	rows := make([]subscriptionRow, 0, n)
	for i := 0; i < n; i++ {
		o := offs[rng.IntN(len(offs))]
		event := Start.AddDate(0, 0, 1+rng.IntN(days))
		row := subscriptionRow{tenant: tenants[i%nt], offer: o, quantity: 1 + rng.IntN(50),
			status: string(csp.StatusActive), next: event}
		switch k := i % 20; {
		case k < 10: // P1Y/monthly in mid-term: the cycle charge of month m.
			row.term, row.cycle, row.autoRenew = "P1Y", "monthly", true
			m := 1 + rng.IntN(11)
			// Keep the term's day of month: a start on the 31st needs a
			// 31-day month m months back.
			for csp.AddMonths(csp.AddMonths(event, -m), m) != event {
				m = 1 + rng.IntN(11)
			}
			row.termStart = csp.AddMonths(event, -m)
			row.termEnd = csp.TermEnd(row.termStart, "P1Y")
			s.Mix.CycleCharges++
		case k < 14: // P1M/monthly ending the day before the event.
			row.term, row.cycle, row.autoRenew = "P1M", "monthly", true
			row.termStart, row.termEnd = csp.AddMonths(event, -1), event.AddDate(0, 0, -1)
			s.Mix.RenewalsMonthly++
		case k < 16: // P1Y/annual ending the day before the event.
			row.term, row.cycle, row.autoRenew = "P1Y", "annual", true
			row.termStart, row.termEnd = csp.AddMonths(event, -12), event.AddDate(0, 0, -1)
			s.Mix.RenewalsAnnual++
		case k < 19: // Auto-renew off: expires at the event.
			row.term, row.cycle = "P1M", "monthly"
			row.termStart = csp.AddMonths(event, -1)
			if k == 18 {
				row.term, row.cycle, row.termStart = "P1Y", "annual", csp.AddMonths(event, -12)
			}
			row.termEnd = event.AddDate(0, 0, -1)
			s.Mix.Expiries++
			if !event.AddDate(0, 0, csp.ExpiredDays).After(Until) {
				s.Mix.ExpiriesDisabled++
			}
		default: // Expired ExpiredDays before the event: disabled at it.
			row.term, row.cycle, row.status = "P1Y", "annual", string(csp.StatusExpired)
			row.statusSince = event.AddDate(0, 0, -csp.ExpiredDays)
			row.termStart, row.termEnd = csp.AddMonths(row.statusSince, -12), row.statusSince.AddDate(0, 0, -1)
			s.Mix.Disabled++
		}
		rows = append(rows, row)
	}
	if order == ByPurchase { // created_at is the term start at 09:00
		slices.SortStableFunc(rows, func(a, b subscriptionRow) int { return a.termStart.Compare(b.termStart) })
	}
	sb := newBulk(tx, engine, "subscriptions", subscriptionColumns)
	for _, row := range rows {
		row.id = uuid.Must(uuid.NewV7()) // in storage order, as the program's ids are
		if err := sb.add(ctx, row.values(partnerID)...); err != nil {
			return nil, fmt.Errorf("seed subscriptions: %w", err)
		}
	}
	if err := sb.flush(ctx); err != nil {
		return nil, fmt.Errorf("seed subscriptions: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("seed: commit: %w", err)
	}
	// A long-running database has statistics; a freshly loaded one needs them.
	if _, err := db.WritePool().ExecContext(ctx, `ANALYZE`); err != nil {
		return nil, fmt.Errorf("seed: analyze: %w", err)
	}
	s.SeedTime = time.Since(begin)
	fmt.Fprintf(out, "%s: seeded 1 partner, %d tenants and %d subscriptions in %v (%d cycle charges, %d+%d renewals, %d expiries, %d disabled moves)\n",
		engine, nt, n, s.SeedTime.Round(time.Millisecond), s.Mix.CycleCharges, s.Mix.RenewalsMonthly, s.Mix.RenewalsAnnual, s.Mix.Expiries,
		s.Mix.Disabled)
	return s, nil
}

// subscriptionRow is one seeded subscription.
type subscriptionRow struct {
	id, tenant               uuid.UUID
	offer                    offer
	quantity                 int
	status                   string
	statusSince              time.Time // default: the term start
	autoRenew                bool
	term, cycle              string
	termStart, termEnd, next time.Time
}

// values are the row's columns in subscriptionColumns order. The
// subscription was bought at 09:00 on its term's first day, at the list
// price of its term.
func (r subscriptionRow) values(partnerID uuid.UUID) []any {
	bought := r.termStart.Add(9 * time.Hour)
	since := r.statusSince
	if since.IsZero() {
		since = bought
	}
	price := r.offer.prices[r.term+":"+r.cycle] // offers() checked it exists
	return []any{r.id, r.tenant, partnerID, string(csp.ChannelCSP), r.offer.productID + ":" + r.offer.skuID, r.offer.skuName, r.quantity, r.status,
		ts(bought), nil, "", nil, r.offer.availabilityID, r.offer.productName, r.offer.skuName, r.offer.unitType, ts(since), false, r.autoRenew,
		r.term, r.cycle, "USD", price, ts(bought), ts(r.termStart), ts(r.termEnd), "[]", nil, ts(r.next)}
}
