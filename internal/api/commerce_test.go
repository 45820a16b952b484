package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/opencsp/opencsp/client"
	"github.com/opencsp/opencsp/internal/csp"
)

// Catalog items of the built-in catalog used below (docs/catalog.md).
const (
	premium  = "CFQ7TTC0LCHC:0001:CFQ7TTC0MM1W" // Microsoft 365 Business Premium, $22.00 a month on annual terms
	basic    = "CFQ7TTC0LH18:0001:CFQ7TTC0K971" // Business Basic, $6.00; $7.00 from 2026-04-01
	standard = "CFQ7TTC0LDPB:0001:CFQ7TTC06D99" // Business Standard, $12.50
)

type subJSON struct {
	ID                            string     `json:"id"`
	OfferID                       string     `json:"offerId"`
	Quantity                      int        `json:"quantity"`
	Status                        string     `json:"status"`
	AutoRenewEnabled              bool       `json:"autoRenewEnabled"`
	TermDuration                  string     `json:"termDuration"`
	BillingCycle                  string     `json:"billingCycle"`
	EffectiveStartDate            time.Time  `json:"effectiveStartDate"`
	CommitmentEndDate             time.Time  `json:"commitmentEndDate"`
	CancellationAllowedUntilDate  *time.Time `json:"cancellationAllowedUntilDate"`
	IsTrial                       bool       `json:"isTrial"`
	UnitPrice                     string     `json:"unitPrice"`
	ScheduledNextTermInstructions *struct {
		Quantity int `json:"quantity"`
	} `json:"scheduledNextTermInstructions"`
	RefundableQuantity struct {
		TotalQuantity int `json:"totalQuantity"`
	} `json:"refundableQuantity"`
}

func (s *subJSON) UnmarshalJSON(b []byte) error {
	type plain subJSON
	var raw struct {
		plain
		UnitPrice json.Number `json:"unitPrice"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*s = subJSON(raw.plain)
	s.UnitPrice = raw.UnitPrice.String()
	return nil
}

// shop is a partner with a US customer that has accepted the MCA.
type shop struct {
	w        *world
	pc       *client.Client
	customer string
}

func newShop(t *testing.T, w *world) *shop {
	_, pc := w.MustPartner(designPartner("Northwind Cloud"))
	c := w.MustCustomer(pc, customer("Contoso", "contoso", "US"))
	return &shop{w: w, pc: pc, customer: c.ID}
}

// agree records the customer's acceptance of the MCA today (the program's
// day: an agreement cannot predate the customer's tenant).
func (s *shop) agree(t *testing.T) {
	t.Helper()
	today := csp.Day(s.w.app.Now(s.w.ctx)).Format(time.RFC3339)
	body := map[string]any{"primaryContact": map[string]string{"firstName": "Gena", "lastName": "Soto", "email": "gena@contoso.example"},
		"templateId": csp.MCATemplateID, "dateAgreed": today, "type": "MicrosoftCustomerAgreement"}
	if _, err := s.pc.Do(s.w.ctx, http.MethodPost, "/v1/customers/"+s.customer+"/agreements", body, nil, nil); err != nil {
		t.Fatal(err)
	}
}

type cartLine struct {
	CatalogItemID string `json:"catalogItemId"`
	Quantity      int    `json:"quantity"`
	TermDuration  string `json:"termDuration,omitempty"`
	BillingCycle  string `json:"billingCycle"`
	FriendlyName  string `json:"friendlyName,omitempty"`
	Error         *struct {
		ErrorCode string `json:"errorCode"`
	} `json:"error,omitempty"`
}

type cartJSON struct {
	ID        string     `json:"id"`
	Status    string     `json:"status"`
	LineItems []cartLine `json:"lineItems"`
}

func (s *shop) cart(t *testing.T, lines ...cartLine) cartJSON {
	t.Helper()
	var c cartJSON
	if _, err := s.pc.Do(s.w.ctx, http.MethodPost, "/v1/customers/"+s.customer+"/carts", map[string]any{"lineItems": lines}, &c, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

type checkoutJSON struct {
	Orders []struct {
		ID           string `json:"id"`
		BillingCycle string `json:"billingCycle"`
		TotalPrice   string `json:"totalPrice"`
		LineItems    []struct {
			SubscriptionID string `json:"subscriptionId"`
			FriendlyName   string `json:"friendlyName"`
		} `json:"lineItems"`
	} `json:"orders"`
}

func (s *shop) checkout(t *testing.T, cartID string) (checkoutJSON, error) {
	t.Helper()
	var res struct {
		Orders []struct {
			ID           string      `json:"id"`
			BillingCycle string      `json:"billingCycle"`
			TotalPrice   json.Number `json:"totalPrice"`
			LineItems    []struct {
				SubscriptionID string `json:"subscriptionId"`
				FriendlyName   string `json:"friendlyName"`
			} `json:"lineItems"`
		} `json:"orders"`
	}
	_, err := s.pc.Do(s.w.ctx, http.MethodPost, "/v1/customers/"+s.customer+"/carts/"+cartID+"/checkout", nil, &res, nil)
	var out checkoutJSON
	for _, o := range res.Orders {
		out.Orders = append(out.Orders, struct {
			ID           string `json:"id"`
			BillingCycle string `json:"billingCycle"`
			TotalPrice   string `json:"totalPrice"`
			LineItems    []struct {
				SubscriptionID string `json:"subscriptionId"`
				FriendlyName   string `json:"friendlyName"`
			} `json:"lineItems"`
		}{o.ID, o.BillingCycle, o.TotalPrice.String(), o.LineItems})
	}
	return out, err
}

func (s *shop) sub(t *testing.T, id string) subJSON {
	t.Helper()
	var out subJSON
	if _, err := s.pc.Do(s.w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/subscriptions/"+id, nil, &out, nil); err != nil {
		t.Fatal(err)
	}
	return out
}

// patch changes a subscription as Partner Center's SDK does: it reads the
// whole subscription, sets the fields given and sends the whole object back.
func (s *shop) patch(id string, fields map[string]any) (subJSON, error) {
	return s.edit(id, func(body map[string]any) {
		for k, v := range fields {
			body[k] = v
		}
	})
}

// edit GETs the subscription, changes the body and PATCHes it back whole,
// as Partner Center's SDK does.
func (s *shop) edit(id string, change func(body map[string]any)) (subJSON, error) {
	var out subJSON
	path := "/v1/customers/" + s.customer + "/subscriptions/" + id
	var body map[string]any
	if _, err := s.pc.Do(s.w.ctx, http.MethodGet, path, nil, &body, nil); err != nil {
		return out, err
	}
	change(body)
	_, err := s.pc.Do(s.w.ctx, http.MethodPatch, path, body, &out, nil)
	return out, err
}

func (s *shop) advanceTo(t *testing.T, to string) {
	t.Helper()
	if _, err := s.w.op.Do(s.w.ctx, http.MethodPost, "/admin/v1/clock/advance", map[string]string{"to": to}, nil, nil); err != nil {
		t.Fatal(err)
	}
}

// history renders a subscription's charge lines as
// "type qty billable subtotal start..end".
func (s *shop) history(t *testing.T, id string) []string {
	t.Helper()
	var h struct {
		Items []struct {
			EventType   string `json:"eventType"`
			ChargeLines []struct {
				ChargeType       string      `json:"chargeType"`
				Quantity         int         `json:"quantity"`
				BillableQuantity json.Number `json:"billableQuantity"`
				Subtotal         json.Number `json:"subtotal"`
				ChargeStartDate  time.Time   `json:"chargeStartDate"`
				ChargeEndDate    time.Time   `json:"chargeEndDate"`
			} `json:"chargeLines"`
		} `json:"items"`
	}
	if _, err := s.pc.Do(s.w.ctx, http.MethodGet, "/v1/customers/"+s.customer+"/subscriptions/"+id+"/history", nil, &h, nil); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range h.Items {
		for _, c := range ev.ChargeLines {
			out = append(out, fmt.Sprintf("%s %d %s %s %s..%s", c.ChargeType, c.Quantity, c.BillableQuantity, c.Subtotal,
				c.ChargeStartDate.Format(time.DateOnly), c.ChargeEndDate.Format(time.DateOnly)))
		}
	}
	return out
}

func wantCharges(t *testing.T, name string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s charges:\n%s\nwant:\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCommerceYear is the worked scenario through the API, with the
// built-in catalog's prices and every amount computed by hand from the
// rules (C-1, C-2, C-3, R-6, R-7, R-9, R-11..R-15, R-19).
func TestCommerceYear(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		s := newShop(t, w)
		s.advanceTo(t, "2026-01-10T09:00:00Z")
		c := s.cart(t,
			cartLine{CatalogItemID: premium, Quantity: 10, TermDuration: "P1Y", BillingCycle: "monthly", FriendlyName: "A"},
			cartLine{CatalogItemID: basic, Quantity: 5, TermDuration: "P1Y", BillingCycle: "annual", FriendlyName: "B"},
			cartLine{CatalogItemID: basic, Quantity: 3, TermDuration: "P1M", BillingCycle: "monthly", FriendlyName: "C"},
			cartLine{CatalogItemID: basic, Quantity: 4, TermDuration: "P1Y", BillingCycle: "annual", FriendlyName: "D"})
		for _, l := range c.LineItems {
			if l.Error != nil {
				t.Fatalf("line %s: %s", l.FriendlyName, l.Error.ErrorCode)
			}
		}
		_, err := s.checkout(t, c.ID)
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ENoAgreement))
		s.agree(t)
		res, err := s.checkout(t, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		// One order per billing cycle: A and C monthly (231.00 + 21.60), B and D annual (360.00 + 288.00).
		if len(res.Orders) != 2 || res.Orders[0].BillingCycle != "monthly" || res.Orders[0].TotalPrice != "252.60" ||
			res.Orders[1].BillingCycle != "annual" || res.Orders[1].TotalPrice != "648.00" {
			t.Fatalf("orders: %+v", res.Orders)
		}
		ids := map[string]string{}
		for _, o := range res.Orders {
			for _, l := range o.LineItems {
				ids[l.FriendlyName] = l.SubscriptionID
			}
		}
		_, err = s.checkout(t, c.ID)
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ECartNotActive))

		a := s.sub(t, ids["A"])
		if a.Status != "active" || !a.CommitmentEndDate.Equal(time.Date(2027, 1, 9, 0, 0, 0, 0, time.UTC)) || a.UnitPrice != "23.10" ||
			a.CancellationAllowedUntilDate == nil || !a.CancellationAllowedUntilDate.Equal(time.Date(2026, 1, 17, 9, 0, 0, 0, time.UTC)) ||
			!a.AutoRenewEnabled || a.RefundableQuantity.TotalQuantity != 10 {
			t.Fatalf("A after purchase: %+v", a)
		}

		// C, month to month, cancelled on day 3.
		s.advanceTo(t, "2026-01-12T15:00:00Z")
		if got, err := s.patch(ids["C"], map[string]any{"status": "deleted"}); err != nil || got.Status != "deleted" {
			t.Fatalf("cancel C: %+v %v", got, err)
		}
		// A cannot be cancelled on day 8.
		s.advanceTo(t, "2026-01-17T09:00:01Z")
		_, err = s.patch(ids["A"], map[string]any{"status": "deleted"})
		wantAPIError(t, err, http.StatusBadRequest, int(csp.ECancelWindowClosed))
		if got := s.sub(t, ids["A"]); got.CancellationAllowedUntilDate != nil {
			t.Errorf("A shows a cancellation date after its window: %v", got.CancellationAllowedUntilDate)
		}
		// Five seats added three months in; two removed inside their window, one refused outside it.
		s.advanceTo(t, "2026-04-20T12:00:00Z")
		if _, err := s.patch(ids["A"], map[string]any{"quantity": 15}); err != nil {
			t.Fatal(err)
		}
		s.advanceTo(t, "2026-04-22T08:00:00Z")
		if got, err := s.patch(ids["A"], map[string]any{"quantity": 13}); err != nil || got.RefundableQuantity.TotalQuantity != 3 {
			t.Fatalf("decrease in window: %+v %v", got, err)
		}
		s.advanceTo(t, "2026-04-28T08:00:00Z")
		_, err = s.patch(ids["A"], map[string]any{"quantity": 12})
		wantAPIError(t, err, http.StatusBadRequest, int(csp.EDecreaseOutsideWindow))
		// B: auto-renew off.
		s.advanceTo(t, "2026-06-01T00:00:00Z")
		if got, err := s.patch(ids["B"], map[string]any{"autoRenewEnabled": false}); err != nil || got.AutoRenewEnabled {
			t.Fatalf("auto-renew off: %+v %v", got, err)
		}
		// A: fewer seats and Business Standard at renewal.
		s.advanceTo(t, "2026-11-01T10:00:00Z")
		next := map[string]any{"product": map[string]string{"productId": "CFQ7TTC0LDPB", "skuId": "0001", "availabilityId": "CFQ7TTC06D99",
			"termDuration": "P1Y", "billingCycle": "monthly"}, "quantity": 8}
		if got, err := s.patch(ids["A"], map[string]any{"scheduledNextTermInstructions": next}); err != nil || got.ScheduledNextTermInstructions == nil {
			t.Fatalf("schedule: %+v %v", got, err)
		}
		s.advanceTo(t, "2027-01-26T00:00:00Z")

		a = s.sub(t, ids["A"])
		if a.Status != "active" || a.OfferID != "CFQ7TTC0LDPB:0001" || a.Quantity != 8 || a.UnitPrice != "13.13" ||
			!a.EffectiveStartDate.Equal(time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)) || !a.CommitmentEndDate.Equal(time.Date(2028, 1, 9, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("A a year on: %+v", a)
		}
		if b := s.sub(t, ids["B"]); b.Status != "expired" {
			t.Errorf("B a year on: %s, want expired", b.Status)
		}
		if c := s.sub(t, ids["C"]); c.Status != "deleted" {
			t.Errorf("C a year on: %s, want deleted", c.Status)
		}
		d := s.sub(t, ids["D"])
		if d.Status != "active" || d.UnitPrice != "84.00" || !d.CommitmentEndDate.Equal(time.Date(2028, 1, 9, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("D a year on: %+v; want renewed at the 2026-04-01 price of $84.00", d)
		}

		cycle := func(from, to string) string { return "cycleCharge 13 13 300.30 " + from + ".." + to }
		wantCharges(t, "A", s.history(t, ids["A"]),
			"new 10 10 231.00 2026-01-10..2026-02-09",
			"cycleCharge 10 10 231.00 2026-02-10..2026-03-09",
			"cycleCharge 10 10 231.00 2026-03-10..2026-04-09",
			"cycleCharge 10 10 231.00 2026-04-10..2026-05-09",
			// 23.10 × 20/30 = 15.40: −15.40 × 10, +15.40 × 15.
			"addQuantity 5 10 -154.00 2026-04-20..2026-05-09",
			"addQuantity 5 15 231.00 2026-04-20..2026-05-09",
			// 23.10 × 18/30 = 13.86: −13.86 × 15, +13.86 × 13.
			"removeQuantity 2 15 -207.90 2026-04-22..2026-05-09",
			"removeQuantity 2 13 180.18 2026-04-22..2026-05-09",
			cycle("2026-05-10", "2026-06-09"), cycle("2026-06-10", "2026-07-09"), cycle("2026-07-10", "2026-08-09"),
			cycle("2026-08-10", "2026-09-09"), cycle("2026-09-10", "2026-10-09"), cycle("2026-10-10", "2026-11-09"),
			cycle("2026-11-10", "2026-12-09"), cycle("2026-12-10", "2027-01-09"),
			"renew 8 8 105.04 2027-01-10..2027-02-09")
		wantCharges(t, "B", s.history(t, ids["B"]), "new 5 5 360.00 2026-01-10..2027-01-09")
		wantCharges(t, "C", s.history(t, ids["C"]),
			"new 3 3 21.60 2026-01-10..2026-02-09",
			// 7.20 × 29/31 = 6.735484 → −6.73 × 3.
			"cancelImmediate 3 3 -20.19 2026-01-12..2026-02-09")
		wantCharges(t, "D", s.history(t, ids["D"]),
			"new 4 4 288.00 2026-01-10..2027-01-09",
			"renew 4 4 336.00 2027-01-10..2028-01-09")

		// The unbilled line items of January 2027 hold the two renewals.
		var unbilled struct {
			Items []struct {
				ChargeType          string      `json:"chargeType"`
				Subtotal            json.Number `json:"subtotal"`
				SubscriptionID      string      `json:"subscriptionId"`
				TermAndBillingCycle string      `json:"termAndBillingCycle"`
				CustomerDomainName  string      `json:"customerDomainName"`
			} `json:"items"`
		}
		if _, err := s.pc.Do(w.ctx, http.MethodGet, "/v1/invoices/unbilled/lineitems?provider=onetime&invoiceLineItemType=billinglineitems&currencyCode=USD&period=current", nil, &unbilled, nil); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range unbilled.Items {
			got = append(got, l.ChargeType+" "+l.Subtotal.String()+" "+l.TermAndBillingCycle+" "+l.CustomerDomainName)
		}
		sort.Strings(got) // both posted at 2027-01-10T00:00Z
		if want := "renew 105.04 1 Year - Monthly contoso.onmicrosoft.com\nrenew 336.00 1 Year - Annual contoso.onmicrosoft.com"; strings.Join(got, "\n") != want {
			t.Errorf("unbilled January 2027:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
		}
	})
}

// TestAdvanceGranularity: one advance over a year and 53 weekly advances
// to the same time reach the same subscriptions and the same ledger.
func TestAdvanceGranularity(t *testing.T) {
	for _, e := range testdbEngines() {
		t.Run(e.Name, func(t *testing.T) {
			run := func(steps []string) map[string][]string {
				w := newWorld(t, e.Open(t))
				s := newShop(t, w)
				s.advanceTo(t, "2026-01-10T09:00:00Z")
				s.agree(t)
				c := s.cart(t,
					cartLine{CatalogItemID: premium, Quantity: 7, TermDuration: "P1Y", BillingCycle: "monthly", FriendlyName: "premium"},
					cartLine{CatalogItemID: basic, Quantity: 3, TermDuration: "P1M", BillingCycle: "monthly", FriendlyName: "m2m"},
					cartLine{CatalogItemID: standard, Quantity: 4, TermDuration: "P1Y", BillingCycle: "annual", FriendlyName: "standard"})
				res, err := s.checkout(t, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				ids := map[string]string{}
				for _, o := range res.Orders {
					for _, l := range o.LineItems {
						ids[l.FriendlyName] = l.SubscriptionID
					}
				}
				if _, err := s.patch(ids["standard"], map[string]any{"autoRenewEnabled": false}); err != nil {
					t.Fatal(err)
				}
				for _, to := range steps {
					s.advanceTo(t, to)
				}
				out := map[string][]string{}
				for name, id := range ids {
					sub := s.sub(t, id)
					out[name] = append(s.history(t, id), fmt.Sprintf("%s %d %s..%s", sub.Status, sub.Quantity,
						sub.EffectiveStartDate.Format(time.DateOnly), sub.CommitmentEndDate.Format(time.DateOnly)))
				}
				return out
			}
			end := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
			var weekly []string
			for d := time.Date(2026, 1, 17, 9, 0, 0, 0, time.UTC); d.Before(end); d = d.AddDate(0, 0, 7) {
				weekly = append(weekly, d.Format(time.RFC3339))
			}
			weekly = append(weekly, end.Format(time.RFC3339))
			one, many := run([]string{end.Format(time.RFC3339)}), run(weekly)
			for name := range one {
				if strings.Join(one[name], "\n") != strings.Join(many[name], "\n") {
					t.Errorf("%s differs:\none advance:\n%s\n%d advances:\n%s", name, strings.Join(one[name], "\n"), len(weekly), strings.Join(many[name], "\n"))
				}
			}
			// The month-to-month subscription renewed 13 times: 14 charges and its state line.
			if n := len(one["m2m"]); n != 15 {
				t.Errorf("m2m has %d lines, want 15:\n%s", n, strings.Join(one["m2m"], "\n"))
			}
		})
	}
}
