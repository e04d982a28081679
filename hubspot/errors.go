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
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
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
// exchange an OAuth app's refresh token (a 400 such as BAD_REFRESH_TOKEN,
// for a revoked or unknown one): no retry helps until the settings change.
// Which setting it blames is the answer's Status.
func IsSignInRefused(err error) bool {
	var er *ErrorResponse
	return errors.As(err, &er) && er.Path == tokenPath && er.StatusCode == http.StatusBadRequest
}
