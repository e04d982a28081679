package hubspottest

import (
	"encoding/json"
	"testing"

	"github.com/matryer/is"
)

// TestPropsJSONAsEncodingJSON: the properties written by hand read back as
// encoding/json reads what it writes itself.
func TestPropsJSONAsEncodingJSON(t *testing.T) {
	tests := []struct {
		name  string
		props propsJSON
	}{
		{"empty", propsJSON{}},
		{"plain and null", propsOf([]string{"email", "phone"}, map[string]string{"email": "a@b.c"})},
		{"empty string", propsOf([]string{"city"}, map[string]string{"city": ""})},
		{"escapes", propsOf([]string{`q"uote`, "ctl"}, map[string]string{`q"uote`: "back\\slash \"x\" \n\r\t\x01\x1f\b\f", "ctl": "<&> \u2028\u2029"})},
		{"utf-8 and not", propsOf([]string{"é"}, map[string]string{"é": "café \U0001F600 bad\xff\xfeend"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			want := map[string]*string{}
			for _, n := range tt.props.fields.names {
				if v, ok := tt.props.props.get(n); ok {
					want[n] = &v
				} else {
					want[n] = nil
				}
			}
			std, err := json.Marshal(want)
			is.NoErr(err)
			var fromStd map[string]*string
			is.NoErr(json.Unmarshal(std, &fromStd))
			ours, err := json.Marshal(tt.props)
			is.NoErr(err)
			var fromOurs map[string]*string
			is.NoErr(json.Unmarshal(ours, &fromOurs))
			is.Equal(len(fromOurs), len(fromStd))
			for n, v := range fromStd {
				got, ok := fromOurs[n]
				is.True(ok)
				is.Equal(got == nil, v == nil)
				if v != nil {
					is.Equal(*got, *v)
				}
			}
		})
	}
}

// propsOf is the properties names of a version of m's values.
func propsOf(names []string, m map[string]string) propsJSON {
	slots := newPropSlots()
	return propsJSON{fields: newFieldList(slots, names), props: slots.fromMap(m)}
}

// TestPlainJSONAsMarshal: an ASCII byte is plain exactly when json.Marshal
// writes it as it is, and a string when all its bytes are; a value that
// is not ASCII is never plain (appendJSONString checks its UTF-8).
func TestPlainJSONAsMarshal(t *testing.T) {
	is := is.New(t)
	for c := range 0x80 {
		s := string([]byte{byte(c)})
		m, err := json.Marshal(s)
		is.NoErr(err)
		is.Equal(plainJSONString(s), string(m) == `"`+s+`"`) // byte c
		is.Equal(plainJSONString("ab"+s+"cd"), string(m) == `"`+s+`"`)
	}
	is.True(plainJSONString(""))
	is.True(!plainJSONString("café"))
	is.True(!plainJSONString("bad\xff"))
}
