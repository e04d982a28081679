package source_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/syncbuf"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/conduitio/conduit-connector-sdk/schema"
	"github.com/matryer/is"
	"github.com/rs/zerolog"
)

// goType names the Go type a typed value has, for the kinds the README's
// type mapping lists.
func goType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case time.Time:
		if v.Equal(v.Truncate(24 * time.Hour)) {
			return "midnight"
		}
		return "time"
	case []any:
		// An array in Avro decodes as []any: of strings, it is a []string.
		for _, e := range v {
			if _, ok := e.(string); !ok {
				return "[]any"
			}
		}
		return "[]string"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// kindsOf counts, for each property type of the simulator's catalog, the
// Go types the records' values have.
func kindsOf(t *testing.T, srv *hubspottest.Server, recs []opencdc.Record) map[string]map[string]int {
	types := map[string]string{}
	for _, p := range srv.Properties("contacts", false) {
		kind := p.Type
		if p.FieldType == "checkbox" {
			kind = "checkbox"
		}
		types[p.Name] = kind
	}
	out := map[string]map[string]int{}
	for _, r := range recs {
		for name, v := range source.StructuredPayload(t, r, r.Payload.After) {
			kind, ok := types[name]
			if !ok {
				continue
			}
			if out[kind] == nil {
				out[kind] = map[string]int{}
			}
			out[kind][goType(v)]++
		}
	}
	return out
}

// encodes checks that each record's key and payload (after, or before for
// a delete) encode with the schemas its metadata names, as Conduit's
// registry holds them.
func encodes(t *testing.T, recs []opencdc.Record) {
	t.Helper()
	ctx := context.Background()
	for _, r := range recs {
		data := r.Payload.After
		if r.Operation == opencdc.OperationDelete {
			data = r.Payload.Before
		}
		var payload opencdc.StructuredData
		if data != nil {
			// One in Avro decodes by its schema, or fails the test.
			payload = source.StructuredPayload(t, r, data)
		}
		for _, part := range []struct {
			subject, version string
			data             opencdc.StructuredData
		}{
			{opencdc.MetadataKeySchemaSubject, opencdc.MetadataKeySchemaVersion, r.Key.(opencdc.StructuredData)},
			{opencdc.MetadataPayloadSchemaSubject, opencdc.MetadataPayloadSchemaVersion, payload},
		} {
			subject := r.Metadata[part.subject]
			var version int
			if _, err := fmt.Sscan(r.Metadata[part.version], &version); err != nil || subject == "" {
				t.Fatalf("record %s (%s) names no schema in %s: %v", r.Key, r.Operation, part.subject, r.Metadata)
			}
			sch, err := schema.Get(ctx, subject, version)
			if err != nil {
				t.Fatalf("record %s: schema %s v%d: %v", r.Key, subject, version, err)
			}
			if _, err := sch.Marshal(map[string]any(part.data)); err != nil {
				t.Fatalf("record %s does not encode with %s v%d: %v", r.Key, subject, version, err)
			}
		}
	}
}

// TestTypedValues: with HubSpot's ~600 contact properties, the snapshot
// and CDC emit every property, typed as the README's mapping says, never
// hitting a 414 (a read that did would fail the source), and each record
// encodes with the schema it names.
func TestTypedValues(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, hubspottest.WithFullPropertyCatalog())
	_, err := e.srv.Seed("contacts", 60, nil)
	is.NoErr(err)
	// Made well before the start: CDC's first search, which reads again
	// the look-back window before it after a snapshot read by search too,
	// finds only the update below.
	e.clock.Advance(time.Minute)
	src := openSource(t, e, nil, nil)
	snap := readCount(t, src, 60)
	is.Equal(len(snap), 60)
	is.True(len(source.StructuredPayload(t, snap[0], snap[0].Payload.After)) > 600) // every property, and the object's own fields
	encodes(t, snap)

	want := map[string]string{ // property type: the Go type of its values
		"number": "float64", "bool": "bool", "datetime": "time", "date": "midnight",
		"checkbox": "[]string", "string": "string", "enumeration": "string",
	}
	got := kindsOf(t, e.srv, snap)
	for kind, typ := range want {
		if got[kind][typ] == 0 {
			t.Errorf("snapshot: no %s property with a %s value: %v", kind, typ, got[kind])
		}
		for other := range got[kind] {
			if other != typ && other != "null" {
				t.Errorf("snapshot: a %s property has a %s value", kind, other)
			}
		}
	}
	var empty, null int
	for _, r := range snap {
		for name, v := range source.StructuredPayload(t, r, r.Payload.After) {
			if v == "" && name != "" {
				empty++
			}
			if v == nil {
				null++
			}
		}
	}
	is.True(empty > 0) // "" stays distinct from null for strings
	is.True(null > 0)

	// CDC: an update of values of each type comes typed.
	writable := map[string]string{} // type: a property of it that may be written
	for _, p := range e.srv.Properties("contacts", false) {
		if _, ok := writable[p.Type]; !ok && !p.ReadOnly && p.FieldType != "calculation_equation" {
			writable[p.Type] = p.Name
		}
	}
	values := map[string]string{"number": "17", "bool": "true", "datetime": "2026-03-04T05:06:07.089Z", "date": "1990-02-03"}
	update := map[string]string{}
	for typ, v := range values {
		is.True(writable[typ] != "") // the catalog has a writable property of each type
		update[writable[typ]] = v
	}
	e.tick()
	id := snap[0].Key.(opencdc.StructuredData)[record.FieldID].(string)
	is.NoErr(e.srv.Update("contacts", id, update))
	e.settle()
	recs := e.readUntil(t, src, 10*time.Second, func(rs []opencdc.Record) bool { return len(rs) > 0 })
	is.True(len(recs) > 0)
	after := source.StructuredPayload(t, recs[len(recs)-1], recs[len(recs)-1].Payload.After)
	is.Equal(after[writable["number"]], 17.0)
	is.Equal(after[writable["bool"]], true)
	is.Equal(after[writable["datetime"]], time.Date(2026, 3, 4, 5, 6, 7, 89e6, time.UTC))
	is.Equal(after[writable["date"]], time.Date(1990, 2, 3, 0, 0, 0, 0, time.UTC))
	encodes(t, recs)
}

// TestUnparsableValues: a value that does not parse as its type (as
// imported data has) fails nothing and loses nothing: the field is null,
// the text is in the metadata hubspot.raw.<property>, the record encodes
// with its schema, and the source warns once per property.
func TestUnparsableValues(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, hubspottest.WithFullPropertyCatalog(), hubspottest.WithUnparsableValues(20))
	_, err := e.srv.Seed("contacts", 30, nil)
	is.NoErr(err)
	var logs syncbuf.Buffer
	src := openSource(t, e, nil, nil)
	ctx := zerolog.New(&logs).WithContext(context.Background())
	var recs []opencdc.Record
	for len(recs) < 30 {
		got, err := src.ReadN(ctx, 30-len(recs))
		is.NoErr(err)
		recs = append(recs, got...)
	}
	encodes(t, recs)

	warned := map[string]bool{}
	raws := 0
	for _, r := range recs {
		after := source.StructuredPayload(t, r, r.Payload.After)
		for key, text := range r.Metadata {
			name, ok := strings.CutPrefix(key, record.MetadataRawPrefix)
			if !ok {
				continue
			}
			raws++
			is.Equal(after[name], nil) // the field is null
			o, _ := e.srv.Object("contacts", r.Key.(opencdc.StructuredData)[record.FieldID].(string))
			is.Equal(o.Properties[name], text) // the text, whole
			warned[name] = true
		}
	}
	is.True(raws > 0)
	for name := range warned {
		is.Equal(strings.Count(logs.String(), `"property":"`+name+`"`), 1) // once per property
	}
}

// TestPropertyCreatedMidRun: a property created in HubSpot while the
// pipeline runs appears in records within 10 minutes, with a new payload
// schema version that has its field; an archived one leaves the same way.
func TestPropertyCreatedMidRun(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	ids, err := e.srv.Seed("contacts", 2, nil)
	is.NoErr(err)
	src := openSource(t, e, nil, nil)
	snap := readCount(t, src, 2)
	v1, err := snap[0].Metadata.GetPayloadSchemaVersion()
	is.NoErr(err)
	_, has := source.StructuredPayload(t, snap[0], snap[0].Payload.After)["shoe_size"]
	is.True(!has)

	is.NoErr(e.srv.AddProperty("contacts", hubspottest.PropertyDef{Name: "shoe_size", Type: "number", FieldType: "number"}))
	e.clock.Advance(10 * time.Minute) // the properties are listed again
	e.tick()
	is.NoErr(e.srv.Update("contacts", ids[0], map[string]string{"shoe_size": "42"}))
	e.settle()
	recs := e.readUntil(t, src, 10*time.Second, func(rs []opencdc.Record) bool { return len(rs) > 0 })
	is.True(len(recs) > 0)
	last := recs[len(recs)-1]
	is.Equal(source.StructuredPayload(t, last, last.Payload.After)["shoe_size"], 42.0)
	v2, err := last.Metadata.GetPayloadSchemaVersion()
	is.NoErr(err)
	is.True(v2 > v1)
	encodes(t, recs)

	is.NoErr(e.srv.ArchiveProperty("contacts", "shoe_size"))
	e.clock.Advance(10 * time.Minute)
	e.tick()
	is.NoErr(e.srv.Update("contacts", ids[1], map[string]string{"firstname": "Later"}))
	e.settle()
	recs = e.readUntil(t, src, 10*time.Second, func(rs []opencdc.Record) bool { return len(rs) > 0 })
	is.True(len(recs) > 0)
	last = recs[len(recs)-1]
	_, has = source.StructuredPayload(t, last, last.Payload.After)["shoe_size"]
	is.True(!has)
	v3, err := last.Metadata.GetPayloadSchemaVersion()
	is.NoErr(err)
	is.True(v3 != v2) // the schema without it: v1's again, as the registry holds it
	encodes(t, recs)
}

// TestWithoutTheSchemasScope: a token that may read contacts but not their
// property definitions (no crm.schemas.contacts.read: a 403) still reads
// them, as before the source typed values: the default properties, as
// strings, with a warning, and it does not ask again every 10 minutes.
func TestWithoutTheSchemasScope(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	_, err := e.srv.Seed("contacts", 2, nil)
	is.NoErr(err)
	e.srv.InjectFault(hubspottest.Fault{Method: http.MethodGet, Path: "/crm/properties/2026-09/contacts", Times: 1, Kind: hubspottest.FaultStatus, Status: http.StatusForbidden})
	var logs syncbuf.Buffer
	ctx := zerolog.New(&logs).WithContext(context.Background())
	src, err := tryOpen(e, nil, nil)
	is.NoErr(err)
	t.Cleanup(func() { _ = src.Teardown(context.Background()) })
	var recs []opencdc.Record
	for len(recs) < 2 {
		got, err := src.ReadN(ctx, 2)
		is.NoErr(err)
		recs = append(recs, got...)
	}
	after := source.StructuredPayload(t, recs[0], recs[0].Payload.After)
	_, isString := after["createdate"].(string)
	is.True(isString) // untyped, as HubSpot sent it
	_, hasEmail := after["email"]
	is.True(hasEmail) // a default property
	encodes(t, recs)

	e.clock.Advance(20 * time.Minute)
	calls := e.srv.Calls()["GET /crm/properties/2026-09/contacts"]
	e.readQuiet(t, src, 200*time.Millisecond, 10*time.Second)
	is.Equal(e.srv.Calls()["GET /crm/properties/2026-09/contacts"], calls) // not asked again
}

// TestPropertiesListingFailsLater: once the properties are known, a
// listing that fails past the client's retries fails nothing: the source
// reads on with the properties it knows and lists them again 10 minutes
// later.
func TestPropertiesListingFailsLater(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	ids, err := e.srv.Seed("contacts", 2, nil)
	is.NoErr(err)
	src := openSource(t, e, nil, nil)
	readCount(t, src, 2)
	lists := func() int { return e.srv.Calls()["GET /crm/properties/2026-09/contacts"] }
	before := lists()

	e.srv.InjectFault(hubspottest.Fault{Method: http.MethodGet, Path: "/crm/properties/2026-09/contacts", Times: 50, Kind: hubspottest.FaultStatus, Status: http.StatusInternalServerError})
	e.clock.Advance(10 * time.Minute)
	e.tick()
	is.NoErr(e.srv.Update("contacts", ids[0], map[string]string{"firstname": "Still"}))
	e.settle()
	recs := e.readUntil(t, src, 10*time.Second, func(rs []opencdc.Record) bool { return len(rs) > 0 })
	is.True(len(recs) > 0) // the change came, with the properties known
	is.Equal(source.StructuredPayload(t, recs[len(recs)-1], recs[len(recs)-1].Payload.After)["firstname"], "Still")
	failed := lists()
	is.True(failed > before) // it tried, and the client retried

	e.srv.ClearFaults()
	e.readQuiet(t, src, 200*time.Millisecond, 10*time.Second)
	is.Equal(lists(), failed) // not again before 10 minutes
	e.clock.Advance(10 * time.Minute)
	e.readQuiet(t, src, 200*time.Millisecond, 10*time.Second)
	is.Equal(lists(), failed+1) // then once
}

// TestPropertiesWithSpaces: "email, firstname" names email and firstname:
// a name with a space would never be read, and its field always null.
func TestPropertiesWithSpaces(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	_, err := e.srv.Seed("contacts", 1, nil)
	is.NoErr(err)
	src := openSource(t, e, map[string]string{"properties": "email, firstname ,"}, nil)
	recs := readCount(t, src, 1)
	after := source.StructuredPayload(t, recs[0], recs[0].Payload.After)
	is.True(after["firstname"] != nil)
	for name := range after {
		is.True(!strings.ContainsAny(name, " ") && !strings.HasPrefix(name, "_")) // no field of a name with a space
	}
	_, read := after["lastname"]
	is.True(!read) // not named
}
