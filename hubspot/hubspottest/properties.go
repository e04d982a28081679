package hubspottest

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"time"
)

// The properties API (https://developers.hubspot.com/docs/api/crm/properties):
// list, read, create and archive a type's properties while a test runs.
//
// An archived property goes to HubSpot's recycling bin ("Move a property
// identified by {propertyName} to the recycling bin",
// https://developers.hubspot.com/docs/api-reference/latest/crm/properties/delete-property.md).
// HubSpot does not document what object reads show of it; the simulator
// treats it as a property the type does not have: reads leave it out even
// when properties= names it, as they leave out unknown names ("If any of
// the specified properties are not present on the requested object(s),
// they will be ignored", HubSpot's Node client,
// https://github.hubspot.com/hubspot-api-nodejs/classes/crm_deals.BasicApi.html#getById),
// writes to it fail as to an unknown property, and search cannot filter or
// sort on it. The stored values stay, unseen.

// propertyJSON is a property definition on the wire.
type propertyJSON struct {
	Name                 string               `json:"name"`
	Label                string               `json:"label"`
	Type                 string               `json:"type"`
	FieldType            string               `json:"fieldType"`
	Description          string               `json:"description"`
	GroupName            string               `json:"groupName"`
	Options              []PropertyOption     `json:"options"`
	Calculated           bool                 `json:"calculated"`
	ExternalOptions      bool                 `json:"externalOptions"`
	HasUniqueValue       bool                 `json:"hasUniqueValue"`
	Hidden               bool                 `json:"hidden"`
	FormField            bool                 `json:"formField"`
	ModificationMetadata modificationMetadata `json:"modificationMetadata"`
	CreatedAt            string               `json:"createdAt"`
	UpdatedAt            string               `json:"updatedAt"`
	Archived             bool                 `json:"archived"`
	ArchivedAt           string               `json:"archivedAt,omitempty"`
}

type modificationMetadata struct {
	Archivable         bool `json:"archivable"`
	ReadOnlyDefinition bool `json:"readOnlyDefinition"`
	ReadOnlyValue      bool `json:"readOnlyValue"`
}

// propertyCreateBody is the body of POST /crm/v3/properties/{type}.
type propertyCreateBody struct {
	Name           string           `json:"name"`
	Label          string           `json:"label"`
	Type           string           `json:"type"`
	FieldType      string           `json:"fieldType"`
	GroupName      string           `json:"groupName"`
	Description    string           `json:"description"`
	Options        []PropertyOption `json:"options"`
	HasUniqueValue bool             `json:"hasUniqueValue"`
}

// maxUniqueProperties is how many unique properties a type may have
// (docs/hubspot.md, "Uniqueness": at most 10 per object type).
const maxUniqueProperties = 10

// propertyNamePattern is what HubSpot takes as an internal name: lowercase
// letters, digits and underscores, starting with a letter, at most 100
// characters (https://hubhorizon.io/blog/hubspot-property-naming-conventions,
// after HubSpot's knowledge base; HubSpot's API reference does not spell
// the rule out).
var propertyNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,99}$`)

// defaultFieldType is the form field HubSpot shows for a property type
// when a definition names none.
func defaultFieldType(typ string) string {
	switch typ {
	case TypeNumber:
		return "number"
	case TypeDate, TypeDateTime:
		return "date"
	case TypeBool:
		return "booleancheckbox"
	case TypeEnumeration:
		return "select"
	case TypePhoneNumber:
		return "phonenumber"
	default:
		return "text"
	}
}

// propertyEpoch is when the simulator says HubSpot's own properties were
// made.
var propertyEpoch = time.Date(2019, 8, 6, 2, 43, 14, 0, time.UTC)

func (t *objectType) propertyOut(p PropertyDef) propertyJSON {
	out := propertyJSON{
		Name: p.Name, Label: p.Label, Type: p.Type, FieldType: p.FieldType, GroupName: p.GroupName,
		Description: p.Description, Options: slices.Clone(p.Options),
		Calculated:     p.ReadOnly && p.Name != t.created && p.Name != t.modified && p.Name != "hs_object_id",
		HasUniqueValue: p.Unique && !p.UnlistedUnique, FormField: !p.ReadOnly,
		ModificationMetadata: modificationMetadata{Archivable: t.archivable(p), ReadOnlyDefinition: true, ReadOnlyValue: p.ReadOnly},
		CreatedAt:            formatTime(propertyEpoch), UpdatedAt: formatTime(propertyEpoch),
		Archived: p.Archived,
	}
	if out.Label == "" {
		out.Label = p.Name
	}
	if out.FieldType == "" {
		out.FieldType = defaultFieldType(p.Type)
	}
	if out.GroupName == "" {
		out.GroupName = informationGroup(t.name)
	}
	if out.Options == nil {
		out.Options = []PropertyOption{}
	}
	if p.Archived {
		out.ArchivedAt = formatTime(p.ArchivedAt)
		out.UpdatedAt = out.ArchivedAt
	}
	return out
}

// properties serves GET /crm/v3/properties/{type}: the live properties,
// or with archived=true the archived ones.
func (s *Server) properties(r *http.Request) (int, any, *apiError) {
	ts, e := s.typeOf(r)
	if e != nil {
		return 0, nil, e
	}
	archived, e := queryArchived(r)
	if e != nil {
		return 0, nil, e
	}
	list := ts.t.props
	if archived {
		list = ts.t.archived
	}
	out := pageJSON[propertyJSON]{Results: make([]propertyJSON, 0, len(list))}
	for _, p := range list {
		out.Results = append(out.Results, ts.t.propertyOut(p))
	}
	return http.StatusOK, out, nil
}

// getProperty serves GET /crm/v3/properties/{type}/{name}; archived=true
// reads an archived one.
func (s *Server) getProperty(r *http.Request) (int, any, *apiError) {
	ts, e := s.typeOf(r)
	if e != nil {
		return 0, nil, e
	}
	archived, e := queryArchived(r)
	if e != nil {
		return 0, nil, e
	}
	name := r.PathValue("name")
	p, ok := ts.t.byName[name]
	if archived {
		i := slices.IndexFunc(ts.t.archived, func(p PropertyDef) bool { return p.Name == name })
		p, ok = PropertyDef{}, i >= 0
		if ok {
			p = ts.t.archived[i]
		}
	}
	if !ok {
		return 0, nil, notFound(fmt.Sprintf("Unable to find property %s on object type %s", name, ts.t.name))
	}
	return http.StatusOK, ts.t.propertyOut(p), nil
}

// createProperty serves POST /crm/v3/properties/{type}: 201 with the
// property, 409 when the name is taken, 400 for a bad definition
// (https://developers.hubspot.com/docs/methods/contacts/v2/create_contacts_property:
// "Returns a 409 Conflict error if there is already a property with the
// 'name' you used. Property names must be unique." and "a 400 error with
// more details in the response body if there is any other problem"; v3
// answers 201, https://developers.hubspot.com/docs/api-reference/latest/crm/properties/create-property.md).
func (s *Server) createProperty(r *http.Request) (int, any, *apiError) {
	ts, e := s.typeOf(r)
	if e != nil {
		return 0, nil, e
	}
	var body propertyCreateBody
	if e := decodeBody(r, &body); e != nil {
		return 0, nil, e
	}
	p := PropertyDef{
		Name: body.Name, Label: body.Label, Type: body.Type, FieldType: body.FieldType, GroupName: body.GroupName,
		Description: body.Description, Options: body.Options, Unique: body.HasUniqueValue,
	}
	if e := s.addPropertyLocked(ts, p); e != nil {
		return 0, nil, e
	}
	return http.StatusCreated, ts.t.propertyOut(ts.t.byName[p.Name]), nil
}

// archiveProperty serves DELETE /crm/v3/properties/{type}/{name}: 204, also
// for a property already archived or never made, as HubSpot's batch
// archive answers ("204 No Content response on success regardless of the
// initial state of the property (e.g. active, already archived,
// non-existent)",
// https://developers.hubspot.com/docs/api-reference/latest/crm/properties/batch/delete-properties.md;
// the single archive's docs say nothing of those cases).
func (s *Server) archiveProperty(r *http.Request) (int, any, *apiError) {
	ts, e := s.typeOf(r)
	if e != nil {
		return 0, nil, e
	}
	if e := s.archivePropertyLocked(ts, r.PathValue("name")); e != nil {
		return 0, nil, e
	}
	return http.StatusNoContent, nil, nil
}

// AddProperty adds a custom property to a type, as
// POST /crm/v3/properties/{type} would: Name, Label (or one made from the
// name), Type, FieldType (or the type's usual one), GroupName (or the
// type's information group), Description, Options and Unique are read.
func (s *Server) AddProperty(objectType string, p PropertyDef) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.types[objectType]
	if ts == nil {
		return unknownType(objectType).asError()
	}
	if p.FieldType == "" {
		p.FieldType = defaultFieldType(p.Type)
	}
	if p.GroupName == "" {
		p.GroupName = informationGroup(ts.t.name)
	}
	if p.Label == "" {
		p.Label = labelOf(p.Name)
	}
	if e := s.addPropertyLocked(ts, PropertyDef{
		Name: p.Name, Label: p.Label, Type: p.Type, FieldType: p.FieldType, GroupName: p.GroupName,
		Description: p.Description, Options: p.Options, Unique: p.Unique,
	}); e != nil {
		return e.asError()
	}
	return nil
}

// ArchiveProperty archives a property as
// DELETE /crm/v3/properties/{type}/{name} would.
func (s *Server) ArchiveProperty(objectType, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.types[objectType]
	if ts == nil {
		return unknownType(objectType).asError()
	}
	if e := s.archivePropertyLocked(ts, name); e != nil {
		return e.asError()
	}
	return nil
}

// Properties returns a type's live properties, or its archived ones.
func (s *Server) Properties(objectType string, archived bool) []PropertyDef {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.types[objectType]
	if ts == nil {
		return nil
	}
	out := slices.Clone(ts.t.props)
	if archived {
		out = slices.Clone(ts.t.archived)
	}
	for i := range out {
		out[i].Options = slices.Clone(out[i].Options) // the caller's to change
	}
	return out
}

// checkDefinition finds what HubSpot refuses in a new property: the error
// details of a 400, empty when it is good.
func checkDefinition(t *objectType, p PropertyDef) []errorDetail {
	var details []errorDetail
	bad := func(field, code, msg string) {
		details = append(details, errorDetail{Message: msg, Code: code, In: field})
	}
	// HubSpot's PropertyCreate requires name, label, type, fieldType and
	// groupName (https://rubydoc.info/gems/hubspot-api-client/9.4.0/Hubspot/Crm/Properties/PropertyCreate,
	// generated from HubSpot's spec).
	for _, f := range []struct{ field, v string }{
		{"name", p.Name}, {"label", p.Label}, {"type", p.Type}, {"fieldType", p.FieldType}, {"groupName", p.GroupName},
	} {
		if f.v == "" {
			bad(f.field, "REQUIRED_FIELD", fmt.Sprintf("%s is required", f.field))
		}
	}
	if p.Name != "" && !propertyNamePattern.MatchString(p.Name) {
		bad("name", "INVALID_PROPERTY_NAME", fmt.Sprintf("Property name %q must start with a lowercase letter and hold only lowercase letters, digits and underscores, at most 100 characters", p.Name))
	}
	fields, known := validFieldTypes[p.Type]
	switch {
	case p.Type != "" && !known:
		bad("type", "INVALID_TYPE", fmt.Sprintf("%q is not a property type: use one of bool, enumeration, date, datetime, string, number, phone_number", p.Type))
	case known && p.FieldType != "" && !slices.Contains(fields, p.FieldType):
		bad("fieldType", "INVALID_FIELD_TYPE", fmt.Sprintf("fieldType %q is not valid for type %q: use one of %v", p.FieldType, p.Type, fields))
	}
	seen := map[string]bool{}
	for _, o := range p.Options {
		if o.Value == "" || o.Label == "" {
			bad("options", "INVALID_OPTION", "every option needs a label and a value")
		} else if seen[o.Value] {
			bad("options", "DUPLICATE_OPTION", fmt.Sprintf("option value %q is given twice", o.Value))
		}
		seen[o.Value] = true
	}
	if p.Unique {
		n := 0
		for _, q := range t.props {
			if q.Unique && !q.UnlistedUnique {
				n++
			}
		}
		if n >= maxUniqueProperties {
			bad("hasUniqueValue", "TOO_MANY_UNIQUE_PROPERTIES", fmt.Sprintf("%s already has %d unique properties, the most allowed", t.name, maxUniqueProperties))
		}
	}
	return details
}

// addPropertyLocked adds a checked custom property to a type. A name taken
// by a live property is a 409; so is one in the recycling bin: HubSpot does
// not document that case, and the archived property could be restored.
func (s *Server) addPropertyLocked(ts *typeStore, p PropertyDef) *apiError {
	if details := checkDefinition(ts.t, p); len(details) > 0 {
		return &apiError{status: http.StatusBadRequest, category: categoryValidation, errors: details,
			message: "Property definition was not valid: " + detailMessages(details)}
	}
	_, live := ts.t.byName[p.Name]
	if live || slices.ContainsFunc(ts.t.archived, func(q PropertyDef) bool { return q.Name == p.Name }) {
		return &apiError{status: http.StatusConflict, category: "CONFLICT",
			message: fmt.Sprintf("A property named %q already exists on %s", p.Name, ts.t.name),
			context: ctxMap("propertyName", p.Name)}
	}
	p.Options = slices.Clone(p.Options) // the caller keeps its slice
	ts.t.add(p)
	if p.Unique {
		ts.unique[p.Name] = map[string]int64{}
	}
	return nil
}

// archivePropertyLocked moves a property to the recycling bin. HubSpot's
// own and read-only properties are not archivable
// (modificationMetadata.archivable false): 400.
func (s *Server) archivePropertyLocked(ts *typeStore, name string) *apiError {
	p, ok := ts.t.byName[name]
	if !ok {
		return nil
	}
	if !ts.t.archivable(p) {
		return validationError(fmt.Sprintf("Property %q is not archivable", name), "PROPERTY_NOT_ARCHIVABLE", name)
	}
	p.Archived, p.ArchivedAt = true, s.now()
	ts.t.props = slices.DeleteFunc(ts.t.props, func(q PropertyDef) bool { return q.Name == name })
	delete(ts.t.byName, name)
	ts.t.archived = append(ts.t.archived, p)
	ts.t.defaults = slices.DeleteFunc(ts.t.defaults, func(n string) bool { return n == name })
	delete(ts.unique, name) // no longer an idProperty
	return nil
}

// archivable reports whether a property may be archived: not the ones
// HubSpot writes, nor contacts' email, which HubSpot keeps unique.
func (t *objectType) archivable(p PropertyDef) bool {
	return !p.ReadOnly && !p.UnlistedUnique && p.Name != t.created && p.Name != t.modified
}

// add appends a property the type does not have.
func (t *objectType) add(p PropertyDef) {
	t.props = append(t.props, p)
	t.byName[p.Name] = p
}

// addCatalog adds the full catalogue's properties: new ones at the end,
// and the definitions of ones the type has already (field type, label,
// group, options) where they have none.
func (t *objectType) addCatalog(ps []PropertyDef) {
	for _, p := range ps {
		old, ok := t.byName[p.Name]
		if !ok {
			t.add(p)
			continue
		}
		if old.FieldType == "" && old.Type == p.Type {
			old.FieldType = p.FieldType
		}
		if old.Label == "" {
			old.Label = p.Label
		}
		if old.GroupName == "" {
			old.GroupName = p.GroupName
		}
		if old.Options == nil && old.Type == p.Type {
			old.Options = p.Options
		}
		t.byName[p.Name] = old
		t.props[slices.IndexFunc(t.props, func(q PropertyDef) bool { return q.Name == p.Name })] = old
	}
}
