package typed

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/hamba/avro/v2"
)

// namespace is the Avro namespace of the schemas' records.
const namespace = "hubspot"

// FieldName returns the Avro field name of a property: its name, with
// every character outside [A-Za-z0-9_] replaced by "_" and a "_" before a
// leading digit, as Avro names must match [A-Za-z_][A-Za-z0-9_]*.
//
// HubSpot's internal names are lowercase letters, digits and underscores
// and start with a letter, so they are their field names; older or
// app-made properties need not be, and the mapping must stay the same for
// the same name, whatever else the object type holds, so it depends on the
// name alone.
func FieldName(property string) string {
	ok := property != "" && !isDigit(property[0])
	for i := 0; ok && i < len(property); i++ {
		ok = isNameChar(property[i])
	}
	if ok {
		return property // the common case, without allocating
	}
	var b strings.Builder
	if property == "" || isDigit(property[0]) {
		b.WriteByte('_')
	}
	for _, r := range property {
		if r < 0x80 && isNameChar(byte(r)) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isNameChar(c byte) bool {
	return isDigit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// ValueSchema returns the Avro schema of the payloads of an object type
// (name, such as "contacts" or "2-123456", becomes the record's name as
// FieldName writes it, in namespace "hubspot"): a field for each property,
// named by FieldName and holding null or its kind's type, beside the
// object's own fields: id (string), createdAt and updatedAt
// (timestamp-millis) and archivedAt (null or timestamp-millis).
//
// Every property is nullable, since HubSpot sends null for a value never
// set, and defaults to null, so that a reader of a later version of the
// schema with a new property still reads the records written before it.
// Fields are sorted by name so that the same properties, in any order,
// make the same schema and so the same schema version. Two properties with
// the same field name, or one named as an object field, are an error.
//
// extra fields, such as AssociationsField's, join the object's own.
func ValueSchema(name string, props []hubspot.Property, extra ...*avro.Field) (*avro.RecordSchema, error) {
	fields := make([]*avro.Field, 0, len(props)+4)
	seen := make(map[string]string, len(props)+4) // field name -> property
	add := func(property string, f *avro.Field, err error) error {
		if err != nil {
			return fmt.Errorf("field of %s: %w", property, err)
		}
		if other, ok := seen[f.Name()]; ok {
			return fmt.Errorf("properties %s and %s have the same field name %s", other, property, f.Name())
		}
		seen[f.Name()] = property
		fields = append(fields, f)
		return nil
	}

	timestamp := func() avro.Schema {
		return avro.NewPrimitiveSchema(avro.Long, avro.NewPrimitiveLogicalSchema(avro.TimestampMillis))
	}
	id, err := avro.NewField(record.FieldID, avro.NewPrimitiveSchema(avro.String, nil))
	if err := add(record.FieldID, id, err); err != nil {
		return nil, err
	}
	for _, n := range []string{record.FieldCreatedAt, record.FieldUpdatedAt} {
		f, err := avro.NewField(n, timestamp())
		if err := add(n, f, err); err != nil {
			return nil, err
		}
	}
	archivedAt, err := nullable(record.FieldArchivedAt, timestamp())
	if err := add(record.FieldArchivedAt, archivedAt, err); err != nil {
		return nil, err
	}
	for _, f := range extra {
		if err := add(f.Name(), f, nil); err != nil {
			return nil, err
		}
	}
	for _, p := range props {
		f, err := nullable(FieldName(p.Name), kindSchema(KindOf(p)))
		if err := add(p.Name, f, err); err != nil {
			return nil, err
		}
	}

	slices.SortFunc(fields, func(a, b *avro.Field) int { return strings.Compare(a.Name(), b.Name()) })
	s, err := avro.NewRecordSchema(FieldName(name), namespace, fields)
	if err != nil {
		return nil, fmt.Errorf("record schema of %s: %w", name, err)
	}
	return s, nil
}

// KeySchema returns the Avro schema of the keys of an object type: a
// record of the object's id.
func KeySchema(name string) (*avro.RecordSchema, error) {
	id, err := avro.NewField(record.FieldID, avro.NewPrimitiveSchema(avro.String, nil))
	if err != nil {
		return nil, fmt.Errorf("id field: %w", err)
	}
	s, err := avro.NewRecordSchema(FieldName(name)+"_key", namespace, []*avro.Field{id})
	if err != nil {
		return nil, fmt.Errorf("key schema of %s: %w", name, err)
	}
	return s, nil
}

// MergedSchema returns the Avro schema of the payload of the delete of an
// object a merge absorbed: HubSpot keeps nothing of it but its id and the
// id of the object that holds it now.
func MergedSchema(name string) (*avro.RecordSchema, error) {
	var fields []*avro.Field
	for _, n := range []string{record.FieldID, record.FieldMergedInto} {
		f, err := avro.NewField(n, avro.NewPrimitiveSchema(avro.String, nil))
		if err != nil {
			return nil, fmt.Errorf("%s field: %w", n, err)
		}
		fields = append(fields, f)
	}
	s, err := avro.NewRecordSchema(FieldName(name)+"_merged", namespace, fields)
	if err != nil {
		return nil, fmt.Errorf("merged schema of %s: %w", name, err)
	}
	return s, nil
}

// Bytes returns a schema's JSON, as the SDK's schema.Create takes it with
// schema.TypeAvro.
func Bytes(s avro.Schema) ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("schema JSON: %w", err)
	}
	return b, nil
}

// kindSchema returns the Avro type of a kind's values, the one that
// github.com/hamba/avro/v2 encodes Parse's Go value of the kind as.
func kindSchema(k Kind) avro.Schema {
	switch k {
	case Number:
		return avro.NewPrimitiveSchema(avro.Double, nil)
	case Bool:
		return avro.NewPrimitiveSchema(avro.Boolean, nil)
	case Timestamp:
		return avro.NewPrimitiveSchema(avro.Long, avro.NewPrimitiveLogicalSchema(avro.TimestampMillis))
	case Date:
		return avro.NewPrimitiveSchema(avro.Int, avro.NewPrimitiveLogicalSchema(avro.Date))
	case List:
		return avro.NewArraySchema(avro.NewPrimitiveSchema(avro.String, nil))
	default:
		return avro.NewPrimitiveSchema(avro.String, nil)
	}
}

// nullable returns a field of null or t, null by default.
func nullable(name string, t avro.Schema) (*avro.Field, error) {
	u, err := avro.NewUnionSchema([]avro.Schema{avro.NewNullSchema(), t})
	if err != nil {
		return nil, fmt.Errorf("union of null and %s: %w", t.Type(), err)
	}
	f, err := avro.NewField(name, u, avro.WithDefault(nil))
	if err != nil {
		return nil, fmt.Errorf("field %s: %w", name, err)
	}
	return f, nil
}

// AssociationsField returns the payload field of an object type's links
// to the types linked (record.FieldAssociations): a record with, for each
// type by FieldName, the linked objects, each its id and its labels (none
// for an unlabeled link). It is not nullable: a union's value must name
// its branch when it is a map, which no payload of Go maps does.
func AssociationsField(name string, types []string) (*avro.Field, error) {
	fields := make([]*avro.Field, 0, len(types))
	for _, t := range types {
		id, err := avro.NewField(record.FieldID, avro.NewPrimitiveSchema(avro.String, nil))
		if err != nil {
			return nil, fmt.Errorf("link id field: %w", err)
		}
		labels, err := avro.NewField(record.FieldLabels, avro.NewArraySchema(avro.NewPrimitiveSchema(avro.String, nil)), avro.WithDefault([]any{}))
		if err != nil {
			return nil, fmt.Errorf("link labels field: %w", err)
		}
		link, err := avro.NewRecordSchema(FieldName(name)+"_"+FieldName(t)+"_link", namespace, []*avro.Field{id, labels})
		if err != nil {
			return nil, fmt.Errorf("link schema of %s to %s: %w", name, t, err)
		}
		f, err := avro.NewField(FieldName(t), avro.NewArraySchema(link), avro.WithDefault([]any{}))
		if err != nil {
			return nil, fmt.Errorf("links field of %s to %s: %w", name, t, err)
		}
		fields = append(fields, f)
	}
	slices.SortFunc(fields, func(a, b *avro.Field) int { return strings.Compare(a.Name(), b.Name()) })
	links, err := avro.NewRecordSchema(FieldName(name)+"_associations", namespace, fields)
	if err != nil {
		return nil, fmt.Errorf("associations schema of %s: %w", name, err)
	}
	empty := make(map[string]any, len(types))
	for _, f := range fields {
		empty[f.Name()] = []any{}
	}
	f, err := avro.NewField(record.FieldAssociations, links, avro.WithDefault(empty))
	if err != nil {
		return nil, fmt.Errorf("associations field of %s: %w", name, err)
	}
	return f, nil
}
