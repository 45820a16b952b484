package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/openapi"
)

var agreementsDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/agreements", Tag: "Agreements", Summary: "The Microsoft Customer Agreement's template",
		Query:     []openapi.Param{{Name: "agreementType", Description: "MicrosoftCustomerAgreement."}},
		Responses: openapi.OK(collection[agreementTemplateJSON]{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/agreements", Tag: "Agreements", Summary: "A customer's agreement attestations", Paged: true,
		Responses: openapi.OK(collection[agreementJSON]{})},
	{Method: http.MethodPost, Path: "/v1/customers/{customer-id}/agreements", Tag: "Agreements", Summary: "Record that the customer accepted the MCA",
		Body: agreementBody{}, Responses: openapi.Created(agreementJSON{})},
}

type agreementTemplateJSON struct {
	TemplateID    string            `json:"templateId"`
	AgreementType string            `json:"agreementType"`
	AgreementLink string            `json:"agreementLink"`
	Attributes    map[string]string `json:"attributes"`
}

type agreementBody struct {
	PrimaryContact csp.Contact `json:"primaryContact"`
	TemplateID     string      `json:"templateId"`
	DateAgreed     time.Time   `json:"dateAgreed"`
	Type           string      `json:"type"`
}

func (s *Server) agreementTemplates(w http.ResponseWriter, r *http.Request) {
	item := agreementTemplateJSON{TemplateID: csp.MCATemplateID, AgreementType: csp.AgreementMCA, AgreementLink: "https://aka.ms/customeragreement",
		Attributes: attrs("AgreementMetaData")}
	writeJSON(w, http.StatusOK, newCollection([]agreementTemplateJSON{item}, "/agreements", ""))
}

type agreementJSON struct {
	ID             uuid.UUID         `json:"id"`
	PrimaryContact csp.Contact       `json:"primaryContact"`
	TemplateID     string            `json:"templateId"`
	DateAgreed     time.Time         `json:"dateAgreed"`
	Type           string            `json:"type"`
	AgreementLink  string            `json:"agreementLink"`
	UserID         string            `json:"userId"`
	Attributes     map[string]string `json:"attributes"`
}

func agreementResource(a *csp.Agreement) agreementJSON {
	j := agreementJSON{ID: a.ID, PrimaryContact: a.Contact, TemplateID: a.TemplateID, DateAgreed: a.DateAgreed, Type: a.Type,
		AgreementLink: "https://aka.ms/customeragreement", Attributes: attrs("Agreement")}
	if a.UserID != nil {
		j.UserID = a.UserID.String()
	}
	return j
}

func (s *Server) createAgreement(w http.ResponseWriter, r *http.Request) {
	id, err := customerID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b agreementBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	ag, err := s.app.CreateAgreement(r.Context(), principal(r), id, app.NewAgreement{Type: b.Type, TemplateID: b.TemplateID, DateAgreed: b.DateAgreed, Contact: b.PrimaryContact})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, agreementResource(ag))
}

func (s *Server) listAgreements(w http.ResponseWriter, r *http.Request) {
	listOfCustomer(w, r, "agreements", s.app.ListAgreements, infallible(agreementResource))
}
