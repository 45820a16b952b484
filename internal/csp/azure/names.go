package azure

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/opencsp/opencsp/internal/csp"
)

// Naming rules as ARM enforces them (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules).
// Names are compared case-insensitively everywhere; storage account and SQL
// server names are lower case only.

// CheckGroupName applies the resource group rule: 1-90 characters, letters
// and digits (Unicode), underscores, hyphens, periods and parentheses, not
// ending in a period.
func CheckGroupName(name string) error {
	n := utf8.RuneCountInString(name)
	ok := n >= 1 && n <= 90 && !strings.HasSuffix(name, ".")
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_-.()", r) {
			ok = false
		}
	}
	if !ok {
		return csp.Errorf(csp.EAzureInvalidGroupName, "resource group name %q breaks ARM's rule: 1 to 90 characters, letters, digits, underscores, hyphens, periods and parentheses, not ending in a period", name)
	}
	return nil
}

// nameRule is one type's naming rule.
type nameRule struct {
	min, max int
	ok       func(name string) bool
	says     string
}

func asciiAlnum(r rune) bool { return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
func lowerOrDigit(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')
}

// every reports whether each rune of s passes f.
func every(s string, f func(rune) bool) bool {
	for _, r := range s {
		if !f(r) {
			return false
		}
	}
	return true
}

func first(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
func last(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }

// alnumDotDash is the rule shared by virtual machines and virtual networks:
// alphanumerics, underscores, periods and hyphens; start alphanumeric; end
// alphanumeric or underscore.
func alnumDotDash(s string) bool {
	return every(s, func(r rune) bool { return asciiAlnum(r) || strings.ContainsRune("_.-", r) }) &&
		asciiAlnum(first(s)) && (asciiAlnum(last(s)) || last(s) == '_')
}

var nameRules = map[Type]nameRule{
	TypeVirtualMachine: {1, 64, alnumDotDash,
		"1 to 64 characters: letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore"},
	TypeStorageAccount: {3, 24, func(s string) bool { return every(s, lowerOrDigit) },
		"3 to 24 characters: lower-case letters and digits only"},
	TypeSQLServer: {1, 63, func(s string) bool {
		return every(s, func(r rune) bool { return lowerOrDigit(r) || r == '-' }) && first(s) != '-' && last(s) != '-'
	}, "1 to 63 characters: lower-case letters, digits and hyphens, not starting or ending with a hyphen"},
	TypeSQLDatabase: {1, 128, func(s string) bool {
		return every(s, func(r rune) bool { return !unicode.IsControl(r) && !strings.ContainsRune(`<>*%&:\/?`, r) }) &&
			last(s) != '.' && last(s) != ' '
	}, `1 to 128 characters, none of <>*%&:\/? or control characters, not ending with a period or a space`},
	TypeVirtualNetwork: {2, 64, alnumDotDash,
		"2 to 64 characters: letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore"},
	TypeAppServicePlan: {1, 60, func(s string) bool { return every(s, func(r rune) bool { return asciiAlnum(r) || r == '-' }) },
		"1 to 60 characters: letters, digits and hyphens"},
	TypeWebApp: {2, 60, func(s string) bool {
		return every(s, func(r rune) bool { return asciiAlnum(r) || r == '-' }) && first(s) != '-' && last(s) != '-'
	}, "2 to 60 characters: letters, digits and hyphens, not starting or ending with a hyphen"},
}

// reservedDatabases are SQL Server's system databases.
var reservedDatabases = []string{"master", "model", "tempdb"}

// CheckName applies type t's naming rule to a resource's own name.
func CheckName(t Type, name string) error {
	rule, ok := nameRules[t]
	if !ok {
		return csp.Errorf(csp.EAzureUnknownResourceType, "the resource type %q is not one this program models: use %s", t, typeList())
	}
	n := utf8.RuneCountInString(name)
	if n < rule.min || n > rule.max || !rule.ok(name) {
		return csp.Errorf(csp.EAzureInvalidResourceName, "%s name %q breaks ARM's naming rule for %s: %s", t.Segments()[len(t.Segments())-1], name, t, rule.says)
	}
	if t == TypeSQLDatabase {
		for _, r := range reservedDatabases {
			if strings.EqualFold(name, r) {
				return csp.Errorf(csp.EAzureDatabaseNameReserved, "database name %q is reserved: master, model and tempdb are SQL Server's system databases; choose another name", name)
			}
		}
	}
	return nil
}

// CheckNames applies the naming rules to every name of a resource id: its
// group and each of its names (a database's server and its own).
func CheckNames(id ResourceID) error {
	if err := CheckGroupName(id.Group); err != nil {
		return err
	}
	if id.Type == "" {
		return nil
	}
	t := id.Type
	for i := len(id.Names) - 1; i >= 0; i-- {
		if err := CheckName(t, id.Names[i]); err != nil {
			return err
		}
		t, _ = t.Parent()
	}
	return nil
}

// Tag limits (learn.microsoft.com/azure/azure-resource-manager/management/tag-resources).
const (
	MaxTags        = 50
	MaxTagName     = 512
	MaxTagValue    = 256
	tagNameRefused = `<>%&\?/`
)

// CheckTags applies ARM's tag rules: at most 50 tags, names of 1 to 512
// characters without < > % & \ ? /, values of at most 256 characters.
func CheckTags(tags map[string]string) error {
	if len(tags) > MaxTags {
		return csp.Errorf(csp.EAzureInvalidTags, "a resource carries at most %d tags; this one has %d", MaxTags, len(tags))
	}
	for k, v := range tags {
		if n := utf8.RuneCountInString(k); n == 0 || n > MaxTagName || strings.ContainsAny(k, tagNameRefused) {
			return csp.Errorf(csp.EAzureInvalidTags, "tag name %q breaks ARM's rule: 1 to %d characters, none of < > %% & \\ ? /", k, MaxTagName)
		}
		if utf8.RuneCountInString(v) > MaxTagValue {
			return csp.Errorf(csp.EAzureInvalidTags, "the value of tag %q is longer than %d characters", k, MaxTagValue)
		}
	}
	return nil
}
