package api

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/plan"
	"github.com/opencsp/opencsp/internal/openapi"
)

// Channel plans: the customer's planner for moving to another CSP partner
// or another purchasing channel (DESIGN.md "Purchasing channels"), and the
// operator's listing of the steps it records in other channels.

var channelPlansDoc = []openapi.Operation{
	{Method: http.MethodPost, Path: "/tenant/v1/channelPlans", Tag: "Channel plans", Summary: "Plan a move to another CSP partner or channel",
		Description: "destination is {partnerId} (a partner with a reseller relationship with the tenant) or {channel} (direct, ea, mcaE). " +
			"Each live licence subscription gets steps: transferNow (a transfer to the partner, where the transfer rules allow it now), or waitForTermEnd " +
			"(its term's last day, with lastDayToTurnOffAutoRenew when it auto-renews, and a turnOffAutoRenew that day) and buyAtDestination " +
			"(on the old term's last day at a partner, the day after in another channel), so that no user goes a day without a licence. " +
			"The tenant's Global Administrator only; nothing changes until the plan is applied.",
		Body: channelPlanBody{}, Responses: openapi.Created(channelPlanJSON{})},
	{Method: http.MethodGet, Path: "/tenant/v1/channelPlans", Tag: "Channel plans", Summary: "The tenant's channel plans, oldest first",
		Paged: true, Responses: openapi.OK(collection[channelPlanJSON]{})},
	{Method: http.MethodGet, Path: "/tenant/v1/channelPlans/{plan-id}", Tag: "Channel plans", Summary: "A channel plan with each step's state",
		Responses: openapi.OK(channelPlanJSON{})},
	{Method: http.MethodPost, Path: "/tenant/v1/channelPlans/{plan-id}/apply", Tag: "Channel plans", Summary: "Schedule the plan's steps",
		Description: "On the day the plan was made (4578 after), once (4577). The clock carries the steps out on their days: transfer requests made on " +
			"the destination partner's behalf for the source to submit, auto-renew turned off, carts of the destination partner waiting for its " +
			"checkout, purchases in another channel listed for the operator (GET /admin/v1/channelPlanActions).",
		Responses: openapi.OK(channelPlanJSON{})},
	{Method: http.MethodGet, Path: "/admin/v1/channelPlanActions", Tag: "Channel plans", Summary: "Steps of applied plans the operator records in other channels",
		Description: "Purchases in another channel (the operator records each as a channel subscription of the tenant, termStartDate = the step's date) " +
			"and channel subscriptions' auto-renew to turn off; recordedSubscriptionId names the record that shows each done.",
		Responses: openapi.OK(collection[channelActionJSON]{})},
}

type channelPlanDestinationJSON struct {
	PartnerID *uuid.UUID `json:"partnerId,omitempty" format:"uuid"`
	Channel   string     `json:"channel,omitempty" enum:"direct,ea,mcaE"`
}

type channelPlanBody struct {
	Destination channelPlanDestinationJSON `json:"destination"`
}

type channelPlanStepJSON struct {
	SubscriptionID            uuid.UUID  `json:"subscriptionId"`
	Action                    string     `json:"action" enum:"transferNow,waitForTermEnd,buyAtDestination,turnOffAutoRenew"`
	Date                      string     `json:"date" format:"date"`
	LastDayToTurnOffAutoRenew string     `json:"lastDayToTurnOffAutoRenew,omitempty" format:"date"`
	From                      string     `json:"from"`
	ProductID                 string     `json:"productId"`
	SkuID                     string     `json:"skuId"`
	OfferName                 string     `json:"offerName"`
	Quantity                  int        `json:"quantity"`
	TermDuration              string     `json:"termDuration,omitempty"`
	BillingCycle              string     `json:"billingCycle,omitempty"`
	Reason                    string     `json:"reason,omitempty"`
	State                     string     `json:"state" enum:"planned,scheduled,done,requested,listed,failed"`
	Result                    string     `json:"result,omitempty"`
	DoneDateTime              *time.Time `json:"doneDateTime,omitempty"`
}

type channelPlanSkippedJSON struct {
	SubscriptionID uuid.UUID `json:"subscriptionId"`
	Reason         string    `json:"reason" enum:"alreadyAtDestination,notLicenceBased"`
}

type channelPlanJSON struct {
	ID              uuid.UUID                  `json:"id"`
	TenantID        uuid.UUID                  `json:"tenantId"`
	Destination     channelPlanDestinationJSON `json:"destination"`
	DestinationName string                     `json:"destinationName"`
	Steps           []channelPlanStepJSON      `json:"steps"`
	Skipped         []channelPlanSkippedJSON   `json:"skipped"`
	CreatedDateTime time.Time                  `json:"createdDateTime"`
	CreatedBy       string                     `json:"createdBy"`
	AppliedDateTime *time.Time                 `json:"appliedDateTime,omitempty"`
	AppliedBy       string                     `json:"appliedBy,omitempty"`
}

func channelPlanStep(s plan.Step, from string) channelPlanStepJSON {
	return channelPlanStepJSON{SubscriptionID: s.SubscriptionID, Action: string(s.Action), Date: s.Date, LastDayToTurnOffAutoRenew: s.LastDayToTurnOffAutoRenew,
		From: from, ProductID: s.ProductID, SkuID: s.SkuID, OfferName: s.OfferName, Quantity: s.Quantity, TermDuration: s.TermDuration,
		BillingCycle: s.BillingCycle, Reason: s.Reason, State: string(s.State), Result: s.Result, DoneDateTime: s.DoneAt}
}

func channelPlanResource(v *app.PlanView) channelPlanJSON {
	p := v.Plan
	out := channelPlanJSON{ID: p.ID, TenantID: p.TenantID, Destination: channelPlanDestinationJSON{PartnerID: p.Destination.PartnerID, Channel: string(p.Destination.Channel)},
		DestinationName: p.DestinationName, Steps: make([]channelPlanStepJSON, len(p.Steps)), Skipped: make([]channelPlanSkippedJSON, len(p.Skipped)),
		CreatedDateTime: p.CreatedAt, CreatedBy: p.CreatedBy, AppliedDateTime: p.AppliedAt, AppliedBy: p.AppliedBy}
	for i, s := range p.Steps {
		out.Steps[i] = channelPlanStep(s, v.Sources[s.SubscriptionID])
	}
	for i, s := range p.Skipped {
		out.Skipped[i] = channelPlanSkippedJSON{SubscriptionID: s.SubscriptionID, Reason: s.Reason}
	}
	return out
}

func (s *Server) createChannelPlan(w http.ResponseWriter, r *http.Request) {
	var b channelPlanBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	v, err := s.app.CreatePlan(r.Context(), principal(r), app.PlanDestination{PartnerID: b.Destination.PartnerID, Channel: b.Destination.Channel})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, channelPlanResource(v))
}

func (s *Server) listChannelPlans(w http.ResponseWriter, r *http.Request) {
	pg, err := page[app.Cursor](r, "channelplans", app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.TenantPlans(r.Context(), principal(r), pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]channelPlanJSON, len(got.Items))
	for i, v := range got.Items {
		items[i] = channelPlanResource(v)
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/tenant/v1/channelPlans", nextToken("channelplans", got.Next)))
}

func (s *Server) getChannelPlan(w http.ResponseWriter, r *http.Request) {
	s.channelPlanCall(w, r, s.app.GetPlan)
}

func (s *Server) applyChannelPlan(w http.ResponseWriter, r *http.Request) {
	s.channelPlanCall(w, r, s.app.ApplyPlan)
}

func (s *Server) channelPlanCall(w http.ResponseWriter, r *http.Request, call func(ctx context.Context, p csp.Principal, id uuid.UUID) (*app.PlanView, error)) {
	id, err := pathID(r, "planId", csp.EPlanNotFound, "channel plan")
	if err != nil {
		writeError(w, r, err)
		return
	}
	v, err := call(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, channelPlanResource(v))
}

type channelActionJSON struct {
	PlanID                 uuid.UUID           `json:"planId"`
	TenantID               uuid.UUID           `json:"tenantId"`
	TenantName             string              `json:"tenantName"`
	Channel                string              `json:"channel" enum:"direct,ea,mcaE"`
	Step                   channelPlanStepJSON `json:"step"`
	RecordedSubscriptionID *uuid.UUID          `json:"recordedSubscriptionId,omitempty"`
}

func (s *Server) channelPlanActions(w http.ResponseWriter, r *http.Request) {
	got, err := s.app.PlanChannelActions(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]channelActionJSON, len(got))
	for i, a := range got {
		items[i] = channelActionJSON{PlanID: a.PlanID, TenantID: a.TenantID, TenantName: a.TenantName, Channel: string(a.Channel),
			Step: channelPlanStep(a.Step, ""), RecordedSubscriptionID: a.Recorded}
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/admin/v1/channelPlanActions", ""))
}
