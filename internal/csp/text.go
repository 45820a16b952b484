package csp

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Limits on text, in characters (Unicode code points), not bytes (DESIGN.md
// "Conventions").
const (
	MaxName         = 256 // names: company, partner, person, product
	MaxAddressLine  = 256 // address lines
	MaxCity         = 128
	MaxEmail        = 256
	MaxFriendlyName = 128
	MaxSearch       = 256 // the customer search q
	MaxShort        = 64  // codes and short fields: culture, language, state, postal code, phone
	MaxRequestID    = 128 // MS-RequestId (a GUID is expected), MS-CorrelationId
	MaxURL          = 2048
	// MaxText bounds any other string a request carries (descriptions in a
	// catalog document, say): a backstop, not a rule of its own.
	MaxText = 4096
)

// CheckText answers nil when v is valid UTF-8 with no control characters
// (NUL included) and at most max characters, else an error that names
// field and says which of these it breaks. An empty v passes.
func CheckText(field, v string, max int) error {
	if err := CheckChars(field, v); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(v); n > max {
		return Errorf(ETooLong, "%s is %d characters long: at most %d are allowed", field, n, max).WithData("field=" + field)
	}
	return nil
}

// CheckChars answers nil when v is valid UTF-8 with no control characters.
func CheckChars(field, v string) error {
	if !utf8.ValidString(v) {
		return Errorf(EInvalidText, "%s is not valid UTF-8: send text encoded as UTF-8", field).WithData("field=" + field)
	}
	for i, r := range v {
		if unicode.IsControl(r) {
			return Errorf(EInvalidText, "%s holds the control character %s at position %d: remove it", field, controlName(r), utf8.RuneCountInString(v[:i])+1).
				WithData("field=" + field)
		}
	}
	return nil
}

func controlName(r rune) string {
	if r == 0 {
		return "NUL (U+0000)"
	}
	return fmt.Sprintf("U+%04X", r)
}

// TextField is one field to check with CheckTexts.
type TextField struct {
	Name  string
	Value string
	Max   int
}

// CheckTexts checks fields in order and answers the first error.
func CheckTexts(fields ...TextField) error {
	for _, f := range fields {
		if err := CheckText(f.Name, f.Value, f.Max); err != nil {
			return err
		}
	}
	return nil
}
