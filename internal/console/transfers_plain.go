package console

// Transfer refusals in plain words: the transfer's own codes (4500-4549)
// said for the transfer pages and the tenant page.

import (
	"regexp"
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
)

func init() {
	for c := csp.ETransferNotFound; c < csp.ETransferNotFound+50; c++ {
		sayings[c] = transferMessage
	}
	for c, s := range map[csp.Code]saying{
		csp.ETransferNotFound:            fixed("This transfer was not found: open it from its list."),
		csp.ETransferSourceRequired:      fixed("Choose the partner the subscriptions come from."),
		csp.ETransferSourceNotFound:      fixed("The partner you chose was not found: choose one of the customer's other partners."),
		csp.ETransferCustomerEmail:       fixed("Enter the email of the customer's contact for this transfer, written as name@example.com."),
		csp.ETransferPolicy:              fixed("Choose whether your outgoing transfers are accepted automatically or reviewed."),
		csp.ETransferNoLines:             fixed("Add at least one subscription to move before you submit the transfer."),
		csp.ETransferTargetOnly:          targetOnly,
		csp.ETransferSourceOnly:          sourceOnly,
		csp.ETransferClosed:              transferClosed,
		csp.ETransferNotActive:           transferNotActive,
		csp.ETransferNotAwaitingApproval: notAwaitingApproval,
	} {
		sayings[c] = s
	}
}

var (
	// lineAt is a line's position as the API names it: "lineItems[0]: ".
	lineAt = regexp.MustCompile(`lineItems\[\d+\](?:\.\w+)?:?\s*`)
	// namedID is a subscription or transfer named by its id.
	namedID = regexp.MustCompile(`\b(subscription|transfer) [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	anyID   = regexp.MustCompile(`\s*\(?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)?`)
)

// transferMessage is a transfer refusal's own message without the API's
// names: no line positions, ids or field names.
func transferMessage(e *csp.Error, _ about) string {
	s := lineAt.ReplaceAllString(e.Message, "")
	s = namedID.ReplaceAllString(s, "the $1")
	s = anyID.ReplaceAllString(s, "")
	for _, f := range [][2]string{{"sourcePartnerTenantId", "the source partner"}, {"targetPartnerTenantId", "the target partner"},
		{"customerEmailId", "the customer's email"}, {"the the ", "the "}} {
		s = strings.ReplaceAll(s, f[0], f[1])
	}
	return sanitize(s)
}

func targetOnly(e *csp.Error, ab about) string {
	if ab.Transfer == nil {
		return transferMessage(e, ab)
	}
	return "Only the partner that requested this transfer (" + ab.Transfer.TargetPartnerName + ") can cancel it. " +
		"As the partner the subscriptions come from, you can decline it instead."
}

func sourceOnly(e *csp.Error, ab about) string {
	if ab.Transfer == nil {
		return transferMessage(e, ab)
	}
	return "Only the partner the subscriptions come from (" + ab.Transfer.SourcePartnerName + ") adds line items to this transfer, submits, approves or declines it. " +
		"You requested it: you can cancel it while it is Active."
}

func transferClosed(e *csp.Error, ab about) string {
	if ab.Transfer == nil {
		return transferMessage(e, ab)
	}
	return "This transfer is " + string(ab.Transfer.Status) + ": nothing changes it any more. A new transfer request can move the subscriptions that should still move."
}

func transferNotActive(e *csp.Error, ab about) string {
	if ab.Transfer == nil {
		return transferMessage(e, ab)
	}
	return "This transfer is " + string(ab.Transfer.Status) + ": its line items change, and it is submitted or cancelled, only while it is Active."
}

func notAwaitingApproval(e *csp.Error, ab about) string {
	if ab.Transfer == nil {
		return transferMessage(e, ab)
	}
	return "This transfer is " + string(ab.Transfer.Status) + ": only a submitted transfer waits for your approval. Submit it first."
}
