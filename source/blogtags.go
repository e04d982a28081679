package source

import (
	"strconv"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// blogTagFields are the fields of a blog tag as HubSpot documents them
// (https://developers.hubspot.com/docs/api-reference/2026-03/cms/blogs/tags/batch/create-tags),
// besides id, created, updated and deletedAt, which become the records'
// id, createdAt, updatedAt and the delete's time: translatedFromId is a
// number, the rest strings.
func blogTagFields() []hubspot.Property {
	str := func(name string) hubspot.Property {
		return hubspot.Property{Name: name, Type: "string", FieldType: "text"}
	}
	return []hubspot.Property{
		str("language"),
		str("name"),
		str("slug"),
		{Name: "translatedFromId", Type: "number", FieldType: "number"},
	}
}

// blogTagItem turns a tag into an item with its fields as properties. A
// deleted tag (archived) was deleted at its deletedAt, or else at its
// updated time.
func blogTagItem(t hubspot.BlogTag, archived bool) (item, error) {
	id, err := parseID(t.ID)
	if err != nil {
		return item{}, err
	}
	props := hubspot.Properties{
		"language":         hubspot.String(t.Language),
		"name":             hubspot.String(t.Name),
		"slug":             hubspot.String(t.Slug),
		"translatedFromId": nil,
	}
	if t.TranslatedFromID != 0 {
		props["translatedFromId"] = hubspot.String(strconv.FormatInt(t.TranslatedFromID, 10))
	}
	it := item{id: t.ID, key: keyset{ts: t.Updated.UTC(), id: id}, props: props, createdAt: t.Created.UTC()}
	if archived {
		at := t.Updated
		if t.DeletedAt != nil {
			at = *t.DeletedAt
		}
		it.archivedAt = timePtr(at.UTC())
	}
	return it, nil
}
