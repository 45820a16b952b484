package reconfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// dateLayout is Partner Center's M/D/YYYY, no leading zeros.
const dateLayout = "1/2/2006"

// formatDate writes t's UTC date; the zero time (no date) is empty.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(dateLayout)
}

// parseDate reads M/D/YYYY, and the ISO forms some tools write instead
// (2020-10-03, 2020-10-03T00:00:00Z); the answer is midnight UTC of that
// date.
func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{dateLayout, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		// The date as the tool wrote it: its time of day is not a date's.
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date M/D/YYYY", s)
}

// isPlainDecimal reports whether s is digits with an optional minus sign
// and an optional dot and decimals: no exponent, no thousands separator,
// no comma for a dot, which decimal.NewFromString would otherwise take or
// misread.
func isPlainDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	return allDigits(whole) && (!dot || allDigits(frac))
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseDecimal(s string) (decimal.Decimal, error) {
	if !isPlainDecimal(s) {
		return decimal.Decimal{}, fmt.Errorf("%q is not a decimal number (a dot, no thousands separator)", s)
	}
	return decimal.NewFromString(s)
}

// formatFixed writes d with at least places decimals, and more when it
// has more: an export never rounds an amount it was given.
func formatFixed(d decimal.Decimal, places int32) string {
	if !d.Round(places).Equal(d) {
		return d.String()
	}
	return d.StringFixed(places)
}

func checkGUID(s string) error {
	if s == "" {
		return errors.New("a GUID is required")
	}
	if uuid.Validate(s) != nil {
		return fmt.Errorf("%q is not a GUID", s)
	}
	return nil
}

// checkCurrency wants an ISO 4217 code: three letters (upper case once
// read).
func checkCurrency(s string) error {
	if len(s) != 3 || !isLetter(s[0]) || !isLetter(s[1]) || !isLetter(s[2]) {
		return fmt.Errorf("%q is not a 3-letter currency code", s)
	}
	return nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// licenceChargeTypes are the charge types of new-commerce reconciliation
// lines, by their lower-case form: files are matched case-insensitively
// and written in Microsoft's camelCase.
var licenceChargeTypes = func() map[string]string {
	m := map[string]string{}
	for _, c := range []string{"new", "renew", "cycleCharge", "addQuantity", "removeQuantity", "moveQuantity",
		"cancelImmediate", "convert", "changeBillingPlan", "customerCredit", "extendTerm"} {
		m[strings.ToLower(c)] = c
	}
	return m
}()

// chargeType reads a licence line's charge type (one of Microsoft's) or,
// with anyWord, a usage line's (any word; Microsoft's are still written in
// their camelCase).
func chargeType(s string, anyWord bool) (string, error) {
	if c, ok := licenceChargeTypes[strings.ToLower(s)]; ok {
		return c, nil
	}
	if anyWord && isWord(s) {
		return s, nil
	}
	if anyWord {
		return "", fmt.Errorf("%q is not a charge type (one word)", s)
	}
	return "", fmt.Errorf("%q is not a charge type of new-commerce reconciliation", s)
}

// isWord: letters, digits, '_' and '-', at least one.
func isWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && (c < '0' || c > '9') && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// billingFrequency is Monthly, Annual or empty (one-time, prepaid upfront
// and unbilled lines carry none).
func billingFrequency(s string) (string, error) {
	for _, f := range []string{"", "Monthly", "Annual"} {
		if strings.EqualFold(s, f) {
			return f, nil
		}
	}
	return "", fmt.Errorf("%q is not a billing frequency (Monthly, Annual or empty)", s)
}

// formatQualifiers writes Microsoft's JSON array text (["Trial"]), empty
// when there is none.
func formatQualifiers(q []string) string {
	if len(q) == 0 {
		return ""
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(q) // a []string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// parseQualifiers reads the JSON array and, as some tools write, a
// semicolon list (Trial;Promotion). None is nil.
func parseQualifiers(s string) ([]string, error) {
	if strings.HasPrefix(strings.TrimSpace(s), "[") {
		var q []string
		if err := json.Unmarshal([]byte(s), &q); err != nil {
			return nil, fmt.Errorf("%q is not a JSON list of strings", s)
		}
		if len(q) == 0 {
			return nil, nil
		}
		return q, nil
	}
	var q []string
	for p := range strings.SplitSeq(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			q = append(q, p)
		}
	}
	return q, nil
}
