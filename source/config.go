package source

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// Names of the source's own parameters.
const (
	KeyPollingPeriod  = "pollingPeriod"
	KeyBufferSize     = "bufferSize"
	KeyLookbackWindow = "lookbackWindow"

	KeyResources = "resources"

	KeyProperties      = "properties"
	KeyExtraProperties = "extraProperties"

	KeyAssociations              = "associations"
	KeyAssociationsRefreshPeriod = "associationsRefreshPeriod"

	KeyDeletesPollingPeriod = "deletesPollingPeriod"
	KeyDeletesRateShare     = "deletesRateShare"
	KeyDailyReservePercent  = "dailyReservePercent"
	KeyHubDBDrafts          = "hubdbDrafts"
)

// Config is the source's configuration.
type Config struct {
	Middleware
	config.Config

	// Resources are the resources to read in one pipeline, separated by
	// commas, each a name resource takes; * reads every CRM object type the
	// access token can read and the account's custom objects (not owners,
	// CMS resources or pipelines: name those). Each record's
	// opencdc.collection is its resource's name. Set resource or resources.
	Resources []string `json:"resources"`
	// PollingPeriod is how long the source waits before it asks HubSpot for
	// changes again once it has caught up.
	PollingPeriod time.Duration `json:"pollingPeriod" default:"5s" check:"gt=0s"`
	// BufferSize is how many objects the source asks HubSpot for at once
	// (1 to 100).
	BufferSize int `json:"bufferSize" default:"100" validate:"gt=0,lt=101"`
	// Properties are the properties to read, separated by commas; empty
	// reads every property of the object type, as HubSpot's properties API
	// lists them, including the ones created while the pipeline runs. With
	// several resources, each name is qualified with its resource
	// (contacts.email), and a resource none names reads every property.
	Properties []string `json:"properties"`
	// ExtraProperties are properties to read beyond the resource's default
	// ones, separated by commas, as the earlier HubSpot connector read
	// them; qualified as in properties with several resources. Set either
	// properties or extraProperties.
	ExtraProperties []string `json:"extraProperties"`
	// Associations are the object types whose links each record carries in
	// its payload's associations field, separated by commas
	// (companies,deals): for each linked object its id and its association
	// labels. A type qualified with a resource (deals.companies) is read
	// for that resource's records only. Each page of objects costs one more
	// request per type. CRM object resources only; empty reads no links.
	Associations []string `json:"associations"`
	// AssociationsRefreshPeriod is how often the source reads every
	// object's links again, with associations set: HubSpot does not change
	// an object's last-modified time when only its links change, so such a
	// change comes as an update within this period (and the pass's length)
	// after it was made. 0s reads links only with the objects' changes: a
	// change of links alone then never comes.
	AssociationsRefreshPeriod time.Duration `json:"associationsRefreshPeriod" default:"1h" check:"gte=0s"`
	// Snapshot makes the source read every existing object before it
	// streams changes.
	Snapshot bool `json:"snapshot" default:"true"`
	// SnapshotSearch makes the snapshot of a CRM object type read from
	// both ends of the id range at once: the list from the lowest id up,
	// and search from the highest down, on search's own rate limit (5
	// searches a second, 200 objects each), until the two meet. That limit
	// is the account's, shared with every pipeline and integration that
	// searches (the source slows its searches when HubSpot refuses one for
	// it): turn this off to leave it to their reads of changes.
	SnapshotSearch bool `json:"snapshotSearch" default:"true"`
	// LookbackWindow is how far back each poll for changes reads again, to
	// catch changes that reached HubSpot's search index late.
	LookbackWindow time.Duration `json:"lookbackWindow" default:"30s" check:"gte=0s"`
	// Deletes makes the source emit delete records for archived objects
	// and for deactivated owners.
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
	DeletesRateShare int `json:"deletesRateShare" default:"10" validate:"gt=0,lt=101"`
	// DailyReservePercent is the share of the account's daily API quota, in
	// percent (0 to 99), that the source leaves to the account's other
	// integrations and to destinations. When what is left of the quota runs
	// low, the source stretches its polling period so that it stays above
	// the reserve until the quota resets (midnight in accountTimeZone), and
	// logs a warning saying so.
	DailyReservePercent int `json:"dailyReservePercent" default:"10" validate:"gt=-1,lt=100"`
	// HubDBDrafts, for the resource hubdb_tables, reads the tables' drafts,
	// edits not yet published and tables never published included,
	// instead of the published versions, which HubSpot's pages and public
	// API serve (the default). Changing it needs a new start: a position
	// holds the times of one list.
	HubDBDrafts bool `json:"hubdbDrafts" default:"false"`
}

// Validate checks the shared settings, the middleware settings and the
// source's own (their check tags).
func (c *Config) Validate(ctx context.Context) error {
	checker := config.NewChecker()
	config.Across(checker, "readable", readable)
	_, linksErr := c.linkTypes("")
	return errors.Join(checker.Check(c), c.validateProperties(), linksErr, c.Middleware.Validate(ctx))
}

// readable is the source's rule on resource and resources: one of them
// is set, and the source can read every resource they name. A resource
// name that is no resource is the resource rule's to report.
func readable(c Config) (string, error) {
	if _, param, err := c.resourceSet(); err != nil {
		return param, err
	}
	if c.Resource == "" {
		return "", nil
	}
	if config.IsTemplate(c.Resource) {
		return config.KeyResource, fmt.Errorf("is a template: the source reads the resources it names; list several in %q", KeyResources)
	}
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
	case res.Kind == hubspot.KindPipelines:
		return nil // the list read whole
	case res.Kind == hubspot.KindLists:
		return nil // the lists search, and each changed list's members
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

// readerConfig says how the reader reads res, one of the configured
// resources.
func (c *Config) readerConfig(res hubspot.Resource, set resourceSet) readerConfig {
	var fixed []string // nil: every property
	var typed typedNames
	switch {
	case len(c.Properties) > 0:
		fixed = set.properties(res, c.Properties)
		typed = typedNames{param: KeyProperties, names: fixed}
	case len(c.ExtraProperties) > 0:
		typed = typedNames{param: KeyExtraProperties, names: set.properties(res, c.ExtraProperties)}
		fixed = res.Properties(typed.names)
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
	var links []string
	if res.Kind == hubspot.KindCRMObject && !res.IsOwners {
		links, _ = c.linkTypes(res.Name) // Validate checked them
	}
	return readerConfig{
		links:          links,
		linksEvery:     c.AssociationsRefreshPeriod,
		resource:       res,
		fixed:          fixed,
		typed:          typed,
		required:       required,
		pageSize:       c.BufferSize,
		lookback:       c.LookbackWindow,
		snapshot:       c.Snapshot,
		snapshotSearch: c.SnapshotSearch && !res.IsOwners && res.Ops.Has(hubspot.OpSearch),
		drafts:         c.HubDBDrafts,
		deletes:        c.Deletes && (res.Ops.Has(hubspot.OpListArchived) || res.Kind == hubspot.KindPipelines || res.Kind == hubspot.KindLists),
		deletesEvery:   deletesEvery,
		deletesPerPage: deletesPerPage(hubspot.DefaultRateLimit(), c.DeletesRateShare),
	}
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

// linkTypes are the resource names of the types whose links the records
// of from carry (all of them, with from empty, for Validate): CRM object
// types, each once. An entry is a type ("companies"), which every
// resource read links to, or a type qualified with the resource it is of
// ("deals.companies"), so that one side of a pair names the link.
func (c *Config) linkTypes(from string) ([]string, error) {
	var out []string
	for _, entry := range propertyNames(c.Associations) {
		of, to, err := linkEntry(entry)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", KeyAssociations, err)
		}
		if from != "" && of != "" && of != from {
			continue
		}
		if !slices.Contains(out, to) {
			out = append(out, to)
		}
	}
	return out, nil
}

// linkEntry reads an entry of associations: a type, or one qualified with
// the resource whose records carry its links (of, "" for every resource).
func linkEntry(entry string) (of, to string, err error) {
	res, err := config.LookupResource(entry)
	if err != nil {
		from, name, qerr := qualified(entry)
		if qerr != nil {
			return "", "", err // the entry as a type says more
		}
		if res, err = config.LookupResource(name); err != nil {
			return "", "", err
		}
		of = from.Name
	}
	if res.Kind != hubspot.KindCRMObject || res.IsOwners {
		return "", "", fmt.Errorf("%s has no associations: name CRM object types, such as contacts or deals", res.DisplayName())
	}
	return of, res.Name, nil
}
