// Package config holds the settings that the HubSpot source and destination
// share, and builds the HubSpot client from them.
package config

import (
	"context"
	"fmt"
	"log/slog"
	"time"
	_ "time/tzdata" // accountTimeZone names a zone on hosts without a zone database too

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// Names of the shared parameters, as users write them in a pipeline.
const (
	KeyAccessToken = "accessToken"
	KeyResource    = "resource"
	KeyMaxRetries  = "maxRetries"
	KeyBaseURL     = "baseURL"

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
	// scopes the resource needs. It never appears in logs or errors.
	AccessToken string `json:"accessToken" validate:"required"`
	// Resource is the HubSpot resource to read or write: contacts, companies,
	// deals, tickets, products, line_items, quotes, calls, emails, meetings,
	// notes, tasks, owners (source only), or a custom object by its type id
	// (2-12345) or fully qualified name (p1234567_cars). Standard object type
	// ids (0-1 for contacts) and the spelling of the earlier Conduit HubSpot
	// connector (crm.contacts, crm.lineItems) are accepted too.
	Resource string `json:"resource" validate:"required" check:"resource"`
	// MaxRetries is how many times a request that failed with a rate limit,
	// a server error or a network error is tried again (0 to 10: beyond
	// that a failing HubSpot would hold a pipeline for many minutes before
	// the error reaches it).
	MaxRetries int `json:"maxRetries" default:"4" check:"min=0,max=10"`
	// BaseURL is the HubSpot API host. Plain http is accepted only for
	// loopback hosts, such as a local HubSpot simulator.
	BaseURL string `json:"baseURL" default:"https://api.hubapi.com" check:"baseurl"`
	// RateLimitPercent is the share of HubSpot's rate limits, in percent (1
	// to 100), that the connector may use: of the 10-second limit HubSpot's
	// rate-limit headers name, and of the search limit. Lower it to leave
	// headroom for other integrations of the same app.
	RateLimitPercent int `json:"rateLimitPercent" default:"100" check:"min=1,max=100"`
	// OnDailyLimit is what the connector does when HubSpot refuses a request
	// because the account's daily quota is spent: pause waits until the
	// quota resets at midnight in the account's time zone and goes on,
	// logging a warning every 5 minutes; fail stops the pipeline with the
	// error. Either way the request is not retried into the limit.
	OnDailyLimit string `json:"onDailyLimit" default:"pause" validate:"inclusion=pause|fail"`
	// AccountTimeZone is the HubSpot account's time zone, as an IANA name
	// such as America/New_York: HubSpot resets the daily quota at midnight
	// there, and its headers do not say when.
	AccountTimeZone string `json:"accountTimeZone" default:"UTC" check:"timezone"`
}

// Validate checks what the parameter specification cannot: the access
// token, the resource, the retry range and the base URL (NewChecker and the
// check tags). Every error names its parameter.
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
	base := []hubspot.Option{
		hubspot.WithBaseURL(c.BaseURL),
		hubspot.WithMaxRetries(c.MaxRetries),
		hubspot.WithLogger(slog.New(traceHandler{})),
	}
	if c.RateLimitPercent > 0 { // 0: a Config built without the specification's defaults
		base = append(base, hubspot.WithRateLimitShare(float64(c.RateLimitPercent)/100))
	}
	if c.OnDailyLimit != OnDailyLimitFail {
		base = append(base, hubspot.WithDailyLimitPause())
	}
	if c.AccountTimeZone != "" {
		loc, err := time.LoadLocation(c.AccountTimeZone)
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
