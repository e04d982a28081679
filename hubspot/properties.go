package hubspot

import (
	"context"
	"fmt"
)

// PropertiesService calls the properties endpoints (/crm/properties/{version}).
type PropertiesService struct {
	client *Client
}

// List returns every property of an object type.
func (s *PropertiesService) List(ctx context.Context, objectType string) ([]Property, error) {
	var res struct {
		Results []Property `json:"results"`
	}
	path := s.client.path(APIProperties, objectType)
	if err := s.client.get(ctx, path, nil, &res); err != nil {
		return nil, fmt.Errorf("list properties of %s: %w", objectType, err)
	}
	return res.Results, nil
}
