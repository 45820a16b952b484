package app_test

// Benchmarks of the two hot paths on both engines: creating a customer (one
// write transaction of five statements) and reading one page of a partner's
// customer list at several keyset depths. PostgreSQL runs when
// OPENCSP_TEST_POSTGRES_URL is set (see internal/testdb). Figures and the
// command are in docs/benchmarks.md.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
	"github.com/opencsp/opencsp/internal/store/sqlstore"
	"github.com/opencsp/opencsp/internal/testdb"
)

// benchAddress and benchBilling make a valid US customer.
var (
	benchAddress = csp.Address{Country: "US", City: "Redmond", State: "WA", AddressLine1: "1 Microsoft Way", PostalCode: "98052"}
	benchBilling = csp.BillingProfile{FirstName: "Ada", LastName: "Lovelace", Email: "ap@contoso.example.com", Culture: "en-US", Language: "en"}
)

// mustPartnerPrincipal sets up an operator, a direct US partner and an
// adminAgent user the way a server would, and answers the user's principal.
func mustPartnerPrincipal(b *testing.B, a *app.App) csp.Principal {
	b.Helper()
	ctx := context.Background()
	opKey, err := a.MintOperatorKey(ctx)
	if err != nil {
		b.Fatal(err)
	}
	op, err := a.Authenticate(ctx, opKey.APIKey, "")
	if err != nil {
		b.Fatal(err)
	}
	partner, err := a.CreatePartner(ctx, op, app.NewPartner{Name: "Bench Partner", Country: "US", PartnerType: string(csp.PartnerDirect)})
	if err != nil {
		b.Fatal(err)
	}
	_, key, err := a.CreatePartnerUser(ctx, op, partner.ID, app.NewPartnerUser{DisplayName: "Bench Agent", Email: "agent@bench.example.com",
		Roles: []string{string(csp.RoleAdminAgent)}})
	if err != nil {
		b.Fatal(err)
	}
	p, err := a.Authenticate(ctx, key.APIKey, "")
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func mustApp(b *testing.B, db *sqlstore.DB) *app.App {
	b.Helper()
	a, err := app.New(context.Background(), db, app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// BenchmarkCreateCustomer creates b.N customers for one partner through the
// use case (validation, sale check, tenant, admin user, relationship, audit).
func BenchmarkCreateCustomer(b *testing.B) {
	for _, e := range testdb.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			a := mustApp(b, e.Open(b))
			p := mustPartnerPrincipal(b, a)
			ctx := context.Background()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				in := app.NewCustomer{NewTenant: csp.NewTenant{CompanyName: fmt.Sprintf("Bench Customer %d", i), Domain: fmt.Sprintf("bench%d", i),
					Address: benchAddress, BillingProfile: benchBilling}}
				if _, err := a.CreateCustomer(ctx, p, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkListCustomers reads one page of 100 customers at the start, the
// middle and the end of a partner's list of n customers, then creates
// customers among them. Keyset paging reads
// one index range from the cursor on, so the time per page should not grow
// with depth. The n tenants are seeded once per engine and size, outside the
// timer.
func BenchmarkListCustomers(b *testing.B) {
	const pageSize = 100
	for _, e := range testdb.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			for _, n := range []int{1_000, 100_000} {
				b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
					// A benchmark with sub-benchmarks runs once: this seeding
					// happens once per engine and size.
					db := e.Open(b)
					a := mustApp(b, db)
					p := mustPartnerPrincipal(b, a)
					start := time.Now()
					order := mustSeedCustomers(b, db, p.PartnerID, n)
					b.Logf("%s: seeded %d tenants and relationships in %v", e.Name, n, time.Since(start).Round(time.Millisecond))
					for _, d := range []struct {
						name  string
						depth int
					}{{"start", 0}, {"middle", n / 2}, {"end", n - pageSize}} {
						b.Run("depth="+d.name, func(b *testing.B) {
							ctx := context.Background()
							f := app.Page[app.CustomerCursor]{Size: pageSize}
							if d.depth > 0 {
								last := order[d.depth-1]
								f.After = &app.CustomerCursor{NameKey: last.nameKey, TenantID: last.id}
							}
							got, err := a.ListCustomers(ctx, p, app.CustomerQuery{}, f)
							if err != nil {
								b.Fatal(err)
							}
							page := got.Items
							if len(page) != pageSize {
								b.Fatalf("page at depth %d: %d customers, want %d", d.depth, len(page), pageSize)
							}
							if page[0].Tenant.ID != order[d.depth].id || page[pageSize-1].Tenant.ID != order[d.depth+pageSize-1].id {
								b.Fatalf("page at depth %d runs %s..%s, want %s..%s", d.depth, page[0].Tenant.ID, page[pageSize-1].Tenant.ID, order[d.depth].id, order[d.depth+pageSize-1].id)
							}
							b.ReportAllocs()
							for b.Loop() {
								if _, err := a.ListCustomers(ctx, p, app.CustomerQuery{}, f); err != nil {
									b.Fatal(err)
								}
							}
						})
					}
					// Creating a customer among n existing tenants (after the
					// page checks, which the new rows would shift).
					b.Run("create", func(b *testing.B) {
						ctx := context.Background()
						b.ReportAllocs()
						for i := 0; b.Loop(); i++ {
							in := app.NewCustomer{NewTenant: csp.NewTenant{CompanyName: fmt.Sprintf("New Customer %d", i), Domain: fmt.Sprintf("new%d", i),
								Address: benchAddress, BillingProfile: benchBilling}}
							if _, err := a.CreateCustomer(ctx, p, in); err != nil {
								b.Fatal(err)
							}
						}
					})
				})
			}
		})
	}
}

// seeded is one seeded customer's place in the list order.
type seeded struct {
	nameKey string
	id      uuid.UUID
}

// seedBatch rows go in one INSERT: 12 columns x 1000 rows = 12000 bound
// parameters, under SQLite's limit of 32766 (and PostgreSQL's 65535).
const seedBatch = 1000

// mustSeedCustomers inserts n tenants, each with a relationship to the
// partner, in one transaction through the engine's write pool, with the
// columns of the migrations, and then refreshes the planner statistics. It
// answers the customers in list order (name key, then tenant id).
func mustSeedCustomers(b *testing.B, db *sqlstore.DB, partnerID uuid.UUID, n int) []seeded {
	b.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(uint64(n), 2026))
	addr, _ := json.Marshal(benchAddress)
	created := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC).Format("2006-01-02T15:04:05.000000Z")
	out := make([]seeded, n)
	tx, err := db.WritePool().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for lo := 0; lo < n; lo += seedBatch {
		hi := min(lo+seedBatch, n)
		var tenants, rels strings.Builder
		tenants.WriteString(`INSERT INTO tenants (id, commerce_id, display_name, name_key, domain_prefix, country, region, segment, address, billing_profile, org_reg_number, created_at) VALUES `)
		rels.WriteString(`INSERT INTO relationships (partner_id, tenant_id, relationship_type, name_key, since) VALUES `)
		var targs, rargs []any
		for i := lo; i < hi; i++ {
			// Random names, so list order is neither insertion nor id order.
			name := fmt.Sprintf("Customer %08x %d", rng.Uint32(), i)
			id := uuid.New()
			out[i] = seeded{nameKey: store.NameKey(name), id: id}
			bp := benchBilling
			bp.CompanyName = name
			bpJSON, _ := json.Marshal(bp)
			if i > lo {
				tenants.WriteString(",")
				rels.WriteString(",")
			}
			tenants.WriteString(placeholders(db.Engine(), len(targs), 12))
			targs = append(targs, id, uuid.New(), name, out[i].nameKey, fmt.Sprintf("bench%07d", i), "US", "US", string(csp.SegmentCommercial),
				string(addr), string(bpJSON), "", created)
			rels.WriteString(placeholders(db.Engine(), len(rargs), 5))
			rargs = append(rargs, partnerID, id, "directReseller", out[i].nameKey, created)
		}
		if _, err := tx.ExecContext(ctx, tenants.String(), targs...); err != nil {
			b.Fatalf("seed tenants: %v", err)
		}
		if _, err := tx.ExecContext(ctx, rels.String(), rargs...); err != nil {
			b.Fatalf("seed relationships: %v", err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// A long-running database has statistics; a freshly loaded one needs them.
	if _, err := db.WritePool().ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	slices.SortFunc(out, func(x, y seeded) int {
		return cmp.Or(strings.Compare(x.nameKey, y.nameKey), bytes.Compare(x.id[:], y.id[:]))
	})
	return out
}

// placeholders answers "(?,?,...)" for SQLite and "($k+1,...,$k+n)" for
// PostgreSQL. SQLite takes $N for a named parameter and looks each new name
// up in a list, so a statement with 12000 of them spends about half a second
// in the parser; plain ? is numbered without a lookup.
func placeholders(engine string, k, n int) string {
	var sb strings.Builder
	sb.WriteString("(")
	for j := 1; j <= n; j++ {
		if j > 1 {
			sb.WriteString(",")
		}
		if engine == "sqlite" {
			sb.WriteString("?")
		} else {
			fmt.Fprintf(&sb, "$%d", k+j)
		}
	}
	sb.WriteString(")")
	return sb.String()
}
