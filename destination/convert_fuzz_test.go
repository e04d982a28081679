package destination

import (
	"errors"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/typed"
	"github.com/conduitio/conduit-commons/opencdc"
)

// FuzzPayload feeds raw payloads and keys through the conversion to HubSpot
// values: no panic, and every rejection says what was wrong.
func FuzzPayload(f *testing.F) {
	for _, seed := range []string{
		`{"email":"a@b.c","amount":1e21,"ok":true,"n":null,"list":["a","b"]}`,
		`{"properties":{"email":"a@b.c","x":1.5}}`,
		`{"id":5,"createdAt":"2024-01-01T00:00:00Z","nested":{"a":1}}`,
		`{"a":[1,[2]]}`, `[]`, `"x"`, ``, `{"a":1e999999}`,
	} {
		f.Add([]byte(seed), []byte(`{"id":"1"}`))
	}
	f.Fuzz(func(t *testing.T, payload, key []byte) {
		data, err := recordData(opencdc.RawData(payload))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		for name, v := range propertiesOf(data) {
			for _, p := range []hubspot.Property{
				{Type: "string"}, {Type: "number"}, {Type: "date"}, {Type: "datetime"}, {Type: "bool"},
				{Type: "enumeration", FieldType: "select"}, {Type: "enumeration", FieldType: "checkbox"},
			} {
				p.Name = name
				s, err := formatValue(p, v)
				var ferr *typed.FormatError
				if err != nil && (!errors.As(err, &ferr) || err.Error() == "") {
					t.Fatalf("%v: not a FormatError with a message: %v", v, err)
				}
				if err == nil && v == nil && s != "" {
					t.Fatalf("null became %q, not the empty value that clears it", s)
				}
			}
		}
		if _, err := recordKey(opencdc.RawData(key)); err != nil && err.Error() == "" {
			t.Fatal("an error without a message")
		}
	})
}
