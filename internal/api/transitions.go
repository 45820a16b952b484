package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

var transitionsDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/subscriptions/{subscription-id}/transitionEligibilities", Tag: "Transitions",
		Summary:   "The offers a subscription may move to (upgrades, trial conversions)",
		Query:     []openapi.Param{{Name: "eligibilityType", Enum: []string{"immediate", "scheduled"}, Description: "Default immediate."}},
		Responses: openapi.OK(collection[eligibilityJSON]{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/subscriptions/{subscription-id}/transitions", Tag: "Transitions",
		Summary: "A subscription's past transitions", Query: []openapi.Param{{Name: "operationId", Description: "Only this transition."}},
		Responses: openapi.OK(collection[pastTransitionJSON]{})},
	{Method: http.MethodPost, Path: "/v1/customers/{customer-id}/subscriptions/{subscription-id}/transitions", Tag: "Transitions", IfMatch: true,
		Summary: "Move seats to another offer", Body: transitionBody{}, Responses: openapi.Created(transitionJSON{})},
}

type eligibilityJSON struct {
	CatalogItemID             string                        `json:"catalogItemId"`
	Title                     string                        `json:"title"`
	Description               string                        `json:"description"`
	EligibilityType           string                        `json:"eligibilityType"`
	Terms                     []termChoiceJSON              `json:"terms"`
	Eligibilities             []eligibilityStateJSON        `json:"eligibilities"`
	SubscriptionEligibilities []subscriptionEligibilityJSON `json:"subscriptionEligibilities"`
	Attributes                map[string]string             `json:"attributes"`
}

type termChoiceJSON struct {
	TermDuration string `json:"termDuration"`
	BillingCycle string `json:"billingCycle"`
}

type eligibilityStateJSON struct {
	IsEligible     bool                  `json:"isEligible"`
	TransitionType string                `json:"transitionType"`
	Errors         []transitionErrorJSON `json:"errors"`
}

// subscriptionEligibilityJSON is an existing subscription seats may move into.
type subscriptionEligibilityJSON struct {
	IsEligible               bool                   `json:"isEligible"`
	SubscriptionID           uuid.UUID              `json:"subscriptionId"`
	SubscriptionFriendlyName string                 `json:"subscriptionFriendlyName"`
	SubscriptionTermDuration string                 `json:"subscriptionTermDuration"`
	SubscriptionBillingCycle string                 `json:"subscriptionBillingCycle"`
	Errors                   []destinationErrorJSON `json:"errors"`
}

// destinationErrorJSON is an R-17b condition a destination fails, by
// Partner Center's number (1 not active, 2 in its cancellation window, 3
// a shorter term, 4 an earlier end).
type destinationErrorJSON struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
}

type transitionEventJSON struct {
	Name      string    `json:"name"`
	Status    string    `json:"status"`
	Timestamp time.Time `json:"timestamp"`
}

// pastTransitionJSON is a transition read back from the history.
type pastTransitionJSON struct {
	OperationID        *uuid.UUID            `json:"operationId"`
	FromSubscriptionID uuid.UUID             `json:"fromSubscriptionId"`
	ToSubscriptionID   *uuid.UUID            `json:"toSubscriptionId"`
	ToOfferID          string                `json:"toOfferId"`
	Quantity           *int                  `json:"quantity"`
	Status             string                `json:"status"`
	Events             []transitionEventJSON `json:"events"`
	Attributes         map[string]string     `json:"attributes"`
}

type transitionBody struct {
	FromCatalogItemID string `json:"fromCatalogItemId,omitempty"`
	ToCatalogItemID   string `json:"toCatalogItemId"`
	ToSubscriptionID  string `json:"toSubscriptionId,omitempty" format:"uuid"`
	Quantity          int    `json:"quantity"`
	TermDuration      string `json:"termDuration,omitempty"`
	BillingCycle      string `json:"billingCycle,omitempty"`
	TransitionType    string `json:"transitionType,omitempty"`
}

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
	var items []eligibilityJSON
	for _, e := range els {
		subs := []subscriptionEligibilityJSON{}
		for _, d := range e.Into {
			o, errs := d.Subscription, []destinationErrorJSON{}
			for _, p := range d.Problems {
				errs = append(errs, destinationErrorJSON{Code: p.Code, Description: p.Description})
			}
			subs = append(subs, subscriptionEligibilityJSON{IsEligible: len(errs) == 0, SubscriptionID: o.ID, SubscriptionFriendlyName: o.FriendlyName,
				SubscriptionTermDuration: o.TermDuration, SubscriptionBillingCycle: o.BillingCycle, Errors: errs})
		}
		terms := []termChoiceJSON{}
		for _, t := range e.Terms {
			terms = append(terms, termChoiceJSON{TermDuration: t.Duration, BillingCycle: t.BillingCycle})
		}
		items = append(items, eligibilityJSON{CatalogItemID: e.Item.ID().String(), Title: e.Item.Sku.Title, Description: e.Item.Sku.Description,
			EligibilityType: strings.ToLower(typ), Terms: terms,
			Eligibilities:             []eligibilityStateJSON{{IsEligible: len(e.Problems) == 0, TransitionType: csp.TransitionWithLicenseTransfer, Errors: transitionErrors(e.Problems)}},
			SubscriptionEligibilities: subs, Attributes: attrs("TransitionEligibility")})
	}
	writeJSON(w, http.StatusOK, newCollection(items, r.URL.Path[len("/v1"):]+"?eligibilityType="+typ, ""))
}

type transitionJSON struct {
	OperationID        uuid.UUID `json:"operationId"`
	FromCatalogItemID  string    `json:"fromCatalogItemId"`
	FromSubscriptionID uuid.UUID `json:"fromSubscriptionId"`
	ToCatalogItemID    string    `json:"toCatalogItemId"`
	// ToSubscriptionID is the subscription that received the seats, left
	// out when the source itself switched offer (a full upgrade in place
	// or a trial's conversion), as Partner Center fills it only when the
	// subscription changes.
	ToSubscriptionID *uuid.UUID            `json:"toSubscriptionId,omitempty"`
	Quantity         int                   `json:"quantity"`
	TermDuration     string                `json:"termDuration"`
	BillingCycle     string                `json:"billingCycle"`
	TransitionType   string                `json:"transitionType"`
	Status           string                `json:"status"`
	Events           []transitionEventJSON `json:"events"`
	Attributes       map[string]string     `json:"attributes"`
}

func (s *Server) postTransition(w http.ResponseWriter, r *http.Request) {
	id, sid, err := s.subscriptionIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b transitionBody
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
	var to *uuid.UUID
	if res.To.ID != res.From.ID {
		to = &res.To.ID
	}
	writeJSON(w, http.StatusCreated, transitionJSON{OperationID: res.OperationID, FromCatalogItemID: res.From.CatalogItemID().String(), FromSubscriptionID: res.From.ID,
		ToCatalogItemID: res.To.CatalogItemID().String(), ToSubscriptionID: to, Quantity: req.Quantity, TermDuration: res.To.TermDuration,
		BillingCycle: res.To.BillingCycle, TransitionType: typ, Status: "Complete",
		Events:     []transitionEventJSON{{Name: "Transition", Status: "Complete", Timestamp: res.Events[0].Date}},
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
	items := []pastTransitionJSON{}
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
		items = append(items, pastTransitionJSON{OperationID: c.OperationID, FromSubscriptionID: sid, ToSubscriptionID: c.ToSubscriptionID,
			ToOfferID: c.To, Quantity: moved, Status: "Complete",
			Events: []transitionEventJSON{{Name: "Transition", Status: "Complete", Timestamp: ev.Date.UTC().Truncate(time.Second)}}, Attributes: attrs("Transition")})
	}
	writeJSON(w, http.StatusOK, newCollection(items, r.URL.Path[len("/v1"):], ""))
}
