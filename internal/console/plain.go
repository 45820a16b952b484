package console

// Refusals in plain words. The use cases' messages are written for API
// clients: they name JSON fields, endpoints and rule ids. The console says
// what went wrong and what to do on the page instead, from the refusal's
// code and data and what the page knows.

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/transfer"
)

// about is what the page knows around a refusal that its code does not
// say.
type about struct {
	Sub     *csp.Subscription // the subscription acted on
	Action  string            // the subscription action: cancel, suspend, quantity, ...
	Country string            // the customer's country
	Partner *csp.Partner      // the signed-in user's partner
	// Transfer is the transfer acted on (transfers_plain.go).
	Transfer *transfer.Transfer
}

// internalMessage is shown for every unexpected failure.
const internalMessage = "Something went wrong on our side. Try again; if it keeps happening, tell the operator the time it happened."

// plainMessage is a refusal as the console shows it.
func plainMessage(err error, ab about) string {
	var e *csp.Error
	if !errors.As(err, &e) || e.Code == csp.EInternal {
		return internalMessage
	}
	if say, ok := sayings[e.Code]; ok {
		if s := say(e, ab); s != "" {
			return s
		}
	}
	if s := sanitize(e.Message); s != "" {
		return s
	}
	return kindMessages[e.Code.Kind()]
}

// kindMessages are the last resort when a message says nothing once its
// API details are taken out.
var kindMessages = map[csp.Kind]string{
	csp.KindInvalid:            "This could not be done as asked: check the form and try again.",
	csp.KindUnauthenticated:    "Your session has ended: sign in again.",
	csp.KindForbidden:          "Your role does not allow this.",
	csp.KindNotFound:           "This was not found: go back and open it from its list.",
	csp.KindConflict:           "This clashes with something that already exists or is changing: reload the page and try again.",
	csp.KindPreconditionFailed: "This changed in the meantime: reload the page and try again.",
	csp.KindThrottled:          "Too many requests: wait a minute and try again.",
	csp.KindInternal:           internalMessage,
}

type saying func(e *csp.Error, ab about) string

// fixed is a saying that does not depend on the refusal's details.
func fixed(s string) saying { return func(*csp.Error, about) string { return s } }

// sayings are the refusals the console's pages can meet, by code.
var sayings = map[csp.Code]saying{
	csp.EConcurrentChange:   fixed("Someone changed this at the same moment: try again."),
	csp.EPreconditionFailed: fixed("This changed in the meantime: reload the page and try again."),
	csp.ERateLimited:        fixed("Too many requests from your organization: wait a minute and try again."),
	csp.EClockAdvancing:     fixed("The sandbox clock is moving forward right now: try again in a few seconds."),
	csp.EForbiddenRole:      forbiddenRole,
	csp.EWrongAPI:           wrongAPI,
	csp.EInvalidText:        fieldSaying("holds a character that cannot be stored (a control character or broken text): remove it and try again."),
	csp.ETooLong:            fieldSaying("is too long: shorten it and try again."),
	csp.EMissingField:       missingField,

	csp.EInvoiceNotFound:      fixed("This invoice was not found among your partner's invoices: open it from the invoice list."),
	csp.ECustomerNotFound:     fixed("This customer was not found among your customers: open it from the customer list."),
	csp.ESubscriptionNotFound: fixed("This subscription was not found among your subscriptions of this customer: open it from the customer's page."),
	csp.ECartNotFound:         fixed("This cart was not found for this customer: start a new cart."),
	csp.EOrderNotFound:        fixed("This order was not found among this customer's orders."),
	csp.EProductNotFound:      fixed("This item is not in the catalog for this customer: choose another item."),
	csp.ETenantNotFound:       fixed("This organization was not found."),
	csp.EPartnerNotFound:      fixed("This partner was not found."),
	csp.EInvalidInvitation:    fixed("This link is not a reseller invitation of this server: ask the partner to send its invitation link again."),
	csp.ERelationshipExists:   fixed("Your organization already buys from this partner."),

	csp.EInvalidDomain:     fixed("The domain prefix must be 1 to 27 letters or digits, without dots, dashes or spaces (the customer gets prefix.onmicrosoft.com)."),
	csp.EDomainTaken:       fixed("That domain is already used by another organization: choose another domain prefix."),
	csp.EUnknownCountry:    fixed("Choose a country from the list."),
	csp.EInvalidSegment:    fixed("Choose a segment from the list."),
	csp.EInvalidEmail:      fixed("The email address is not valid: write it as name@example.com."),
	csp.EInvalidState:      invalidState,
	csp.EInvalidPostalCode: invalidPostalCode,

	csp.ECountryOutsideMarkets:  outsideMarkets,
	csp.ESegmentNotInPolicy:     segmentNotInPolicy,
	csp.ERegionNotInPolicy:      regionNotInPolicy,
	csp.EResellerCannotTransact: fixed("Your partner account is an indirect reseller: your indirect provider places the orders for your customers."),

	csp.ENoAgreement:      fixed("Record the customer's acceptance of the Microsoft Customer Agreement below before buying."),
	csp.EInvalidAgreement: fixed("Enter the first name, last name and email of the person at the customer who accepted the Microsoft Customer Agreement."),
	csp.ECartNotActive:    fixed("This cart was already checked out or has expired: start a new cart."),
	csp.ECartLineErrors:   fixed("Some lines of this cart cannot be bought: each one's problem is shown next to it. Remove those lines, then check out again."),
	csp.ECartEmpty:        fixed("The cart has no lines: add an item first."),

	csp.ESubscriptionNotActive:    notActive,
	csp.ESubscriptionNotSuspended: fixed("Only a suspended subscription can be reactivated."),
	csp.ECancelWindowClosed:       cancelClosed,
	csp.ETrialNotCancellable:      trialNotCancellable,
	csp.EDecreaseOutsideWindow:    decreaseOutsideWindow,
	csp.EQuantityBelowOne:         fixed("A subscription keeps at least 1 seat. To end it, cancel it within 7 days of the purchase, or turn auto-renew off so that it ends with its term."),
	csp.EQuantityAboveMaximum:     seatLimit,
	csp.EQuantityBelowMinimum:     seatLimit,
	csp.EQuantityUnchanged:        quantityUnchanged,
	csp.EQuantityNotApplicable:    fixed("This is a usage-based plan: it has no seats and no term."),
	csp.ETrialQuantityFixed:       fixed("A trial's seats are fixed: convert it to a paid subscription to change them."),
	csp.ETrialStatusFixed:         fixed("A trial cannot be suspended: it ends or converts by itself at the end of its 30 days."),
	csp.EInvalidScheduledChange:   invalidSchedule,
	csp.EInvalidCustomTermEnd:     invalidSchedule,

	csp.ECustomerInvoiceNotFound:  fixed("This customer invoice was not found among your partner's customer invoices: open it from the customer invoice list."),
	csp.EPriceBookBothDefaults:    bookSaying,
	csp.EPriceBookMarkupRange:     bookSaying,
	csp.EPriceBookMarginRange:     bookSaying,
	csp.EPriceBookTooManyItems:    bookSaying,
	csp.EPriceBookDuplicateItem:   bookSaying,
	csp.EPriceBookProductRequired: bookSaying,
	csp.EPriceBookItemRule:        bookSaying,
	csp.EPriceBookFixedPrice:      bookSaying,
	csp.EPriceBookDiscountRange:   bookSaying,
	csp.EPriceBookPromotionDates:  bookSaying,
}

// sanitize takes a use case's message for an API client and drops what a
// console user has no use for: rule ids, error codes and the API calls it
// suggests. The clauses that remain are what the user reads.
func sanitize(msg string) string {
	msg = apiDetails.ReplaceAllString(msg, "")
	var b strings.Builder
	start := 0
	for _, end := range append(clauseEnd.FindAllStringIndex(msg, -1), []int{len(msg), len(msg)}) {
		clause := msg[start:end[0]]
		if strings.TrimSpace(clause) != "" && !apiClause.MatchString(clause) {
			b.WriteString(msg[start:end[1]])
		}
		start = end[1]
	}
	s := strings.TrimRight(strings.TrimSpace(b.String()), ":;,.")
	for _, f := range fieldNames {
		s = strings.ReplaceAll(s, f[0], f[1])
	}
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

var (
	// apiDetails are parenthesised rule ids, codes and API calls.
	apiDetails = regexp.MustCompile(`\s*\([^()]*(?:\bR-\d|\bcode \d|/v1/|/admin/v1|\bGET |\bPOST |\bPUT |\bPATCH )[^()]*\)`)
	// apiClause is a clause that names a rule, an endpoint or a JSON body.
	apiClause = regexp.MustCompile(`\bR-\d|/v1/|/admin/v1|\bOpenCSP code|\b(?:GET|POST|PUT|PATCH|DELETE) /|\bwith PUT\b|\bAuthorization:|\bPATCH body|\berror data\b`)
	clauseEnd = regexp.MustCompile(`(?:[.:;] )`)
)

// fieldNames are the API's JSON field names in the forms' words.
var fieldNames = [][2]string{
	{"billingProfile.companyName", "the company name"}, {"billingProfile.firstName", "the contact's first name"},
	{"billingProfile.lastName", "the contact's last name"}, {"billingProfile.email", "the contact email"},
	{"billingProfile.culture", "the culture"}, {"billingProfile.language", "the language"},
	{"companyProfile.domain", "the domain prefix"}, {"defaultAddress.addressLine1", "the address"},
	{"defaultAddress.addressLine2", "the second address line"}, {"defaultAddress.city", "the city"},
	{"defaultAddress.state", "the state or province"}, {"defaultAddress.postalCode", "the postal code"},
	{"defaultAddress.country", "the country"}, {"defaultAddress.phoneNumber", "the phone number"},
	{"primaryContact.firstName", "the first name"}, {"primaryContact.lastName", "the last name"},
	{"primaryContact.email", "the email of the person who accepted"}, {"friendlyName", "the friendly name"},
	{"invitationUrl", "the invitation link"},
}

// fieldLabel is the form's word for an API field name, "" when unknown.
func fieldLabel(name string) string {
	name = strings.TrimPrefix(name, "field=")
	for _, f := range fieldNames {
		if name == f[0] {
			return f[1]
		}
	}
	if i := strings.LastIndex(name, "."); i >= 0 {
		return fieldLabel(name[i+1:])
	}
	return ""
}

// data answers the value of a "key=value" item of the refusal's data.
func data(e *csp.Error, key string) string {
	for _, d := range e.Data {
		if v, ok := strings.CutPrefix(d, key+"="); ok {
			return v
		}
	}
	return ""
}

func fieldSaying(rest string) saying {
	return func(e *csp.Error, _ about) string {
		label := fieldLabel(data(e, "field"))
		if label == "" {
			label = "one of the fields"
		}
		return strings.ToUpper(label[:1]) + label[1:] + " " + rest
	}
}

func missingField(e *csp.Error, ab about) string {
	name := ""
	if len(e.Data) > 0 {
		name = e.Data[0]
	} else if f := strings.Fields(e.Message); len(f) > 0 {
		name = strings.TrimSuffix(f[0], ":")
	}
	label := fieldLabel(name)
	if label == "" {
		return ""
	}
	s := "Enter " + label + "."
	if strings.HasPrefix(name, "defaultAddress.") && ab.Country != "" {
		s = "Enter " + label + ": addresses in " + countryName(ab.Country) + " need it."
	}
	return s
}

func forbiddenRole(e *csp.Error, _ about) string {
	var need []string
	for _, r := range strings.Split(data(e, "requiredRoles"), ",") {
		if n, ok := roleNames[csp.Role(r)]; ok {
			need = append(need, n)
		}
	}
	if len(need) == 0 {
		return kindMessages[csp.KindForbidden]
	}
	return "Your role does not allow this: it needs the role " + orList(need) + ". Ask your partner's admin agent."
}

func wrongAPI(e *csp.Error, _ about) string {
	switch {
	case strings.Contains(e.Message, "operator"):
		return "Only the operator may do this: sign in with the operator's key."
	case strings.Contains(e.Message, "partner"):
		return "This page is for partner users: sign in with a partner user's key."
	}
	return "This page is not for the key you signed in with."
}

func invalidState(e *csp.Error, ab about) string {
	s := "The state or province is not valid in " + countryName(ab.Country) + ": enter its code"
	if len(e.Data) > 0 {
		s += ", for example " + e.Data[0]
	}
	return s + "."
}

func invalidPostalCode(_ *csp.Error, ab about) string {
	s := "The postal code is not valid in " + countryName(ab.Country)
	if r, ok := csp.RulesFor(ab.Country); ok && r.PostalCodeExample != "" {
		s += ": write it like " + r.PostalCodeExample
	}
	return s + "."
}

func outsideMarkets(e *csp.Error, ab about) string {
	s := "Your partner account does not sell to customers in " + countryName(data(e, "country")) + "."
	if ab.Partner != nil {
		var ms []string
		for _, m := range ab.Partner.Markets() {
			ms = append(ms, string(m))
		}
		switch {
		case len(ms) == 1:
			s += " It sells only in the CSP market where it is registered: " + ms[0] + "."
		case len(ms) > 1:
			s += " It sells only in the CSP markets where it is registered: " + andList(ms) + "."
		}
	}
	return s
}

func segmentNotInPolicy(e *csp.Error, ab about) string {
	s := "Your partner account does not sell to " + data(e, "segment") + " customers."
	if ab.Partner != nil && ab.Partner.SalePolicy != nil && len(ab.Partner.SalePolicy.Segments) > 0 {
		var segs []string
		for _, v := range ab.Partner.SalePolicy.Segments {
			segs = append(segs, string(v))
		}
		s += " Its sale policy covers " + orList(segs) + " customers only."
	}
	return s
}

func regionNotInPolicy(e *csp.Error, ab about) string {
	if ab.Country != "" {
		return "Your partner account does not sell to customers in " + countryName(ab.Country) + ": its sale policy leaves out their tenant region."
	}
	return "Your partner account does not sell to customers whose tenant is in the " + data(e, "tenantRegion") + " region."
}

// verbs name a subscription action in "only an active subscription can ...".
var verbs = map[string]string{
	"cancel": "be cancelled", "suspend": "be suspended", "quantity": "have its seats changed",
	"autorenew": "have auto-renew changed", "schedule": "schedule its next term", "unschedule": "schedule its next term",
}

func notActive(_ *csp.Error, ab about) string {
	verb := verbs[ab.Action]
	if verb == "" {
		verb = "be changed"
	}
	s := "Only an active subscription can " + verb + "."
	if ab.Sub != nil {
		s = "This subscription is " + string(ab.Sub.Status) + ": only an active subscription can " + verb + "."
	}
	return s
}

func cancelClosed(_ *csp.Error, ab about) string {
	if ab.Sub == nil || !ab.Sub.HasTerm() {
		return "This subscription can no longer be cancelled: cancellation is possible only within 7 days of its purchase or renewal."
	}
	return "This subscription" + strings.TrimPrefix(cancelClosedText(ab.Sub), "It")
}

func trialNotCancellable(_ *csp.Error, ab about) string {
	if ab.Sub != nil {
		return "A trial cannot be cancelled: it ends by itself on " + formatDate(ab.Sub.TermEnd) + "."
	}
	return "A trial cannot be cancelled: it ends by itself at the end of its month."
}

func decreaseOutsideWindow(e *csp.Error, _ about) string {
	s := "No seats can be removed now"
	if n := data(e, "refundableQuantity"); n != "" && n != "0" {
		s = "You can remove at most " + n + " seat(s) now"
	}
	return s + ": seats can be removed only within 7 days of the purchase, increase or renewal that added them. " +
		"To have fewer seats later, schedule fewer seats for the next term."
}

func seatLimit(e *csp.Error, _ about) string { return sanitize(e.Message) }

func quantityUnchanged(_ *csp.Error, ab about) string {
	if ab.Sub != nil {
		return fmt.Sprintf("The subscription already has %d seats.", ab.Sub.Quantity)
	}
	return "The subscription already has that many seats."
}

func invalidSchedule(e *csp.Error, ab about) string {
	switch s := ab.Sub; {
	case s == nil:
	case s.IsTrial || !s.HasTerm():
		return "This subscription does not renew, so it has no next term to schedule."
	case !s.AutoRenew:
		return "This subscription has auto-renew off: turn auto-renew on first, because scheduled changes take effect when it renews."
	}
	return "This change cannot be scheduled for the next term: " + sanitize(e.Message)
}

// countryName is a country's English name, with "the" where English puts
// one ("the United States"); the code itself when unknown.
func countryName(code string) string {
	c, ok := csp.LookupCountry(code)
	if !ok {
		return code
	}
	n := c.Name
	if strings.HasPrefix(n, "United ") || strings.HasSuffix(n, " Republic") || strings.HasSuffix(n, "lands") || strings.HasSuffix(n, "ines") {
		n = "the " + n
	}
	return n
}

func andList(s []string) string { return joinList(s, "and") }

func orList(s []string) string { return joinList(s, "or") }

func joinList(s []string, word string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " " + word + " " + s[len(s)-1]
}
