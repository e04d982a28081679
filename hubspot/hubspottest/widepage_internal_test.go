package hubspottest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/matryer/is"
)

// wideContacts is a simulator with n seeded contacts of every property,
// and the names of those properties.
func wideContacts(tb testing.TB, n int) (*typeStore, []string) {
	tb.Helper()
	srv, err := NewServer(WithFullPropertyCatalog())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(srv.Close)
	if _, err := srv.Seed("contacts", n, nil); err != nil {
		tb.Fatal(err)
	}
	ts := srv.types["contacts"]
	names := make([]string, 0, len(ts.t.props))
	for _, p := range ts.t.props {
		names = append(names, p.Name)
	}
	return ts, names
}

// TestWidePropertiesAsMarshal: the properties of wide contacts are written
// byte for byte as json.Marshal writes each name and value (none holds
// \b or \f, which it writes otherwise), in the order of the fields, null
// for the unset ones: every property, a few in another order, the
// defaults, and names asked for twice or unknown.
func TestWidePropertiesAsMarshal(t *testing.T) {
	ts, names := wideContacts(t, 20)
	tests := []struct {
		name  string
		asked []string
	}{
		{"every property", names},
		{"a few, reordered", []string{names[40], names[3], names[500], names[7]}},
		{"defaults", nil},
		{"twice and unknown", []string{names[9], "no_such_property", names[9], names[2]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			fields := fieldsOf(ts.t, tt.asked)
			if tt.name == "twice and unknown" {
				// The created, modified and id properties, then each name
				// asked once, the unknown left out.
				want := []string{"createdate", "lastmodifieddate", "hs_object_id"}
				for _, n := range tt.asked {
					if slices.Contains(names, n) && !slices.Contains(want, n) {
						want = append(want, n)
					}
				}
				is.Equal(fields.names, want)
			}
			for _, rec := range ts.recs {
				var want strings.Builder
				want.WriteByte('{')
				for i, n := range fields.names {
					if i > 0 {
						want.WriteByte(',')
					}
					want.Write(marshalString(t, n))
					want.WriteByte(':')
					if v, ok := rec.props.get(n); ok {
						want.Write(marshalString(t, v))
					} else {
						want.WriteString("null")
					}
				}
				want.WriteByte('}')
				got := propsJSON{fields: fields, props: rec.props}.appendJSON(nil)
				is.Equal(string(got), want.String())
			}
		})
	}
}

func marshalString(t *testing.T, s string) []byte {
	t.Helper()
	if strings.ContainsAny(s, "\b\f") {
		t.Fatalf("%q holds \\b or \\f", s)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// BenchmarkWidePage writes a page of 200 contacts of every property, as a
// search of the wide snapshot asks for them: the simulator's main cost when
// it serves the snapshot (go test -bench WidePage -cpuprofile).
func BenchmarkWidePage(b *testing.B) {
	ts, names := wideContacts(b, 200)
	var buf []byte
	var err error
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		fields := fieldsOf(ts.t, names)
		page := pageJSON[objectJSON]{Results: make([]objectJSON, 0, len(ts.recs))}
		for _, rec := range ts.recs {
			page.Results = append(page.Results, renderRecord(rec, fields))
		}
		if buf, err = page.appendJSON(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ts.recs)), "ns/object")
}
