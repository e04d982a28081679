package destination

import (
	"context"
	"errors"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// Names of the destination's own parameters.
const (
	KeyIDProperty         = "idProperty"
	KeyIDFromBareKey      = "idFromBareKey"
	KeyReadOnlyProperties = "readOnlyProperties"
	KeyHubDBPublish       = "hubdbPublish"
	KeyAssociationsMode   = "associationsMode"
	KeyAssociationsWait   = "associationsWait"
)

// AssociationsMode is what the destination does with the links of an
// object that its record's associations field no longer names.
type AssociationsMode string

// The values of associationsMode.
const (
	AssociationsAdd     AssociationsMode = "add"
	AssociationsReplace AssociationsMode = "replace"
)

// ReadOnlyMode is what the destination does with a record that sets a
// read-only property.
type ReadOnlyMode string

// The values of readOnlyProperties.
const (
	ReadOnlyFail ReadOnlyMode = "fail"
	ReadOnlySkip ReadOnlyMode = "skip"
)

// Config is the destination's configuration.
type Config struct {
	sdk.DefaultDestinationMiddleware
	config.Config

	// IDProperty is a unique property, such as email for contacts. When set,
	// the record key holds its value, and creates and updates become batch
	// upserts keyed on it, so that delivering a record twice is harmless.
	IDProperty string `json:"idProperty"`
	// IDFromBareKey lets a record key that does not name idProperty stand
	// in for the idProperty value of a record whose payload has none: raw
	// bytes (a file source's line number, a Kafka key) or a key whose
	// field has another name. Off, such a record fails alone, with an
	// error naming it, idProperty and where the value was looked for, and
	// nothing is sent for it; a key with a field named as idProperty, and
	// the id in the key of a record read by a HubSpot source (a mirror's
	// idProperty holds it; for contacts' email, on deletes only), stand in
	// either way. Turn it on only when every
	// key is the unique value, or unrelated records become one object.
	IDFromBareKey bool `json:"idFromBareKey" default:"false"`
	// ReadOnlyProperties says what to do with a record that sets a property
	// HubSpot does not let anyone write: fail names the properties in an
	// error; skip leaves them out, so that records read from one HubSpot
	// account can be written to another.
	ReadOnlyProperties ReadOnlyMode `json:"readOnlyProperties" default:"fail" validate:"inclusion=fail|skip"`
	// HubDBPublish, for the resource hubdb_tables, publishes each table the
	// destination creates or updates, so that HubSpot's pages and public
	// API serve what the records say; false leaves the changes in the
	// tables' drafts, for someone to review and publish in HubSpot. A
	// delete archives a table's draft and published version alike.
	HubDBPublish bool `json:"hubdbPublish" default:"true"`
	// AssociationsMode says what a record's associations field (the objects
	// it links to, by type) does to the object's links: add creates the
	// links it names and keeps the others; replace also removes, for each
	// type it names, the links to objects of that type it does not name,
	// so that a mirror's links stay exact. Types it does not name are left
	// alone.
	AssociationsMode AssociationsMode `json:"associationsMode" default:"add" validate:"inclusion=add|replace"`
	// AssociationsWait is how long a link to an object that does not exist
	// yet (one written later in the pipeline) is kept and tried again at
	// each later write; after it, a write fails with an error naming both
	// ends. Pending links are kept in memory only.
	AssociationsWait time.Duration `json:"associationsWait" default:"5m" check:"gt=0s"`
}

// Validate checks the shared settings, the middleware settings and that the
// resource can be written at all.
func (c *Config) Validate(ctx context.Context) error {
	checker := config.NewChecker()
	config.Across(checker, "writable", writable)
	return errors.Join(checker.Check(c), c.DefaultDestinationMiddleware.Validate(ctx))
}

// writable is the destination's rule on resource: a template, empty (the
// records' collections name the resources), or a resource HubSpot lets be
// written. A name that is no resource is the resource rule's to report.
func writable(c Config) (string, error) {
	router, err := newRouter(c.Resource)
	switch {
	case err != nil:
		return config.KeyResource, err
	case router != nil:
		return "", nil
	}
	r, err := config.LookupResource(c.Resource)
	if err != nil {
		return "", nil //nolint:nilerr // an unknown name is the resource rule's to report
	}
	if err := canWrite(r); err != nil {
		return config.KeyResource, err
	}
	if err := canUpsert(r, c.IDProperty); err != nil {
		return KeyIDProperty, err
	}
	return "", nil
}
