package api

import (
	"context"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
	"github.com/opencsp/opencsp/internal/openapi"
)

// Partner Center's transfers between partners (partner-center-api.md §9):
// the target partner creates the request, the source adds line items and
// submits it (and approves it under its review policy); either reads it.

func (s *Server) transferRoutes(r chi.Router) {
	r.Post("/customers/{id}/transfers", s.createTransfer)
	r.Get("/customers/{id}/transfers", s.listTransfers)
	r.Get("/customers/{id}/transfers/{transferId}", s.getTransfer)
	r.Patch("/customers/{id}/transfers/{transferId}", s.patchTransfer)
	r.Post("/customers/{id}/transfers/{transferId}/submit", s.transferAction(s.app.SubmitTransfer))
	r.Post("/customers/{id}/transfers/{transferId}/approve", s.transferAction(s.app.ApproveTransfer))
	r.Get("/transferpolicy", s.getTransferPolicy)
	r.Put("/transferpolicy", s.putTransferPolicy)
}

var transfersDoc = []openapi.Operation{
	{Method: http.MethodPost, Path: "/v1/customers/{customer-id}/transfers", Tag: "Transfers", Summary: "Request a transfer of the customer's subscriptions from another partner",
		Description: "The target partner (the caller) names the source partner; the customer must have accepted the caller's reseller invitation. Status Active, expiring 30 days after creation.",
		Body:        createTransferBody{}, Responses: openapi.Created(transferJSON{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/transfers", Tag: "Transfers", Summary: "The customer's transfers where the partner is the source or the target",
		Paged: true, Responses: openapi.OK(collection[transferJSON]{})},
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/transfers/{transfer-id}", Tag: "Transfers", Summary: "A transfer", Responses: openapi.OK(transferJSON{})},
	{Method: http.MethodPatch, Path: "/v1/customers/{customer-id}/transfers/{transfer-id}", Tag: "Transfers", IfMatch: true,
		Summary:     "Add line items (the source), cancel (the target, status Cancel) or decline (the source, status Decline)",
		Description: "The body is the TransferEntity as read; lineItems replace the line items (subscriptionId and quantity of each; fewer seats than the subscription's is a partial transfer).",
		Body:        patchTransferBody{}, Responses: openapi.OK(transferJSON{})},
	{Method: http.MethodPost, Path: "/v1/customers/{customer-id}/transfers/{transfer-id}/submit", Tag: "Transfers", IfMatch: true,
		Summary:     "Submit a transfer (the source)",
		Description: "Under the source's automatic policy it completes at once: the target gets new subscriptions with the same end date and billing cycles. Under review it waits, InProgress, for approve.",
		Responses:   openapi.OK(transferJSON{})},
	{Method: http.MethodPost, Path: "/v1/customers/{customer-id}/transfers/{transfer-id}/approve", Tag: "Transfers", IfMatch: true,
		Summary:     "Approve a submitted transfer (the source, under its review policy)",
		Description: "It completes, or fails (status Failed, each failing line's transferError) when a line is no longer eligible.", Responses: openapi.OK(transferJSON{})},
}

// createTransferBody is the create request.
type createTransferBody struct {
	SourcePartnerTenantID string   `json:"sourcePartnerTenantId" format:"uuid"`
	SourcePartnerName     string   `json:"sourcePartnerName,omitempty"`
	CustomerEmailID       string   `json:"customerEmailId"`
	CustomerName          string   `json:"customerName,omitempty"`
	TargetPartnerTenantID *string  `json:"targetPartnerTenantId,omitempty" format:"uuid" description:"The caller's own partner tenant id when given."`
	TargetPartnerEmailID  string   `json:"targetPartnerEmailId,omitempty"`
	TargetProductTypes    []string `json:"targetProductTypes,omitempty"`
	PartnerOnRecord       string   `json:"partnerOnRecord,omitempty"`
	TransferType          int      `json:"transferType,omitempty" description:"5 (NewCommerce, licence subscriptions, the default) or 3 (ModernAzure: lines name Azure subscriptions or the Azure plan)."`
}

// patchLineBody is a line item as PATCH reads it.
type patchLineBody struct {
	SubscriptionID string `json:"subscriptionId" format:"uuid"`
	Quantity       int    `json:"quantity"`
}

// patchTransferBody is the TransferEntity as PATCH reads it; other fields
// are read-only and ignored.
type patchTransferBody struct {
	Status                *string          `json:"status,omitempty" description:"Cancel (the target) or Decline (the source); the current status changes nothing."`
	LineItems             *[]patchLineBody `json:"lineItems,omitempty"`
	SourcePartnerTenantID *string          `json:"sourcePartnerTenantId,omitempty" format:"uuid"`
	CustomerEmailID       *string          `json:"customerEmailId,omitempty"`
	TransferType          *int             `json:"transferType,omitempty"`
}

type transferLineJSON struct {
	ID                           int        `json:"id"`
	SubscriptionID               uuid.UUID  `json:"subscriptionId"`
	Quantity                     int        `json:"quantity"`
	BillingCycle                 string     `json:"billingCycle"`
	FriendlyName                 string     `json:"friendlyName"`
	PartnerIDOnRecord            string     `json:"partnerIdOnRecord"`
	OfferID                      string     `json:"offerId"`
	AddOnItems                   []string   `json:"addOnItems"`
	CatalogItemID                string     `json:"catalogItemId"`
	TermDuration                 string     `json:"termDuration"`
	TransferError                string     `json:"transferError"`
	Status                       string     `json:"status"`
	TransferGroupID              string     `json:"transferGroupId"`
	CustomerTenantID             uuid.UUID  `json:"customerTenantId"`
	SkuID                        string     `json:"skuId"`
	SkuName                      string     `json:"skuName"`
	TransferTargetSubscriptionID *uuid.UUID `json:"transferTargetSubscriptionId"`
	TransferredCount             int        `json:"transferredCount"`
}

// transferJSON is Partner Center's TransferEntity.
type transferJSON struct {
	ID                     uuid.UUID          `json:"id"`
	Status                 transfer.Status    `json:"status"`
	TransferType           int                `json:"transferType"`
	CustomerEmailID        string             `json:"customerEmailId"`
	CreatedTime            time.Time          `json:"createdTime"`
	LastModifiedTime       time.Time          `json:"lastModifiedTime"`
	LastModifiedUser       string             `json:"lastModifiedUser"`
	CompletedTime          *time.Time         `json:"completedTime"`
	ExpirationTime         time.Time          `json:"expirationTime"`
	IgnoreEligibilityCheck bool               `json:"ignoreEligibilityCheck"`
	AlternateID            string             `json:"alternateId"`
	CustomerName           string             `json:"customerName"`
	CustomerTenantID       uuid.UUID          `json:"customerTenantId"`
	PartnerTenantID        uuid.UUID          `json:"partnerTenantId" description:"The partner that created the request: the target."`
	SourcePartnerTenantID  uuid.UUID          `json:"sourcePartnerTenantId"`
	SourcePartnerName      string             `json:"sourcePartnerName"`
	TargetPartnerTenantID  uuid.UUID          `json:"targetPartnerTenantId"`
	TargetPartnerName      string             `json:"targetPartnerName"`
	TargetPartnerEmailID   string             `json:"targetPartnerEmailId"`
	PartnerOnRecord        string             `json:"partnerOnRecord"`
	TargetProductTypes     []string           `json:"targetProductTypes" nullable:"true"`
	LineItems              []transferLineJSON `json:"lineItems"`
	Links                  map[string]link    `json:"links"`
	Attributes             map[string]string  `json:"attributes"`
}

func transferResource(t *transfer.Transfer) transferJSON {
	lines := make([]transferLineJSON, len(t.Lines))
	for i, l := range t.Lines {
		lines[i] = transferLineJSON{ID: l.ID, SubscriptionID: l.SubscriptionID, Quantity: l.Quantity, BillingCycle: l.BillingCycle, FriendlyName: l.FriendlyName,
			OfferID: l.OfferID, AddOnItems: []string{}, CatalogItemID: l.CatalogItemID, TermDuration: l.TermDuration, TransferError: l.Error, Status: l.Status,
			CustomerTenantID: t.CustomerTenantID, SkuID: l.SkuID, SkuName: l.SkuName, TransferTargetSubscriptionID: l.TargetSubscriptionID,
			TransferredCount: l.TransferredCount}
	}
	return transferJSON{ID: t.ID, Status: t.Status, TransferType: int(t.Type), CustomerEmailID: t.CustomerEmailID, CreatedTime: t.CreatedAt,
		LastModifiedTime: t.ModifiedAt, LastModifiedUser: t.ModifiedBy, CompletedTime: t.CompletedAt, ExpirationTime: t.ExpiresAt,
		CustomerName: t.CustomerName, CustomerTenantID: t.CustomerTenantID, PartnerTenantID: t.TargetPartnerID, SourcePartnerTenantID: t.SourcePartnerID,
		SourcePartnerName: t.SourcePartnerName, TargetPartnerTenantID: t.TargetPartnerID, TargetPartnerName: t.TargetPartnerName,
		TargetPartnerEmailID: t.TargetPartnerEmailID, PartnerOnRecord: t.PartnerOnRecord, TargetProductTypes: t.TargetProductTypes, LineItems: lines,
		Links:      selfLink("/customers/%s/transfers/%s", t.CustomerTenantID, t.ID),
		Attributes: attrsETag("TransferEntity", t.ETag())}
}

func (s *Server) createTransfer(w http.ResponseWriter, r *http.Request) {
	id, err := customerID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b createTransferBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	req := app.TransferRequest{Request: transfer.Request{CustomerEmailID: b.CustomerEmailID, CustomerName: b.CustomerName, TargetPartnerEmailID: b.TargetPartnerEmailID,
		PartnerOnRecord: b.PartnerOnRecord, TargetProductTypes: b.TargetProductTypes, Type: transfer.Type(b.TransferType)}}
	if src, err := uuid.Parse(b.SourcePartnerTenantID); err == nil {
		req.SourcePartnerID = src
	} else if b.SourcePartnerTenantID != "" {
		writeError(w, r, csp.Errorf(csp.ETransferSourceRequired, "sourcePartnerTenantId %q is not a GUID: give the source partner's tenant id", b.SourcePartnerTenantID))
		return
	}
	if b.TargetPartnerTenantID != nil {
		tgt, err := uuid.Parse(*b.TargetPartnerTenantID)
		if err != nil {
			writeError(w, r, csp.Errorf(csp.ETransferTargetNotCaller, "targetPartnerTenantId %q is not a GUID: leave it out, or give your own partner tenant id", *b.TargetPartnerTenantID))
			return
		}
		req.TargetPartnerID = &tgt
	}
	t, err := s.app.CreateTransfer(r.Context(), principal(r), id, req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, transferResource(t))
}

func (s *Server) listTransfers(w http.ResponseWriter, r *http.Request) {
	listOfCustomer(w, r, "transfers", s.app.ListTransfers, infallible(transferResource))
}

func transferIDs(r *http.Request) (uuid.UUID, uuid.UUID, error) {
	id, err := customerID(r)
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	tid, err := pathID(r, "transferId", csp.ETransferNotFound, "transfer")
	return id, tid, err
}

func (s *Server) getTransfer(w http.ResponseWriter, r *http.Request) {
	id, tid, err := transferIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	t, err := s.app.GetTransfer(r.Context(), principal(r), id, tid)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, transferResource(t))
}

func (s *Server) patchTransfer(w http.ResponseWriter, r *http.Request) {
	id, tid, err := transferIDs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b patchTransferBody
	if err := decode(r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	p := app.TransferPatch{CustomerEmailID: b.CustomerEmailID}
	if b.Status != nil {
		p.Status = *b.Status
	}
	if b.TransferType != nil {
		tt := transfer.Type(*b.TransferType)
		p.Type = &tt
	}
	if b.SourcePartnerTenantID != nil {
		src, err := uuid.Parse(*b.SourcePartnerTenantID)
		if err != nil {
			writeError(w, r, csp.Errorf(csp.ETransferReadOnlyField, "sourcePartnerTenantId %q cannot change after the transfer is created: send the value GET answers", *b.SourcePartnerTenantID))
			return
		}
		p.SourcePartnerID = &src
	}
	if b.LineItems != nil {
		lines := make([]transfer.Line, len(*b.LineItems))
		for i, l := range *b.LineItems {
			sub, err := uuid.Parse(l.SubscriptionID)
			if err != nil {
				writeError(w, r, csp.Errorf(csp.ETransferLineSubscription, "lineItems[%d].subscriptionId %q is not a GUID: name one of the source partner's subscriptions of this customer", i, l.SubscriptionID))
				return
			}
			lines[i] = transfer.Line{SubscriptionID: sub, Quantity: l.Quantity}
		}
		p.Lines = &lines
	}
	t, err := s.app.PatchTransfer(r.Context(), principal(r), id, tid, p, ifMatch(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, transferResource(t))
}

// transferAction answers the handler of submit or approve.
func (s *Server) transferAction(do func(ctx context.Context, p csp.Principal, customerID, id uuid.UUID, ifMatch string) (*transfer.Transfer, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, tid, err := transferIDs(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		t, err := do(r.Context(), principal(r), id, tid, ifMatch(r))
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, transferResource(t))
	}
}
