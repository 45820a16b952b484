package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

var tenantCases = []testCase{
	{"CreateGetByIDAndDomain", func(t *testing.T, s store.Store) {
		want := newTenant("Contoso Ltd. — Zürich & \"Partners\"", "contoso")
		want.Country, want.Region, want.Segment = "CH", "EU", csp.SegmentNonprofit
		want.Address = csp.Address{Country: "CH", City: "Zürich", AddressLine1: "Bahnhofstrasse 1", PostalCode: "8001",
			PhoneNumber: "+41 44 000 00 00", FirstName: "Émile", LastName: "Ñúñez"}
		want.BillingProfile = csp.BillingProfile{FirstName: "Émile", LastName: "Ñúñez", Email: "billing@contoso.example.ch",
			Culture: "de-CH", Language: "de", CompanyName: want.DisplayName}
		other := newTenant("Fabrikam", "fabrikam")
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateTenant(ctx, want); err != nil {
				return err
			}
			return tx.CreateTenant(ctx, other)
		})
		var byID, byDomain *csp.Tenant
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			if byID, err = tx.GetTenant(ctx, want.ID); err != nil {
				return err
			}
			byDomain, err = tx.GetTenantByDomain(ctx, "contoso")
			return err
		})
		if diff := cmp.Diff(want, byID); diff != "" {
			t.Errorf("GetTenant mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, byDomain); diff != "" {
			t.Errorf("GetTenantByDomain mismatch (-want +got):\n%s", diff)
		}
		full := newTenant("Full Address Inc", "fulladdress")
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateTenant(ctx, full) })
		var got *csp.Tenant
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetTenant(ctx, full.ID)
			return err
		})
		if diff := cmp.Diff(full, got); diff != "" {
			t.Errorf("GetTenant (every address field) mismatch (-want +got):\n%s", diff)
		}
	}},
	{"ErrTenantNotFound", func(t *testing.T, s store.Store) {
		MustCreateTenant(t, s, "Contoso", "contoso")
		err := read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetTenant(ctx, newID())
			return err
		})
		wantCode(t, "GetTenant(unknown)", err, csp.ETenantNotFound)
		err = read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetTenantByDomain(ctx, "contos")
			return err
		})
		wantCode(t, "GetTenantByDomain(unknown)", err, csp.ETenantNotFound)
		err = write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.SetTenantSegment(ctx, newID(), csp.SegmentEducation)
		})
		wantCode(t, "SetTenantSegment(unknown)", err, csp.ETenantNotFound)
	}},
	{"ErrDomainTaken", func(t *testing.T, s store.Store) {
		first := MustCreateTenant(t, s, "Contoso", "contoso")
		err := write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreateTenant(ctx, newTenant("Contoso Two", "contoso"))
		})
		wantCode(t, "CreateTenant(same domain)", err, csp.EDomainTaken)
		var got *csp.Tenant
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetTenantByDomain(ctx, "contoso")
			return err
		})
		if got.ID != first.ID {
			t.Errorf("domain contoso now belongs to %s, want %s", got.ID, first.ID)
		}
	}},
	{"CustomerProfileIsThePartnersOwn", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		q := MustCreatePartner(t, s, mpn(2))
		zeta := MustCreateTenant(t, s, "Zeta Corp", "zeta")
		beta := MustCreateTenant(t, s, "beta Corp", "beta")
		for _, tn := range []*csp.Tenant{zeta, beta} {
			MustRelate(t, s, p.ID, tn.ID, t0)
		}
		MustRelate(t, s, q.ID, zeta.ID, t0)
		prof := csp.CustomerProfile{CompanyName: "ALPHA Corp",
			Address:        csp.Address{Country: "US", City: "Seattle", State: "WA", AddressLine1: "400 Broad St", PostalCode: "98109"},
			BillingProfile: csp.BillingProfile{FirstName: "Grace", LastName: "Hopper", Email: "grace@alpha.example.com", Culture: "en-GB", Language: "en", CompanyName: "ALPHA Corp"}}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.UpdateCustomerProfile(ctx, p.ID, zeta.ID, prof)
		})
		want := *zeta
		want.DisplayName, want.Address, want.BillingProfile = prof.CompanyName, prof.Address, prof.BillingProfile
		var got *csp.Customer
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetCustomer(ctx, p.ID, zeta.ID, true)
			return err
		})
		if diff := cmp.Diff(&want, got.Tenant); diff != "" {
			t.Errorf("p's customer after UpdateCustomerProfile mismatch (-want +got):\n%s", diff)
		}
		if got.Relationship.Version != 2 || got.Relationship.Profile.CompanyName != "ALPHA Corp" {
			t.Errorf("relationship version %d profile %q, want 2 and ALPHA Corp", got.Relationship.Version, got.Relationship.Profile.CompanyName)
		}
		// The other partner and the tenant itself keep the original profile.
		MustRead(t, s, func(ctx context.Context, tx store.Tx) error {
			other, err := tx.GetCustomer(ctx, q.ID, zeta.ID, false)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(zeta, other.Tenant); diff != "" {
				t.Errorf("q's view changed (-want +got):\n%s", diff)
			}
			own, err := tx.GetTenant(ctx, zeta.ID)
			if diff := cmp.Diff(zeta, own); err == nil && diff != "" {
				t.Errorf("the tenant's own profile changed (-want +got):\n%s", diff)
			}
			return err
		})
		// p's customer list sorts and filters by p's name; q's by the tenant's.
		list := mustListCustomers(t, s, store.CustomerFilter{PartnerID: p.ID})
		if diff := cmp.Diff([]*csp.Tenant{&want, beta}, list); diff != "" {
			t.Errorf("ListCustomers after rename mismatch (-want +got):\n%s", diff)
		}
		if got := mustListCustomers(t, s, store.CustomerFilter{PartnerID: p.ID, NamePrefix: "zeta"}); len(got) != 0 {
			t.Errorf("NamePrefix zeta after rename found %v", ids(got))
		}
		if got := mustListCustomers(t, s, store.CustomerFilter{PartnerID: p.ID, Search: "pha c"}); len(got) != 1 || got[0].ID != zeta.ID {
			t.Errorf("Search \"pha c\" after rename found %v, want %s", ids(got), zeta.ID)
		}
		if got := mustListCustomers(t, s, store.CustomerFilter{PartnerID: q.ID, NamePrefix: "zeta"}); len(got) != 1 {
			t.Errorf("q's NamePrefix zeta found %v, want zeta", ids(got))
		}
		err := write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.UpdateCustomerProfile(ctx, q.ID, beta.ID, prof)
		})
		wantCode(t, "UpdateCustomerProfile(no relationship)", err, csp.ERelationshipNotFound)
		err = read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetCustomer(ctx, q.ID, beta.ID, false)
			return err
		})
		wantCode(t, "GetCustomer(no relationship)", err, csp.ERelationshipNotFound)
	}},
	{"SegmentChange", func(t *testing.T, s store.Store) {
		want := MustCreateTenant(t, s, "Contoso", "contoso")
		other := MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		for _, seg := range []csp.Segment{csp.SegmentEducation, csp.SegmentGovernment, csp.SegmentCommercial} {
			MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.SetTenantSegment(ctx, want.ID, seg) })
			want.Segment = seg
			want.Version++
			var got *csp.Tenant
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				got, err = tx.GetTenant(ctx, want.ID)
				return err
			})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GetTenant after SetTenantSegment(%s) mismatch (-want +got):\n%s", seg, diff)
			}
		}
		var got *csp.Tenant
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetTenant(ctx, other.ID)
			return err
		})
		if got.Segment != csp.SegmentCommercial {
			t.Errorf("other tenant's segment = %s, want commercial", got.Segment)
		}
	}},
}

var tenantUserCases = []testCase{
	{"UPNLookupIsCaseInsensitive", func(t *testing.T, s store.Store) {
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		other := MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		admin := &csp.TenantUser{ID: newID(), TenantID: tn.ID, UserPrincipalName: "admin@contoso.onmicrosoft.com", DisplayName: "Global Administrator",
			GlobalAdmin: true, CreatedAt: t0}
		user := &csp.TenantUser{ID: newID(), TenantID: tn.ID, UserPrincipalName: "Ada.Lovelace@Contoso.onmicrosoft.com", DisplayName: "Ada",
			GlobalAdmin: false, CreatedAt: at(time.Hour)}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			if err := tx.CreateTenantUser(ctx, admin); err != nil {
				return err
			}
			return tx.CreateTenantUser(ctx, user)
		})
		// UPNs are kept in lower case.
		wantUser := *user
		wantUser.UserPrincipalName = "ada.lovelace@contoso.onmicrosoft.com"
		for _, tc := range []struct {
			upn  string
			want *csp.TenantUser
		}{
			{"admin@contoso.onmicrosoft.com", admin},
			{"ADMIN@Contoso.OnMicrosoft.com", admin},
			{"ada.lovelace@contoso.onmicrosoft.com", &wantUser},
			{"Ada.Lovelace@CONTOSO.onmicrosoft.com", &wantUser},
		} {
			var got *csp.TenantUser
			MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				got, err = tx.GetTenantUserByUPN(ctx, tn.ID, tc.upn)
				return err
			})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("GetTenantUserByUPN(%q) mismatch (-want +got):\n%s", tc.upn, diff)
			}
		}
		var byID *csp.TenantUser
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			byID, err = tx.GetTenantUser(ctx, admin.ID)
			return err
		})
		if diff := cmp.Diff(admin, byID); diff != "" {
			t.Errorf("GetTenantUser mismatch (-want +got):\n%s", diff)
		}
		err := read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetTenantUserByUPN(ctx, other.ID, "admin@contoso.onmicrosoft.com")
			return err
		})
		wantCode(t, "GetTenantUserByUPN(other tenant)", err, csp.EUserNotFound)
		err = read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetTenantUser(ctx, newID())
			return err
		})
		wantCode(t, "GetTenantUser(unknown)", err, csp.EUserNotFound)
	}},
	{"ErrEmailTaken", func(t *testing.T, s store.Store) {
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		u := func(upn string) *csp.TenantUser {
			return &csp.TenantUser{ID: newID(), TenantID: tn.ID, UserPrincipalName: upn, DisplayName: "User", CreatedAt: t0}
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreateTenantUser(ctx, u("ada@contoso.onmicrosoft.com"))
		})
		err := write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreateTenantUser(ctx, u("ADA@contoso.onmicrosoft.com"))
		})
		wantCode(t, "CreateTenantUser(same UPN)", err, csp.EEmailTaken)
	}},
}

var relationshipCases = []testCase{
	{"CreateGetDelete", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		want := csp.Relationship{PartnerID: p.ID, TenantID: tn.ID, Type: "indirectReseller", Since: at(90 * time.Minute)}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateRelationship(ctx, want) })
		// The partner's profile starts as the tenant's own.
		want.Profile, want.Version = tn.Profile(), 1
		var got *csp.Relationship
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.GetRelationship(ctx, p.ID, tn.ID)
			return err
		})
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("GetRelationship mismatch (-want +got):\n%s", diff)
		}
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.DeleteRelationship(ctx, p.ID, tn.ID) })
		err := read(s, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.GetRelationship(ctx, p.ID, tn.ID)
			return err
		})
		wantCode(t, "GetRelationship after delete", err, csp.ERelationshipNotFound)
		err = write(s, func(ctx context.Context, tx store.Tx) error { return tx.DeleteRelationship(ctx, p.ID, tn.ID) })
		wantCode(t, "DeleteRelationship twice", err, csp.ERelationshipNotFound)
		// The link can be made again once removed.
		MustWrite(t, s, func(ctx context.Context, tx store.Tx) error { return tx.CreateRelationship(ctx, want) })
	}},
	{"ErrRelationshipExists", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		MustRelate(t, s, p.ID, tn.ID, t0)
		err := write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreateRelationship(ctx, csp.Relationship{PartnerID: p.ID, TenantID: tn.ID, Type: "directReseller", Since: at(time.Hour)})
		})
		wantCode(t, "CreateRelationship twice", err, csp.ERelationshipExists)
	}},
	{"ErrTenantNotFound", func(t *testing.T, s store.Store) {
		p := MustCreatePartner(t, s, mpn(1))
		err := write(s, func(ctx context.Context, tx store.Tx) error {
			return tx.CreateRelationship(ctx, csp.Relationship{PartnerID: p.ID, TenantID: newID(), Type: "directReseller", Since: t0})
		})
		wantCode(t, "CreateRelationship(unknown tenant)", err, csp.ETenantNotFound)
	}},
	{"TenantRelationshipsOldestFirst", func(t *testing.T, s store.Store) {
		tn := MustCreateTenant(t, s, "Contoso", "contoso")
		other := MustCreateTenant(t, s, "Fabrikam", "fabrikam")
		var ps []*csp.Partner
		for i := range 4 {
			ps = append(ps, MustCreatePartner(t, s, mpn(i)))
		}
		// Created out of time order; two share a time (then partner id decides).
		r2 := MustRelate(t, s, ps[0].ID, tn.ID, at(2*time.Hour))
		r0 := MustRelate(t, s, ps[1].ID, tn.ID, at(0))
		r1a := MustRelate(t, s, ps[2].ID, tn.ID, at(time.Hour))
		r1b := MustRelate(t, s, ps[3].ID, tn.ID, at(time.Hour))
		MustRelate(t, s, ps[0].ID, other.ID, at(-time.Hour))
		if r1b.PartnerID.String() < r1a.PartnerID.String() {
			r1a, r1b = r1b, r1a
		}
		want := []csp.Relationship{r0, r1a, r1b, r2}
		for i := range want {
			want[i].Profile, want[i].Version = tn.Profile(), 1
		}
		var got []csp.Relationship
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.TenantRelationships(ctx, tn.ID)
			return err
		})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("TenantRelationships mismatch (-want +got):\n%s", diff)
		}
		MustRead(t, s, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.TenantRelationships(ctx, newID())
			return err
		})
		if len(got) != 0 {
			t.Errorf("TenantRelationships(unknown) = %v, want none", got)
		}
	}},
}
