package hubspot

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ErrorResponse is an error HubSpot answered with: any status outside 2xx.
// Bodies that are not HubSpot JSON (an HTML page from the edge, say) still
// give an ErrorResponse, with the status and a short description of the body.
type ErrorResponse struct {
	// StatusCode is the HTTP status; Method and Path name the request.
	StatusCode int    `json:"-"`
	Method     string `json:"-"`
	Path       string `json:"-"`

	Status        string              `json:"status"`
	Message       string              `json:"message"`
	CorrelationID string              `json:"correlationId"`
	Category      string              `json:"category"`
	SubCategory   json.RawMessage     `json:"subCategory,omitempty"`
	Context       map[string][]string `json:"context,omitempty"`
	Errors        []ErrorDetail       `json:"errors,omitempty"`

	// ErrorType and PolicyName come with a 429 ("RATE_LIMIT",
	// "TEN_SECONDLY_ROLLING").
	ErrorType  string `json:"errorType,omitempty"`
	PolicyName string `json:"policyName,omitempty"`

	// OAuthError and OAuthErrorDescription are RFC 6749's error and
	// error_description (section 5.2), which HubSpot's token endpoint sends
	// beside status and message (changelog "New OAuth v3 API endpoints and
	// standardized error responses"): invalid_grant for a refused refresh
	// token, invalid_client for a refused client id or secret.
	OAuthError            string `json:"-"`
	OAuthErrorDescription string `json:"-"`
	// Links names documents about the error, such as "knowledge-base"
	// (the Error schema of every spec in HubSpot's collection).
	Links map[string]string `json:"-"`

	// RetryAfter is the wait HubSpot asked for in a Retry-After header.
	RetryAfter time.Duration `json:"-"`
	// DailyLimit is the account's daily request limit, from the
	// X-HubSpot-RateLimit-Daily header (0 when absent).
	DailyLimit int `json:"-"`
}

// ErrorDetail is one entry of an error's errors list, or one per-input error
// of a batch result.
type ErrorDetail struct {
	Status      string              `json:"status,omitempty"`
	Category    string              `json:"category,omitempty"`
	SubCategory json.RawMessage     `json:"subCategory,omitempty"`
	Code        string              `json:"code,omitempty"`
	Message     string              `json:"message"`
	In          string              `json:"in,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
	Errors      []ErrorDetail       `json:"errors,omitempty"`
}

// Error implements error. It says what was asked, what HubSpot answered and
// the correlation id HubSpot support asks for.
func (e *ErrorResponse) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "hubspot: %s %s: %d", e.Method, e.Path, e.StatusCode)
	switch {
	case e.OAuthError != "":
		// The token endpoint's: RFC 6749's code says what was refused,
		// HubSpot's older status code (BAD_REFRESH_TOKEN) says it again
		// for those who search for it.
		fmt.Fprintf(&b, " %s", e.OAuthError)
		if e.Status != "" && e.Status != "error" && e.Status != e.OAuthError {
			fmt.Fprintf(&b, " (%s)", e.Status)
		}
	case e.Category != "":
		fmt.Fprintf(&b, " %s", e.Category)
	case e.ErrorType != "":
		fmt.Fprintf(&b, " %s", e.ErrorType)
	case e.Status != "" && e.Status != "error":
		// The token endpoint's code, such as BAD_REFRESH_TOKEN.
		fmt.Fprintf(&b, " %s", e.Status)
	default:
		fmt.Fprintf(&b, " %s", http.StatusText(e.StatusCode))
	}
	switch d := e.OAuthErrorDescription; {
	case e.Message != "" && d != "" && !strings.Contains(e.Message, d):
		fmt.Fprintf(&b, ": %s; %s", e.Message, d)
	case e.Message != "":
		fmt.Fprintf(&b, ": %s", e.Message)
	case d != "":
		fmt.Fprintf(&b, ": %s", d)
	}
	for _, d := range e.Errors {
		if d.Message != "" && !strings.Contains(e.Message, d.Message) {
			fmt.Fprintf(&b, "; %s", d.Message)
		}
	}
	if e.isDailyLimit() {
		b.WriteString("; the account's daily API limit")
		if e.DailyLimit > 0 {
			fmt.Fprintf(&b, " of %d requests", e.DailyLimit)
		}
		b.WriteString(" is spent, for every app and integration of the account: HubSpot resets it at midnight in the account's time zone," +
			" and refuses every request until then, so the client does not retry; raise the limit (API limit increase add-on) or lower the load")
	}
	if e.CorrelationID != "" {
		fmt.Fprintf(&b, " (correlation id %s)", e.CorrelationID)
	}
	return b.String()
}

// isDailyLimit reports whether HubSpot refused the request because the
// account's daily quota is spent (a 429 with policyName DAILY).
func (e *ErrorResponse) isDailyLimit() bool {
	return e.StatusCode == http.StatusTooManyRequests && strings.EqualFold(e.PolicyName, "DAILY")
}

// Error implements error for a per-input batch error.
func (d ErrorDetail) Error() string {
	var b strings.Builder
	if d.Category != "" {
		b.WriteString(d.Category)
	} else {
		b.WriteString(d.Code)
	}
	if d.Message != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(d.Message)
	}
	return b.String()
}

// IDs returns the object ids or input ids the error names in its context.
func (d ErrorDetail) IDs() []string { return d.Context["ids"] }

// PropertyNames returns every property named in the error's context or in
// the context of its details, such as the read-only properties of a
// READ_ONLY_VALUE error.
func (e *ErrorResponse) PropertyNames() []string {
	return propertyNames(e.Context, e.Errors)
}

// PropertyNames is ErrorResponse.PropertyNames for a batch error.
func (d ErrorDetail) PropertyNames() []string {
	return propertyNames(d.Context, d.Errors)
}

func propertyNames(ctx map[string][]string, details []ErrorDetail) []string {
	seen := map[string]bool{}
	var names []string
	add := func(ctx map[string][]string) {
		for _, n := range ctx["propertyName"] {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	add(ctx)
	for _, d := range details {
		add(d.Context)
	}
	return names
}

// StatusCode returns the HTTP status of an *ErrorResponse in err's chain, or
// 0 when there is none (a network error, say).
func StatusCode(err error) int {
	var er *ErrorResponse
	if errors.As(err, &er) {
		return er.StatusCode
	}
	return 0
}

// IsNotFound reports whether err is HubSpot's 404.
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }

// IsVersionRetired reports whether err is HubSpot's answer to a path of a
// version it no longer serves. HubSpot documents the dates its numbered
// paths end (VersionTable) but not the answer then; 410 Gone, the HTTP
// status of a resource gone for good, is a guess.
func IsVersionRetired(err error) bool { return StatusCode(err) == http.StatusGone }

// IsRateLimited reports whether err is HubSpot's 429.
func IsRateLimited(err error) bool { return StatusCode(err) == http.StatusTooManyRequests }

// IsDailyLimit reports whether err is HubSpot's 429 for a spent daily limit
// (policyName DAILY). It is never retried: the quota comes back at midnight
// in the account's time zone.
func IsDailyLimit(err error) bool {
	var er *ErrorResponse
	return errors.As(err, &er) && er.isDailyLimit()
}

// IsSignInRefused reports whether HubSpot's token endpoint refused to
// exchange an OAuth app's refresh token (invalid_grant for a revoked or
// unknown one, invalid_client for a wrong client id or secret): no retry
// helps until a setting changes. RefusedCredential says which.
func IsSignInRefused(err error) bool {
	var er *ErrorResponse
	return errors.As(err, &er) && er.refusesSignIn()
}

// refusesSignIn reports whether e is the token endpoint's refusal: a 400,
// RFC 6749's status for every token error, or a 401, which it allows for
// invalid_client (section 5.2).
func (e *ErrorResponse) refusesSignIn() bool {
	return e.Path == tokenPath && (e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnauthorized)
}

// Credential is a setting of an OAuth app's sign-in.
type Credential int

// The settings the token endpoint can refuse.
const (
	// CredentialUnknown is any of them: the answer does not say which.
	CredentialUnknown Credential = iota
	// CredentialRefreshToken is the refresh token (invalid_grant).
	CredentialRefreshToken
	// CredentialClientID is the client id.
	CredentialClientID
	// CredentialClientSecret is the client secret.
	CredentialClientSecret
	// CredentialClient is the client id or its secret: RFC 6749's
	// invalid_client does not say which.
	CredentialClient
)

// RefusedCredential says which setting the token endpoint refused when
// IsSignInRefused(err), from HubSpot's own code where it sends one (it is
// the more precise) or else from RFC 6749's.
func RefusedCredential(err error) Credential {
	var er *ErrorResponse
	if !errors.As(err, &er) || !er.refusesSignIn() {
		return CredentialUnknown
	}
	switch er.Status {
	case "BAD_REFRESH_TOKEN":
		return CredentialRefreshToken
	case "BAD_CLIENT_ID":
		return CredentialClientID
	case "BAD_CLIENT_SECRET":
		return CredentialClientSecret
	}
	switch er.OAuthError {
	case "invalid_grant":
		return CredentialRefreshToken
	case "invalid_client", "unauthorized_client":
		return CredentialClient
	}
	return CredentialUnknown
}

// decodeOptional reads the fields of an error body that only some answers
// carry, each on its own, so that a body where one of them has another
// type still decodes as HubSpot's standard error.
func (e *ErrorResponse) decodeOptional(body []byte) {
	var oauth struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &oauth) == nil {
		e.OAuthError, e.OAuthErrorDescription = oauth.Error, oauth.Description
	}
	var links struct {
		Links map[string]string `json:"links"`
	}
	if json.Unmarshal(body, &links) == nil {
		e.Links = links.Links
	}
}
