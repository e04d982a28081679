package typed

import (
	"fmt"

	"github.com/hamba/avro/v2"
)

// MemberSchemas return the Avro schemas of a list membership record's key
// (the list's and the record's ids, strings) and payload (those, the
// record's object type id, and the time it was added to the list, null in
// a delete), for the records of resource name.
func MemberSchemas(name, listID, recordID, objectTypeID, joinedAt string) (key, payload *avro.RecordSchema, err error) {
	str := func(n string) (*avro.Field, error) {
		return avro.NewField(n, avro.NewPrimitiveSchema(avro.String, nil))
	}
	var keyFields, payloadFields []*avro.Field
	for _, n := range []string{listID, recordID} {
		kf, err := str(n)
		if err != nil {
			return nil, nil, fmt.Errorf("%s field: %w", n, err)
		}
		pf, err := str(n)
		if err != nil {
			return nil, nil, fmt.Errorf("%s field: %w", n, err)
		}
		keyFields, payloadFields = append(keyFields, kf), append(payloadFields, pf)
	}
	typ, err := str(objectTypeID)
	if err != nil {
		return nil, nil, fmt.Errorf("%s field: %w", objectTypeID, err)
	}
	joined, err := nullable(joinedAt, avro.NewPrimitiveSchema(avro.Long, avro.NewPrimitiveLogicalSchema(avro.TimestampMillis)))
	if err != nil {
		return nil, nil, err
	}
	if key, err = avro.NewRecordSchema(FieldName(name)+"_key", namespace, keyFields); err != nil {
		return nil, nil, fmt.Errorf("key schema of %s: %w", name, err)
	}
	if payload, err = avro.NewRecordSchema(FieldName(name), namespace, append(payloadFields, typ, joined)); err != nil {
		return nil, nil, fmt.Errorf("payload schema of %s: %w", name, err)
	}
	return key, payload, nil
}
