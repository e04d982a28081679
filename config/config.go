// Package config holds the settings that the HubSpot source and destination
// share, and builds the HubSpot client from them.
package config

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	_ "time/tzdata" // accountTimeZone names a zone on hosts without a zone database too

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// Names of the shared parameters, as users write them in a pipeline.
const (
	KeyAccessToken  = "accessToken"
	KeyClientID     = "clientId"
	KeyClientSecret = "clientSecret"
	KeyRefreshToken = "refreshToken"
	KeyResource     = "resource"
	KeyMaxRetries   = "maxRetries"
	KeyBaseURL      = "baseURL"
	KeyAPIVersion   = "apiVersion"

	KeyRateLimitPercent = "rateLimitPercent"
	KeyOnDailyLimit     = "onDailyLimit"
	KeyAccountTimeZone  = "accountTimeZone"
)

// The values of onDailyLimit.
const (
	OnDailyLimitPause = "pause"
	OnDailyLimitFail  = "fail"
)

// Config is what the source and the destination both need to reach HubSpot.
type Config struct {
	// AccessToken is the access token of a HubSpot private app with the
	// scopes the resource needs. Set it, or the three OAuth settings
	// (clientId, clientSecret, refreshToken), not both. It never appears in
	// logs or errors.
	AccessToken string `json:"accessToken"`
	// ClientID is the client id of a HubSpot OAuth app, to sign in as that
	// app with clientSecret and refreshToken instead of accessToken.
	ClientID string `json:"clientId"`
	// ClientSecret is the OAuth app's client secret. It never appears in
	// logs or errors.
	ClientSecret string `json:"clientSecret"`
	// RefreshToken is the refresh token the account granted the OAuth app;
	// the connector exchanges it for access tokens, which last 30 minutes,
	// and renews them before they expire. It never appears in logs or
	// errors.
	RefreshToken string `json:"refreshToken"`
	// Resource is the HubSpot resource to read or write: contacts, companies,
	// deals, tickets, products, line_items, quotes, calls, emails, meetings,
	// notes, tasks, the other standard CRM object types (leads, invoices,
	// orders, carts, ..., the README's table), owners and
	// feedback_submissions (source only),
	// url_redirects, blog_tags, blog_posts, blog_authors, landing_pages,
	// site_pages, hubdb_tables, the pipelines and their stages
	// (deal_pipelines, deal_pipeline_stages, ticket_pipelines,
	// ticket_pipeline_stages), or a custom object by its type id (2-12345)
	// or fully qualified name (p1234567_cars). Standard object type ids
	// (0-1 for contacts) and the names of the earlier Conduit HubSpot
	// connector (crm.contacts, crm.lineItems, crm.feedbackSubmissions,
	// cms.urlRedirects, cms.blogs.tags, cms.blogs.posts, cms.pages.landing,
	// cms.hubdb.tables, ...) are accepted too.
	// The source reads several resources with resources instead. The
	// destination takes a Go template over the record too, and, when
	// resource is empty, writes each record to the resource its
	// opencdc.collection names.
	Resource string `json:"resource" check:"omitempty,resource"`
	// MaxRetries is how many times a request that failed with a rate limit,
	// a server error or a network error is tried again (0 to 10: beyond
	// that a failing HubSpot would hold a pipeline for many minutes before
	// the error reaches it).
	MaxRetries int `json:"maxRetries" default:"4" validate:"gt=-1,lt=11"`
	// BaseURL is the HubSpot API host. Plain http is accepted only for
	// loopback hosts, such as a local HubSpot simulator.
	BaseURL string `json:"baseURL" default:"https://api.hubapi.com" check:"baseurl"`
	// APIVersion is the version of HubSpot's API the connector calls:
	// 2026-09, the latest date version, HubSpot's advice for new
	// integrations; 2026-03, the one before; or legacy, the numbered paths
	// (/crm/v3, /crm/v4) that HubSpot stops supporting in 2027 (v4 on 30
	// March, v1 to v3 in September). Pages and HubDB have no 2026-09 and
	// are called at 2026-03 then. From 2026-09 on, HubSpot also refuses
	// creates and updates without a property the account requires (on its
	// Create Record form, or by a conditional rule).
	APIVersion string `json:"apiVersion" default:"2026-09" validate:"inclusion=2026-09|2026-03|legacy"`
	// RateLimitPercent is the share of HubSpot's rate limits, in percent (1
	// to 100), that the connector may use: of the 10-second limit HubSpot's
	// rate-limit headers name, and of the search limit. Lower it to leave
	// headroom for other integrations of the same app.
	RateLimitPercent int `json:"rateLimitPercent" default:"100" validate:"gt=0,lt=101"`
	// OnDailyLimit is what the connector does when HubSpot refuses a request
	// because the account's daily quota is spent: pause waits until the
	// quota resets at midnight in the account's time zone and goes on,
	// logging a warning every 5 minutes; fail stops the pipeline with the
	// error. Either way the request is not retried into the limit.
	OnDailyLimit string `json:"onDailyLimit" default:"pause" validate:"inclusion=pause|fail"`
	// AccountTimeZone is the HubSpot account's time zone, as an IANA name
	// such as America/New_York: HubSpot resets the daily quota at midnight
	// there, and its headers do not say when. Empty (the default), the
	// connector reads it from the account's details when it opens; where it
	// cannot (a token without HubSpot's oauth scope), it assumes UTC and
	// logs a warning naming this parameter. Set it to save that call, or
	// when the warning asks.
	AccountTimeZone string `json:"accountTimeZone" check:"omitempty,timezone"`
}

// Validate checks every rule of the shared settings: the SDK's tags,
// which the parameter specification holds too (the retry range, the rate
// limit share, the choices), and what the specification cannot say, the way
// of signing in (signIn), the resource, the base URL and the time zone
// (NewChecker and the check tags). Every error names its parameter.
func (c *Config) Validate(context.Context) error {
	return NewChecker().Check(c)
}

// HubSpotResource returns the resource the configuration names.
func (c *Config) HubSpotResource() (hubspot.Resource, error) {
	r, err := LookupResource(c.Resource)
	if err != nil {
		return hubspot.Resource{}, fmt.Errorf("%q: %w", KeyResource, err)
	}
	return r, nil
}

// NewClient builds the HubSpot client the configuration describes; opts come
// after the configuration's own and may override them.
func (c *Config) NewClient(opts ...hubspot.Option) (*hubspot.Client, error) {
	version, err := hubspot.ParseAPIVersion(c.APIVersion) // "": a Config built without the specification's defaults
	if err != nil {
		return nil, fmt.Errorf("%q: %w", KeyAPIVersion, err)
	}
	base := []hubspot.Option{
		hubspot.WithBaseURL(c.BaseURL),
		hubspot.WithAPIVersion(version),
		hubspot.WithMaxRetries(c.MaxRetries),
		hubspot.WithLogger(slog.New(traceHandler{})),
	}
	if c.oauth() {
		base = append(base, hubspot.WithOAuth(c.ClientID, c.ClientSecret, c.RefreshToken))
	}
	if c.RateLimitPercent > 0 { // 0: a Config built without the specification's defaults
		base = append(base, hubspot.WithRateLimitShare(float64(c.RateLimitPercent)/100))
	}
	if c.OnDailyLimit != OnDailyLimitFail {
		base = append(base, hubspot.WithDailyLimitPause())
	}
	if c.AccountTimeZone != "" { // "": OpenClient reads the account's
		loc, err := LoadTimeZone(c.AccountTimeZone)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", KeyAccountTimeZone, err)
		}
		base = append(base, hubspot.WithAccountTimeZone(loc))
	}
	client, err := hubspot.NewClient(c.AccessToken, append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("create HubSpot client: %w", err)
	}
	return client, nil
}

// SignInParam names the parameter of the way the configuration signs in,
// for errors about what that sign-in may do (a missing scope).
func (c *Config) SignInParam() string {
	if c.oauth() {
		return KeyClientID
	}
	return KeyAccessToken
}

// oauth reports whether the configuration signs in as an OAuth app.
func (c *Config) oauth() bool {
	return c.ClientID != "" || c.ClientSecret != "" || c.RefreshToken != ""
}

// Explain says which parameter to change when HubSpot refused a request
// for the connector's settings: the sign-in (ExplainSignIn), or the API
// version when HubSpot no longer serves the numbered paths of
// apiVersion: legacy. Other errors come back as they are. The source and
// the destination pass their errors of Open, Read and Write through it.
func (c *Config) Explain(err error) error {
	var done *signInError
	if c.APIVersion == string(hubspot.VersionLegacy) && hubspot.IsVersionRetired(err) && !errors.As(err, &done) {
		return explainedf("HubSpot no longer serves the numbered API paths (parameter %q is %q): set %q to %q: %w",
			KeyAPIVersion, c.APIVersion, KeyAPIVersion, hubspot.DefaultAPIVersion, err)
	}
	return c.ExplainSignIn(err)
}

// ExplainSignIn says which parameter HubSpot refused when err is a refusal
// of the sign-in: a 401 for an access token, or the token endpoint's
// refusal of an OAuth app's refresh token, client id or secret. Other
// errors come back as they are. The source and the destination pass their
// errors of Open, Read and Write through it, so that a token revoked while
// the pipeline runs reads as clearly as a wrong one at the start.
func (c *Config) ExplainSignIn(err error) error {
	var er *hubspot.ErrorResponse
	var done *signInError
	switch {
	case err == nil || !errors.As(err, &er) || errors.As(err, &done):
		return err // nothing to explain, or explained already
	case hubspot.IsSignInRefused(err):
		return explainedf("HubSpot refused %s; no request can be made until it is replaced: %w", refusedSetting(hubspot.RefusedCredential(err)), err)
	case er.StatusCode == http.StatusUnauthorized && c.oauth():
		return explainedf("HubSpot refused the OAuth app's access token, also after a renewal (parameters %q, %q, %q): %w", KeyClientID, KeyClientSecret, KeyRefreshToken, err)
	case er.StatusCode == http.StatusUnauthorized:
		return explainedf("HubSpot refused the access token (parameter %q): %w", KeyAccessToken, err)
	}
	return err
}

// refusedSetting says what the token endpoint refused, and its parameters.
func refusedSetting(c hubspot.Credential) string {
	switch c {
	case hubspot.CredentialRefreshToken:
		return fmt.Sprintf("the refresh token: it was revoked (the app uninstalled or its access removed), or it is not one of this app's (parameter %q)", KeyRefreshToken)
	case hubspot.CredentialClientID:
		return fmt.Sprintf("the client id (parameter %q)", KeyClientID)
	case hubspot.CredentialClientSecret:
		return fmt.Sprintf("the client secret (parameter %q)", KeyClientSecret)
	case hubspot.CredentialClient:
		return fmt.Sprintf("the client id or its secret (parameters %q, %q)", KeyClientID, KeyClientSecret)
	}
	return fmt.Sprintf("the OAuth app's sign-in (parameters %q, %q, %q)", KeyClientID, KeyClientSecret, KeyRefreshToken)
}

// signInError is an error Explain explained: explaining it again
// would say the same twice.
type signInError struct{ err error }

func (e *signInError) Error() string { return e.err.Error() }
func (e *signInError) Unwrap() error { return e.err }

func explainedf(format string, args ...any) error {
	return &signInError{err: fmt.Errorf(format, args...)}
}
