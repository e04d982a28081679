package source

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	KeyDeletesRateShare     = "deletesRateShare"
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
	// SnapshotSearch makes the snapshot of a CRM object type read from
	// both ends of the id range at once: the list from the lowest id up,
	// and search from the highest down, on search's own rate limit (4
	// searches a second, 200 objects each), until the two meet. Turn it
	// off when other pipelines or integrations use the same token's search
	// limit, which HubSpot counts per token, not per pipeline.
	SnapshotSearch bool `json:"snapshotSearch" default:"true"`
	// LookbackWindow is how far back each poll for changes reads again, to
	// catch changes that reached HubSpot's search index late.
	LookbackWindow time.Duration `json:"lookbackWindow" default:"30s" check:"gte=0s"`
	// Deletes makes the source emit delete records for archived objects.
	Deletes bool `json:"deletes" default:"true"`
	// DeletesPollingPeriod is the least time between two reads of HubSpot's
	// list of archived objects for deletes; 0s (the default) leaves it to
	// the budget. The list cannot be filtered by time, so each read costs
	// one request per 100 objects archived in the last 90 days: a read that
	// takes one request comes about every two polling periods, taking a
	// poll's turn while the source is idle, and the further requests of a
	// longer read take a tenth of the client's rate limit (19 per 10 s).
	DeletesPollingPeriod time.Duration `json:"deletesPollingPeriod" default:"0s" check:"gte=0s"`
	// DeletesRateShare is the percentage of the client's rate limit that
	// the requests of a read of the archived objects beyond its first may
	// take, so that a large archive is read as often as that allows
	// without crowding out the other requests. At 100 the read goes as
	// fast as the client's own pacing lets it, taking turns with the
	// reads of changes while they have a backlog.
	DeletesRateShare int `json:"deletesRateShare" default:"10" check:"min=1,max=100"`
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
	checker := config.NewChecker()
	config.Across(checker, "readable", readable)
	return errors.Join(checker.Check(c), c.validateProperties(), c.DefaultSourceMiddleware.Validate(ctx))
}

// readable is the source's rule on resource: the source must read it. A
// name that is no resource is the resource rule's to report.
func readable(c Config) (string, error) {
	res, err := config.LookupResource(c.Resource)
	if err != nil {
		return "", nil //nolint:nilerr // an unknown name is the resource rule's to report
	}
	if err := canRead(res); err != nil {
		return config.KeyResource, err
	}
	return "", nil
}

// canRead says why the source cannot read a resource, or nil.
func canRead(res hubspot.Resource) error {
	switch {
	case res.Kind.IsCMS():
		return nil // read from the list, which filters and sorts by updatedAt
	case res.Kind != hubspot.KindCRMObject:
		return fmt.Errorf("the source cannot read %s yet (the destination writes it)", res.DisplayName())
	case !res.Ops.Has(hubspot.OpList) || (!res.IsOwners && !res.Ops.Has(hubspot.OpSearch)):
		return fmt.Errorf("the source cannot read %s", res.Name)
	}
	return nil
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
	if err := canRead(res); err != nil {
		return readerConfig{}, fmt.Errorf("%q: %w", config.KeyResource, err)
	}
	var fixed []string // nil: every property
	switch {
	case len(c.Properties) > 0:
		fixed = propertyNames(c.Properties)
	case len(c.ExtraProperties) > 0:
		fixed = res.Properties(propertyNames(c.ExtraProperties))
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
	deletesEvery := c.DeletesPollingPeriod
	if deletesEvery == 0 {
		deletesEvery = c.PollingPeriod // no sooner than a poll
	}
	return readerConfig{
		resource:       res,
		fixed:          fixed,
		required:       required,
		pageSize:       c.BufferSize,
		lookback:       c.LookbackWindow,
		snapshot:       c.Snapshot,
		snapshotSearch: c.SnapshotSearch && !res.IsOwners && res.Ops.Has(hubspot.OpSearch),
		deletes:        c.Deletes && res.Ops.Has(hubspot.OpListArchived),
		deletesEvery:   deletesEvery,
		deletesPerPage: deletesPerPage(hubspot.DefaultRateLimit(), c.DeletesRateShare),
	}, nil
}

// deletesPerPage is the time one page of the deletes scan takes of share
// percent of limit; 0 at 100, where the client's pacing is the scan's.
func deletesPerPage(limit hubspot.RateLimit, share int) time.Duration {
	if share >= 100 || share <= 0 || limit.Requests <= 0 {
		return 0
	}
	return limit.Per * 100 / time.Duration(limit.Requests*share)
}

// propertyNames are the names of a comma-separated list as a user writes
// it ("email, phone"): HubSpot's names hold no spaces, and a name with one
// would never be read, silently.
func propertyNames(list []string) []string {
	var out []string
	for _, n := range list {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}
