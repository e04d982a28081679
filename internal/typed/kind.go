// Package typed turns HubSpot property values, which HubSpot sends as
// strings or null whatever the property's type, into typed Go values and
// back, and builds the Avro schema of an object type's records from its
// property definitions.
//
// The Go values of each kind are the ones github.com/hamba/avro/v2 encodes
// for the schema's field of that kind, so that a record built from Parse's
// results encodes with Schema's schema as it is.
package typed

import (
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// Kind is how a property's value is typed, decided by its type and
// fieldType.
type Kind int

// The kinds of property values, and the Go type Parse returns for each.
const (
	// String is a value kept as written: string, phone_number, single
	// select enumerations and any type this package does not know. Go:
	// string.
	String Kind = iota
	// Number is a number property. Go: float64 (Avro double).
	Number
	// Bool is a bool property. Go: bool.
	Bool
	// Timestamp is a datetime property, an instant with milliseconds. Go:
	// time.Time in UTC (Avro long timestamp-millis).
	Timestamp
	// Date is a date property, a day. Go: time.Time at midnight UTC (Avro
	// int date).
	Date
	// List is a multiple-checkbox enumeration, whose options HubSpot
	// separates with ";". Go: []string.
	List
)

// String returns the kind's name, as errors show it.
func (k Kind) String() string {
	switch k {
	case String:
		return "string"
	case Number:
		return "number"
	case Bool:
		return "bool"
	case Timestamp:
		return "timestamp"
	case Date:
		return "date"
	case List:
		return "list"
	default:
		return "unknown"
	}
}

// KindOf returns the kind of a property's values.
//
// HubSpot's property types are string, number, date, datetime, bool,
// enumeration and phone_number (docs/hubspot.md, "Properties";
// https://developers.hubspot.com/docs/api/crm/properties, whose table
// spells datetime "dateTime", so types are matched in any case). An enumeration
// is a list only with fieldType checkbox ("Multiple checkboxes"); with
// select or radio it holds one option.
//
// An enumeration with fieldType booleancheckbox stays a String, though the
// app shows it as a single yes/no checkbox: HubSpot's properties guide
// lists booleancheckbox among enumeration's valid fieldTypes, where the
// values are the property's own options, and only type bool is documented
// as binary ("A field containing binary options (e.g., Yes or No, True or
// False)", https://developers.hubspot.com/docs/api/crm/properties). Its
// options may be any strings, and hubspot.Property does not carry them, so
// typing it Bool would turn every value other than "true" and "false" into
// a parse error and a null field; as a string nothing is lost.
func KindOf(p hubspot.Property) Kind {
	switch strings.ToLower(p.Type) { // no allocation when already lower case
	case "number":
		return Number
	case "bool":
		return Bool
	case "datetime":
		return Timestamp
	case "date":
		return Date
	case "enumeration":
		if strings.EqualFold(p.FieldType, "checkbox") {
			return List
		}
	}
	return String
}
