// Package source is the HubSpot source: a snapshot of one resource, then its
// changes as OpenCDC records.
package source

import (
	"context"
	"errors"

	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// Source reads one HubSpot resource.
type Source struct {
	sdk.UnimplementedSource

	config Config
}

// New returns the source wrapped in the SDK's default middleware.
func New() sdk.Source {
	return sdk.SourceWithMiddleware(&Source{})
}

// Config returns the configuration the SDK parses into.
func (s *Source) Config() sdk.SourceConfig { return &s.config }

// errNotImplemented stands until the snapshot and CDC readers land.
var errNotImplemented = errors.New("hubspot source: reading is not implemented yet")

// Open is not implemented yet.
func (s *Source) Open(context.Context, opencdc.Position) error { return errNotImplemented }

// Teardown has nothing to release yet.
func (s *Source) Teardown(context.Context) error { return nil }
