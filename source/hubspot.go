package source

import (
	"context"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

//go:generate go tool -modfile=../tools/go.mod mockgen -source=hubspot.go -destination=../mock/source.go -package=mock

// ObjectReader is what the source needs of hubspot.ObjectsService: listing
// for the snapshot and for deletes, search for changes.
type ObjectReader interface {
	List(ctx context.Context, objectType string, opts hubspot.ListOptions) (*hubspot.ObjectPage, error)
	Search(ctx context.Context, objectType string, sr hubspot.SearchRequest) (*hubspot.SearchPage, error)
}

// OwnerReader is what the source needs of hubspot.OwnersService.
type OwnerReader interface {
	List(ctx context.Context, opts hubspot.OwnerListOptions) (*hubspot.OwnerPage, error)
}

var (
	_ ObjectReader = (*hubspot.ObjectsService)(nil)
	_ OwnerReader  = (*hubspot.OwnersService)(nil)
)
