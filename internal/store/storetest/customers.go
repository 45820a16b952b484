package storetest

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// customerWorld is 25 customers of one partner, 3 tenants of another partner
// (one shared with the first), and a tenant nobody resells.
type customerWorld struct {
	partner, rival *csp.Partner
	customers      []*csp.Tenant // the partner's, in the expected list order
	rivalOnly      *csp.Tenant
	shared         *csp.Tenant
}

// customerWords gives names whose case differs and whose lower-cased forms
// collide (Contoso/CONTOSO), so both the case folding and the tenant id
// tie-break decide the order.
var customerWords = []string{"Contoso", "fabrikam", "Northwind", "CONTOSO", "adventure Works"}

func mustCustomerWorld(tb testing.TB, s store.Store) customerWorld {
	tb.Helper()
	w := customerWorld{partner: MustCreatePartner(tb, s, mpn(1)), rival: MustCreatePartner(tb, s, mpn(2))}
	MustWrite(tb, s, func(ctx context.Context, tx store.Tx) error {
		for i := range 25 {
			word := customerWords[i%len(customerWords)]
			// i/5 repeats, so "Contoso Group 1" and "CONTOSO Group 1" share a name key.
			t := newTenant(fmt.Sprintf("%s Group %d", word, i/5), fmt.Sprintf("%s%02d", strings.ReplaceAll(strings.ToLower(word), " ", ""), i))
			if err := tx.CreateTenant(ctx, t); err != nil {
				return err
			}
			if err := tx.CreateRelationship(ctx, csp.Relationship{PartnerID: w.partner.ID, TenantID: t.ID, Type: "directReseller", Since: at(time.Duration(i) * time.Minute)}); err != nil {
				return err
			}
			w.customers = append(w.customers, t)
		}
		w.shared = w.customers[7]
		w.rivalOnly = newTenant("Aaa Rival Customer", "contosorival")
		nobody := newTenant("Contoso Nobody", "contosonobody")
		for _, t := range []*csp.Tenant{w.rivalOnly, nobody} {
			if err := tx.CreateTenant(ctx, t); err != nil {
				return err
			}
		}
		for _, t := range []*csp.Tenant{w.rivalOnly, w.shared} {
			if err := tx.CreateRelationship(ctx, csp.Relationship{PartnerID: w.rival.ID, TenantID: t.ID, Type: "directReseller", Since: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	slices.SortFunc(w.customers, customerOrder)
	return w
}

// customerOrder is the listing order: lower-cased name, then tenant id.
func customerOrder(a, b *csp.Tenant) int {
	return cmp.Or(strings.Compare(store.NameKey(a.DisplayName), store.NameKey(b.DisplayName)), bytes.Compare(a.ID[:], b.ID[:]))
}

func cursorOf(t *csp.Tenant) *store.CustomerCursor {
	return &store.CustomerCursor{NameKey: store.NameKey(t.DisplayName), TenantID: t.ID}
}

func mustListCustomers(tb testing.TB, s store.Store, f store.CustomerFilter) []*csp.Tenant {
	tb.Helper()
	var out []*csp.Tenant
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) error {
		cs, err := tx.ListCustomers(ctx, f)
		for _, c := range cs {
			out = append(out, c.Tenant)
		}
		return err
	})
	return out
}

func filterTenants(ts []*csp.Tenant, keep func(*csp.Tenant) bool) []*csp.Tenant {
	var out []*csp.Tenant
	for _, t := range ts {
		if keep(t) {
			out = append(out, t)
		}
	}
	return out
}

var customerCases = []testCase{
	{"OrderByLowerCasedNameThenID", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		// Byte order of the display names would put "Banana" and "CHERRY"
		// before "apple"; the listing folds case.
		var want []*csp.Tenant
		for i, name := range []string{"banana", "Apple", "CHERRY", "apple", "Banana", "cherry pie", "APPLE"} {
			tn := MustCreateTenant(t, s, name, fmt.Sprintf("fruit%d", i))
			MustRelate(t, s, p.ID, tn.ID, t0)
			want = append(want, tn)
		}
		slices.SortFunc(want, customerOrder)
		got := mustListCustomers(t, s, store.CustomerFilter{PartnerID: p.ID})
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("ListCustomers order mismatch (-want +got):\n%s", diff)
		}
		var names []string
		for _, tn := range got {
			names = append(names, store.NameKey(tn.DisplayName))
		}
		wantNames := []string{"apple", "apple", "apple", "banana", "banana", "cherry", "cherry pie"}
		if diff := gocmp.Diff(wantNames, names); diff != "" {
			t.Errorf("name keys mismatch (-want +got):\n%s", diff)
		}
	}},
	{"KeysetPagesOf10Give10_10_5", func(t *testing.T, s store.Store) {
		w := mustCustomerWorld(t, s)
		var got []*csp.Tenant
		var sizes []int
		f := store.CustomerFilter{PartnerID: w.partner.ID, Limit: 10}
		for range 6 {
			page := mustListCustomers(t, s, f)
			sizes = append(sizes, len(page))
			if len(page) == 0 {
				break
			}
			got = append(got, page...)
			f.After = cursorOf(page[len(page)-1])
		}
		if diff := gocmp.Diff([]int{10, 10, 5, 0}, sizes); diff != "" {
			t.Errorf("page sizes mismatch (-want +got):\n%s", diff)
		}
		// Pages joined are the whole list in order: no overlap, no gap.
		if diff := gocmp.Diff(w.customers, got); diff != "" {
			t.Errorf("pages joined mismatch (-want +got):\n%s", diff)
		}
		seen := map[string]bool{}
		for _, tn := range got {
			if seen[tn.ID.String()] {
				t.Errorf("tenant %s listed twice", tn.ID)
			}
			seen[tn.ID.String()] = true
		}
		// A cursor between two tenants with the same name key resumes at the second.
		for i := 1; i < len(w.customers); i++ {
			a, b := w.customers[i-1], w.customers[i]
			if store.NameKey(a.DisplayName) != store.NameKey(b.DisplayName) {
				continue
			}
			page := mustListCustomers(t, s, store.CustomerFilter{PartnerID: w.partner.ID, After: cursorOf(a), Limit: 1})
			if len(page) != 1 || page[0].ID != b.ID {
				t.Errorf("after %q/%s: got %v, want %s", a.DisplayName, a.ID, ids(page), b.ID)
			}
		}
	}},
	{"PartnerSeesOnlyItsCustomers", func(t *testing.T, s store.Store) {
		w := mustCustomerWorld(t, s)
		got := mustListCustomers(t, s, store.CustomerFilter{PartnerID: w.partner.ID})
		if diff := gocmp.Diff(w.customers, got); diff != "" {
			t.Errorf("partner's customers mismatch (-want +got):\n%s", diff)
		}
		want := []*csp.Tenant{w.rivalOnly, w.shared}
		slices.SortFunc(want, customerOrder)
		got = mustListCustomers(t, s, store.CustomerFilter{PartnerID: w.rival.ID})
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("rival's customers mismatch (-want +got):\n%s", diff)
		}
		notShared := w.customers[0]
		if notShared.ID == w.shared.ID {
			notShared = w.customers[1]
		}
		if got := mustListCustomers(t, s, store.CustomerFilter{PartnerID: w.rival.ID, Search: notShared.ID.String()}); len(got) != 0 {
			t.Errorf("rival found another partner's customer by id: %v", ids(got))
		}
		if got := mustListCustomers(t, s, store.CustomerFilter{PartnerID: newID()}); len(got) != 0 {
			t.Errorf("unknown partner lists %v, want none", ids(got))
		}
	}},
	{"NamePrefix", func(t *testing.T, s store.Store) {
		w := mustCustomerWorld(t, s)
		for _, tc := range []struct {
			prefix string
			n      int
		}{
			{"contoso", 10}, {"CONTOSO GROUP 2", 2}, {"Adventure W", 5}, {"north", 5}, {"contoso group 9", 0}, {"%", 0}, {"_", 0},
		} {
			key := store.NameKey(tc.prefix)
			want := filterTenants(w.customers, func(t *csp.Tenant) bool { return strings.HasPrefix(store.NameKey(t.DisplayName), key) })
			got := mustListCustomers(t, s, store.CustomerFilter{PartnerID: w.partner.ID, NamePrefix: tc.prefix})
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("NamePrefix %q mismatch (-want +got):\n%s", tc.prefix, diff)
			}
			if len(got) != tc.n {
				t.Errorf("NamePrefix %q: %d customers, want %d", tc.prefix, len(got), tc.n)
			}
		}
		// Paging within a filter.
		page1 := mustListCustomers(t, s, store.CustomerFilter{PartnerID: w.partner.ID, NamePrefix: "contoso", Limit: 4})
		page2 := mustListCustomers(t, s, store.CustomerFilter{PartnerID: w.partner.ID, NamePrefix: "contoso", Limit: 10, After: cursorOf(page1[len(page1)-1])})
		want := filterTenants(w.customers, func(t *csp.Tenant) bool { return strings.HasPrefix(store.NameKey(t.DisplayName), "contoso") })
		if diff := gocmp.Diff(want, append(page1, page2...)); diff != "" {
			t.Errorf("NamePrefix pages mismatch (-want +got):\n%s", diff)
		}
	}},
	{"DomainPrefix", func(t *testing.T, s store.Store) {
		w := mustCustomerWorld(t, s)
		for _, tc := range []struct {
			prefix, match string
			n             int
		}{
			{"fabrikam", "fabrikam", 5},
			{"FABRIKAM1", "fabrikam1", 2},
			{"contoso", "contoso", 10}, // not contosorival nor contosonobody: not this partner's
			{"adventureworks04", "adventureworks04", 1},
			{"adventureworks04.onmicrosoft.com", "adventureworks04", 1},
			{"AdventureWorks04.OnMicrosoft.com", "adventureworks04", 1},
			{"group", "group", 0},
		} {
			want := filterTenants(w.customers, func(t *csp.Tenant) bool { return strings.HasPrefix(t.DomainPrefix, tc.match) })
			got := mustListCustomers(t, s, store.CustomerFilter{PartnerID: w.partner.ID, DomainPrefix: tc.prefix})
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("DomainPrefix %q mismatch (-want +got):\n%s", tc.prefix, diff)
			}
			if len(got) != tc.n {
				t.Errorf("DomainPrefix %q: %d customers, want %d", tc.prefix, len(got), tc.n)
			}
		}
	}},
	{"SearchNameDomainOrID", func(t *testing.T, s store.Store) {
		w := mustCustomerWorld(t, s)
		target := w.customers[11]
		for _, tc := range []struct {
			name, search string
			want         func(*csp.Tenant) bool
			n            int
		}{
			{"NameSubstring", "OUP 2", func(t *csp.Tenant) bool { return strings.Contains(store.NameKey(t.DisplayName), "oup 2") }, 5},
			{"NameSubstringAcrossWords", "ure wor", func(t *csp.Tenant) bool { return strings.HasPrefix(t.DomainPrefix, "adventure") }, 5},
			{"DomainSubstring", "kam1", func(t *csp.Tenant) bool { return strings.Contains(t.DomainPrefix, "kam1") }, 2},
			{"NameOrDomain", "wind", func(t *csp.Tenant) bool { return strings.HasPrefix(t.DomainPrefix, "northwind") }, 5},
			{"ExactTenantID", target.ID.String(), func(t *csp.Tenant) bool { return t.ID == target.ID }, 1},
			{"ExactTenantIDUpperCase", strings.ToUpper(target.ID.String()), func(t *csp.Tenant) bool { return t.ID == target.ID }, 1},
			{"PartialTenantIDIsNoMatch", target.ID.String()[:8], func(*csp.Tenant) bool { return false }, 0},
			{"LikeWildcardsAreLiteral", "%", func(*csp.Tenant) bool { return false }, 0},
			{"OtherPartnersTenant", "rival", func(*csp.Tenant) bool { return false }, 0},
		} {
			want := filterTenants(w.customers, tc.want)
			got := mustListCustomers(t, s, store.CustomerFilter{PartnerID: w.partner.ID, Search: tc.search})
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("%s: Search %q mismatch (-want +got):\n%s", tc.name, tc.search, diff)
			}
			if len(got) != tc.n {
				t.Errorf("%s: Search %q: %d customers, want %d", tc.name, tc.search, len(got), tc.n)
			}
		}
		got := mustListCustomers(t, s, store.CustomerFilter{PartnerID: w.partner.ID, Search: w.rivalOnly.ID.String()})
		if len(got) != 0 {
			t.Errorf("Search by another partner's tenant id found %v", ids(got))
		}
	}},
}
