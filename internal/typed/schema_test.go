package typed_test

import (
	"encoding/json"
	"maps"
	"strconv"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/typed"
	cavro "github.com/conduitio/conduit-commons/schema/avro"
	"github.com/hamba/avro/v2"
	"github.com/matryer/is"
)

func TestFieldName(t *testing.T) {
	tests := []struct{ property, want string }{
		{"email", "email"},
		{"hs_object_id", "hs_object_id"},
		{"CamelCase9", "CamelCase9"},
		{"2nd_owner", "_2nd_owner"},
		{"first-name", "first_name"},
		{"a.b c", "a_b_c"},
		{"prénom", "pr_nom"},
		{"", "_"},
	}
	for _, tt := range tests {
		t.Run(tt.property, func(t *testing.T) {
			is := is.New(t)
			is.Equal(typed.FieldName(tt.property), tt.want)
		})
	}
}

// every is a property of each kind.
var every = []hubspot.Property{text, phone, number, boolean, datetime, date, checkbox, selectp}

func TestValueSchema(t *testing.T) {
	is := is.New(t)
	s, err := typed.ValueSchema("2-123456", every)
	is.NoErr(err)
	is.Equal(s.FullName(), "hubspot._2_123456")

	var names []string
	types := map[string]string{}
	for _, f := range s.Fields() {
		names = append(names, f.Name())
		types[f.Name()] = schemaType(f.Type())
	}
	is.Equal(names, []string{ // sorted
		"annualrevenue", "archivedAt", "closedate", "createdAt", "date_of_birth", "firstname",
		"hs_buying_role", "id", "is_public", "lifecyclestage", "phone", "updatedAt",
	})
	is.Equal(types, map[string]string{
		"id":             "string",
		"createdAt":      "long.timestamp-millis",
		"updatedAt":      "long.timestamp-millis",
		"archivedAt":     "null|long.timestamp-millis",
		"firstname":      "null|string",
		"phone":          "null|string",
		"lifecyclestage": "null|string",
		"annualrevenue":  "null|double",
		"is_public":      "null|boolean",
		"closedate":      "null|long.timestamp-millis",
		"date_of_birth":  "null|int.date",
		"hs_buying_role": "null|array",
	})
	for _, f := range s.Fields() {
		if f.Type().Type() == avro.Union {
			is.True(f.HasDefault())
			is.Equal(f.Default(), nil)
		}
	}

	// The same properties in another order make the same schema.
	reversed := make([]hubspot.Property, len(every))
	for i, p := range every {
		reversed[len(every)-1-i] = p
	}
	again, err := typed.ValueSchema("2-123456", reversed)
	is.NoErr(err)
	is.Equal(again.Fingerprint(), s.Fingerprint())

	// The bytes parse back as the same schema.
	b, err := typed.Bytes(s)
	is.NoErr(err)
	is.True(json.Valid(b))
	parsed, err := avro.ParseBytes(b)
	is.NoErr(err)
	is.Equal(parsed.Fingerprint(), s.Fingerprint())
}

func schemaType(s avro.Schema) string {
	switch s := s.(type) {
	case *avro.UnionSchema:
		out := ""
		for i, t := range s.Types() {
			if i > 0 {
				out += "|"
			}
			out += schemaType(t)
		}
		return out
	case *avro.PrimitiveSchema:
		if l := s.Logical(); l != nil {
			return string(s.Type()) + "." + string(l.Type())
		}
	}
	return string(s.Type())
}

func TestValueSchemaClash(t *testing.T) {
	tests := []struct {
		name  string
		props []hubspot.Property
	}{
		{"same field name", []hubspot.Property{{Name: "first-name"}, {Name: "first_name"}}},
		{"same property twice", []hubspot.Property{text, text}},
		{"object field", []hubspot.Property{{Name: "id", Type: "string"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			_, err := typed.ValueSchema("contacts", tt.props)
			is.True(err != nil)
		})
	}
}

func TestKeySchema(t *testing.T) {
	is := is.New(t)
	s, err := typed.KeySchema("contacts")
	is.NoErr(err)
	is.Equal(s.FullName(), "hubspot.contacts_key")
	is.Equal(len(s.Fields()), 1)
	is.Equal(s.Fields()[0].Name(), "id")

	b, err := avro.Marshal(s, map[string]any{"id": "512"})
	is.NoErr(err)
	var got map[string]any
	is.NoErr(avro.Unmarshal(s, b, &got))
	is.Equal(got, map[string]any{"id": "512"})
}

// parseRecord builds a record's payload from what HubSpot sent, as a source
// would: a field of each property, null where HubSpot's value is null or
// does not parse.
func parseRecord(tb testing.TB, obj hubspot.Object, props []hubspot.Property) map[string]any {
	tb.Helper()
	rec := make(map[string]any, len(props)+4)
	rec["id"] = obj.ID
	rec["createdAt"] = obj.CreatedAt
	rec["updatedAt"] = obj.UpdatedAt
	if obj.ArchivedAt != nil {
		rec["archivedAt"] = *obj.ArchivedAt
	} else {
		rec["archivedAt"] = nil
	}
	for _, p := range props {
		v, err := typed.Parse(p, obj.Properties[p.Name])
		if err != nil {
			tb.Fatal(err)
		}
		rec[typed.FieldName(p.Name)] = v
	}
	return rec
}

// TestEncode encodes a record of parsed values of every kind, nulls
// included, with the schema built for its properties, and decodes it back.
func TestEncode(t *testing.T) {
	s, err := typed.ValueSchema("contacts", every)
	if err != nil {
		t.Fatal(err)
	}
	created := utc(2026, 1, 2, 3, 4, 5, 678)
	tests := []struct {
		name       string
		props      hubspot.Properties
		archivedAt *time.Time
	}{
		{"values", hubspot.Properties{
			"firstname": hubspot.String("Ada"), "phone": hubspot.String(""), "lifecyclestage": hubspot.String("lead"),
			"annualrevenue": hubspot.String("1e21"), "is_public": hubspot.String("true"),
			"closedate": hubspot.String("2026-01-02T03:04:05.678Z"), "date_of_birth": hubspot.String("1815-12-10"),
			"hs_buying_role": hubspot.String("a;b"),
		}, &created},
		{"nulls", hubspot.Properties{}, nil},
		{"cleared", hubspot.Properties{
			"firstname": hubspot.String(""), "annualrevenue": hubspot.String(""), "is_public": hubspot.String(""),
			"closedate": hubspot.String(""), "date_of_birth": hubspot.String(""), "hs_buying_role": hubspot.String(""),
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			obj := hubspot.Object{ID: "512", Properties: tt.props, CreatedAt: created, UpdatedAt: created.Add(time.Hour), ArchivedAt: tt.archivedAt}
			rec := parseRecord(t, obj, every)

			b, err := avro.Marshal(s, rec)
			is.NoErr(err)
			var got map[string]any
			is.NoErr(avro.Unmarshal(s, b, &got))
			is.Equal(len(got), len(rec))
			for name, want := range rec {
				is.Equal(normal(got[name]), normal(want)) // field name
			}

			// Conduit encodes with conduit-commons' Serde, from the bytes
			// registered, and decodes unions to their values.
			sb, err := typed.Bytes(s)
			is.NoErr(err)
			serde, err := cavro.Parse(sb)
			is.NoErr(err)
			b, err = serde.Marshal(maps.Clone(rec)) // Marshal may change its map
			is.NoErr(err)
			got = nil
			is.NoErr(serde.Unmarshal(b, &got))
			for name, want := range rec {
				is.Equal(normal(got[name]), normal(want)) // field name
			}

			// And what a destination decodes, it writes as it was read.
			for _, p := range every {
				want, err := typed.Format(p, rec[p.Name])
				is.NoErr(err)
				s, err := typed.Format(p, got[p.Name])
				is.NoErr(err)
				is.Equal(s, want) // property name
			}
		})
	}
}

// normal makes decoded values comparable with parsed ones: hamba/avro
// decodes an array as []any, in a union as {"array": [...]}, and times in
// the local zone.
func normal(v any) any {
	if m, ok := v.(map[string]any); ok && len(m) == 1 && m["array"] != nil {
		v = m["array"]
	}
	switch v := v.(type) {
	case []any:
		out := make([]string, len(v))
		for i, s := range v {
			out[i], _ = s.(string)
		}
		return out
	case time.Time:
		return v.UTC()
	}
	return v
}

// BenchmarkParseRecord parses a 600-property object, a contact of a large
// account, into a record's payload.
func BenchmarkParseRecord(b *testing.B) {
	kinds := []struct {
		p   hubspot.Property
		raw string
	}{
		{text, "Ada Lovelace"}, {number, "123456.78"}, {boolean, "true"},
		{datetime, "2026-01-02T03:04:05.678Z"}, {date, "2026-01-02"}, {checkbox, "a;b;c"},
	}
	props := make([]hubspot.Property, 0, 600)
	values := make(hubspot.Properties, 600)
	for i := range 600 {
		k := kinds[i%len(kinds)]
		p := k.p
		p.Name = "p" + strconv.Itoa(i)
		props = append(props, p)
		if i%10 != 9 { // one value in ten is null
			values[p.Name] = hubspot.String(k.raw)
		}
	}
	obj := hubspot.Object{ID: "512", Properties: values, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		parseRecord(b, obj, props)
	}
}
