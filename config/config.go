// Package config holds the settings that the HubSpot source and destination
// share, and builds the HubSpot client from them.
package config

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// Names of the shared parameters, as users write them in a pipeline.
const (
	KeyAccessToken = "accessToken"
	KeyResource    = "resource"
	KeyMaxRetries  = "maxRetries"
	KeyBaseURL     = "baseURL"
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
	client, err := hubspot.NewClient(c.AccessToken, append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("create HubSpot client: %w", err)
	}
	return client, nil
}
