package source

import (
	"bytes"
	"fmt"
	"sync"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/conduitio/conduit-connector-sdk/schema"
	"github.com/hamba/avro/v2"
)

// recordWriter writes a structured payload in Avro with a record schema,
// field by field in the schema's order: the bytes hamba/avro's Marshal
// writes for the same map (which the SDK's serde calls), without its
// reflection for each value of a map[string]any. A CPU profile of the
// plugin's wide snapshot (hubspot-bench -only pluginCPU -cpuprofile) put
// that Marshal at 19 % of the plugin's CPU, mostly hamba's
// interfaceEncoder looking the encoder of each field's Go type up again.
//
// The fields it knows (string, double, boolean, timestamp-millis and date,
// each alone or in a union with null first, as internal/typed makes them)
// it writes with hamba's Writer; any other field it leaves to hamba's
// WriteVal with the field's schema, which is what Marshal does for it.
// write returns false where it would not write Marshal's bytes (a field
// missing from the map, a value of another Go type, an error), and the
// caller then calls Marshal, which has the last word.
type recordWriter struct {
	fields []fieldWriter

	mu  sync.Mutex
	out *avro.Writer // reused: write returns a copy of what it wrote
}

// fieldWriter is a field of the record schema and how to write it.
type fieldWriter struct {
	name     string
	schema   avro.Schema // the field's, for WriteVal
	nullable bool        // a union of null, then kind
	kind     fieldKind
}

type fieldKind int

const (
	otherKind fieldKind = iota // left to WriteVal
	stringKind
	doubleKind
	booleanKind
	timestampMillisKind
	dateKind
)

// newRecordWriter returns a writer of schema's records; nil when the
// schema is not a record, or holds a map or an array of a union, whose
// values the SDK's serde rewrites before Marshal sees them.
func newRecordWriter(text []byte) *recordWriter {
	sch, err := avro.ParseBytes(text)
	if err != nil {
		return nil
	}
	rec, ok := sch.(*avro.RecordSchema)
	if !ok || collectionOfUnion(rec) {
		return nil
	}
	w := &recordWriter{out: avro.NewWriter(nil, 1024)}
	for _, f := range rec.Fields() {
		fw := fieldWriter{name: f.Name(), schema: f.Type()}
		t := f.Type()
		if u, ok := t.(*avro.UnionSchema); ok && len(u.Types()) == 2 && u.Types()[0].Type() == avro.Null {
			fw.nullable, t = true, u.Types()[1]
		}
		fw.kind = kindOfSchema(t)
		if fw.kind == otherKind {
			fw.nullable = false // WriteVal writes the whole union
		}
		w.fields = append(w.fields, fw)
	}
	return w
}

// kindOfSchema returns how a field of schema t is written.
func kindOfSchema(t avro.Schema) fieldKind {
	p, ok := t.(*avro.PrimitiveSchema)
	if !ok {
		return otherKind
	}
	var logical avro.LogicalType
	if p.Logical() != nil {
		logical = p.Logical().Type()
	}
	switch {
	case p.Type() == avro.String && logical == "":
		return stringKind
	case p.Type() == avro.Double && logical == "":
		return doubleKind
	case p.Type() == avro.Boolean && logical == "":
		return booleanKind
	case p.Type() == avro.Long && logical == avro.TimestampMillis:
		return timestampMillisKind
	case p.Type() == avro.Int && logical == avro.Date:
		return dateKind
	}
	return otherKind
}

// write returns d in Avro, or false: see recordWriter.
func (w *recordWriter) write(d opencdc.StructuredData) ([]byte, bool) {
	return w.writeEach(func(i int) (any, bool) {
		v, ok := d[w.fields[i].name]
		return v, ok
	})
}

// writeValues returns in Avro the record whose fields' values are vals, in
// the schema's order, or false: see recordWriter. It is how the source
// writes a payload it typed itself, without a map between.
func (w *recordWriter) writeValues(vals []any) ([]byte, bool) {
	if len(vals) != len(w.fields) {
		return nil, false
	}
	return w.writeEach(func(i int) (any, bool) { return vals[i], true })
}

// writeEach writes each field's value, as value gives it by the field's
// index (false: the field has none).
func (w *recordWriter) writeEach(value func(i int) (any, bool)) ([]byte, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.out
	out.Reset(nil)
	out.Error = nil
	for i, f := range w.fields {
		v, ok := value(i)
		if !ok || !f.write(out, v) {
			return nil, false
		}
	}
	if out.Error != nil {
		return nil, false
	}
	return bytes.Clone(out.Buffer()), true
}

// write writes v, or returns false for a value of a Go type hamba would
// not write as the field's kind.
func (f fieldWriter) write(out *avro.Writer, v any) bool {
	if f.kind == otherKind {
		out.WriteVal(f.schema, v)
		return out.Error == nil
	}
	if f.nullable {
		if v == nil {
			out.WriteLong(0)
			return true
		}
		out.WriteLong(1)
	}
	switch v := v.(type) {
	case string:
		out.WriteString(v)
		return f.kind == stringKind
	case float64:
		out.WriteDouble(v)
		return f.kind == doubleKind
	case bool:
		out.WriteBool(v)
		return f.kind == booleanKind
	case time.Time:
		switch f.kind {
		case timestampMillisKind:
			out.WriteLong(v.Unix()*1e3 + int64(v.Nanosecond()/1e6))
			return true
		case dateKind:
			out.WriteInt(int32(v.Unix() / int64(24*time.Hour/time.Second)))
			return true
		}
	}
	return false
}

// collectionOfUnion reports whether s holds a map or an array whose values
// are a union (a reference to a named schema is not followed: it is
// walked where it is defined).
func collectionOfUnion(s avro.Schema) bool {
	switch s := s.(type) {
	case *avro.RecordSchema:
		for _, f := range s.Fields() {
			if collectionOfUnion(f.Type()) {
				return true
			}
		}
	case *avro.ArraySchema:
		_, union := s.Items().(*avro.UnionSchema)
		return union || collectionOfUnion(s.Items())
	case *avro.MapSchema:
		_, union := s.Values().(*avro.UnionSchema)
		return union || collectionOfUnion(s.Values())
	case *avro.UnionSchema:
		for _, t := range s.Types() {
			if collectionOfUnion(t) {
				return true
			}
		}
	}
	return false
}

// payloadWriter writes the payloads of one payload schema version from the
// values a shape puts in its slots, one per field in the schema's order:
// with the record writer, or, where that would not write the serde's
// bytes, with the serde itself, of a map made of the slots.
type payloadWriter struct {
	vals   []any          // the values of the payload being written, by slot
	names  []string       // the field of each slot
	slot   map[string]int // the slot of each field
	at     fixedSlots
	writer *recordWriter // nil: the serde writes every payload
	serde  schema.Serde
}

// fixedSlots are the slots of the fields every payload has (associations:
// where the source reads them).
type fixedSlots struct{ id, createdAt, updatedAt, archivedAt, associations int }

// newPayloadWriter returns a writer of sch's payloads.
func newPayloadWriter(sch schema.Schema) (payloadWriter, error) {
	parsed, err := avro.ParseBytes(sch.Bytes)
	if err != nil {
		return payloadWriter{}, fmt.Errorf("parse the schema: %w", err)
	}
	rs, ok := parsed.(*avro.RecordSchema)
	if !ok {
		return payloadWriter{}, fmt.Errorf("the schema is a %s, not a record", parsed.Type())
	}
	srd, err := sch.Serde()
	if err != nil {
		return payloadWriter{}, fmt.Errorf("serde of the schema: %w", err)
	}
	w := payloadWriter{writer: newRecordWriter(sch.Bytes), serde: srd, slot: make(map[string]int, len(rs.Fields()))}
	for i, f := range rs.Fields() {
		w.names = append(w.names, f.Name())
		w.slot[f.Name()] = i
	}
	w.vals = make([]any, len(w.names))
	w.at = fixedSlots{
		id: w.slot[record.FieldID], createdAt: w.slot[record.FieldCreatedAt], updatedAt: w.slot[record.FieldUpdatedAt],
		archivedAt: w.slot[record.FieldArchivedAt], associations: w.slot[record.FieldAssociations],
	}
	return w, nil
}

// write returns the slots' payload in Avro.
func (w *payloadWriter) write() (opencdc.RawData, error) {
	if w.writer != nil {
		if b, ok := w.writer.writeValues(w.vals); ok {
			return b, nil
		}
	}
	b, err := w.serde.Marshal(w.structured())
	if err != nil {
		return nil, fmt.Errorf("marshal the payload: %w", err)
	}
	return b, nil
}

// structured returns the slots' payload as a map by field name, as the
// SDK's serde takes it.
func (w *payloadWriter) structured() opencdc.StructuredData {
	d := make(opencdc.StructuredData, len(w.names))
	for i, name := range w.names {
		d[name] = w.vals[i]
	}
	return d
}
