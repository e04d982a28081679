// Package destination is the HubSpot destination: OpenCDC records become
// batched HubSpot writes.
package destination

import (
	"context"
	"errors"

	sdk "github.com/conduitio/conduit-connector-sdk"
)

// Destination writes records to one HubSpot resource.
type Destination struct {
	sdk.UnimplementedDestination

	config Config
}

// New returns the destination wrapped in the SDK's default middleware.
func New() sdk.Destination {
	return sdk.DestinationWithMiddleware(&Destination{})
}

// Config returns the configuration the SDK parses into.
func (d *Destination) Config() sdk.DestinationConfig { return &d.config }

// errNotImplemented stands until the writer lands.
var errNotImplemented = errors.New("hubspot destination: writing is not implemented yet")

// Open is not implemented yet.
func (d *Destination) Open(context.Context) error { return errNotImplemented }

// Teardown has nothing to release yet.
func (d *Destination) Teardown(context.Context) error { return nil }
