package directory

import (
	"regexp"
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
)

// MaxAlias bounds the part of a user principal name before the @, as Entra
// ID does (64 characters); MaxUPN bounds the whole name (113).
const (
	MaxAlias = 64
	MaxUPN   = 113
)

// aliasPattern is what Entra ID accepts before the @: letters, digits and
// ' . - _ ! # ^ ~, not starting or ending with a period.
var aliasPattern = regexp.MustCompile(`^[A-Za-z0-9'\-_!#^~]([A-Za-z0-9'.\-_!#^~]*[A-Za-z0-9'\-_!#^~])?$`)

// CheckUPN checks that upn is alias@domain with domain one of the tenant's
// domains, and answers it with the domain in lower case.
func CheckUPN(upn string, domains []string) (string, error) {
	alias, domain, ok := strings.Cut(upn, "@")
	bad := func(why string) error {
		return csp.Errorf(csp.EUPNDomain, "userPrincipalName %q %s: use alias@%s", upn, why, domains[0])
	}
	switch {
	case !ok || alias == "":
		return "", bad("is not alias@domain")
	case len([]rune(alias)) > MaxAlias:
		return "", bad("has an alias longer than 64 characters")
	case len([]rune(upn)) > MaxUPN:
		return "", bad("is longer than 113 characters")
	case !aliasPattern.MatchString(alias) || strings.Contains(alias, ".."):
		return "", bad("has an alias with a character Entra ID does not allow (letters, digits and ' . - _ ! # ^ ~; no leading, trailing or double period)")
	}
	for _, d := range domains {
		if strings.EqualFold(domain, d) {
			return alias + "@" + d, nil
		}
	}
	return "", bad("is not in one of the tenant's domains (" + strings.Join(domains, ", ") + ")")
}

// CheckUsageLocation checks an ISO 3166 alpha-2 usage location ("" clears
// it) and answers it in upper case.
func CheckUsageLocation(loc string) (string, error) {
	if loc == "" {
		return "", nil
	}
	c, ok := csp.LookupCountry(loc)
	if !ok || len(loc) != 2 {
		return "", csp.Errorf(csp.EInvalidUsageLocation, "usageLocation %q is not an ISO 3166 alpha-2 country code (for example US, GB, DE)", loc)
	}
	return c.Code, nil
}

// CheckUser checks a user's texts: a display name is required, and every
// text is bounded. (A new user also needs a mailNickname: CheckNewUser.)
func CheckUser(u *csp.TenantUser) error {
	if strings.TrimSpace(u.DisplayName) == "" {
		return csp.Errorf(csp.EMissingField, "displayName is required")
	}
	return csp.CheckTexts(csp.TextField{Name: "displayName", Value: u.DisplayName, Max: csp.MaxName},
		csp.TextField{Name: "givenName", Value: u.GivenName, Max: 64}, csp.TextField{Name: "surname", Value: u.Surname, Max: 64},
		csp.TextField{Name: "mailNickname", Value: u.MailNickname, Max: MaxAlias})
}

// CheckPassword applies Entra ID's default password rule to a new user's
// password: 8 to 256 characters with three of upper case, lower case,
// digits and symbols. (The password is never stored: users act through
// keys; decision 77.)
func CheckPassword(pw string) error {
	n := len([]rune(pw))
	kinds := 0
	for _, class := range []func(rune) bool{
		func(r rune) bool { return r >= 'A' && r <= 'Z' }, func(r rune) bool { return r >= 'a' && r <= 'z' },
		func(r rune) bool { return r >= '0' && r <= '9' }, func(r rune) bool { return strings.ContainsRune("@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<> ", r) },
	} {
		if strings.ContainsFunc(pw, class) {
			kinds++
		}
	}
	if n < 8 || n > 256 || kinds < 3 {
		return csp.Errorf(csp.EInvalidField, "passwordProfile.password does not meet Entra ID's password rule: 8 to 256 characters with three of upper case letters, lower case letters, digits and symbols")
	}
	return nil
}

// CheckNewUser checks a user to create: CheckUser, and the mailNickname
// Graph requires.
func CheckNewUser(u *csp.TenantUser) error {
	if strings.TrimSpace(u.MailNickname) == "" {
		return csp.Errorf(csp.EMissingField, "mailNickname is required (the alias, for example ada)")
	}
	return CheckUser(u)
}
