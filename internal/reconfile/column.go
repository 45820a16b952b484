package reconfile

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// column is one column of a file of lines L: its header name, how a line's
// field is written and how a value is read (and validated) into it. The
// writer checks each value it writes with parse too, so an export is
// always a file the Reader takes back.
type column[L any] struct {
	name string
	// aliases are other header names read as this column (real exports
	// name some columns otherwise than Microsoft's pages).
	aliases []string
	// optional: the column may be absent from a header (older files);
	// its values then read as empty.
	optional bool
	format   func(*L) string
	parse    func(*L, string) error
}

func (c column[L]) alias(names ...string) column[L] { c.aliases = names; return c }
func (c column[L]) mayBeAbsent() column[L]          { c.optional = true; return c }

// text is free text, kept as written.
func text[L any](name string, f func(*L) *string) column[L] {
	return column[L]{name: name,
		format: func(l *L) string { return *f(l) },
		parse:  func(l *L, s string) error { *f(l) = s; return nil }}
}

// guid is a required id kept as text that must parse as a GUID.
func guid[L any](name string, f func(*L) *string) column[L] {
	return column[L]{name: name,
		format: func(l *L) string { return *f(l) },
		parse: func(l *L, s string) error {
			if err := checkGUID(s); err != nil {
				return err
			}
			*f(l) = s
			return nil
		}}
}

// date is a required M/D/YYYY date; optionalDate may be empty (the zero
// time).
func date[L any](name string, f func(*L) *time.Time) column[L] {
	c := optionalDate(name, f)
	parse := c.parse
	c.parse = func(l *L, s string) error {
		if s == "" {
			return errors.New("a date M/D/YYYY is required")
		}
		return parse(l, s)
	}
	return c
}

func optionalDate[L any](name string, f func(*L) *time.Time) column[L] {
	return column[L]{name: name,
		format: func(l *L) string { return formatDate(*f(l)) },
		parse: func(l *L, s string) error {
			if s == "" {
				*f(l) = time.Time{}
				return nil
			}
			t, err := parseDate(s)
			*f(l) = t
			return err
		}}
}

// amount is a required decimal, written with at least places decimals (0:
// as given).
func amount[L any](name string, places int32, f func(*L) *decimal.Decimal) column[L] {
	return column[L]{name: name,
		format: func(l *L) string { return formatFixed(*f(l), places) },
		parse: func(l *L, s string) error {
			if s == "" {
				return errors.New("a decimal number is required")
			}
			d, err := parseDecimal(s)
			*f(l) = d
			return err
		}}
}

// optionalAmount reads empty as zero (Partner Center leaves percentages
// without a credit empty).
func optionalAmount[L any](name string, f func(*L) *decimal.Decimal) column[L] {
	c := amount(name, 0, f)
	parse := c.parse
	c.parse = func(l *L, s string) error {
		if s == "" {
			*f(l) = decimal.Decimal{}
			return nil
		}
		return parse(l, s)
	}
	return c
}

func integer[L any](name string, f func(*L) *int) column[L] {
	return column[L]{name: name,
		format: func(l *L) string { return strconv.Itoa(*f(l)) },
		parse: func(l *L, s string) error {
			n, err := strconv.Atoi(s)
			if err != nil {
				return errors.New(strconv.Quote(s) + " is not an integer")
			}
			*f(l) = n
			return nil
		}}
}

// currency is a required ISO 4217 code, read in upper case.
func currency[L any](name string, f func(*L) *string) column[L] {
	return column[L]{name: name,
		format: func(l *L) string { return *f(l) },
		parse: func(l *L, s string) error {
			if err := checkCurrency(s); err != nil {
				return err
			}
			*f(l) = strings.ToUpper(s)
			return nil
		}}
}

// charge is ChargeType: one of Microsoft's on a licence file, any word
// on a usage file (anyWord).
func charge[L any](name string, anyWord bool, f func(*L) *string) column[L] {
	return column[L]{name: name,
		format: func(l *L) string { return *f(l) },
		parse: func(l *L, s string) (err error) {
			*f(l), err = chargeType(s, anyWord)
			return err
		}}
}

func frequency[L any](name string, f func(*L) *string) column[L] {
	return column[L]{name: name,
		format: func(l *L) string { return *f(l) },
		parse: func(l *L, s string) (err error) {
			*f(l), err = billingFrequency(s)
			return err
		}}
}

func qualifiers[L any](name string, f func(*L) *[]string) column[L] {
	return column[L]{name: name,
		format: func(l *L) string { return formatQualifiers(*f(l)) },
		parse: func(l *L, s string) (err error) {
			*f(l), err = parseQualifiers(s)
			return err
		}}
}

// names is the header line of cols.
func names[L any](cols []column[L]) []string {
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.name
	}
	return h
}
