package hubspot_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/matryer/is"
)

// stdProperties decodes as encoding/json does without Properties' own
// decoder: the behaviour that decoder must keep.
func stdProperties(data []byte) (map[string]*string, error) {
	var m map[string]*string
	err := json.Unmarshal(data, &m)
	return m, err
}

// sameAsStd checks that Properties decodes data to what encoding/json
// decodes into a map[string]*string, and fails where it fails.
func sameAsStd(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := stdProperties(data)
	var got hubspot.Properties
	gotErr := json.Unmarshal(data, &got)
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%q: error %v, encoding/json's %v", data, gotErr, wantErr)
	}
	if wantErr == nil && !reflect.DeepEqual(map[string]*string(got), want) {
		t.Fatalf("%q: %v, encoding/json's %v", data, got, want)
	}
}

var propertiesCases = []string{
	`{}`, ` { } `, `null`, `{"a":"1","b":null,"c":""}`,
	`{"a":"x\"y","b":"\u00e9\ud83d\ude00","c":"line\nbreak\\"}`,
	`{"a":"caf` + "\xc3\xa9" + `","b":"bad` + "\xff" + `"}`,
	`{"a":"1","a":"2"}`, `{"a":1}`, `{"a":true}`, `{"a":["x"]}`, `{"a":{"b":"c"}}`,
	`{"a":"1",}`, `{"a" "1"}`, `["a"]`, `"a"`, `{"a":"1"} x`, `{"a":"unterminated}`,
	"{\"a\":\"tab\tinside\"}", `{"a":"\/\b\f\r\t\u0000\u00E9\u20ac","b":"caf\u00e9 ` + "\xc3\xa9" + `\n"}`, `{"a":"\ud800"}`,
	`{"a":"\udc00x"}`, `{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"\u00g0"}`, `{"a":"\u+123"}`, `{"a":"\u-123"}`, `{"a":"x\"}`,
	`{"a":"` + "\xff" + `\n"}`, `{"a":"\\\"\\"}`, `{"a:b":"c\":d"}`, `{"\u0061":"x"}`, "\n{\"a\" :\t\"b\" ,\r\"c\": null}\n",
}

func TestPropertiesDecodeAsEncodingJSON(t *testing.T) {
	for _, c := range propertiesCases {
		t.Run(c, func(t *testing.T) { sameAsStd(t, []byte(c)) })
	}
}

// TestPropertiesInObject: an object's properties decode through it, and
// null values stay distinct from "".
func TestPropertiesInObject(t *testing.T) {
	is := is.New(t)
	var o hubspot.Object
	is.NoErr(json.Unmarshal([]byte(`{"id":"7","properties":{"email":"a@b.c","phone":null,"city":""}}`), &o))
	v, ok := o.Properties.Get("email")
	is.True(ok)
	is.Equal(v, "a@b.c")
	_, ok = o.Properties.Get("phone")
	is.True(!ok)
	is.True(o.Properties["phone"] == nil)
	is.Equal(*o.Properties["city"], "")
}

func FuzzPropertiesDecode(f *testing.F) {
	for _, c := range propertiesCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) { sameAsStd(t, data) })
}
