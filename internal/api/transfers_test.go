package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
)

type transferLineOut struct {
	ID                           int    `json:"id"`
	SubscriptionID               string `json:"subscriptionId"`
	Quantity                     int    `json:"quantity"`
	OfferID                      string `json:"offerId"`
	Status                       string `json:"status"`
	TransferError                string `json:"transferError"`
	TransferTargetSubscriptionID string `json:"transferTargetSubscriptionId"`
	TransferredCount             int    `json:"transferredCount"`
}

type transferOut struct {
	ID                    string            `json:"id"`
	Status                string            `json:"status"`
	TransferType          int               `json:"transferType"`
	SourcePartnerTenantID string            `json:"sourcePartnerTenantId"`
	TargetPartnerTenantID string            `json:"targetPartnerTenantId"`
	CreatedTime           time.Time         `json:"createdTime"`
	ExpirationTime        time.Time         `json:"expirationTime"`
	CompletedTime         *time.Time        `json:"completedTime"`
	LineItems             []transferLineOut `json:"lineItems"`
	Attributes            map[string]string `json:"attributes"`
}

// transferWorld is a customer (Contoso, US) of a source partner that
// bought 10 seats of Business Premium P1Y billed monthly ($23.10 a month:
// $22.00 plus the 5% of monthly billing on an annual term) on
// 2026-01-12, and a target partner whose invitation the customer accepted.
type transferWorld struct {
	w              *world
	src, tgt       *shop
	srcID, tgtID   string
	admin          *client.Client
	sub            string
	customer, base string
}

func newTransferWorld(t *testing.T, w *world) *transferWorld {
	t.Helper()
	sp, spc := w.MustPartner(designPartner("Northwind Cloud"))
	tp, tpc := w.MustPartner(designPartner("Tailspin Cloud"))
	c := w.MustCustomer(spc, customer("Contoso", "contoso", "US"))
	src := &shop{w: w, pc: spc, customer: c.ID}
	src.advanceTo(t, "2026-01-12T10:00:00Z")
	src.agree(t)
	sub := src.buy(t, cartLine{CatalogItemID: premium, Quantity: 10, TermDuration: "P1Y", BillingCycle: "monthly"})
	admin := w.MustAdmin(c.ID, "contoso.onmicrosoft.com")
	link, err := tpc.RelationshipRequestURL(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AcceptInvitation(w.ctx, link); err != nil {
		t.Fatal(err)
	}
	return &transferWorld{w: w, src: src, tgt: &shop{w: w, pc: tpc, customer: c.ID}, srcID: sp.ID.String(), tgtID: tp.ID.String(), admin: admin, sub: sub,
		customer: c.ID, base: "/v1/customers/" + c.ID + "/transfers"}
}

func (x *transferWorld) do(t *testing.T, pc *client.Client, method, path string, body any) transferOut {
	t.Helper()
	var out transferOut
	if _, err := pc.Do(x.w.ctx, method, path, body, &out, nil); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return out
}

func (x *transferWorld) create(t *testing.T) transferOut {
	t.Helper()
	return x.do(t, x.tgt.pc, http.MethodPost, x.base, map[string]any{"sourcePartnerTenantId": x.srcID, "customerEmailId": "gena@contoso.example"})
}

func (x *transferWorld) lines(t *testing.T, id string, qty int) transferOut {
	t.Helper()
	return x.do(t, x.src.pc, http.MethodPatch, x.base+"/"+id, map[string]any{"lineItems": []map[string]any{{"subscriptionId": x.sub, "quantity": qty}}})
}

// TestSeatTransfers: R-40's example on 2026 dates, in full and in part.
// The cycle around 2026-04-20 is 04-12..05-11 (D = 30); from the transfer
// day inclusive (C-1) d = 22: EUP = 23.10 × 22/30 = 16.940000, so 10 seats
// are 169.40 and 4 are 67.76 (C-2). The source is billed to 04-19 (the
// credit takes back 04-20..05-11), the target from 04-20 to the term's end
// 2027-01-11, at its own price ($23.10): from 05-12 each cycle bills the
// target 4 × 23.10 = 92.40 and the source the 6 it kept, 138.60.
func TestSeatTransfers(t *testing.T) {
	for _, c := range []struct {
		name       string
		qty        int
		srcLines   []string
		tgtLines   []string
		srcStatus  string
		srcSeats   int
		cycleSeats string
	}{
		{"full", 10, []string{"cancelImmediate 10 10 -169.40 2026-04-20..2026-05-11"}, []string{"new 10 10 169.40 2026-04-20..2026-05-11", "cycleCharge 10 10 231.00 2026-05-12..2026-06-11"},
			"deleted", 10, ""},
		{"partial", 4, []string{"cancelImmediate 4 4 -67.76 2026-04-20..2026-05-11", "cycleCharge 6 6 138.60 2026-05-12..2026-06-11"},
			[]string{"new 4 4 67.76 2026-04-20..2026-05-11", "cycleCharge 4 4 92.40 2026-05-12..2026-06-11"}, "active", 6, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			forEachEngine(t, func(t *testing.T, w *world) {
				x := newTransferWorld(t, w)
				x.src.advanceTo(t, "2026-04-20T09:00:00Z")
				tr := x.create(t)
				if tr.Status != "Active" || tr.TransferType != 5 || tr.ExpirationTime.Format(time.RFC3339) != "2026-05-20T09:00:00Z" || tr.SourcePartnerTenantID != x.srcID {
					t.Fatalf("created %+v", tr)
				}
				// The source sees the request too.
				if got := x.do(t, x.src.pc, http.MethodGet, x.base+"/"+tr.ID, nil); got.ID != tr.ID {
					t.Fatalf("source reads %+v", got)
				}
				tr = x.lines(t, tr.ID, c.qty)
				if len(tr.LineItems) != 1 || tr.LineItems[0].OfferID != "CFQ7TTC0LCHC:0001" || tr.LineItems[0].ID != 1 {
					t.Fatalf("lines %+v", tr.LineItems)
				}
				tr = x.do(t, x.src.pc, http.MethodPost, x.base+"/"+tr.ID+"/submit", nil)
				if tr.Status != "Completed" || tr.CompletedTime == nil || tr.LineItems[0].TransferredCount != c.qty {
					t.Fatalf("submitted under the automatic policy: %+v", tr)
				}
				newSub := tr.LineItems[0].TransferTargetSubscriptionID
				got := x.tgt.sub(t, newSub)
				if got.Quantity != c.qty || got.CommitmentEndDate.Format(time.DateOnly) != "2027-01-11" || got.TermDuration != "P1Y" || got.BillingCycle != "monthly" ||
					got.EffectiveStartDate.Format(time.DateOnly) != "2026-01-12" || got.Status != "active" {
					t.Errorf("target's subscription %+v", got)
				}
				if old := x.src.sub(t, x.sub); old.Status != c.srcStatus || old.Quantity != c.srcSeats {
					t.Errorf("source's subscription %s with %d seats, want %s with %d", old.Status, old.Quantity, c.srcStatus, c.srcSeats)
				}
				// The target cannot read the source's subscription, nor the source the new one.
				if _, err := x.tgt.pc.Do(w.ctx, http.MethodGet, "/v1/customers/"+x.customer+"/subscriptions/"+x.sub, nil, nil, nil); err == nil {
					t.Error("the target reads the source's subscription")
				}
				x.src.advanceTo(t, "2026-05-12T12:00:00Z")
				before := []string{"new 10 10 231.00 2026-01-12..2026-02-11", "cycleCharge 10 10 231.00 2026-02-12..2026-03-11",
					"cycleCharge 10 10 231.00 2026-03-12..2026-04-11", "cycleCharge 10 10 231.00 2026-04-12..2026-05-11"}
				wantCharges(t, "source", x.src.history(t, x.sub), append(before, c.srcLines...)...)
				wantCharges(t, "target", x.tgt.history(t, newSub), c.tgtLines...)
				// Both partners' audit logs have every step.
				for name, pc := range map[string]*client.Client{"source": x.src.pc, "target": x.tgt.pc} {
					var recs client.Collection[map[string]any]
					if _, err := pc.Do(w.ctx, http.MethodGet, "/v1/auditrecords?startDate=2026-04-20", nil, &recs, nil); err != nil {
						t.Fatal(err)
					}
					var ops []string
					for _, r := range recs.Items {
						if r["resourceType"] == "transfer" {
							ops = append(ops, r["operationType"].(string))
						}
					}
					if got := strings.Join(ops, ","); got != "create_transfer,update_transfer_line_items,submit_transfer,complete_transfer" {
						t.Errorf("%s's audit: %s", name, got)
					}
				}
			})
		})
	}
}
