package destination

import (
	"context"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

//go:generate go tool -modfile=../tools/go.mod mockgen -source=hubspot.go -destination=../mock/destination.go -package=mock

// ObjectWriter is what the destination needs of hubspot.ObjectsService.
type ObjectWriter interface {
	BatchRead(ctx context.Context, objectType string, r hubspot.BatchReadRequest) (*hubspot.BatchResult, error)
	BatchCreate(ctx context.Context, objectType string, inputs []hubspot.BatchInput) (*hubspot.BatchResult, error)
	BatchUpdate(ctx context.Context, objectType string, inputs []hubspot.BatchInput) (*hubspot.BatchResult, error)
	BatchUpsert(ctx context.Context, objectType string, inputs []hubspot.BatchInput) (*hubspot.BatchResult, error)
	BatchArchive(ctx context.Context, objectType string, ids []string) error
}

// PropertyLister is what the destination needs of hubspot.PropertiesService:
// the properties of the resource, to check records against.
type PropertyLister interface {
	List(ctx context.Context, objectType string) ([]hubspot.Property, error)
}

// LinkWriter is what the destination needs of hubspot.AssociationsService:
// the links records name are made, read (replace mode) and removed.
type LinkWriter interface {
	BatchRead(ctx context.Context, fromType, toType string, ids []string) (*hubspot.AssociationsRead, error)
	AssociateDefault(ctx context.Context, fromType, toType string, pairs []hubspot.AssociationPair) (*hubspot.AssociationsWrite, error)
	Create(ctx context.Context, fromType, toType string, inputs []hubspot.AssociationInput) (*hubspot.AssociationsWrite, error)
	Archive(ctx context.Context, fromType, toType string, pairs []hubspot.AssociationPair) (*hubspot.AssociationsWrite, error)
	ArchiveLabels(ctx context.Context, fromType, toType string, inputs []hubspot.AssociationInput) (*hubspot.AssociationsWrite, error)
	Labels(ctx context.Context, fromType, toType string) ([]hubspot.AssociationType, error)
}

var (
	_ ObjectWriter   = (*hubspot.ObjectsService)(nil)
	_ PropertyLister = (*hubspot.PropertiesService)(nil)
	_ LinkWriter     = (*hubspot.AssociationsService)(nil)
)
