package typed_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/typed"
	"github.com/matryer/is"
)

// Properties of every kind, as the properties API describes them.
var (
	text     = hubspot.Property{Name: "firstname", Type: "string", FieldType: "text"}
	phone    = hubspot.Property{Name: "phone", Type: "phone_number", FieldType: "phonenumber"}
	number   = hubspot.Property{Name: "annualrevenue", Type: "number", FieldType: "number"}
	boolean  = hubspot.Property{Name: "is_public", Type: "bool", FieldType: "booleancheckbox"}
	datetime = hubspot.Property{Name: "closedate", Type: "datetime", FieldType: "date"}
	date     = hubspot.Property{Name: "date_of_birth", Type: "date", FieldType: "date"}
	checkbox = hubspot.Property{Name: "hs_buying_role", Type: "enumeration", FieldType: "checkbox"}
	selectp  = hubspot.Property{Name: "lifecyclestage", Type: "enumeration", FieldType: "select"}
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		typ, fieldType string
		want           typed.Kind
	}{
		{"string", "text", typed.String},
		{"string", "textarea", typed.String},
		{"string", "file", typed.String},
		{"phone_number", "phonenumber", typed.String},
		{"number", "number", typed.Number},
		{"number", "calculation_equation", typed.Number},
		{"bool", "booleancheckbox", typed.Bool},
		{"bool", "calculation_equation", typed.Bool},
		{"datetime", "date", typed.Timestamp},
		{"dateTime", "date", typed.Timestamp},
		{"date", "date", typed.Date},
		{"enumeration", "checkbox", typed.List},
		{"enumeration", "select", typed.String},
		{"enumeration", "radio", typed.String},
		// Its options are the property's own, not necessarily true and
		// false: see KindOf.
		{"enumeration", "booleancheckbox", typed.String},
		{"object_coordinates", "text", typed.String},
		{"", "", typed.String},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"/"+tt.fieldType, func(t *testing.T) {
			is := is.New(t)
			is.Equal(typed.KindOf(hubspot.Property{Type: tt.typ, FieldType: tt.fieldType}), tt.want)
		})
	}
}

func utc(y int, m time.Month, d, h, mi, s, ms int) time.Time {
	return time.Date(y, m, d, h, mi, s, ms*1e6, time.UTC)
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		p    hubspot.Property
		raw  *string
		want any
	}{
		{"null string", text, nil, nil},
		{"null number", number, nil, nil},
		{"null list", checkbox, nil, nil},
		{"string", text, hubspot.String("Ada"), "Ada"},
		{"empty string is not null", text, hubspot.String(""), ""},
		{"phone", phone, hubspot.String("+1 555 0100"), "+1 555 0100"},
		{"select", selectp, hubspot.String("lead"), "lead"},
		{"integer", number, hubspot.String("42"), 42.0},
		{"negative", number, hubspot.String("-3.25"), -3.25},
		{"decimal", number, hubspot.String("0.1"), 0.1},
		{"exponent", number, hubspot.String("1e21"), 1e21},
		{"spaces", number, hubspot.String(" 7 "), 7.0},
		{"2^53 is exact", number, hubspot.String("9007199254740992"), 9007199254740992.0},
		{"16 digits exact", number, hubspot.String("1234567890123456"), 1234567890123456.0},
		{"trailing zeros", number, hubspot.String("12345678901234567000"), 12345678901234567000.0},
		{"cleared number", number, hubspot.String(""), nil},
		{"true", boolean, hubspot.String("true"), true},
		{"false", boolean, hubspot.String("false"), false},
		{"TRUE", boolean, hubspot.String("TRUE"), true},
		{"cleared bool", boolean, hubspot.String(""), nil},
		{"datetime", datetime, hubspot.String("2026-01-02T03:04:05.678Z"), utc(2026, 1, 2, 3, 4, 5, 678)},
		{"datetime without millis", datetime, hubspot.String("2026-01-02T03:04:05Z"), utc(2026, 1, 2, 3, 4, 5, 0)},
		{"datetime with offset", datetime, hubspot.String("2026-01-02T04:04:05+01:00"), utc(2026, 1, 2, 3, 4, 5, 0)},
		{"datetime cut to millis", datetime, hubspot.String("2026-01-02T03:04:05.678999Z"), utc(2026, 1, 2, 3, 4, 5, 678)},
		{"datetime epoch ms", datetime, hubspot.String("1767323045678"), utc(2026, 1, 2, 3, 4, 5, 678)},
		{"datetime before 1970", datetime, hubspot.String("-1"), utc(1969, 12, 31, 23, 59, 59, 999)},
		{"datetime as date", datetime, hubspot.String("2026-01-02"), utc(2026, 1, 2, 0, 0, 0, 0)},
		{"cleared datetime", datetime, hubspot.String(""), nil},
		{"date", date, hubspot.String("2026-01-02"), utc(2026, 1, 2, 0, 0, 0, 0)},
		{"date epoch ms", date, hubspot.String("1767312000000"), utc(2026, 1, 2, 0, 0, 0, 0)},
		{"date ISO midnight", date, hubspot.String("2026-01-02T00:00:00.000Z"), utc(2026, 1, 2, 0, 0, 0, 0)},
		{"cleared date", date, hubspot.String(""), nil},
		{"options", checkbox, hubspot.String("a;b;c"), []string{"a", "b", "c"}},
		{"one option", checkbox, hubspot.String("a"), []string{"a"}},
		{"empty options dropped", checkbox, hubspot.String(";a;;b;"), []string{"a", "b"}},
		{"no option", checkbox, hubspot.String(""), []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			got, err := typed.Parse(tt.p, tt.raw)
			is.NoErr(err)
			is.Equal(got, tt.want)
			if tm, ok := got.(time.Time); ok {
				is.Equal(tm.Location(), time.UTC)
			}
		})
	}
}

func TestParseError(t *testing.T) {
	tests := []struct {
		name    string
		p       hubspot.Property
		raw     string
		inexact bool
	}{
		{"word", number, "ten", false},
		{"two points", number, "1.2.3", false},
		{"NaN", number, "NaN", false},
		{"Inf", number, "Inf", false},
		{"hex", number, "0x10", false},
		{"underscore", number, "1_000", false},
		{"no exponent digits", number, "1e", false},
		{"sign alone", number, "-", false},
		{"point alone", number, ".", false},
		{"overflow", number, "1e400", false},
		{"id above 2^53", number, "9007199254740993", true},
		{"long decimal", number, "0.12345678901234567", true},
		{"underflow", number, "1e-400", true},
		{"yes", boolean, "yes", false},
		{"one", boolean, "1", false},
		{"datetime word", datetime, "soon", false},
		{"datetime no zone", datetime, "2026-01-02T03:04:05", false},
		{"datetime epoch too late", datetime, "253402300800000", false},
		{"datetime epoch overflow", datetime, "99999999999999999999", false},
		{"datetime before year 1", datetime, "0000-12-31T23:59:59Z", false},
		{"date not midnight", date, "1767323045678", false},
		{"date ISO not midnight", date, "2026-01-02T03:04:05Z", false},
		{"date word", date, "2026-13-01", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			got, err := typed.Parse(tt.p, &tt.raw)
			is.Equal(got, nil)
			var pe *typed.ParseError
			is.True(errors.As(err, &pe))
			is.Equal(pe.Property, tt.p.Name)
			is.Equal(pe.Kind, typed.KindOf(tt.p))
			is.Equal(pe.Raw, tt.raw)
			is.Equal(errors.Is(err, typed.ErrInexact), tt.inexact)
		})
	}
}

type score int

func TestFormat(t *testing.T) {
	birthday := utc(2026, 1, 2, 0, 0, 0, 0)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	tests := []struct {
		name string
		p    hubspot.Property
		v    any
		want string
	}{
		{"nil clears", number, nil, ""},
		{"nil pointer clears", datetime, (*time.Time)(nil), ""},
		{"empty string clears", number, "", ""},
		{"string", text, "Ada", "Ada"},
		{"bytes", text, []byte("Ada"), "Ada"},
		{"string pointer", text, hubspot.String("Ada"), "Ada"},
		{"int to text", text, 42, "42"},
		{"bool to text", text, true, "true"},
		{"time to text", text, utc(2026, 1, 2, 3, 4, 5, 678), "2026-01-02T03:04:05.678Z"},
		{"int", number, 42, "42"},
		{"int8", number, int8(-8), "-8"},
		{"uint64", number, uint64(math.MaxUint64), "18446744073709551615"},
		{"int64 above 2^53", number, int64(9007199254740993), "9007199254740993"},
		{"named int", number, score(7), "7"},
		{"float", number, 2.5, "2.5"},
		{"float 1e21", number, 1e21, "1000000000000000000000"},
		{"float 0.1", number, 0.1, "0.1"},
		{"float 1e-7", number, 1e-7, "0.0000001"},
		{"float32 0.1", number, float32(0.1), "0.1"},
		{"float32 1e21", number, float32(1e21), "1000000000000000000000"},
		{"json.Number", number, json.Number("12.50"), "12.5"},
		{"json.Number exponent", number, json.Number("1.5e21"), "1500000000000000000000"},
		{"json.Number small exponent", number, json.Number("-25E-4"), "-0.0025"},
		{"json.Number big integer", number, json.Number("12345678901234567890"), "12345678901234567890"},
		{"numeric string", number, "007", "7"},
		{"string plus", number, "+3", "3"},
		{"string zero", number, "-0.0e10", "0"},
		{"string point first", number, ".5", "0.5"},
		{"true", boolean, true, "true"},
		{"false", boolean, false, "false"},
		{"string True", boolean, "True", "true"},
		{"bool pointer", boolean, new(bool), "false"},
		{"time", datetime, utc(2026, 1, 2, 3, 4, 5, 678), "1767323045678"},
		{"time in zone", datetime, utc(2026, 1, 2, 3, 4, 5, 678).In(paris), "1767323045678"},
		{"time with micros", datetime, utc(2026, 1, 2, 3, 4, 5, 678).Add(999 * time.Microsecond), "1767323045678"},
		{"ISO string", datetime, "2026-01-02T03:04:05.678Z", "1767323045678"},
		{"ISO string without millis", datetime, "2026-01-02T03:04:05Z", "1767323045000"},
		{"epoch ms string", datetime, "1767323045678", "1767323045678"},
		{"epoch ms int64", datetime, int64(1767323045678), "1767323045678"},
		{"epoch ms float64", datetime, 1767323045678.0, "1767323045678"},
		{"epoch ms json.Number", datetime, json.Number("1767323045678"), "1767323045678"},
		{"date", date, birthday, "1767312000000"},
		{"date at local midnight", date, time.Date(2026, 1, 2, 0, 0, 0, 0, paris), "1767312000000"},
		{"date string", date, "2026-01-02", "1767312000000"},
		{"date ISO midnight", date, "2026-01-02T00:00:00Z", "1767312000000"},
		{"date epoch ms", date, int64(1767312000000), "1767312000000"},
		{"strings", checkbox, []string{"a", "b"}, "a;b"},
		{"anys", checkbox, []any{"a", "b"}, "a;b"},
		{"no options clear", checkbox, []string{}, ""},
		{"joined", checkbox, "a;b", "a;b"},
		{"select", selectp, "lead", "lead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			got, err := typed.Format(tt.p, tt.v)
			is.NoErr(err)
			is.Equal(got, tt.want)
		})
	}
}

func TestFormatError(t *testing.T) {
	tests := []struct {
		name   string
		p      hubspot.Property
		v      any
		goType string
	}{
		{"word", number, "ten", "string"},
		{"NaN", number, math.NaN(), "float64"},
		{"Inf", number, math.Inf(1), "float64"},
		{"float32 Inf", number, float32(math.Inf(-1)), "float32"},
		{"overflow", number, json.Number("1e400"), "json.Number"},
		{"underflow", number, "1e-400", "string"},
		{"bool", number, true, "bool"},
		{"time", number, time.Now(), "time.Time"},
		{"list", number, []any{1}, "[]interface {}"},
		{"map", number, map[string]any{}, "map[string]interface {}"},
		{"struct", text, struct{}{}, "struct {}"},
		{"list to text", text, []string{"a"}, "[]string"},
		{"yes", boolean, "yes", "string"},
		{"int to bool", boolean, 1, "int"},
		{"list to bool", boolean, []string{"true"}, "[]string"},
		{"word to datetime", datetime, "soon", "string"},
		{"bool to datetime", datetime, false, "bool"},
		{"fraction of ms", datetime, 1.5, "float64"},
		{"after 9999", datetime, utc(10000, 1, 1, 0, 0, 0, 0), "time.Time"},
		{"before year 1", datetime, utc(0, 12, 31, 0, 0, 0, 0), "time.Time"},
		{"epoch too large", datetime, uint64(math.MaxUint64), "uint64"},
		{"date not midnight", date, utc(2026, 1, 2, 3, 0, 0, 0), "time.Time"},
		{"date epoch not midnight", date, int64(1767323045678), "int64"},
		{"date string not midnight", date, "2026-01-02T03:04:05Z", "string"},
		{"option not a string", checkbox, []any{"a", 1}, "[]interface {}"},
		{"option with ;", checkbox, []string{"a;b"}, "[]string"},
		{"empty option", checkbox, []string{""}, "[]string"},
		{"null option", checkbox, []any{nil}, "[]interface {}"},
		{"number to list", checkbox, 1, "int"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			got, err := typed.Format(tt.p, tt.v)
			is.Equal(got, "")
			var fe *typed.FormatError
			is.True(errors.As(err, &fe))
			is.Equal(fe.ValueType, tt.goType)
			is.Equal(fe.PropertyType, tt.p.Type)
			is.True(fe.Err != nil)
		})
	}
}

// TestRoundTrip parses what HubSpot sends, formats it back and parses that:
// the typed value is the same, so the destination writes what the source
// read.
func TestRoundTrip(t *testing.T) {
	tests := []struct {
		p   hubspot.Property
		raw string
	}{
		{text, "Ada"}, {text, ""}, {selectp, "lead"}, {phone, "+1 555 0100"},
		{number, "42"}, {number, "-3.25"}, {number, "0.1"}, {number, "1e21"}, {number, "1e-7"},
		{number, "9007199254740992"}, {number, "123456789.123456"},
		{boolean, "true"}, {boolean, "false"},
		{datetime, "2026-01-02T03:04:05.678Z"}, {datetime, "1767323045678"}, {datetime, "0001-01-01T00:00:00Z"},
		{datetime, "9999-12-31T23:59:59.999Z"},
		{date, "2026-01-02"}, {date, "1767312000000"}, {date, "1900-02-28"},
		{checkbox, "a;b;c"}, {checkbox, ""},
	}
	for _, tt := range tests {
		t.Run(tt.p.Name+"="+tt.raw, func(t *testing.T) {
			is := is.New(t)
			v, err := typed.Parse(tt.p, &tt.raw)
			is.NoErr(err)
			s, err := typed.Format(tt.p, v)
			is.NoErr(err)
			again, err := typed.Parse(tt.p, &s)
			is.NoErr(err)
			if v == nil { // a cleared value stays cleared
				is.Equal(s, "")
				return
			}
			is.Equal(again, v)
		})
	}
}

func TestErrorMessages(t *testing.T) {
	is := is.New(t)
	_, err := typed.Parse(number, hubspot.String("ten"))
	is.Equal(err.Error(), `property annualrevenue (number): value "ten": not a decimal number`)

	long := strings.Repeat("x", 1000)
	_, err = typed.Parse(boolean, &long)
	is.Equal(err.Error(), `property is_public (bool): value "`+long[:64]+`...": not true or false`)
	var pe *typed.ParseError
	is.True(errors.As(err, &pe))
	is.Equal(pe.Raw, long) // whole

	_, err = typed.Format(date, utc(2026, 1, 2, 3, 0, 0, 0))
	is.Equal(err.Error(), "a time.Time cannot be a HubSpot date property: not midnight UTC")
	_, err = typed.Format(number, map[string]any{})
	is.Equal(err.Error(), "a map[string]interface {} cannot be a HubSpot number property: not a type HubSpot stores")
}
