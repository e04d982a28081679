package source

import (
	"context"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/typed"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/conduitio/conduit-commons/schema"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/hamba/avro/v2"
	"github.com/matryer/is"
)

// TestRecordWriterAsMarshal: a payload of every typed kind, links
// included, is written by the record writer itself, as the SDK's serde
// writes it; a value of a Go type the field's kind does not take, or a
// field missing, is left to the serde.
func TestRecordWriterAsMarshal(t *testing.T) {
	is := is.New(t)
	props := []hubspot.Property{
		{Name: "s", Type: "string"}, {Name: "n", Type: "number"}, {Name: "b", Type: "bool"},
		{Name: "ts", Type: "datetime"}, {Name: "d", Type: "date"}, {Name: "l", Type: "enumeration", FieldType: "checkbox"},
	}
	links, err := typed.AssociationsField("contacts", []string{"companies"})
	is.NoErr(err)
	rs, err := typed.ValueSchema("contacts", props, links)
	is.NoErr(err)
	text, err := typed.Bytes(rs)
	is.NoErr(err)
	sch := schema.Schema{Type: schema.TypeAvro, Bytes: text}
	w := newRecordWriter(text)
	is.True(w != nil)

	at := time.Date(1969, 7, 20, 20, 17, 40, 123456789, time.UTC)
	base := func() opencdc.StructuredData {
		return opencdc.StructuredData{
			"id": "1", "createdAt": at, "updatedAt": at.Add(time.Hour), "archivedAt": nil,
			"associations": map[string]any{"companies": []any{map[string]any{"id": "7", "labels": []any{"Primary"}}}},
			"s":            "x\n", "n": -0.25, "b": true, "ts": at, "d": time.Date(1969, 7, 20, 0, 0, 0, 0, time.UTC), "l": []string{"a", "b"},
		}
	}
	nulls := base()
	for _, k := range []string{"s", "n", "b", "ts", "d", "l"} {
		nulls[k] = nil
	}
	later := base()
	later["archivedAt"], later["d"], later["s"], later["b"] = at.AddDate(60, 0, 0), time.Date(2031, 1, 2, 0, 0, 0, 0, time.UTC), "", false
	for _, d := range []opencdc.StructuredData{base(), nulls, later} {
		want, err := sch.Marshal(d)
		is.NoErr(err)
		got, ok := w.write(d)
		is.True(ok) // written by the writer itself
		is.Equal(got, want)
	}

	for _, bad := range []func(opencdc.StructuredData){
		func(d opencdc.StructuredData) { d["n"] = 3 },           // an int for a double
		func(d opencdc.StructuredData) { d["s"] = []byte("x") }, // bytes for a string
		func(d opencdc.StructuredData) { d["d"] = "1969-07-20" },
		func(d opencdc.StructuredData) { delete(d, "s") },
		func(d opencdc.StructuredData) { d["l"] = "a;b" },
	} {
		d := base()
		bad(d)
		_, ok := w.write(d)
		is.True(!ok) // left to the serde
	}

	// A map of a union is the serde's to rewrite: no writer.
	u, err := avro.NewUnionSchema([]avro.Schema{avro.NewNullSchema(), avro.NewPrimitiveSchema(avro.String, nil)})
	is.NoErr(err)
	m, err := avro.NewField("m", avro.NewMapSchema(u))
	is.NoErr(err)
	withMap, err := avro.NewRecordSchema("r", "", []*avro.Field{m})
	is.NoErr(err)
	is.True(newRecordWriter([]byte(withMap.String())) == nil)
}

// TestPayloadAsTheSDKEncodes: the payload the source writes of an object,
// every property typed and links included, is the one the SDK's encoding
// middleware writes of the same typed values as a map; a value that does
// not parse is null there too, and its text is kept.
func TestPayloadAsTheSDKEncodes(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	s := newShape("contacts")
	s.links = []string{"companies"}
	is.NoErr(s.build(ctx, []hubspot.Property{
		{Name: "s", Type: "string"}, {Name: "n", Type: "number"}, {Name: "b", Type: "bool"},
		{Name: "ts", Type: "datetime"}, {Name: "d", Type: "date"}, {Name: "l", Type: "enumeration", FieldType: "checkbox"},
		{Name: "e", Type: "enumeration", FieldType: "checkbox"}, {Name: "bad", Type: "number"}, {Name: "unset", Type: "string"},
	}, 1))
	archived := at(9)
	for _, it := range []item{
		{id: "1", key: keyset{ts: at(1), id: 1}, createdAt: at(0), row: hubspot.Row{Properties: hubspot.Properties{
			"s": hubspot.String("x\n"), "n": hubspot.String("-0.25"), "b": hubspot.String("true"),
			"ts": hubspot.String("2026-01-02T03:04:05.678Z"), "d": hubspot.String("2026-01-02"), "l": hubspot.String("a;b"),
			"e": hubspot.String(""), "bad": hubspot.String("many"), "unset": nil,
		}}, links: map[string][]hubspot.Link{"companies": {{ToID: "7", Types: []hubspot.AssociationType{{Category: "USER_DEFINED", TypeID: 3, Label: hubspot.String("Owner")}}}}}},
		{id: "2", key: keyset{ts: at(2), id: 2}, createdAt: at(0), archivedAt: &archived, row: hubspot.Row{Properties: hubspot.Properties{}}},
	} {
		got, raw, err := s.encode(it)
		is.NoErr(err)
		rec := opencdc.Record{Metadata: opencdc.Metadata{}, Key: opencdc.StructuredData{"id": it.id}, Payload: opencdc.Change{After: s.out.structured()}}
		s.attach(rec)
		want, err := sdk.SourceWithEncoding{}.Wrap(&oneRecord{rec: rec}).Read(ctx)
		is.NoErr(err)
		is.Equal(got, want.Payload.After) // the SDK's bytes
		if it.id == "1" {
			is.Equal(raw, map[string]string{"bad": "many"})
			is.Equal(s.out.structured()["bad"], nil)
		}
	}
}
