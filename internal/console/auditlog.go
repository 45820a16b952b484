package console

// The partner's audit log: who changed what, when, in plain words, between
// two days.

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
)

// auditDays is how far back the audit log looks when no start is given.
const auditDays = 30

type auditPage struct {
	layout
	From, To string // the days shown, inclusive: 2026-01-05
	Records  []auditRow
	Next     string
}

type auditRow struct {
	Date                            time.Time
	Operation, Customer, By, Status string
}

func (h *handler) auditPage(w http.ResponseWriter, r *http.Request) {
	p, wh, ok := h.partnerUser(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	today := csp.Day(h.app.Now(ctx))
	from, err := auditDay(q.Get("from"), today.AddDate(0, 0, -auditDays), "start")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	to, err := auditDay(q.Get("to"), today, "end")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if to.Before(from) {
		h.fail(w, r, csp.Errorf(csp.EInvalidQuery, "The end day %s is before the start day %s: choose an end on or after the start.", formatDate(to), formatDate(from)))
		return
	}
	after, err := decodeCursor(q.Get("continuation"), func(c app.Cursor) bool { return c.ID != uuid.Nil })
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The end day is inclusive: the listing runs to the next midnight.
	got, err := h.app.ListAudit(ctx, p, from, to.AddDate(0, 0, 1), app.Page[app.Cursor]{After: after, Size: pageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := auditPage{layout: h.layout("Audit log", wh), From: formatDate(from), To: formatDate(to)}
	for _, rec := range got.Items {
		status := rec.OperationStatus
		if status == "succeeded" {
			status = "Done"
		}
		page.Records = append(page.Records, auditRow{Date: rec.OperationDate, Operation: operationName(rec.OperationType), Customer: rec.CustomerName,
			By: rec.UserPrincipalName, Status: status})
	}
	if got.Next != nil {
		page.Next = "/console/audit?" + url.Values{"from": {page.From}, "to": {page.To}, "continuation": {encodeCursor(*got.Next)}}.Encode()
	}
	h.render(w, r, http.StatusOK, "auditlog", page)
}

// auditDay reads a day of the filter, def when it is empty.
func auditDay(s string, def time.Time, which string) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return def, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, csp.Errorf(csp.EInvalidQuery, "The %s day %q is not a date: choose it as year-month-day, for example 2026-01-05.", which, s)
	}
	return d, nil
}

// operations are the audit log's operation types in words.
var operations = map[string]string{
	csp.OpAddCustomer: "Customer created", csp.OpUpdateQualification: "Customer qualification changed",
	csp.OpUpdateBillingProfile: "Customer billing profile changed", csp.OpAddPartner: "Partner account created",
	csp.OpUpdateSalePolicy: "Sale policy changed", csp.OpAddPartnerUser: "User added",
	csp.OpAddKey: "API key issued", csp.OpRevokeKey: "API key revoked",
	csp.OpAddRelationship: "Reseller relationship started", csp.OpRemoveRelationship: "Reseller relationship ended",
	csp.OpCreateMTO: "Multitenant organization created", csp.OpAddMTOTenant: "Tenant invited to a multitenant organization",
	csp.OpJoinMTO: "Tenant joined a multitenant organization", csp.OpAdvanceClock: "Sandbox clock advanced",
	"add_partner_service": "Own service added to the catalog", "update_catalog": "Catalog replaced",
	"create_customer_agreement": "Microsoft Customer Agreement recorded", "create_order": "Order placed",
	"update_subscription": "Subscription changed", "transition_subscription": "Subscription upgraded or converted",
	"create_transfer": "Transfer requested", "update_transfer_line_items": "Transfer line items changed",
	"submit_transfer": "Transfer submitted", "approve_transfer": "Transfer approved", "complete_transfer": "Transfer completed",
	"fail_transfer": "Transfer failed", "cancel_transfer": "Transfer cancelled", "decline_transfer": "Transfer declined",
	"reject_transfer": "Transfer rejected by the customer", "expire_transfer": "Transfer expired",
	"update_transfer_policy": "Outgoing transfer policy changed",
}

// operationName is an operation type in words; one the table lacks reads
// as its words: "add_thing" is "Add thing".
func operationName(op string) string {
	if s, ok := operations[op]; ok {
		return s
	}
	return sentence(op)
}

func sentence(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
