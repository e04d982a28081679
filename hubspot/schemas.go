package hubspot

import (
	"context"
	"fmt"
)

// SchemasService calls the custom object schemas API (/crm-object-schemas/{version}/schemas),
// which lists the account's custom object types
// (https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/schemas/get-schemas).
// Reading it takes the crm.schemas.custom.read scope.
type SchemasService struct {
	client *Client
}

// ObjectSchema is a custom object type as the schemas API describes it; only
// the fields that name it are decoded.
type ObjectSchema struct {
	ID string `json:"id"`
	// Name is the type's internal name ("cars").
	Name string `json:"name"`
	// ObjectTypeID is the type id paths take ("2-12345").
	ObjectTypeID string `json:"objectTypeId"`
	// FullyQualifiedName is p{portalId}_{name} ("p1234567_cars").
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Archived           bool   `json:"archived,omitempty"`
}

// List returns the account's custom object schemas. The API answers all of
// them at once: it documents no paging.
func (s *SchemasService) List(ctx context.Context) ([]ObjectSchema, error) {
	var page struct {
		Results []ObjectSchema `json:"results"`
	}
	if err := s.client.get(ctx, s.client.path(APISchemas), nil, &page); err != nil {
		return nil, fmt.Errorf("list custom object schemas: %w", err)
	}
	return page.Results, nil
}
