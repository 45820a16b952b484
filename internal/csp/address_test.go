package csp

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testAddr builds a minimal address with the given country, state and postal code.
func testAddr(country, state, postal string) Address {
	return Address{
		Country:      country,
		City:         "Somewhere",
		State:        state,
		AddressLine1: "1 Main Street",
		PostalCode:   postal,
	}
}

func TestRulesFor(t *testing.T) {
	t.Run("every country has rules", func(t *testing.T) {
		for _, c := range Countries() {
			if _, ok := RulesFor(c.Code); !ok {
				t.Errorf("RulesFor(%q) not found", c.Code)
			}
		}
		if len(addressRules) != len(countries) {
			t.Errorf("%d address rules for %d countries", len(addressRules), len(countries))
		}
	})
	t.Run("every example postal code is valid", func(t *testing.T) {
		for _, c := range Countries() {
			r, _ := RulesFor(c.Code)
			state := ""
			if r.StateRequired {
				state = r.States[0]
			}
			if _, err := ValidateAddress(testAddr(c.Code, state, r.PostalCodeExample)); err != nil {
				t.Errorf("%s example %q: %v", c.Code, r.PostalCodeExample, err)
			}
		}
	})
	t.Run("US rules require state and postal code", func(t *testing.T) {
		got, ok := RulesFor("us")
		if !ok {
			t.Fatal(`RulesFor("us") not found`)
		}
		if got.Country != "US" || !got.StateRequired || len(got.States) != 52 || got.PhoneRequired {
			t.Errorf("RulesFor(us) = %+v", got)
		}
		want := []string{"country", "addressLine1", "city", "state", "postalCode"}
		if diff := cmp.Diff(want, got.RequiredFields); diff != "" {
			t.Errorf("US RequiredFields mismatch (-want +got):\n%s", diff)
		}
		if got.PostalCodeRegex != `^\d{5}(-\d{4})?$` {
			t.Errorf("US PostalCodeRegex = %q", got.PostalCodeRegex)
		}
	})
	t.Run("CA has 13 provinces and AU 8 states", func(t *testing.T) {
		ca, _ := RulesFor("CA")
		au, _ := RulesFor("AU")
		if len(ca.States) != 13 || len(au.States) != 8 {
			t.Errorf("CA states %d, AU states %d; want 13 and 8", len(ca.States), len(au.States))
		}
	})
	t.Run("HK and AE do not require a postal code", func(t *testing.T) {
		for _, code := range []string{"HK", "AE"} {
			r, _ := RulesFor(code)
			if slices.Contains(r.RequiredFields, "postalCode") || r.PostalCodeRegex != "" {
				t.Errorf("%s rules %+v require a postal code", code, r)
			}
		}
	})
	t.Run("unknown country has no rules", func(t *testing.T) {
		if _, ok := RulesFor("XX"); ok {
			t.Error(`RulesFor("XX") found`)
		}
	})
	t.Run("returned states are a copy", func(t *testing.T) {
		r, _ := RulesFor("US")
		r.States[0] = "ZZ"
		if r2, _ := RulesFor("US"); r2.States[0] == "ZZ" {
			t.Error("RulesFor shares the States slice with the table")
		}
	})
}

func TestValidateAddressValid(t *testing.T) {
	tests := []struct {
		name string
		in   Address
		want Address
	}{
		{"US address is valid", testAddr("US", "WA", "98052"), testAddr("US", "WA", "98052")},
		{"US ZIP+4 is valid", testAddr("US", "DC", "20500-0003"), testAddr("US", "DC", "20500-0003")},
		{"CA address is valid", testAddr("CA", "ON", "K1A 0B1"), testAddr("CA", "ON", "K1A 0B1")},
		{"GB address is valid", testAddr("GB", "", "EC1A 1BB"), testAddr("GB", "", "EC1A 1BB")},
		{"DE address is valid", testAddr("DE", "", "10115"), testAddr("DE", "", "10115")},
		{"FR address is valid", testAddr("FR", "", "75001"), testAddr("FR", "", "75001")},
		{"NL address is valid", testAddr("NL", "", "1012 AB"), testAddr("NL", "", "1012 AB")},
		{"IE address is valid", testAddr("IE", "", "D02 X285"), testAddr("IE", "", "D02 X285")},
		{"PL address is valid", testAddr("PL", "", "00-950"), testAddr("PL", "", "00-950")},
		{"JP address is valid", testAddr("JP", "", "100-0001"), testAddr("JP", "", "100-0001")},
		{"AU address is valid", testAddr("AU", "NSW", "2000"), testAddr("AU", "NSW", "2000")},
		{"NO address is valid", testAddr("NO", "", "0150"), testAddr("NO", "", "0150")},
		{"CH address is valid", testAddr("CH", "", "8001"), testAddr("CH", "", "8001")},
		{"HK address without postal code is valid", testAddr("HK", "", ""), testAddr("HK", "", "")},
		{"AE address without postal code is valid", testAddr("AE", "", ""), testAddr("AE", "", "")},
		{"free-text state is kept as given", testAddr("DE", "Bayern", "80331"), testAddr("DE", "Bayern", "80331")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateAddress(tt.in)
			if err != nil {
				t.Fatalf("ValidateAddress(%+v) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ValidateAddress mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateAddressGBPostcodes(t *testing.T) {
	for _, pc := range []string{"SW1A 1AA", "EC1A 1BB", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "GIR 0AA"} {
		t.Run(pc+" is valid", func(t *testing.T) {
			got, err := ValidateAddress(testAddr("GB", "", pc))
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if got.PostalCode != pc {
				t.Errorf("PostalCode = %q, want %q", got.PostalCode, pc)
			}
		})
	}
}

func TestValidateAddressNormalises(t *testing.T) {
	tests := []struct {
		name string
		in   Address
		want Address
	}{
		{"CA k1a0b1 becomes K1A 0B1", testAddr("CA", "on", "k1a0b1"), testAddr("CA", "ON", "K1A 0B1")},
		{"CA k1a  0b1 becomes K1A 0B1", testAddr("ca", "ON", " k1a  0b1 "), testAddr("CA", "ON", "K1A 0B1")},
		{"GB sw1a1aa becomes SW1A 1AA", testAddr("GB", "", "sw1a1aa"), testAddr("GB", "", "SW1A 1AA")},
		{"GB m11ae becomes M1 1AE", testAddr("gb", "", "m11ae"), testAddr("GB", "", "M1 1AE")},
		{"US state wa becomes WA", testAddr("us", "wa", "98052"), testAddr("US", "WA", "98052")},
		{"NL 1012ab becomes 1012 AB", testAddr("NL", "", "1012ab"), testAddr("NL", "", "1012 AB")},
		{"IE d02x285 becomes D02 X285", testAddr("IE", "", "d02x285"), testAddr("IE", "", "D02 X285")},
		{"MT vlt1117 becomes VLT1117", testAddr("MT", "", "vlt1117"), testAddr("MT", "", "VLT1117")},
		{"fields are trimmed", Address{
			Country: " de ", City: "  Berlin ", AddressLine1: " Unter den Linden 1 ", AddressLine2: "  ",
			PostalCode: " 10117 ", FirstName: " Anna ", PhoneNumber: " +49 30 1234 ",
		}, Address{
			Country: "DE", City: "Berlin", AddressLine1: "Unter den Linden 1",
			PostalCode: "10117", FirstName: "Anna", PhoneNumber: "+49 30 1234",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateAddress(tt.in)
			if err != nil {
				t.Fatalf("ValidateAddress(%+v) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ValidateAddress mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateAddressInvalid(t *testing.T) {
	noCity := testAddr("US", "WA", "98052")
	noCity.City = "  "
	noLine1 := testAddr("FR", "", "75001")
	noLine1.AddressLine1 = ""
	tests := []struct {
		name string
		in   Address
		want Code
	}{
		{"missing city fails", noCity, EMissingField},
		{"missing addressLine1 fails", noLine1, EMissingField},
		{"missing postalCode in DE fails", testAddr("DE", "", ""), EMissingField},
		{"missing US state fails", testAddr("US", "", "98052"), EMissingField},
		{"missing AU state fails", testAddr("AU", "", "2000"), EMissingField},
		{"missing CA province fails", testAddr("CA", "", "K1A 0B1"), EMissingField},
		{"unknown country fails", testAddr("XX", "", "12345"), EUnknownCountry},
		{"empty country fails", testAddr("", "", "12345"), EUnknownCountry},
		{"US state XX fails", testAddr("US", "XX", "98052"), EInvalidState},
		{"AU state NY fails", testAddr("AU", "NY", "2000"), EInvalidState},
		{"US ZIP 9805 fails", testAddr("US", "WA", "9805"), EInvalidPostalCode},
		{"US ZIP 98052-12 fails", testAddr("US", "WA", "98052-12"), EInvalidPostalCode},
		{"CA postal 12345 fails", testAddr("CA", "ON", "12345"), EInvalidPostalCode},
		{"CA postal with D fails", testAddr("CA", "ON", "D1A 0B1"), EInvalidPostalCode},
		{"GB postcode ABC fails", testAddr("GB", "", "ABC"), EInvalidPostalCode},
		{"DE postal 1234 fails", testAddr("DE", "", "1234"), EInvalidPostalCode},
		{"NL postal 1234 fails", testAddr("NL", "", "1234"), EInvalidPostalCode},
		{"FR postal 7500 fails", testAddr("FR", "", "7500"), EInvalidPostalCode},
		{"PL postal 00950 fails", testAddr("PL", "", "00950"), EInvalidPostalCode},
		{"PT postal 1000 fails", testAddr("PT", "", "1000"), EInvalidPostalCode},
		{"IE postal 12345 fails", testAddr("IE", "", "12345"), EInvalidPostalCode},
		{"JP postal 1000 fails", testAddr("JP", "", "1000"), EInvalidPostalCode},
		{"AU postal 200 fails", testAddr("AU", "NSW", "200"), EInvalidPostalCode},
		{"IN postal 012345 fails", testAddr("IN", "", "012345"), EInvalidPostalCode},
		{"BR postal 1310100 fails", testAddr("BR", "", "1310100"), EInvalidPostalCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateAddress(tt.in)
			if err == nil {
				t.Fatalf("ValidateAddress(%+v) = %+v, want error", tt.in, got)
			}
			if code := ErrorCode(err); code != tt.want {
				t.Errorf("ErrorCode = %d (%v), want %d", code, err, tt.want)
			}
		})
	}
}

func TestValidateAddressMessages(t *testing.T) {
	t.Run("missing field names defaultAddress field and country", func(t *testing.T) {
		_, err := ValidateAddress(testAddr("DE", "", ""))
		msg := ErrorMessage(err)
		if !strings.Contains(msg, "defaultAddress.postalCode") || !strings.Contains(msg, "DE") {
			t.Errorf("message %q should name defaultAddress.postalCode and DE", msg)
		}
	})
	t.Run("invalid postal code names value, country and example", func(t *testing.T) {
		_, err := ValidateAddress(testAddr("US", "WA", "9805"))
		msg := ErrorMessage(err)
		for _, want := range []string{`"9805"`, "US", `"98052"`} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q should contain %s", msg, want)
			}
		}
	})
	t.Run("invalid state names value and lists codes in data", func(t *testing.T) {
		_, err := ValidateAddress(testAddr("US", "xx", "98052"))
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %v is not *Error", err)
		}
		if !strings.Contains(e.Message, `"XX"`) || !strings.Contains(e.Message, "US") {
			t.Errorf("message %q should name \"XX\" and US", e.Message)
		}
		if len(e.Data) != 52 || !slices.Contains(e.Data, "WA") || !slices.Contains(e.Data, "PR") {
			t.Errorf("Data = %v, want the 52 US codes", e.Data)
		}
	})
	t.Run("unknown country names the given code", func(t *testing.T) {
		_, err := ValidateAddress(testAddr("xx", "", "1"))
		msg := ErrorMessage(err)
		if !strings.Contains(msg, `"xx"`) || !strings.Contains(msg, "ISO 3166 alpha-2") {
			t.Errorf("message %q should name \"xx\" and ask for an ISO 3166 alpha-2 code", msg)
		}
	})
}
