package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// The CMS resources of hubspot.CMSObjectsService (URL redirects, blog
// tags, posts and authors, landing and site pages, HubDB tables): the payload is the object's documented JSON
// fields, typed by their JSON types; nested objects and arrays (widgets,
// layoutSections, tagIds, ...) are strings holding their JSON text.

// cmsPropertyTypes are the property types that type each kind of field,
// as property definitions type CRM values.
var cmsPropertyTypes = map[hubspot.FieldKind]string{
	hubspot.FieldText: "string", hubspot.FieldInteger: "number", hubspot.FieldBool: "bool",
	hubspot.FieldTime: "datetime", hubspot.FieldJSON: "string",
}

// cmsObjectFields are the documented fields of a spec's objects, besides
// id, created, updated and the deletion time, which become the records'
// id, createdAt, updatedAt and archivedAt.
func cmsObjectFields(spec hubspot.CMSSpec) []hubspot.Property {
	out := make([]hubspot.Property, len(spec.Fields))
	for i, f := range spec.Fields {
		out[i] = hubspot.Property{Name: f.Name, Type: cmsPropertyTypes[f.Kind]}
	}
	return out
}

// cmsValue is a field's JSON value as the text the shape types back: a
// string unquoted, a number, bool or nested value as written; nil for
// null or absent.
func cmsValue(raw json.RawMessage) (*string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("not a JSON string: %w", err)
		}
		return &s, nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, fmt.Errorf("not a JSON value: %w", err)
	}
	return hubspot.String(buf.String()), nil
}

// cmsTime reads a time field under its name or its other spelling: the
// URL redirects' spec names their times created and updated (UrlMapping in
// PublicApiSpecs/CMS/Url Redirects of HubSpot's spec collection), the
// example answer of the v3 reference createdAt and updatedAt
// (https://developers.hubspot.com/docs/api-reference/legacy/cms/url-redirects/update-url-redirect).
func cmsTime(o hubspot.CMSObject, name string) (time.Time, bool, error) {
	t, ok, err := o.Time(name)
	if ok || err != nil {
		return t, ok, err
	}
	return o.Time(otherSpelling(name))
}

// otherSpelling is created for createdAt and createdAt for created.
func otherSpelling(name string) string {
	if s, ok := strings.CutSuffix(name, "At"); ok {
		return s
	}
	return name + "At"
}

// noUpdatedError is an object that came without an update time: the scans
// cannot place it, so its record fails alone (hub.cmsPage).
type noUpdatedError struct {
	noun, id string
	fields   []string
}

func (e *noUpdatedError) Error() string {
	return fmt.Sprintf("%s %s has no update time: neither %s is set", e.noun, e.id, strings.Join(e.fields, " nor "))
}

// cmsObjectItem turns an object into an item. A deleted one (archived) was
// deleted at its deletion time, or else at its updated time; a deletion
// time at or before the epoch is none (a guess at what a live object
// carries).
func cmsObjectItem(spec hubspot.CMSSpec, o hubspot.CMSObject, archived bool) (item, error) {
	id, err := parseID(o.ID())
	if err != nil {
		return item{}, err
	}
	props := make(hubspot.Properties, len(spec.Fields))
	for _, f := range spec.Fields {
		v, err := cmsValue(o[f.Name])
		if err != nil {
			return item{}, fmt.Errorf("%s %s: field %s: %w", spec.Noun, o.ID(), f.Name, err)
		}
		props[f.Name] = v
	}
	createdField, updatedField := spec.TimeFields()
	created, _, err := cmsTime(o, createdField)
	if err != nil {
		return item{}, fmt.Errorf("%s %s: %w", spec.Noun, o.ID(), err)
	}
	updated, ok, err := cmsTime(o, updatedField)
	if err != nil {
		return item{}, fmt.Errorf("%s %s: %w", spec.Noun, o.ID(), err)
	}
	if !ok {
		return item{}, &noUpdatedError{noun: spec.Noun, id: o.ID(), fields: []string{updatedField, otherSpelling(updatedField)}}
	}
	it := item{id: o.ID(), key: keyset{ts: updated.UTC(), id: id}, row: hubspot.Row{Properties: props}, createdAt: created.UTC()}
	if archived {
		at, ok, err := o.Time(spec.DeletedField)
		if err != nil || !ok || !at.After(time.Unix(0, 0)) {
			at = updated
		}
		it.archivedAt = timePtr(at.UTC())
	}
	return it, nil
}
