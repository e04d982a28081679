// Package destination is the HubSpot destination: OpenCDC records become
// batched HubSpot creates, updates, upserts and archives.
package destination

import (
	"context"
	"fmt"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// Destination is the SDK's face of the destination: it opens the writer
// of its one HubSpot resource (writer.go), or, routing, a router that
// writes each record with the writer of its own resource (route.go).
type Destination struct {
	sdk.UnimplementedDestination

	config     Config
	clientOpts []hubspot.Option
	now        func() time.Time

	client *hubspot.Client
	// writer writes the records: the resource's, or the router.
	writer writer
	// links makes the links records name; routing, every resource's
	// writer shares it.
	links *linker
}

// Option changes how a Destination is built; tests use them.
type Option func(*Destination)

// WithClientOptions adds options to the HubSpot client the destination
// builds, after the ones its configuration sets.
func WithClientOptions(opts ...hubspot.Option) Option {
	return func(d *Destination) { d.clientOpts = append(d.clientOpts, opts...) }
}

// WithClock replaces the wall clock by which links wait for their linked
// objects (associationsWait). Only its Now is read.
func WithClock(clock hubspot.Clock) Option {
	return func(d *Destination) { d.now = clock.Now }
}

// NewDestination returns a destination without the SDK's middleware.
func NewDestination(opts ...Option) *Destination {
	d := &Destination{now: time.Now}
	for _, opt := range opts {
		opt(d)
	}
	return d
}

// New returns the destination wrapped in the SDK's default middleware, as
// Conduit runs it.
func New() sdk.Destination {
	return sdk.DestinationWithMiddleware(NewDestination())
}

// Config returns the configuration the SDK parses into.
func (d *Destination) Config() sdk.DestinationConfig { return &d.config }

// Open reads the account's time zone unless accountTimeZone names it
// (config.OpenClient), and the resource's properties, which also checks the
// token, and checks idProperty against them. A routing destination opens each
// resource when the first record for it comes.
func (d *Destination) Open(ctx context.Context) error {
	router, err := newRouter(d.config.Resource)
	if err != nil {
		return fmt.Errorf("%q: %w", config.KeyResource, err)
	}
	var res hubspot.Resource
	if router == nil {
		if res, err = d.config.HubSpotResource(); err != nil {
			return err
		}
		if err := canWrite(res); err != nil {
			// Configure refuses it too; Open is called without it in
			// tests and by hosts that skip it.
			return fmt.Errorf("%q: %w", config.KeyResource, err)
		}
	}
	client, err := d.config.OpenClient(ctx, d.clientOpts...)
	if err != nil {
		return err
	}
	d.client = client // Teardown closes it, also after a failed Open
	d.links = newLinker(client.Associations, client.Objects, d.config, d.now)
	if router != nil {
		router.open = func(ctx context.Context, res hubspot.Resource) (writer, error) {
			cfg := d.config
			cfg.Resource = res.Name
			return d.openWriter(ctx, cfg, res, client)
		}
		d.writer = router
		return d.checkSignIn(ctx)
	}
	d.writer, err = d.openWriter(ctx, d.config, res, client)
	return err
}

// open is Open of a CRM object resource once the client exists; unit tests
// hand it mocks instead, so that they run the same checks as Open.
func (d *Destination) open(ctx context.Context, res hubspot.Resource, objects ObjectWriter, properties PropertyLister) error {
	w, err := openCRM(ctx, d.config, res, objects, properties, d.links, d.now)
	if err != nil {
		return err
	}
	d.writer = w
	return nil
}

// Teardown releases the HTTP connections, and warns of links still
// waiting; it works without Open too.
func (d *Destination) Teardown(ctx context.Context) error {
	d.links.close(ctx)
	if d.client != nil {
		d.client.Close()
	}
	return nil
}

// Write writes the records; see the writers' write. An error of signing in,
// a refresh token revoked while the pipeline runs, names its parameter.
// Links that wait for their linked objects are tried again once this
// Write's objects exist; links that waited longer than associationsWait
// fail it first, before it writes anything.
func (d *Destination) Write(ctx context.Context, recs []opencdc.Record) (int, error) {
	if err := d.links.expired(ctx); err != nil {
		return 0, err
	}
	n, err := d.writer.write(ctx, recs)
	d.links.retry(ctx, false)
	return n, d.config.Explain(err)
}
