package source

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/typed"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/conduitio/conduit-connector-sdk/schema"
)

// The records of a property history resource: one per value a property
// of an object held, as propertiesWithHistory returns it.

// historySuffix names a resource's property history collection
// (deals_property_history), as Airbyte's HubSpot source names its streams.
const historySuffix = "_property_history"

// HistoryKey is one value of an object's property: the record's key, and
// what a position remembers of the values it emitted.
type HistoryKey struct {
	ObjectID  string    `json:"id"`
	Property  string    `json:"p"`
	Timestamp time.Time `json:"ts"`
}

// historyValue is one value as the source emits it.
type historyValue struct {
	key   HistoryKey
	id    uint64 // the object's id, for the order
	prop  int    // the property's place in the ones read, for the order
	value hubspot.ValueWithTimestamp
}

// historyValues are the values of the objects' properties, in the order
// the snapshot emits them: by object id, then property as configured,
// then time (HubSpot sends the newest first).
func historyValues(objs []hubspot.Object, props []string) ([]historyValue, error) {
	var out []historyValue
	for _, o := range objs {
		id, err := parseID(o.ID)
		if err != nil {
			return nil, err
		}
		for i, name := range props {
			for _, v := range o.PropertiesWithHistory[name] {
				out = append(out, historyValue{
					key: HistoryKey{ObjectID: o.ID, Property: name, Timestamp: v.Timestamp.UTC()},
					id:  id, prop: i, value: v,
				})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b historyValue) int {
		return compareHistory(a.id, a.prop, a.key.Timestamp, b.id, b.prop, b.key.Timestamp)
	})
	return out, nil
}

func compareHistory(aID uint64, aProp int, aTS time.Time, bID uint64, bProp int, bTS time.Time) int {
	return cmp.Or(cmp.Compare(aID, bID), cmp.Compare(aProp, bProp), aTS.Compare(bTS))
}

// after reports whether v comes after k in the snapshot's order; k's
// property is looked up among props (one no longer read sorts first).
func (v historyValue) after(k HistoryKey, props []string) bool {
	id, err := parseID(k.ObjectID)
	if err != nil {
		return true // ParsePosition checked it
	}
	return compareHistory(v.id, v.prop, v.key.Timestamp, id, slices.Index(props, k.Property), k.Timestamp) > 0
}

// historyShape registers the schemas of a property history resource's
// key and payload, which do not change, and builds its records.
type historyShape struct {
	collection string
	key        schema.Schema
	payload    schema.Schema
}

// build registers the schemas, once.
func (s *historyShape) build(ctx context.Context) error {
	if s.payload.Subject != "" {
		return nil
	}
	ks, err := typed.HistoryKeySchema(s.collection)
	if err != nil {
		return err
	}
	ps, err := typed.HistoryValueSchema(s.collection)
	if err != nil {
		return err
	}
	if s.key, err = register(ctx, s.collection+".key", ks); err != nil {
		return err
	}
	s.payload, err = register(ctx, s.collection+".payload", ps)
	return err
}

// record builds the record of a value at a position.
func (s *historyShape) record(op opencdc.Operation, pos Position, v historyValue) (opencdc.Record, error) {
	p, err := pos.marshal()
	if err != nil {
		return opencdc.Record{}, err
	}
	meta := opencdc.Metadata{}
	meta.SetCollection(s.collection)
	meta.SetCreatedAt(v.key.Timestamp)
	key := opencdc.StructuredData{
		record.FieldObjectID: v.key.ObjectID, record.FieldProperty: v.key.Property, record.FieldTimestamp: v.key.Timestamp,
	}
	payload := opencdc.StructuredData{
		record.FieldObjectID: v.key.ObjectID, record.FieldProperty: v.key.Property, record.FieldTimestamp: v.key.Timestamp,
		record.FieldValue: v.value.Value, record.FieldSourceType: orNil(v.value.SourceType),
		record.FieldSourceID: orNil(v.value.SourceID), record.FieldSourceLabel: orNil(v.value.SourceLabel),
		record.FieldUpdatedByUserID: nil,
	}
	if v.value.UpdatedByUserID != nil {
		payload[record.FieldUpdatedByUserID] = *v.value.UpdatedByUserID
	}
	rec, err := recordOf(op, p, meta, key, payload)
	if err != nil {
		return opencdc.Record{}, err
	}
	attachSchemas(rec, s.key, s.payload)
	return rec, nil
}

// orNil is s, or nil for "": what HubSpot left out.
func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}
