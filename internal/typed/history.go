package typed

import (
	"fmt"

	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/hamba/avro/v2"
)

// HistoryKeySchema returns the Avro schema of the keys of a property
// history resource (name, such as "deals_property_history"): the object's
// id, the property and the time the value was set.
func HistoryKeySchema(name string) (*avro.RecordSchema, error) {
	return historySchema(name+"_key", false)
}

// HistoryValueSchema returns the Avro schema of the payloads of a property
// history resource: the key's fields, the value (a string, as HubSpot
// sends every value, whatever the property's type) and what set it:
// sourceType, sourceId and sourceLabel (strings) and updatedByUserId (a
// long), each null where HubSpot names none.
func HistoryValueSchema(name string) (*avro.RecordSchema, error) {
	return historySchema(name, true)
}

func historySchema(name string, payload bool) (*avro.RecordSchema, error) {
	str := func() avro.Schema { return avro.NewPrimitiveSchema(avro.String, nil) }
	var fields []*avro.Field
	add := func(f *avro.Field, err error) error {
		if err != nil {
			return err
		}
		fields = append(fields, f)
		return nil
	}
	if err := add(avro.NewField(record.FieldObjectID, str())); err != nil {
		return nil, fmt.Errorf("history schema of %s: %w", name, err)
	}
	if err := add(avro.NewField(record.FieldProperty, str())); err != nil {
		return nil, fmt.Errorf("history schema of %s: %w", name, err)
	}
	ts := avro.NewPrimitiveSchema(avro.Long, avro.NewPrimitiveLogicalSchema(avro.TimestampMillis))
	if err := add(avro.NewField(record.FieldTimestamp, ts)); err != nil {
		return nil, fmt.Errorf("history schema of %s: %w", name, err)
	}
	if payload {
		for _, n := range []string{record.FieldValue, record.FieldSourceType, record.FieldSourceID, record.FieldSourceLabel} {
			if err := add(nullable(n, str())); err != nil {
				return nil, fmt.Errorf("history schema of %s: %w", name, err)
			}
		}
		if err := add(nullable(record.FieldUpdatedByUserID, avro.NewPrimitiveSchema(avro.Long, nil))); err != nil {
			return nil, fmt.Errorf("history schema of %s: %w", name, err)
		}
	}
	s, err := avro.NewRecordSchema(FieldName(name), namespace, fields)
	if err != nil {
		return nil, fmt.Errorf("history schema of %s: %w", name, err)
	}
	return s, nil
}
