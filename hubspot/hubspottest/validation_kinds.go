package hubspottest

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The rule types of the Property Validations API (the ruleType enum of
// PublicPropertyValidationRule, PublicApiSpecs/CRM/Property
// Validations/Rollouts/215885/2026-09/propertyValidations.json), with what
// HubSpot's guide says of them
// (https://developers.hubspot.com/docs/api-reference/crm-property-validations-v3/guide:
// the property types each applies to; AFTER_DURATION and the like take an
// ISO-8601 period such as ["P7D"]; ALPHANUMERIC one of ALPHANUMERIC,
// ALPHA_ONLY, NUMERIC_ONLY; MIN_LENGTH ["1"]; MIN_NUMBER ["1"]) and its
// knowledge base
// (https://knowledge.hubspot.com/properties/set-validation-rules-for-properties:
// text takes a minimum and a maximum character limit, numeric characters
// only, no special characters; numbers a range and a number of decimal
// places). HubSpot documents one refusal's code and message:
// INVALID_ALPHA, "Enter only letters", for a letters-only rule
// (https://developers.hubspot.com/changelog/upcoming-property-validations-rules-will-be-enforced-for-apis-and-integrations).
// Every other code and message below is a guess in its style, as are the
// arguments the guide's examples do not show. The rule types whose
// arguments or meaning no document gives (FORMAT, WHITESPACE, the date
// rules) are stored and served but not enforced.

// ruleKind is what the simulator knows of a rule type.
type ruleKind struct {
	// types are the property types the rule applies to.
	types []string
	// args checks a rule's arguments.
	args func(args []string) error
	// check judges a value HubSpot would store: the code and message of
	// its refusal, or ok. nil: not enforced.
	check func(args []string, v string) (code, message string, ok bool)
}

// ruleKindOf returns what the simulator knows of a rule type, or false
// for one the API does not have.
func ruleKindOf(ruleType string) (ruleKind, bool) {
	textTypes, numberTypes := []string{TypeString}, []string{TypeNumber}
	switch ruleType {
	case "MIN_LENGTH":
		return ruleKind{textTypes, oneCount, func(a []string, v string) (string, string, bool) {
			n, _ := strconv.Atoi(a[0])
			return "INVALID_MIN_LENGTH", fmt.Sprintf("Enter at least %d characters", n), utf8.RuneCountInString(v) >= n
		}}, true
	case "MAX_LENGTH":
		return ruleKind{textTypes, oneCount, func(a []string, v string) (string, string, bool) {
			n, _ := strconv.Atoi(a[0])
			return "INVALID_MAX_LENGTH", fmt.Sprintf("Enter at most %d characters", n), utf8.RuneCountInString(v) <= n
		}}, true
	case "ALPHANUMERIC":
		return ruleKind{textTypes, oneOf("ALPHANUMERIC", "ALPHA_ONLY", "NUMERIC_ONLY"), checkCharacters}, true
	case "SPECIAL_CHARACTERS":
		return ruleKind{textTypes, anyArgs, func(_ []string, v string) (string, string, bool) {
			return "INVALID_SPECIAL_CHARACTERS", "Special characters are not allowed", allRunes(v, letterDigitOrSpace)
		}}, true
	case "MIN_NUMBER", "MAX_NUMBER":
		least := ruleType == "MIN_NUMBER"
		return ruleKind{numberTypes, oneNumber, func(a []string, v string) (string, string, bool) {
			bound, _ := strconv.ParseFloat(a[0], 64)
			f, err := strconv.ParseFloat(v, 64)
			if least {
				return "INVALID_MIN_NUMBER", "Enter a number no less than " + a[0], err == nil && f >= bound
			}
			return "INVALID_MAX_NUMBER", "Enter a number no greater than " + a[0], err == nil && f <= bound
		}}, true
	case "DECIMAL":
		return ruleKind{numberTypes, oneCount, func(a []string, v string) (string, string, bool) {
			n, _ := strconv.Atoi(a[0])
			_, frac, _ := strings.Cut(v, ".")
			return "INVALID_DECIMAL", fmt.Sprintf("Enter a number with at most %d decimal places", n), len(frac) <= n
		}}, true
	case "REGEX":
		// HubSpot runs Java's patterns; RE2 reads the common ones alike.
		return ruleKind{textTypes, onePattern, func(a []string, v string) (string, string, bool) {
			re := regexp.MustCompile(`^(?:` + a[0] + `)$`)
			return "INVALID_REGEX", "Enter a value that matches " + a[0], re.MatchString(v)
		}}, true
	case "EMAIL":
		return ruleKind{textTypes, anyArgs, func(_ []string, v string) (string, string, bool) {
			return "INVALID_EMAIL", "Enter a valid email address", validEmail(v)
		}}, true
	case "EMAIL_ALLOWED_DOMAINS", "EMAIL_BLOCKED_DOMAINS":
		allowed := ruleType == "EMAIL_ALLOWED_DOMAINS"
		return ruleKind{textTypes, someArgs, func(a []string, v string) (string, string, bool) {
			_, domain, _ := strings.Cut(v, "@")
			return domainRule(allowed, "EMAIL", a, domain, false)
		}}, true
	case "URL":
		return ruleKind{textTypes, anyArgs, func(_ []string, v string) (string, string, bool) {
			return "INVALID_URL", "Enter a valid URL", urlHost(v) != ""
		}}, true
	case "URL_ALLOWED_DOMAINS", "URL_BLOCKED_DOMAINS":
		allowed := ruleType == "URL_ALLOWED_DOMAINS"
		return ruleKind{textTypes, someArgs, func(a []string, v string) (string, string, bool) {
			return domainRule(allowed, "URL", a, urlHost(v), true)
		}}, true
	case "PHONE_NUMBER_WITH_EXPLICIT_COUNTRY_CODE":
		return ruleKind{[]string{TypeString, TypePhoneNumber}, anyArgs, func(_ []string, v string) (string, string, bool) {
			return "INVALID_PHONE_NUMBER", "Enter a phone number that starts with + and its country code", explicitCountryCode(v)
		}}, true
	case "FORMAT", "WHITESPACE", "DOMAIN":
		return ruleKind{types: textTypes, args: anyArgs}, true
	case "AFTER_DURATION", "BEFORE_DURATION":
		return ruleKind{types: []string{TypeDate}, args: onePeriod}, true
	case "AFTER_DATETIME_DURATION", "BEFORE_DATETIME_DURATION":
		return ruleKind{types: []string{TypeDateTime}, args: onePeriod}, true
	case "START_DATE", "END_DATE", "DAYS_OF_WEEK":
		return ruleKind{types: []string{TypeDate, TypeDateTime}, args: anyArgs}, true
	case "START_DATETIME", "END_DATETIME":
		return ruleKind{types: []string{TypeDateTime}, args: anyArgs}, true
	}
	return ruleKind{}, false
}

func anyArgs([]string) error { return nil }

func someArgs(a []string) error {
	if len(a) == 0 {
		return fmt.Errorf("ruleArguments must name at least one domain")
	}
	return nil
}

func oneCount(a []string) error {
	if len(a) != 1 {
		return fmt.Errorf("ruleArguments must hold one number, got %d arguments", len(a))
	}
	if n, err := strconv.Atoi(a[0]); err != nil || n < 0 {
		return fmt.Errorf("ruleArguments must hold a whole number of zero or more, got %q", a[0])
	}
	return nil
}

func oneNumber(a []string) error {
	if len(a) != 1 {
		return fmt.Errorf("ruleArguments must hold one number, got %d arguments", len(a))
	}
	if _, err := strconv.ParseFloat(a[0], 64); err != nil {
		return fmt.Errorf("ruleArguments must hold a number, got %q", a[0])
	}
	return nil
}

func onePattern(a []string) error {
	if len(a) == 0 {
		return fmt.Errorf("ruleArguments must hold the pattern")
	}
	if _, err := regexp.Compile(a[0]); err != nil {
		return fmt.Errorf("ruleArguments[0] is not a regular expression: %w", err)
	}
	return nil
}

// periodPattern is an ISO-8601 period such as P7D or P1Y2M.
var periodPattern = regexp.MustCompile(`^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$`)

func onePeriod(a []string) error {
	if len(a) != 1 || a[0] == "P" || !periodPattern.MatchString(a[0]) {
		return fmt.Errorf("ruleArguments must hold one ISO-8601 period, such as P7D, got %q", a)
	}
	return nil
}

func oneOf(values ...string) func([]string) error {
	return func(a []string) error {
		if len(a) != 1 || !slices.Contains(values, a[0]) {
			return fmt.Errorf("ruleArguments must hold one of %s, got %q", strings.Join(values, ", "), a)
		}
		return nil
	}
}

// checkCharacters judges an ALPHANUMERIC rule. Whether letters-only
// allows spaces HubSpot does not say; a first name "Mary Ann" is a name,
// so the simulator allows them, and digits-only allows none.
func checkCharacters(a []string, v string) (string, string, bool) {
	switch a[0] {
	case "ALPHA_ONLY":
		return "INVALID_ALPHA", "Enter only letters", allRunes(v, func(r rune) bool { return unicode.IsLetter(r) || r == ' ' })
	case "NUMERIC_ONLY":
		return "INVALID_NUMERIC", "Enter only numbers", allRunes(v, unicode.IsDigit)
	}
	return "INVALID_ALPHANUMERIC", "Enter only letters and numbers", allRunes(v, letterDigitOrSpace)
}

func letterDigitOrSpace(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' }

func allRunes(v string, ok func(rune) bool) bool {
	for _, r := range v {
		if !ok(r) {
			return false
		}
	}
	return true
}

// validEmail reports whether v is one bare address.
func validEmail(v string) bool {
	a, err := mail.ParseAddress(v)
	return err == nil && a.Address == v && strings.Contains(v[strings.LastIndex(v, "@"):], ".")
}

// urlHost is the host of an absolute http(s) URL, or "".
func urlHost(v string) string {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// domainRule judges a domain against an allowed or blocked list, in any
// case; with subdomains, www.example.com is under example.com.
func domainRule(allowed bool, what string, domains []string, domain string, subdomains bool) (string, string, bool) {
	domain = strings.ToLower(domain)
	listed := slices.ContainsFunc(domains, func(d string) bool {
		d = strings.ToLower(strings.TrimSpace(d))
		return domain == d || subdomains && strings.HasSuffix(domain, "."+d)
	})
	list := strings.Join(domains, ", ")
	if allowed {
		return "INVALID_" + what + "_DOMAIN", "Enter a value at one of the domains " + list, domain != "" && listed
	}
	return "BLOCKED_" + what + "_DOMAIN", "Values at the domains " + list + " are not allowed", !listed
}

// explicitCountryCode reports whether v is a phone number written with
// its country code: +, then digits, with spaces, dashes, dots or
// brackets between them.
func explicitCountryCode(v string) bool {
	rest, ok := strings.CutPrefix(strings.TrimSpace(v), "+")
	digits := 0
	for _, r := range rest {
		switch {
		case unicode.IsDigit(r):
			digits++
		case !strings.ContainsRune(" -.()", r):
			return false
		}
	}
	return ok && digits >= 7
}
