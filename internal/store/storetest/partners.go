package storetest

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

var partnerCases = []testCase{
	{"CreateGetOK", func(t *testing.T, s store.Store) {
		prov := newPartner(mpn(1))
		prov.Type = csp.PartnerIndirectProvider
		prov.SalePolicy = &csp.SalePolicy{Segments: []csp.Segment{csp.SegmentEducation}, Regions: []csp.Region{"US", "CA"}}
		res := newPartner(mpn(2))
		res.Type, res.ProviderID, res.Country, res.Locations = csp.PartnerIndirectReseller, &prov.ID, "DE", []string{"DE", "FR"}
		// A partner stored without a billing currency (made before there
		// were billing currencies) reads back with its head office's: EUR.
		res.BillingCurrency = ""
		res.CreatedAt = time.Date(2025, 2, 3, 4, 5, 6, 999999000, time.UTC)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreatePartner(ctx, prov); err != nil {
				return err
			}
			return tx.CreatePartner(ctx, res)
		})
		res.BillingCurrency = "EUR"
		for _, want := range []*csp.Partner{prov, res} {
			var got *csp.Partner
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				got, err = tx.GetPartner(ctx, want.ID)
				return err
			})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GetPartner(%s) mismatch (-want +got):\n%s", want.MpnID, diff)
			}
		}
	}},
	{"ErrPartnerNotFound", func(t *testing.T, s store.Store) {
		err := read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetPartner(ctx, newID())
			return err
		})
		wantCode(t, "GetPartner(unknown)", err, csp.EPartnerNotFound)
	}},
	{"ErrMpnIDTaken", func(t *testing.T, s store.Store) {
		first := MustCreatePartner(t, s, mpn(7))
		err := write(s, func(ctx context.Context, tx store.Tx) error { return tx.CreatePartner(ctx, newPartner(mpn(7))) })
		wantCode(t, "CreatePartner(same mpnId)", err, csp.EMpnIDTaken)
		var all []*csp.Partner
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			all, err = tx.ListPartners(ctx, store.PartnerFilter{})
			return err
		})
		if len(all) != 1 || all[0].ID != first.ID {
			t.Errorf("after the failed create, partners = %v, want only %s", ids(all), first.ID)
		}
	}},
	{"ListKeysetByID", func(t *testing.T, s store.Store) {
		var want []*csp.Partner
		for i := range 7 {
			want = append(want, MustCreatePartner(t, s, mpn(i)))
		}
		slices.SortFunc(want, func(a, b *csp.Partner) int { return bytes.Compare(a.ID[:], b.ID[:]) })
		var got []*csp.Partner
		var sizes []int
		f := store.PartnerFilter{Limit: 3}
		for range 5 {
			var page []*csp.Partner
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				page, err = tx.ListPartners(ctx, f)
				return err
			})
			sizes = append(sizes, len(page))
			if len(page) == 0 {
				break
			}
			got = append(got, page...)
			last := page[len(page)-1].ID
			f.After = &last
		}
		if diff := cmp.Diff([]int{3, 3, 1, 0}, sizes); diff != "" {
			t.Errorf("page sizes mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ListPartners pages mismatch (-want +got):\n%s", diff)
		}
		var all []*csp.Partner
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			all, err = tx.ListPartners(ctx, store.PartnerFilter{})
			return err
		})
		if diff := cmp.Diff(want, all); diff != "" {
			t.Errorf("ListPartners without limit mismatch (-want +got):\n%s", diff)
		}
	}},
	{"SalePolicySetReplaceRemove", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(3))
		policies := []*csp.SalePolicy{
			{Segments: []csp.Segment{csp.SegmentCommercial, csp.SegmentNonprofit}, Regions: []csp.Region{"EU"}},
			{Segments: []csp.Segment{csp.SegmentGovernment}, Regions: []csp.Region{"US", "CA", "UK"}},
			nil,
		}
		for _, sp := range policies {
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.SetSalePolicy(ctx, p.ID, sp) })
			var got *csp.Partner
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				got, err = tx.GetPartner(ctx, p.ID)
				return err
			})
			if diff := cmp.Diff(sp, got.SalePolicy); diff != "" {
				t.Errorf("sale policy after SetSalePolicy mismatch (-want +got):\n%s", diff)
			}
		}
		err := write(s, func(ctx context.Context, tx store.Tx) error { return tx.SetSalePolicy(ctx, newID(), policies[0]) })
		wantCode(t, "SetSalePolicy(unknown partner)", err, csp.EPartnerNotFound)
	}},
	{"NextMpnIDIsSevenDigitsAndUnused", func(t *testing.T, s store.Store) {
		taken := map[string]bool{}
		for i := range 5 {
			taken[MustCreatePartner(t, s, mpn(i)).MpnID] = true
		}
		sevenDigits := regexp.MustCompile(`^[1-9][0-9]{6}$`)
		for range 10 {
			var id string
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				// Candidates that are first taken (1000000+i), then free.
				n := uint64(0)
				next := func() uint64 { n++; return n % 30 }
				if id, err = tx.NextMpnID(ctx, next); err != nil {
					return err
				}
				return tx.CreatePartner(ctx, newPartner(id))
			})
			if !sevenDigits.MatchString(id) {
				t.Errorf("NextMpnID = %q, want 7 digits", id)
			}
			if taken[id] {
				t.Errorf("NextMpnID = %q, already used", id)
			}
			taken[id] = true
		}
	}},
}

var partnerUserCases = []testCase{
	{"CreateGetRolesRoundTrip", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		users := []*csp.PartnerUser{
			{ID: newID(), PartnerID: p.ID, DisplayName: "Ada Admin", Email: "ada@partner.example.com",
				Roles: []csp.Role{csp.RoleAdminAgent, csp.RoleBillingAdmin}, CreatedAt: t0},
			{ID: newID(), PartnerID: p.ID, DisplayName: "Hal Helpdesk", Email: "hal@partner.example.com",
				Roles: []csp.Role{csp.RoleHelpdeskAgent}, CreatedAt: at(time.Hour)},
			{ID: newID(), PartnerID: p.ID, DisplayName: "Sam Sales", Email: "sam@partner.example.com",
				Roles: []csp.Role{csp.RoleSalesAgent, csp.RoleHelpdeskAgent, csp.RoleBillingAdmin, csp.RoleAdminAgent}, CreatedAt: at(2 * time.Hour)},
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, u := range users {
				if err := tx.CreatePartnerUser(ctx, u); err != nil {
					return err
				}
			}
			return nil
		})
		for _, want := range users {
			var got *csp.PartnerUser
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				got, err = tx.GetPartnerUser(ctx, want.ID)
				return err
			})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GetPartnerUser(%s) mismatch (-want +got):\n%s", want.Email, diff)
			}
		}
	}},
	{"ErrUserNotFound", func(t *testing.T, s store.Store) {
		err := read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetPartnerUser(ctx, newID())
			return err
		})
		wantCode(t, "GetPartnerUser(unknown)", err, csp.EUserNotFound)
	}},
	{"ErrEmailTakenInSamePartner", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		other := MustCreatePartner(t, s, mpn(2))
		user := func(partnerID uuid.UUID, email string) *csp.PartnerUser {
			return &csp.PartnerUser{ID: newID(), PartnerID: partnerID, DisplayName: "User", Email: email, Roles: []csp.Role{csp.RoleSalesAgent}, CreatedAt: t0}
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreatePartnerUser(ctx, user(p.ID, "ada@partner.example.com"))
		})
		err := write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreatePartnerUser(ctx, user(p.ID, "ada@partner.example.com"))
		})
		wantCode(t, "CreatePartnerUser(same email)", err, csp.EEmailTaken)
		err = write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreatePartnerUser(ctx, user(p.ID, "ADA@Partner.Example.com"))
		})
		wantCode(t, "CreatePartnerUser(same email, other case)", err, csp.EEmailTaken)
		// Another partner may have a user with the same email.
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreatePartnerUser(ctx, user(other.ID, "ada@partner.example.com"))
		})
	}},
}

var keyCases = []testCase{
	{"RoundTripTimesToTheMicrosecondInUTC", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		userID, tenantUserID := newID(), newID()
		cet := time.FixedZone("CET", 3600)
		// Given in CET with nanoseconds; stored as UTC microseconds.
		expires := time.Date(2027, 1, 2, 3, 4, 5, 678901999, cet)
		keys := []*store.Key{
			{ID: newID(), SecretHash: "aa11", Kind: csp.PrincipalOperator, Description: "operator", CreatedAt: t0},
			{ID: newID(), SecretHash: "bb22", Kind: csp.PrincipalPartner, PartnerID: &p.ID, UserID: &userID, Description: "ada@partner.example.com",
				CreatedAt: at(time.Second), ExpiresAt: &expires},
			{ID: newID(), SecretHash: "cc33", Kind: csp.PrincipalTenant, TenantID: &tn.ID, UserID: &tenantUserID, Description: "admin@contoso.onmicrosoft.com",
				CreatedAt: at(time.Minute)},
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			for _, k := range keys {
				if err := tx.CreateKey(ctx, k); err != nil {
					return err
				}
			}
			return nil
		})
		wantExpires := time.Date(2027, 1, 2, 2, 4, 5, 678901000, time.UTC)
		keys[1].ExpiresAt = &wantExpires
		for _, want := range keys {
			got := mustGetKey(t, s, want.ID)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GetKey(%s) mismatch (-want +got):\n%s", want.Kind, diff)
			}
			assertUTC(t, "CreatedAt", &got.CreatedAt)
			assertUTC(t, "ExpiresAt", got.ExpiresAt)
		}

		revokedAt := time.Date(2026, 12, 31, 23, 59, 59, 999999000, time.UTC)
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.RevokeKey(ctx, keys[1].ID, revokedAt.In(cet)) })
		got := mustGetKey(t, s, keys[1].ID)
		want := *keys[1]
		want.RevokedAt = &revokedAt
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("GetKey after RevokeKey mismatch (-want +got):\n%s", diff)
		}
		assertUTC(t, "RevokedAt", got.RevokedAt)
		if other := mustGetKey(t, s, keys[2].ID); other.RevokedAt != nil {
			t.Errorf("RevokeKey revoked another key too: %v", other.RevokedAt)
		}
	}},
	{"ErrKeyNotFound", func(t *testing.T, s store.Store) {
		k := &store.Key{ID: newID(), SecretHash: "aa", Kind: csp.PrincipalOperator, Description: "operator", CreatedAt: t0}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateKey(ctx, k) })
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.RevokeKey(ctx, k.ID, at(time.Hour)) })
		err := write(s, func(ctx context.Context, tx store.Tx) error { return tx.RevokeKey(ctx, k.ID, at(2*time.Hour)) })
		wantCode(t, "RevokeKey twice", err, csp.EKeyNotFound)
		if got := mustGetKey(t, s, k.ID); got.RevokedAt == nil || !got.RevokedAt.Equal(at(time.Hour)) {
			t.Errorf("second RevokeKey changed RevokedAt to %v, want %v", got.RevokedAt, at(time.Hour))
		}
		err = write(s, func(ctx context.Context, tx store.Tx) error { return tx.RevokeKey(ctx, newID(), t0) })
		wantCode(t, "RevokeKey(unknown)", err, csp.EKeyNotFound)
		err = read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetKey(ctx, newID())
			return err
		})
		wantCode(t, "GetKey(unknown)", err, csp.EKeyNotFound)
	}},
}

func mustGetKey(tb testing.TB, s store.Store, id uuid.UUID) *store.Key {
	tb.Helper()
	var k *store.Key
	MustRead(tb, s, func(ctx context.Context, tx store.Tx) (err error) {
		k, err = tx.GetKey(ctx, id)
		return err
	})
	return k
}

func assertUTC(tb testing.TB, what string, t *time.Time) {
	tb.Helper()
	if t != nil && t.Location() != time.UTC {
		tb.Errorf("%s = %v is in %v, want UTC", what, t, t.Location())
	}
}

func ids[T interface{ *csp.Partner | *csp.Tenant }](xs []T) []uuid.UUID {
	var out []uuid.UUID
	for _, x := range xs {
		switch v := any(x).(type) {
		case *csp.Partner:
			out = append(out, v.ID)
		case *csp.Tenant:
			out = append(out, v.ID)
		}
	}
	return out
}
