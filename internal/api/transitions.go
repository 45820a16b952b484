package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

type transitionErrorJSON struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

func transitionErrors(ps []csp.TransitionProblem) []transitionErrorJSON {
	out := []transitionErrorJSON{}
	for _, p := range ps {
		out = append(out, transitionErrorJSON{Code: p.Code, Description: p.Description})
	}
	return out
}

func (s *Server) transitionEligibilities(w http.ResponseWriter, r *http.Request) {
	id, sid, err := s.subscriptionIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	typ := r.URL.Query().Get("eligibilityType")
	els, err := s.app.TransitionEligibilities(r.Context(), principal(r), id, sid, typ)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if typ == "" {
		typ = "immediate"
	}
	var items []map[string]any
	for _, e := range els {
		subs := []map[string]any{}
		for _, o := range e.Into {
			subs = append(subs, map[string]any{"isEligible": true, "subscriptionId": o.ID, "subscriptionFriendlyName": o.FriendlyName,
				"subscriptionTermDuration": o.TermDuration, "subscriptionBillingCycle": o.BillingCycle, "errors": []any{}})
		}
		var terms []map[string]string
		for _, t := range e.Terms {
			terms = append(terms, map[string]string{"termDuration": t.Duration, "billingCycle": t.BillingCycle})
		}
		items = append(items, map[string]any{"catalogItemId": e.Item.ID().String(), "title": e.Item.Sku.Title, "description": e.Item.Sku.Description,
			"eligibilityType": strings.ToLower(typ), "terms": terms,
			"eligibilities":             []map[string]any{{"isEligible": len(e.Problems) == 0, "transitionType": csp.TransitionWithLicenseTransfer, "errors": transitionErrors(e.Problems)}},
			"subscriptionEligibilities": subs, "attributes": attrs("TransitionEligibility")})
	}
	writeJSON(w, http.StatusOK, newCollection(items, r.URL.Path[len("/v1"):]+"?eligibilityType="+typ, ""))
}

type transitionJSON struct {
	OperationID        uuid.UUID         `json:"operationId"`
	FromCatalogItemID  string            `json:"fromCatalogItemId"`
	FromSubscriptionID uuid.UUID         `json:"fromSubscriptionId"`
	ToCatalogItemID    string            `json:"toCatalogItemId"`
	ToSubscriptionID   uuid.UUID         `json:"toSubscriptionId"`
	Quantity           int               `json:"quantity"`
	TermDuration       string            `json:"termDuration"`
	BillingCycle       string            `json:"billingCycle"`
	TransitionType     string            `json:"transitionType"`
	Status             string            `json:"status"`
	Events             []map[string]any  `json:"events"`
	Attributes         map[string]string `json:"attributes"`
}

func (s *Server) postTransition(w http.ResponseWriter, r *http.Request) {
	id, sid, err := s.subscriptionIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b struct {
		FromCatalogItemID string `json:"fromCatalogItemId"`
		ToCatalogItemID   string `json:"toCatalogItemId"`
		ToSubscriptionID  string `json:"toSubscriptionId"`
		Quantity          int    `json:"quantity"`
		TermDuration      string `json:"termDuration"`
		BillingCycle      string `json:"billingCycle"`
		TransitionType    string `json:"transitionType"`
	}
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	if b.ToCatalogItemID == "" {
		writeError(w, r, csp.Errorf(csp.EMissingField, "toCatalogItemId is required: the offer to move to (GET .../transitioneligibilities lists them)"))
		return
	}
	if b.Quantity < 0 {
		writeError(w, r, csp.Errorf(csp.EInvalidField, "quantity %d is negative", b.Quantity))
		return
	}
	req := app.TransitionRequest{ToCatalogItemID: b.ToCatalogItemID, Quantity: b.Quantity, TermDuration: b.TermDuration, BillingCycle: b.BillingCycle,
		TransitionType: b.TransitionType, IfMatch: ifMatch(r)}
	if b.ToSubscriptionID != "" {
		to, err := uuid.Parse(b.ToSubscriptionID)
		if err != nil {
			writeError(w, r, csp.Errorf(csp.EInvalidField, "toSubscriptionId %q is not a GUID", b.ToSubscriptionID))
			return
		}
		req.ToSubscriptionID = &to
	}
	res, err := s.app.Transition(r.Context(), principal(r), id, sid, req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	typ := b.TransitionType
	if typ == "" {
		typ = csp.TransitionWithLicenseTransfer
	}
	writeJSON(w, http.StatusCreated, transitionJSON{OperationID: res.OperationID, FromCatalogItemID: res.From.CatalogItemID().String(), FromSubscriptionID: res.From.ID,
		ToCatalogItemID: res.To.CatalogItemID().String(), ToSubscriptionID: res.To.ID, Quantity: req.Quantity, TermDuration: res.To.TermDuration,
		BillingCycle: res.To.BillingCycle, TransitionType: typ, Status: "Complete",
		Events:     []map[string]any{{"name": "Transition", "status": "Complete", "timestamp": res.Events[0].Date}},
		Attributes: attrs("Transition")})
}

// listTransitions answers the subscription's past transitions from its
// history (?operationId= narrows to one).
func (s *Server) listTransitions(w http.ResponseWriter, r *http.Request) {
	id, sid, err := s.subscriptionIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	// Transitions are rare among a subscription's events: read the whole history.
	var evs []*csp.Event
	pg := app.Page[app.Cursor]{}
	for {
		got, err := s.app.SubscriptionHistory(r.Context(), principal(r), id, sid, pg)
		if err != nil {
			writeError(w, r, err)
			return
		}
		evs = append(evs, got.Items...)
		if got.Next == nil {
			break
		}
		pg.After = got.Next
	}
	op := r.URL.Query().Get("operationId")
	items := []map[string]any{}
	for _, ev := range evs {
		if ev.Type != csp.EvUpgradedTo && ev.Type != csp.EvTrialConverted {
			continue
		}
		c := ev.Changes
		if op != "" && (c.OperationID == nil || !strings.EqualFold(op, c.OperationID.String())) {
			continue
		}
		moved := c.MovedQuantity
		if moved == nil && c.Quantity != nil && !c.Quantity.IsChange() {
			moved = &c.Quantity.After // recorded before movedQuantity was kept
		}
		items = append(items, map[string]any{"operationId": c.OperationID, "fromSubscriptionId": sid, "toSubscriptionId": c.ToSubscriptionID,
			"toOfferId": c.To, "quantity": moved, "status": "Complete",
			"events": []map[string]any{{"name": "Transition", "status": "Complete", "timestamp": ev.Date.Format(time.RFC3339)}}, "attributes": attrs("Transition")})
	}
	writeJSON(w, http.StatusOK, newCollection(items, r.URL.Path[len("/v1"):], ""))
}
