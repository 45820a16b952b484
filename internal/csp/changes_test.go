package csp

import (
	"encoding/json"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

func TestChangesWireShape(t *testing.T) {
	op := uuid.MustParse("0190a6a0-0000-7000-8000-000000000001")
	end := day("2027-01-31")
	for _, c := range []struct {
		name    string
		changes Changes
		want    string
	}{
		{"purchase states values", Changes{Quantity: Stated(10), TermDuration: Stated("P1Y"), UnitPrice: Stated("23.10")},
			`{"quantity":10,"termDuration":"P1Y","unitPrice":"23.10"}`},
		{"a change is a pair", Changes{Quantity: Changed(10, 12), Status: Changed(StatusActive, StatusDeleted)},
			`{"status":["active","deleted"],"quantity":[10,12]}`},
		{"cleared schedule is null", Changes{Scheduled: Stated[*NextTerm](nil)}, `{"scheduledNextTermInstructions":null}`},
		{"set schedule", Changes{Scheduled: Stated(&NextTerm{ProductID: "P", SkuID: "1", Quantity: 8, CustomTermEndDate: &end})},
			`{"scheduledNextTermInstructions":{"productId":"P","skuId":"1","availabilityId":"","billingCycle":"","termDuration":"","quantity":8,"customTermEndDate":"2027-01-31T00:00:00Z"}}`},
		{"transition", Changes{To: "P:2", MovedQuantity: ptr(3), OperationID: &op},
			`{"to":"P:2","movedQuantity":3,"operationId":"0190a6a0-0000-7000-8000-000000000001"}`},
		{"nothing", Changes{}, `{}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := json.Marshal(c.changes)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != c.want {
				t.Errorf("marshal = %s\nwant      %s", b, c.want)
			}
			var back Changes
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if d := gocmp.Diff(c.changes, back); d != "" {
				t.Errorf("round trip lost something (-want +got):\n%s", d)
			}
		})
	}
}

func TestChangesRefuseUnknownKeys(t *testing.T) {
	var c Changes
	err := json.Unmarshal([]byte(`{"quantity":[1,2],"colour":"red"}`), &c)
	if err == nil || !strings.Contains(err.Error(), "colour") {
		t.Fatalf("unknown key: err = %v, want one naming colour", err)
	}
	if err := json.Unmarshal([]byte(`{"quantity":"ten"}`), &c); err == nil {
		t.Fatal("a quantity of the wrong type was accepted")
	}
}

func TestRenewChangesNameWhatMoved(t *testing.T) {
	s := newSub("P:1", 10, "P1Y", "monthly", "20.00")
	s.Purchase(at("2026-01-10T09:00:00Z"), nil)
	ev := s.renew(at("2027-01-10T00:00:00Z"), Renewal{Found: true, ProductID: "P", SkuID: "1", AvailabilityID: s.AvailabilityID,
		TermDuration: "P1Y", BillingCycle: "annual", Quantity: 8, UnitPrice: NewMoney(dec("240.00"), "USD")})
	want := Changes{Quantity: Changed(10, 8), BillingCycle: Changed("monthly", "annual"), UnitPrice: Changed("20.00", "240.00"),
		CommitmentEnd: Changed("2027-01-09", "2028-01-09")}
	if d := gocmp.Diff(want, ev.Changes); d != "" {
		t.Errorf("renewal changes (-want +got):\n%s", d)
	}
}

func ptr[T any](v T) *T { return &v }
