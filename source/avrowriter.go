package source

import (
	"bytes"
	"sync"
	"time"

	"github.com/conduitio/conduit-commons/opencdc"
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
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.out
	out.Reset(nil)
	out.Error = nil
	for _, f := range w.fields {
		v, ok := d[f.name]
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
