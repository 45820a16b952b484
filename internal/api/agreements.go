package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

func (s *Server) agreementTemplates(w http.ResponseWriter, r *http.Request) {
	item := map[string]any{"templateId": csp.MCATemplateID, "agreementType": csp.AgreementMCA, "agreementLink": "https://aka.ms/customeragreement",
		"attributes": attrs("AgreementMetaData")}
	writeJSON(w, http.StatusOK, newCollection([]map[string]any{item}, "/agreements", ""))
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
	var b struct {
		PrimaryContact csp.Contact `json:"primaryContact"`
		TemplateID     string      `json:"templateId"`
		DateAgreed     time.Time   `json:"dateAgreed"`
		Type           string      `json:"type"`
	}
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
