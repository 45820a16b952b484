package console

// The tenant page's "Leaving a partner or channel" section: the Global
// Administrator makes a channel plan (to one of the tenant's partners or
// to the direct, ea or mcaE channel), reads each plan as a timeline of
// dated steps and applies a plan not applied yet (internal/app/plans.go).

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/plan"
)

type plansSection struct {
	Destinations []destinationOption
	Plans        []planRow
}

// destinationOption is one choice of the form's destination field:
// "partner:<id>" or "channel:<name>".
type destinationOption struct {
	Value, Label string
}

type planRow struct {
	ID, Destination  string
	Created, Applied string // Applied is empty while the plan is not applied
	AppliedBy        string
	Appliable        bool
	Steps            []stepRow
	Skipped          int // subscriptions the plan leaves as they are
}

// stepRow is one step of a plan's timeline, in plain words.
type stepRow struct {
	Date, Action, Product, Source, State, Reason, Result string
	Quantity                                             int
}

// planChannels are the channels a plan may move to, in the form's order.
var planChannels = []csp.Channel{csp.ChannelDirect, csp.ChannelEA, csp.ChannelMCAE}

// loadPlans reads the tenant's plans (Global Administrator only: nil for
// anyone else).
func (h *handler) loadPlans(ctx context.Context, p csp.Principal, partners []app.PartnerOfTenant) (*plansSection, error) {
	if !p.GlobalAdmin {
		return nil, nil
	}
	sec := &plansSection{}
	for _, pt := range partners {
		sec.Destinations = append(sec.Destinations, destinationOption{Value: "partner:" + pt.Partner.ID.String(), Label: pt.Partner.Name})
	}
	for _, c := range planChannels {
		sec.Destinations = append(sec.Destinations, destinationOption{Value: "channel:" + string(c), Label: sourceName(nil, string(c), nil)})
	}
	got, err := h.app.TenantPlans(ctx, p, app.Page[app.Cursor]{Size: pageSize})
	if err != nil {
		return nil, err
	}
	for _, v := range got.Items {
		sec.Plans = append(sec.Plans, newPlanRow(v))
	}
	return sec, nil
}

func newPlanRow(v *app.PlanView) planRow {
	pl := v.Plan
	dest := destinationName(pl)
	row := planRow{ID: pl.ID.String(), Destination: dest, Created: formatDateTime(pl.CreatedAt), Appliable: pl.AppliedAt == nil, Skipped: len(pl.Skipped)}
	if pl.AppliedAt != nil {
		row.Applied, row.AppliedBy = formatDateTime(*pl.AppliedAt), pl.AppliedBy
	}
	for _, s := range pl.Steps {
		src, ok := v.Sources[s.SubscriptionID]
		if ok && (src == string(csp.ChannelDirect) || src == string(csp.ChannelEA) || src == string(csp.ChannelMCAE)) {
			src = sourceName(nil, src, nil)
		}
		row.Steps = append(row.Steps, stepRow{Date: s.Date, Action: stepAction(s, dest), Product: s.OfferName, Source: src,
			State: string(s.State), Reason: stepReason(s, pl, !isPartnerSource(v, s)), Result: s.Result, Quantity: s.Quantity})
	}
	return row
}

// isPartnerSource tells whether the step's subscription is a CSP
// partner's (its source is a partner's name, not a channel).
func isPartnerSource(v *app.PlanView, s plan.Step) bool {
	src := v.Sources[s.SubscriptionID]
	for _, c := range planChannels {
		if src == string(c) {
			return false
		}
	}
	return true
}

// stepReason says in the console's words why a subscription waits rather
// than moving now (the plan's own reason names API rules).
func stepReason(s plan.Step, pl *plan.Plan, fromChannel bool) string {
	switch {
	case s.Reason == "" || s.Action != plan.WaitForTermEnd:
		return ""
	case fromChannel:
		return "A subscription of another channel does not move into CSP: its commitment runs to its end and the seats are bought anew."
	case pl.Destination.PartnerID == nil:
		return "Nothing seat-based moves between channels: this commitment runs to its end and the seats are bought anew at the destination."
	}
	return "It cannot transfer to " + pl.DestinationName + " now: it runs to its term's end and the seats are bought anew there."
}

// destinationName is the plan's destination as the page names it: the
// partner's name, or the channel in words.
func destinationName(pl *plan.Plan) string {
	if pl.Destination.PartnerID != nil {
		return pl.DestinationName
	}
	return sourceName(nil, string(pl.Destination.Channel), nil)
}

// stepAction says what a step does, in plain words.
func stepAction(s plan.Step, dest string) string {
	switch s.Action {
	case plan.TransferNow:
		return "Transfer now to " + dest
	case plan.TurnOffAutoRenew:
		return "Turn auto-renew off (last day)"
	case plan.WaitForTermEnd:
		return "Wait for the term to end on " + s.Date
	case plan.BuyAtDestination:
		return "Buy at the destination (" + dest + ")"
	}
	return string(s.Action)
}

// planNotice is the flash after making or applying a plan, read back from
// the plan as it now is: only stored data reach the page.
func planNotice(q url.Values, sec *plansSection) string {
	done := q.Get("done")
	if sec == nil || (done != "plan" && done != "apply") {
		return ""
	}
	for _, r := range sec.Plans {
		if r.ID != q.Get("plan") {
			continue
		}
		if done == "apply" && r.Applied != "" {
			return "You applied the plan to move to " + r.Destination + ": its steps are scheduled and each is carried out on its day."
		}
		if done == "plan" {
			return "You made a plan to move to " + r.Destination + ": " + count(len(r.Steps), "step") + ". Nothing changes until you apply it."
		}
	}
	return ""
}

// createPlan makes a plan to the form's destination ("partner:<id>" or
// "channel:<name>"). A refusal shows the tenant page with the message.
func (h *handler) createPlan(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	var dest app.PlanDestination
	kind, value, _ := strings.Cut(r.PostFormValue("destination"), ":")
	switch kind {
	case "partner":
		id, err := uuid.Parse(value)
		if err != nil {
			h.planRefused(w, r, p, csp.Errorf(csp.EPlanPartnerNotFound, "That destination names no partner of this organization: choose one from the list."))
			return
		}
		dest.PartnerID = &id
	case "channel":
		dest.Channel = value
	}
	v, err := h.app.CreatePlan(r.Context(), p, dest)
	if err != nil {
		h.planRefused(w, r, p, err)
		return
	}
	http.Redirect(w, r, "/console?"+url.Values{"plan": {v.Plan.ID.String()}, "done": {"plan"}}.Encode(), http.StatusSeeOther)
}

// applyPlan applies a plan not applied yet.
func (h *handler) applyPlan(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		h.fail(w, r, csp.Errorf(csp.EPlanNotFound, "This organization has no such channel plan: open it from the tenant page."))
		return
	}
	if _, err := h.app.ApplyPlan(r.Context(), p, id); err != nil {
		h.planRefused(w, r, p, err)
		return
	}
	http.Redirect(w, r, "/console?"+url.Values{"plan": {id.String()}, "done": {"apply"}}.Encode(), http.StatusSeeOther)
}

// planRefused shows a refusal on the tenant page; a missing plan or a
// failure, the error page.
func (h *handler) planRefused(w http.ResponseWriter, r *http.Request, p csp.Principal, err error) {
	status := statusOf(err)
	if status == http.StatusNotFound && csp.ErrorCode(err) != csp.EPlanPartnerNotFound || status >= http.StatusInternalServerError || p.Kind != csp.PrincipalTenant {
		h.fail(w, r, err)
		return
	}
	h.showTenant(w, r, p, status, plainMessage(err, about{}))
}
