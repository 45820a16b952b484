package csp

import (
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	tests := []struct {
		name, value string
		max         int
		want        Code // 0: accepted
	}{
		{"Empty", "", 10, 0},
		{"ASCIIAtLimit", strings.Repeat("a", 10), 10, 0},
		{"ASCIIOverLimit", strings.Repeat("a", 11), 10, ETooLong},
		// 33 emoji are 132 bytes but 33 characters: within 128 characters.
		{"EmojiCountedAsCharacters", strings.Repeat("😀", 33), 128, 0},
		{"EmojiOverLimit", strings.Repeat("😀", 129), 128, ETooLong},
		{"AccentsAtLimit", strings.Repeat("é", 256), 256, 0},
		{"NUL", "Contoso\x00Ltd", 256, EInvalidText},
		{"Tab", "Contoso\tLtd", 256, EInvalidText},
		{"Newline", "Contoso\nLtd", 256, EInvalidText},
		{"DEL", "Contoso\x7f", 256, EInvalidText},
		{"C1Control", "Contoso\u0085", 256, EInvalidText},
		{"InvalidUTF8", "Contoso\xff\xfe", 256, EInvalidText},
		{"TruncatedUTF8", "Caf\xc3", 256, EInvalidText},
		{"NonBreakingSpaceIsText", "Contoso\u00a0Ltd", 256, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckText("companyName", tt.value, tt.max)
			if tt.want == 0 {
				if err != nil {
					t.Fatalf("CheckText(%q) = %v, want nil", tt.value, err)
				}
				return
			}
			if ErrorCode(err) != tt.want {
				t.Fatalf("CheckText(%q) = %v, want code %d", tt.value, err, tt.want)
			}
			e := err.(*Error)
			if len(e.Data) != 1 || e.Data[0] != "field=companyName" || !strings.Contains(e.Message, "companyName") {
				t.Fatalf("error %+v does not name the field", e)
			}
		})
	}
}

func TestCheckTextPosition(t *testing.T) {
	err := CheckText("city", "Zürich\x00", 128)
	if err == nil || !strings.Contains(err.Error(), "NUL (U+0000) at position 7") {
		t.Fatalf("got %v, want the NUL named at character 7", err)
	}
}
