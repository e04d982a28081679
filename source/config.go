package source

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// Names of the source's own parameters.
const (
	KeyPollingPeriod  = "pollingPeriod"
	KeyBufferSize     = "bufferSize"
	KeyLookbackWindow = "lookbackWindow"

	KeyProperties      = "properties"
	KeyExtraProperties = "extraProperties"

	KeyDeletesPollingPeriod = "deletesPollingPeriod"
	KeyDailyReservePercent  = "dailyReservePercent"
)

// Config is the source's configuration.
type Config struct {
	sdk.DefaultSourceMiddleware
	config.Config

	// PollingPeriod is how long the source waits before it asks HubSpot for
	// changes again once it has caught up.
	PollingPeriod time.Duration `json:"pollingPeriod" default:"5s" check:"gt=0s"`
	// BufferSize is how many objects the source asks HubSpot for at once
	// (1 to 100).
	BufferSize int `json:"bufferSize" default:"100" validate:"gt=0,lt=101"`
	// Properties are the properties to read, separated by commas; empty
	// reads every property of the object type, as HubSpot's properties API
	// lists them, including the ones created while the pipeline runs.
	Properties []string `json:"properties"`
	// ExtraProperties are properties to read beyond the resource's default
	// ones, separated by commas, as the earlier HubSpot connector read
	// them. Set either properties or extraProperties.
	ExtraProperties []string `json:"extraProperties"`
	// Snapshot makes the source read every existing object before it
	// streams changes.
	Snapshot bool `json:"snapshot" default:"true"`
	// LookbackWindow is how far back each poll for changes reads again, to
	// catch changes that reached HubSpot's search index late.
	LookbackWindow time.Duration `json:"lookbackWindow" default:"30s" check:"gte=0s"`
	// Deletes makes the source emit delete records for archived objects.
	Deletes bool `json:"deletes" default:"true"`
	// DeletesPollingPeriod is how often the source reads HubSpot's list of
	// archived objects for deletes. The list cannot be filtered by time, so
	// each read costs one request per 100 objects archived in the last 90
	// days.
	DeletesPollingPeriod time.Duration `json:"deletesPollingPeriod" default:"1m" check:"gt=0s"`
	// DailyReservePercent is the share of the account's daily API quota, in
	// percent (0 to 99), that the source leaves to the account's other
	// integrations and to destinations. When what is left of the quota runs
	// low, the source stretches its polling period so that it stays above
	// the reserve until the quota resets (midnight in accountTimeZone), and
	// logs a warning saying so.
	DailyReservePercent int `json:"dailyReservePercent" default:"10" check:"min=0,max=99"`
}

// Validate checks the shared settings, the middleware settings and the
// source's own (their check tags).
func (c *Config) Validate(ctx context.Context) error {
	return errors.Join(config.NewChecker().Check(c), c.validateProperties(), c.DefaultSourceMiddleware.Validate(ctx))
}

// validateProperties refuses properties and extraProperties together: the
// one names every property to read, the other the ones beyond the defaults.
func (c *Config) validateProperties() error {
	if len(c.Properties) > 0 && len(c.ExtraProperties) > 0 {
		return fmt.Errorf("%q and %q are both set: set %q to the properties to read, or %q to the ones to read beyond the defaults",
			KeyProperties, KeyExtraProperties, KeyProperties, KeyExtraProperties)
	}
	return nil
}

// readerConfig checks that the source can read the configured resource and
// says how the reader reads it.
func (c *Config) readerConfig() (readerConfig, error) {
	res, err := c.HubSpotResource()
	if err != nil {
		return readerConfig{}, err
	}
	if !res.Ops.Has(hubspot.OpList) || (!res.IsOwners && !res.Ops.Has(hubspot.OpSearch)) {
		return readerConfig{}, fmt.Errorf("%q: the source cannot read %s", config.KeyResource, res.Name)
	}
	var fixed []string // nil: every property
	switch {
	case len(c.Properties) > 0:
		fixed = c.Properties
	case len(c.ExtraProperties) > 0:
		fixed = res.Properties(c.ExtraProperties)
	}
	var required []string
	for _, p := range []string{hubspot.ObjectIDProperty, res.CreatedProperty, res.ModifiedProperty} {
		if p != "" {
			required = append(required, p)
		}
	}
	if res.Merges {
		required = append(required, hubspot.MergedIDsProperty) // merges become deletes
	}
	return readerConfig{
		resource:     res,
		fixed:        fixed,
		required:     required,
		pageSize:     c.BufferSize,
		lookback:     c.LookbackWindow,
		snapshot:     c.Snapshot,
		deletes:      c.Deletes && res.Ops.Has(hubspot.OpListArchived),
		deletesEvery: c.DeletesPollingPeriod,
	}, nil
}
