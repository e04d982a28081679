package destination_test

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// typedProps are custom contact properties of every kind typed.KindOf
// tells apart, added to the full catalogue.
var typedProps = []hubspottest.PropertyDef{
	{Name: "t_number", Type: hubspottest.TypeNumber},
	{Name: "t_bool", Type: hubspottest.TypeBool},
	{Name: "t_datetime", Type: hubspottest.TypeDateTime},
	{Name: "t_date", Type: hubspottest.TypeDate},
	{Name: "t_list", Type: hubspottest.TypeEnumeration, FieldType: "checkbox", Options: abc},
	{Name: "t_select", Type: hubspottest.TypeEnumeration, FieldType: "select", Options: abc},
	{Name: "t_text", Type: hubspottest.TypeString},
}

var abc = []hubspottest.PropertyOption{{Label: "A", Value: "a"}, {Label: "B", Value: "b"}, {Label: "C", Value: "c"}}

// openTyped opens a contacts destination on a simulator with the full
// property catalogue and typedProps.
func openTyped(t *testing.T) (*hubspottest.Server, *destination.Destination) {
	t.Helper()
	srv := newSim(t, hubspottest.WithFullPropertyCatalog())
	for _, p := range typedProps {
		if err := srv.AddProperty("contacts", p); err != nil {
			t.Fatal(err)
		}
	}
	return srv, openDestination(t, srv, nil)
}

// writeAll writes the records and wants every one written.
func writeAll(t *testing.T, d *destination.Destination, recs ...opencdc.Record) {
	t.Helper()
	n, err := d.Write(context.Background(), recs)
	if err != nil || n != len(recs) {
		t.Fatalf("wrote %d of %d records: %v", n, len(recs), err)
	}
}

func ptr[T any](v T) *T { return &v }

// Payloads as each kind of source gives them.

// fromThisSource is a record of this connector's source: HubSpot-shaped,
// with its own fields beside the typed properties (float64 numbers, bools,
// time.Time for datetimes and dates, []string for checkboxes).
func fromThisSource(email, prop string, v any) opencdc.Data {
	created := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	return opencdc.StructuredData{
		"id": "1", "createdAt": created, "updatedAt": created, "archivedAt": nil,
		"properties": map[string]any{"email": email, prop: v},
	}
}

// fromPostgres is a row as Conduit's postgres source gives it: flat
// fields of int64, float64, bool, time.Time, string and []any.
func fromPostgres(email, prop string, v any) opencdc.Data {
	return opencdc.StructuredData{"email": email, prop: v}
}

// fromKafkaJSON is a JSON message in raw bytes, which the destination
// decodes with json.Number.
func fromKafkaJSON(email, prop, json string) opencdc.Data {
	return opencdc.RawData(fmt.Sprintf(`{"email":%q,%q:%s}`, email, prop, json))
}

// TestTypedValuesFromEverySource writes values of every Go type that the
// sources give into properties of every kind, and checks what HubSpot
// stores (the simulator normalizes as HubSpot does: numbers as doubles,
// datetimes as ISO 8601 with milliseconds, dates as YYYY-MM-DD).
func TestTypedValuesFromEverySource(t *testing.T) {
	is := is.New(t)
	srv, d := openTyped(t)
	at := time.Date(2024, 3, 5, 10, 20, 30, 123e6, time.UTC)
	east := time.FixedZone("UTC+2", 2*3600)
	west := time.FixedZone("UTC-5", -5*3600)
	const ms = "1709634030123" // at, in epoch milliseconds

	type payload func(email string) opencdc.Data
	src := func(prop string, v any) payload {
		return func(e string) opencdc.Data { return fromThisSource(e, prop, v) }
	}
	pg := func(prop string, v any) payload {
		return func(e string) opencdc.Data { return fromPostgres(e, prop, v) }
	}
	kafka := func(prop, json string) payload {
		return func(e string) opencdc.Data { return fromKafkaJSON(e, prop, json) }
	}
	tests := []struct {
		name    string
		payload payload
		prop    string
		want    string
	}{
		// numbers
		{"source float64", src("t_number", 1234.5), "t_number", "1234.5"},
		{"source float64 1e21", src("t_number", 1e21), "t_number", "1000000000000000000000"},
		{"source float64 1e-7", src("t_number", 1e-7), "t_number", "0.0000001"},
		{"source float64 whole", src("t_number", 42.0), "t_number", "42"},
		{"postgres int64", pg("t_number", int64(-7)), "t_number", "-7"},
		{"postgres int32", pg("t_number", int32(12)), "t_number", "12"},
		{"postgres float32 0.1", pg("t_number", float32(0.1)), "t_number", "0.1"},
		{"postgres float64 next after 0.3", pg("t_number", math.Nextafter(0.3, 1)), "t_number", "0.30000000000000004"},
		{"postgres numeric string", pg("t_number", "12"), "t_number", "12"},
		{"postgres numeric as *big.Rat", pg("t_number", big.NewRat(12345, 100)), "t_number", "123.45"},
		{"postgres numeric as *big.Rat 1e21", pg("t_number", new(big.Rat).SetFrac(new(big.Int).Exp(big.NewInt(10), big.NewInt(21), nil), big.NewInt(1))), "t_number", "1000000000000000000000"},
		{"*big.Rat without a decimal", pg("t_number", big.NewRat(1, 3)), "t_number", "0.3333333333333333"},
		{"postgres nullable int8 as *int64", pg("t_number", ptr(int64(8))), "t_number", "8"},
		{"kafka json.Number 1e21", kafka("t_number", "1e21"), "t_number", "1000000000000000000000"},
		{"kafka json.Number 1.5e3", kafka("t_number", "1.5e3"), "t_number", "1500"},
		{"kafka json.Number 1E-7", kafka("t_number", "1E-7"), "t_number", "0.0000001"},
		{"kafka json.Number 2.50", kafka("t_number", "2.50"), "t_number", "2.5"},
		{"kafka numeric string", kafka("t_number", `"-3.25"`), "t_number", "-3.25"},
		// booleans
		{"source bool", src("t_bool", true), "t_bool", "true"},
		{"postgres bool", pg("t_bool", false), "t_bool", "false"},
		{"postgres bool string", pg("t_bool", "TRUE"), "t_bool", "true"},
		{"kafka bool", kafka("t_bool", "true"), "t_bool", "true"},
		// datetimes
		{"source time.Time", src("t_datetime", at), "t_datetime", "2024-03-05T10:20:30.123Z"},
		{"postgres timestamptz in another zone", pg("t_datetime", at.In(east)), "t_datetime", "2024-03-05T10:20:30.123Z"},
		{"postgres epoch ms int64", pg("t_datetime", int64(1709634030123)), "t_datetime", "2024-03-05T10:20:30.123Z"},
		{"kafka ISO with offset", kafka("t_datetime", `"2024-03-05T12:20:30.123+02:00"`), "t_datetime", "2024-03-05T10:20:30.123Z"},
		{"kafka ISO without fraction", kafka("t_datetime", `"2024-03-05T10:20:30Z"`), "t_datetime", "2024-03-05T10:20:30.000Z"},
		{"kafka epoch ms", kafka("t_datetime", ms), "t_datetime", "2024-03-05T10:20:30.123Z"},
		// dates
		{"source date", src("t_date", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)), "t_date", "2024-03-05"},
		{"postgres date at midnight west of UTC", pg("t_date", time.Date(2024, 3, 5, 0, 0, 0, 0, west)), "t_date", "2024-03-05"},
		{"postgres date at midnight east of UTC", pg("t_date", time.Date(2024, 3, 5, 0, 0, 0, 0, east)), "t_date", "2024-03-05"},
		{"kafka date string", kafka("t_date", `"2024-03-05"`), "t_date", "2024-03-05"},
		{"kafka date as midnight epoch ms", kafka("t_date", "1709596800000"), "t_date", "2024-03-05"},
		// multiple checkboxes
		{"source []string", src("t_list", []string{"a", "c"}), "t_list", "a;c"},
		{"postgres []any", pg("t_list", []any{"b", "c"}), "t_list", "b;c"},
		{"postgres joined string", pg("t_list", "a;b"), "t_list", "a;b"},
		{"kafka list", kafka("t_list", `["a","b","c"]`), "t_list", "a;b;c"},
		// strings and single selects
		{"source select", src("t_select", "b"), "t_select", "b"},
		{"source text", src("t_text", "hello"), "t_text", "hello"},
		{"postgres float64 into text", pg("t_text", 1e21), "t_text", "1000000000000000000000"},
		{"postgres int64 into text", pg("t_text", int64(42)), "t_text", "42"},
		{"postgres bool into text", pg("t_text", true), "t_text", "true"},
		{"postgres time into text", pg("t_text", at.In(west)), "t_text", "2024-03-05T10:20:30.123Z"},
		{"kafka number into text", kafka("t_text", "1.5e3"), "t_text", "1500"},
	}
	recs := make([]opencdc.Record, len(tests))
	for i, tt := range tests {
		recs[i] = rec(opencdc.OperationCreate, fmt.Sprintf("p%d", i), nil, tt.payload(fmt.Sprintf("t%d@example.com", i)))
	}
	writeAll(t, d, recs...)
	byEmail := map[string]hubspottest.Object{}
	for _, o := range live(srv) {
		byEmail[o.Properties["email"]] = o
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			o, ok := byEmail[fmt.Sprintf("t%d@example.com", i)]
			is.True(ok) // created
			is.Equal(o.Properties[tt.prop], tt.want)
		})
	}

	// Null clears a value of every kind, as "" does.
	o := byEmail["t0@example.com"]
	set := opencdc.StructuredData{"t_number": 5, "t_bool": true, "t_datetime": at, "t_date": "2024-03-05", "t_list": []string{"a"}, "t_select": "a", "t_text": "x"}
	writeAll(t, d, rec(opencdc.OperationUpdate, "set", id(o.ID), set))
	nulls := opencdc.StructuredData{}
	for name := range set {
		nulls[name] = nil
	}
	writeAll(t, d, rec(opencdc.OperationUpdate, "clear", id(o.ID), nulls))
	got, ok := srv.Object("contacts", o.ID)
	is.True(ok)
	for name := range set {
		is.Equal(got.Properties[name], "") // cleared
	}
}

// TestUnwritableValues: a value that cannot be its property's type fails
// its record alone, before any call, with an error naming the record, the
// property, the value's Go type and the property's type; the record before
// it is written.
func TestUnwritableValues(t *testing.T) {
	srv, d := openTyped(t)
	tests := []struct {
		name    string
		payload func(email string) opencdc.Data
		want    string
	}{
		{"bool into number", func(e string) opencdc.Data { return fromPostgres(e, "t_number", true) },
			`property "t_number": a bool cannot be a HubSpot number property`},
		{"abc into number", func(e string) opencdc.Data { return fromPostgres(e, "t_number", "abc") },
			`property "t_number": a string cannot be a HubSpot number property`},
		{"NaN into number", func(e string) opencdc.Data { return fromThisSource(e, "t_number", math.NaN()) },
			`property "t_number": a float64 cannot be a HubSpot number property`},
		{"json bool into number", func(e string) opencdc.Data { return fromKafkaJSON(e, "t_number", "true") },
			`property "t_number": a bool cannot be a HubSpot number property`},
		{"json list into number", func(e string) opencdc.Data { return fromKafkaJSON(e, "t_number", "[1,2]") },
			`property "t_number": a []interface {} cannot be a HubSpot number property`},
		{"yes into bool", func(e string) opencdc.Data { return fromPostgres(e, "t_bool", "yes") },
			`property "t_bool": a string cannot be a HubSpot bool property`},
		{"list into select", func(e string) opencdc.Data { return fromThisSource(e, "t_select", []string{"a", "b"}) },
			`property "t_select": a []string cannot be a HubSpot enumeration property`},
		{"list into text", func(e string) opencdc.Data { return fromPostgres(e, "t_text", []any{"a"}) },
			`property "t_text": a []interface {} cannot be a HubSpot string property`},
		{"non-midnight time into date", func(e string) opencdc.Data {
			return fromPostgres(e, "t_date", time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC))
		}, `property "t_date": a time.Time cannot be a HubSpot date property`},
		{"non-midnight string into date", func(e string) opencdc.Data { return fromKafkaJSON(e, "t_date", `"2024-03-05T10:00:00Z"`) },
			`property "t_date": a string cannot be a HubSpot date property`},
		{"*big.Rat into bool", func(e string) opencdc.Data { return fromPostgres(e, "t_bool", big.NewRat(1, 1)) },
			`property "t_bool": a *big.Rat cannot be a HubSpot bool property`},
		{"not a time into datetime", func(e string) opencdc.Data { return fromKafkaJSON(e, "t_datetime", `"yesterday"`) },
			`property "t_datetime": a string cannot be a HubSpot datetime property`},
		{"number in a list", func(e string) opencdc.Data { return fromPostgres(e, "t_list", []any{"a", int64(1)}) },
			`property "t_list": a []interface {} cannot be a HubSpot enumeration property`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			before := len(live(srv))
			good := rec(opencdc.OperationCreate, fmt.Sprintf("good%d", i), nil, fromPostgres(fmt.Sprintf("g%d@example.com", i), "t_number", 1))
			bad := rec(opencdc.OperationCreate, fmt.Sprintf("bad%d", i), nil, tt.payload(fmt.Sprintf("b%d@example.com", i)))
			n, err := d.Write(context.Background(), []opencdc.Record{good, bad})
			is.Equal(n, 1) // the good record before it
			is.True(err != nil)
			msg := err.Error()
			t.Log(msg)
			is.True(strings.HasPrefix(msg, fmt.Sprintf("record 1 (position bad%d, key none): ", i))) // the record
			is.True(strings.Contains(msg, tt.want))                                                  // the property, the value's type, the property's type
			is.True(strings.Contains(msg, "(the value: "))                                           // and the value, for the DLQ's reader
			is.Equal(len(live(srv)), before+1)                                                       // only the good one
		})
	}
}

// TestTypedValuesMatchedWithoutTraceIDs: without trace ids, created
// objects are matched to their records by the values they were sent, as
// HubSpot stores them: a datetime sent as epoch milliseconds comes back in
// ISO 8601, a date as YYYY-MM-DD, 2.50 as 2.5. The match finds each object,
// so an update keyed like its create reaches it.
func TestTypedValuesMatchedWithoutTraceIDs(t *testing.T) {
	is := is.New(t)
	srv := newSim(t, hubspottest.WithoutWriteTraceIDs())
	for _, p := range typedProps {
		is.NoErr(srv.AddProperty("deals", p))
	}
	d := openDestination(t, srv, map[string]string{"resource": "deals"})
	at := time.Date(2024, 3, 5, 10, 20, 30, 123e6, time.FixedZone("UTC+2", 2*3600))
	recs := make([]opencdc.Record, 3)
	for i := range recs {
		recs[i] = rec(opencdc.OperationCreate, fmt.Sprintf("p%d", i), opencdc.RawData(fmt.Sprintf("k%d", i)), opencdc.StructuredData{
			"dealname": "same", "amount": 2.50 + float64(i), "t_bool": i%2 == 0, "t_datetime": at.Add(time.Duration(i) * time.Hour),
			"t_date": time.Date(2024, 3, 5+i, 0, 0, 0, 0, time.UTC), "t_list": []string{"a", "b"},
		})
	}
	writeAll(t, d, recs...)
	writeAll(t, d, rec(opencdc.OperationUpdate, "u1", opencdc.RawData("k1"), opencdc.StructuredData{"dealname": "second"}))
	deals := srv.Objects("deals")
	is.Equal(len(deals), 3)
	for _, o := range deals {
		is.Equal(o.Properties["dealname"] == "second", o.Properties["t_date"] == "2024-03-06")
	}
}

// TestDeleteByTypedIDProperty: a delete finds the object by the value of
// its idProperty in the payload before, of any scalar type, as the upsert
// wrote it: a number property's int64 is "7".
func TestDeleteByTypedIDProperty(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	is.NoErr(srv.AddProperty("contacts", hubspottest.PropertyDef{Name: "t_code", Type: hubspottest.TypeNumber, Unique: true}))
	d := openDestination(t, srv, map[string]string{"idProperty": "t_code"})
	row := opencdc.StructuredData{"t_code": int64(7), "email": "code@example.com"}
	writeAll(t, d, rec(opencdc.OperationSnapshot, "p1", nil, row))
	o := onlyContact(t, srv)
	is.Equal(o.Properties["t_code"], "7")
	writeAll(t, d, rec(opencdc.OperationDelete, "p2", nil, row))
	is.Equal(len(live(srv)), 0)
}
