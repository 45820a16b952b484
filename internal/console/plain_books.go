package console

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
)

// bookSaying is a price book's refusal with its JSON paths in the form's
// words: "items[1].marginPercent 100: ..." is "Item 2's margin 100: ...".
func bookSaying(e *csp.Error, _ about) string {
	s := bookPath.ReplaceAllStringFunc(e.Message, func(m string) string {
		g := bookPath.FindStringSubmatch(m)
		n, _ := strconv.Atoi(g[2])
		what := map[string]string{"items": "item", "promotions": "promotion"}[g[1]] + " " + strconv.Itoa(n+1)
		if g[3] != "" {
			what += "'s " + bookFields[g[3]]
		}
		return what
	})
	for _, f := range []string{"defaultMarkupPercent", "defaultMarginPercent", "markupPercent", "marginPercent", "fixedUnitPrice", "productId", "startDate", "endDate"} {
		s = strings.ReplaceAll(s, f, bookFields[f])
	}
	return sanitize(s)
}

var (
	bookPath   = regexp.MustCompile(`\b(items|promotions)\[(\d+)\](?:\.(\w+))?`)
	bookFields = map[string]string{"defaultMarkupPercent": "the default markup", "defaultMarginPercent": "the default margin",
		"markupPercent": "markup", "marginPercent": "margin", "fixedUnitPrice": "fixed price", "productId": "product",
		"discountPercent": "discount", "startDate": "start day", "endDate": "end day"}
)
