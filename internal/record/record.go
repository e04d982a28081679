// Package record is the contract between the source and the destination:
// the fields a HubSpot record's key and payload hold beside the object's
// properties, the metadata keys the source sets, and how instants are
// written in them. The source writes records in this shape and the
// destination reads them back, so both import it from here.
package record

import "time"

// Fields of a record's key and payload that describe the object rather than
// hold one of its properties.
const (
	// FieldID is the object's HubSpot id, in the key and the payload.
	FieldID = "id"
	// FieldCreatedAt, FieldUpdatedAt and FieldArchivedAt are the object's
	// times, written with TimeLayout.
	FieldCreatedAt  = "createdAt"
	FieldUpdatedAt  = "updatedAt"
	FieldArchivedAt = "archivedAt"
	// FieldArchived is HubSpot's own flag on a HubSpot-shaped payload and
	// an owner's.
	FieldArchived = "archived"
	// FieldMergedInto is, in the delete of an object a merge absorbed, the
	// id of the object that holds it now.
	FieldMergedInto = "mergedInto"
	// FieldAssociations holds, with the source's associations on, the
	// objects linked to the object, by type: for each, its id (FieldID)
	// and its association labels (FieldLabels).
	FieldAssociations = "associations"
	FieldLabels       = "labels"
	// FieldProperties holds the properties of a HubSpot-shaped payload
	// ({"properties": {...}}) as HubSpot's own API writes it.
	FieldProperties = "properties"
)

// Fields of a property history record (one value a property held): the
// key is its object's id, the property and the value's time; the payload
// adds the value and what set it, as HubSpot's ValueWithTimestamp names
// them.
const (
	FieldObjectID        = "objectId"
	FieldProperty        = "property"
	FieldTimestamp       = "timestamp"
	FieldValue           = "value"
	FieldSourceType      = "sourceType"
	FieldSourceID        = "sourceId"
	FieldSourceLabel     = "sourceLabel"
	FieldUpdatedByUserID = "updatedByUserId"
)

// IsObjectField reports whether a payload field describes the object (its
// id, times or archived flag) rather than set one of its properties: the
// destination never writes these as properties.
func IsObjectField(name string) bool {
	switch name {
	case FieldID, FieldCreatedAt, FieldUpdatedAt, FieldArchivedAt, FieldArchived:
		return true
	}
	return false
}

// Metadata keys the source sets besides OpenCDC's own.
const (
	MetadataCreatedAt  = "hubspot.createdAt"
	MetadataUpdatedAt  = "hubspot.updatedAt"
	MetadataArchivedAt = "hubspot.archivedAt"
	// MetadataMergedInto marks the delete of an object that a merge
	// absorbed: the id of the object that holds it now.
	MetadataMergedInto = "hubspot.mergedInto"
	// MetadataRawPrefix, followed by a property's name, holds a value
	// HubSpot sent that does not parse as the property's type: the
	// payload's field is null, so that the record encodes with its schema,
	// and the text is kept here.
	MetadataRawPrefix = "hubspot.raw."
)

// TimeLayout is how HubSpot writes instants: UTC with milliseconds.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// FormatTime writes t as HubSpot writes instants.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }
