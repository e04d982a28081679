package destination

import (
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
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
			for _, typ := range []string{"string", "number", "date", "datetime", "bool", "enumeration"} {
				s, err := valueString(hubspot.Property{Name: name, Type: typ}, v)
				if err != nil && err.Error() == "" {
					t.Fatal("an error without a message")
				}
				if err == nil && s == nil && v != nil {
					t.Fatalf("%v became null", v)
				}
			}
		}
		if _, err := recordKey(opencdc.RawData(key)); err != nil && err.Error() == "" {
			t.Fatal("an error without a message")
		}
	})
}
