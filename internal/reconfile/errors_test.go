package reconfile_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/opencsp/opencsp/internal/reconfile"
)

// firstError reads text to its end and answers the first error, as an
// *Error.
func firstError(t *testing.T, text string) *reconfile.Error {
	t.Helper()
	var err error
	r, err := reconfile.NewReader(strings.NewReader(text))
	for err == nil {
		if r.Kind() == reconfile.Licence {
			_, err = r.ReadLicence()
		} else {
			_, err = r.ReadUsage()
		}
	}
	if errors.Is(err, io.EOF) {
		t.Fatal("the file read without an error")
	}
	var e *reconfile.Error
	if !errors.As(err, &e) {
		t.Fatalf("%v is not a *reconfile.Error", err)
	}
	return e
}

// Each malformed file names the line (the header is line 1; the sample's
// rows are lines 2 to 5) and the column at fault.
func TestMalformedFiles(t *testing.T) {
	sample := testdata(t, "licence.csv")
	sampleLines := strings.SplitAfter(sample, "\n")
	recs := records(t, "licence.csv")
	short := records(t, "licence.csv")
	short[3] = short[3][:30] // PartnerId … TermAndBillingCycle: EffectiveUnitPrice is the first missing
	noEnd := records(t, "licence.csv")
	end := field(t, recs[0], "ChargeEndDate")
	for i := range noEnd {
		noEnd[i] = append(noEnd[i][:end:end], noEnd[i][end+1:]...)
	}
	// Row 2 (lines 3-4) has a description over two lines: row 3 starts on
	// line 5.
	multi := records(t, "licence.csv")
	multi[2][field(t, recs[0], "SubscriptionDescription")] = "Seats for\nsales"
	multi[3][field(t, recs[0], "ChargeStartDate")] = "13/45/2026"

	twice := records(t, "licence.csv")
	for i := range twice {
		twice[i] = append(twice[i], twice[i][1])
	}
	twice[0][len(twice[0])-1] = "customerid"

	for _, tc := range []struct {
		name, text, column, message string
		line                        int
	}{
		{"bad date", withValue(t, "licence.csv", 2, "ChargeStartDate", "13/45/2026"), "ChargeStartDate", `"13/45/2026" is not a date M/D/YYYY`, 3},
		{"date in another order", withValue(t, "licence.csv", 1, "OrderDate", "2026/03/05"), "OrderDate", `"2026/03/05" is not a date M/D/YYYY`, 2},
		{"missing required date", withValue(t, "licence.csv", 1, "ChargeEndDate", ""), "ChargeEndDate", "a date M/D/YYYY is required", 2},
		{"decimal comma", withValue(t, "licence.csv", 4, "UnitPrice", "22,00"), "UnitPrice", `"22,00" is not a decimal number (a dot, no thousands separator)`, 5},
		{"thousands separator", withValue(t, "licence.csv", 1, "Subtotal", "1,060.40"), "Subtotal", `"1,060.40" is not a decimal number (a dot, no thousands separator)`, 2},
		{"exponent", withValue(t, "licence.csv", 1, "EffectiveUnitPrice", "2.2e1"), "EffectiveUnitPrice", `"2.2e1" is not a decimal number (a dot, no thousands separator)`, 2},
		{"not an integer", withValue(t, "licence.csv", 3, "Quantity", "5.5"), "Quantity", `"5.5" is not an integer`, 4},
		{"non-GUID CustomerId", withValue(t, "licence.csv", 2, "CustomerId", "contoso"), "CustomerId", `"contoso" is not a GUID`, 3},
		{"empty SubscriptionId", withValue(t, "licence.csv", 1, "SubscriptionId", ""), "SubscriptionId", "a GUID is required", 2},
		{"unknown ChargeType", withValue(t, "licence.csv", 1, "ChargeType", "upgrade"), "ChargeType", `"upgrade" is not a charge type of new-commerce reconciliation`, 2},
		{"two-letter currency", withValue(t, "licence.csv", 1, "Currency", "US"), "Currency", `"US" is not a 3-letter currency code`, 2},
		{"bad frequency", withValue(t, "licence.csv", 1, "BillingFrequency", "Quarterly"), "BillingFrequency", `"Quarterly" is not a billing frequency (Monthly, Annual or empty)`, 2},
		{"bad qualifiers", withValue(t, "licence.csv", 1, "ProductQualifiers", `["Trial"`), "ProductQualifiers", `"[\"Trial\"" is not a JSON list of strings`, 2},
		{"missing column", csvText(t, noEnd), "ChargeEndDate", "the header lacks this column", 1},
		{"column twice", csvText(t, twice), "CustomerId", "the header has this column twice", 1},
		{"too few fields", csvText(t, short), "EffectiveUnitPrice", "the row has 30 fields, the header 47", 4},
		{"too many fields", sampleLines[0] + sampleLines[1][:len(sampleLines[1])-1] + ",x\n", "", "the row has 48 fields, the header 47", 2},
		// Two GUIDs and their commas are 74 characters, "Contoso " 8 more:
		// the quote is character 83.
		{"bad quote", sampleLines[0] + sampleLines[1] + strings.Replace(sampleLines[2], "Contoso Ltd", `Contoso "Ltd"`, 1), "",
			`malformed CSV: bare " in non-quoted-field at character 83`, 3},
		// The quote opened on line 3 runs to the end of the file: line 4's
		// 566 characters and its newline.
		{"unclosed quote", sampleLines[0] + sampleLines[1] + strings.Replace(sampleLines[2], "Contoso Ltd", `"Contoso Ltd`, 1) + sampleLines[3], "",
			`malformed CSV: extraneous or missing " in quoted-field at character 568 of line 4`, 3},
		{"a row over two lines", csvText(t, multi), "ChargeStartDate", `"13/45/2026" is not a date M/D/YYYY`, 5},
		{"empty file", "", "", "the file is empty: it has no header line", 1},
		{"header of neither kind", "Date,Customer,Amount\n1/2/2026,Contoso,12.00\n", "",
			"the header is not a licence file's (it lacks ChargeType, BillableQuantity) nor a usage file's (it lacks UsageDate, MeterId)", 1},
		{"licence header with UsageDate", "ChargeType,BillableQuantity,UsageDate\n", "",
			"the header is not a licence file's (it has UsageDate) nor a usage file's (it lacks MeterId)", 1},
		{"usage: bad UsageDate", withValue(t, "usage.csv", 2, "UsageDate", "3/32/2026"), "UsageDate", `"3/32/2026" is not a date M/D/YYYY`, 3},
		{"usage: non-GUID EntitlementId", withValue(t, "usage.csv", 1, "EntitlementId", "b1c2d3e4"), "EntitlementId", `"b1c2d3e4" is not a GUID`, 2},
		{"usage: ChargeType not a word", withValue(t, "usage.csv", 1, "ChargeType", "usage fee"), "ChargeType", `"usage fee" is not a charge type (one word)`, 2},
		{"usage: bad PEC", withValue(t, "usage.csv", 1, "PartnerEarnedCreditPercentage", "15%"), "PartnerEarnedCreditPercentage", `"15%" is not a decimal number (a dot, no thousands separator)`, 2},
		{"usage: missing MeterName", strings.Replace(testdata(t, "usage.csv"), ",MeterName,", ",Meter,", 1), "MeterName", "the header lacks this column", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := firstError(t, tc.text)
			if e.Line != tc.line || e.Column != tc.column || e.Message != tc.message {
				t.Errorf("got line %d, column %q: %s\nwant line %d, column %q: %s", e.Line, e.Column, e.Message, tc.line, tc.column, tc.message)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	e := firstError(t, withValue(t, "licence.csv", 1, "ChargeStartDate", "13/45/2026"))
	if got := e.Error(); got != `line 2, column ChargeStartDate: "13/45/2026" is not a date M/D/YYYY` {
		t.Errorf("Error() = %s", got)
	}
	e = firstError(t, "")
	if got := e.Error(); got != "line 1: the file is empty: it has no header line" {
		t.Errorf("Error() = %s", got)
	}
}

// A refused row does not end the file: one pass lists every bad row, and
// Line follows the rows.
func TestReadingGoesOnAfterABadRow(t *testing.T) {
	recs := records(t, "licence.csv")
	recs[1][field(t, recs[0], "CustomerId")] = "contoso"
	recs[3][field(t, recs[0], "ChargeType")] = "upgrade"
	r, err := reconfile.NewReader(strings.NewReader(csvText(t, recs)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		l, err := r.ReadLicence()
		if errors.Is(err, io.EOF) {
			break
		}
		var e *reconfile.Error
		switch {
		case errors.As(err, &e):
			got = append(got, e.Column)
		case err != nil:
			t.Fatal(err)
		default:
			got = append(got, l.ChargeType)
		}
		if want := len(got) + 1; r.Line() != want {
			t.Errorf("Line() %d, want %d", r.Line(), want)
		}
	}
	if want := "CustomerId addQuantity ChargeType new"; strings.Join(got, " ") != want {
		t.Errorf("rows read %q, want %q", got, want)
	}
}

// A malformed CSV ends the file: the same error again, never a row.
func TestMalformedCSVEndsTheFile(t *testing.T) {
	lines := strings.SplitAfter(testdata(t, "licence.csv"), "\n")
	text := lines[0] + strings.Replace(lines[1], "Contoso Ltd", `Contoso "Ltd"`, 1) + lines[2]
	r, err := reconfile.NewReader(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	_, first := r.ReadLicence()
	_, second := r.ReadLicence()
	if first == nil || second != first {
		t.Errorf("first %v, then %v", first, second)
	}
}
