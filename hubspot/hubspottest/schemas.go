package hubspottest

import (
	"fmt"
	"net/http"
	"strings"
)

// schemaJSON is a custom object schema as GET /crm/v3/schemas lists it
// (https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/schemas/get-schemas),
// without the properties and associations, which the source does not read.
type schemaJSON struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	ObjectTypeID       string `json:"objectTypeId"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Archived           bool   `json:"archived"`
}

// listSchemas serves GET /crm/v3/schemas: every custom object type, at
// once (the docs show no paging). A type added without a name is named
// after its id, as the docs do not say what HubSpot names one (every
// custom type has a name there).
func (s *Server) listSchemas(*http.Request) (int, any, *apiError) {
	out := pageJSON[schemaJSON]{Results: []schemaJSON{}}
	for _, c := range s.customs {
		name := c.name
		if name == "" {
			name = "object_" + strings.TrimPrefix(c.id, "2-")
		}
		out.Results = append(out.Results, schemaJSON{
			ID:                 strings.TrimPrefix(c.id, "2-"),
			Name:               name,
			ObjectTypeID:       c.id,
			FullyQualifiedName: fmt.Sprintf("p%d_%s", s.PortalID, name),
		})
	}
	return http.StatusOK, out, nil
}
