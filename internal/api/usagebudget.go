package api

import (
	"encoding/json"
	"net/http"

	"github.com/shopspring/decimal"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

var usageBudgetDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/usagebudget", Tag: "Azure plan", Summary: "The customer's Azure usage budget (0: none)",
		Description: "In USD, the price file's currency; crossing it writes a usage_budget_exceeded audit record.",
		Responses:   openapi.OK(spendingBudgetJSON{})},
	{Method: http.MethodPatch, Path: "/v1/customers/{customer-id}/usagebudget", Tag: "Azure plan", Summary: "Set the customer's Azure usage budget",
		Description: "amount is a number of at least 0 (0 turns the alert off).",
		Body:        spendingBudgetBody{}, Responses: openapi.OK(spendingBudgetJSON{})},
}

// spendingBudgetJSON is Partner Center's SpendingBudget.
type spendingBudgetJSON struct {
	Amount     json.Number       `json:"amount"`
	Attributes map[string]string `json:"attributes"`
}

// spendingBudgetBody is what PATCH reads: the amount (attributes, as the
// SDK sends them, are ignored).
type spendingBudgetBody struct {
	Amount     *json.Number      `json:"amount"`
	Attributes map[string]string `json:"attributes,omitempty"`
}

func spendingBudgetOf(m csp.Money) spendingBudgetJSON {
	return spendingBudgetJSON{Amount: json.Number(m.Amount.String()), Attributes: attrs("SpendingBudget")}
}

func (s *Server) getUsageBudget(w http.ResponseWriter, r *http.Request) {
	c, err := customerID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	b, err := s.app.UsageBudget(r.Context(), principal(r), c)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, spendingBudgetOf(b))
}

func (s *Server) patchUsageBudget(w http.ResponseWriter, r *http.Request) {
	c, err := customerID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var body spendingBudgetBody
	if err := decode(r, &body); err != nil {
		writeError(w, r, err)
		return
	}
	var amount decimal.Decimal
	if body.Amount != nil {
		amount, err = decimal.NewFromString(body.Amount.String())
	}
	if body.Amount == nil || err != nil {
		writeError(w, r, csp.Errorf(csp.EAzureBudgetAmountRequired, "the body needs amount, a number of at least 0 in USD (0 turns the alert off): {\"amount\": 100}").WithData("field=amount"))
		return
	}
	b, err := s.app.SetUsageBudget(r.Context(), principal(r), c, amount)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, spendingBudgetOf(b))
}
