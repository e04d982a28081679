package hubspottest

import (
	"fmt"
	"slices"
)

// SetPropertyOptions replaces the options of an enumeration property, as
// someone editing the property in HubSpot (or PATCH
// /crm/v3/properties/{type}/{name} with options,
// https://developers.hubspot.com/docs/api/crm/properties) would: values
// written from then on are checked against the new options.
func (s *Server) SetPropertyOptions(objectType, name string, options []PropertyOption) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.types[objectType]
	if ts == nil {
		return unknownType(objectType).asError()
	}
	p, ok := ts.t.byName[name]
	if !ok {
		return notFound(fmt.Sprintf("property %s of %s does not exist", name, objectType)).asError()
	}
	p.Options = slices.Clone(options)
	ts.t.byName[name] = p
	ts.t.props[slices.IndexFunc(ts.t.props, func(q PropertyDef) bool { return q.Name == name })] = p
	return nil
}
