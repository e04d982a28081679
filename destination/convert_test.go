package destination

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// TestSameStored: what HubSpot stores is the value sent, as HubSpot
// normalizes it, and only that.
func TestSameStored(t *testing.T) {
	number := hubspot.Property{Type: "number"}
	boolean := hubspot.Property{Type: "bool"}
	datetime := hubspot.Property{Type: "datetime"}
	date := hubspot.Property{Type: "date"}
	list := hubspot.Property{Type: "enumeration", FieldType: "checkbox"}
	text := hubspot.Property{Type: "string"}
	tests := []struct {
		p         hubspot.Property
		got, sent string
		want      bool
	}{
		{number, "2.5", "2.50", true},
		{number, "9007199254740992", "9007199254740993", true}, // HubSpot's double rounds the integer
		{number, "2.5", "2.6", false},
		{number, "", "0", false},
		{boolean, "true", "TRUE", true},
		{boolean, "true", "false", false},
		{datetime, "2024-03-05T10:20:30.123Z", "1709634030123", true},
		{datetime, "2024-03-05T10:20:30.124Z", "1709634030123", false},
		{date, "2024-03-05", "1709596800000", true},
		{date, "2024-03-06", "1709596800000", false},
		{list, "a;b", "a;b", true},
		{list, "a;b", "b;a", false},
		{text, "a", "A", false},
		{text, "", "", true},
	}
	for _, tt := range tests {
		if got := sameStored(tt.p, tt.got, tt.sent); got != tt.want {
			t.Errorf("sameStored(%s, %q, %q) = %v, want %v", tt.p.Type, tt.got, tt.sent, got, tt.want)
		}
	}
}

// TestRecordKeyOfAnyScalar: a key field of any scalar type is the id
// HubSpot finds the object by; a list or a map is no key.
func TestRecordKeyOfAnyScalar(t *testing.T) {
	is := is.New(t)
	for v, want := range map[any]string{
		"12": "12", int64(12): "12", int32(12): "12", 12.0: "12", json.Number("12"): "12", uint8(7): "7",
		"a@b.c": "a@b.c", true: "true", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC): "2024-03-05T00:00:00.000Z",
	} {
		got, err := recordKey(opencdc.StructuredData{"id": v})
		is.NoErr(err)
		is.Equal(got, want)
	}
	got, err := recordKey(opencdc.StructuredData{"hs_object_id": nil})
	is.NoErr(err)
	is.Equal(got, "")
	got, err = recordKey(opencdc.RawData(`{"id":1e3}`))
	is.NoErr(err)
	is.Equal(got, "1000")
	for _, v := range []any{[]string{"1"}, map[string]any{"a": 1}} {
		_, err := recordKey(opencdc.StructuredData{"id": v})
		is.True(err != nil)
	}
}
