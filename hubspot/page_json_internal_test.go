package hubspot

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/matryer/is"
)

// pageCases are bodies of object pages: plain ones, which decodeObjects
// reads itself, and ones it must leave to encoding/json.
var pageCases = []string{
	`{"total":1,"results":[{"id":"512","properties":{"email":"a@b.c","x":null},"createdAt":"2026-01-02T03:04:05.678Z","updatedAt":"2026-01-02T03:04:05.678Z","archived":false}],"paging":{"next":{"after":"100","link":"?after=100"}}}`,
	`{"results":[{"id":"1","properties":{"a":"1"},"archived":true,"archivedAt":"2026-01-02T03:04:05.678Z","associations":{"deals":{"results":[{"id":"9","type":"contact_to_deal"}]}}},{"id":"2","properties":{"a":"2","b":""}}]}`,
	`{"status":"COMPLETE","results":[{"id":"1","properties":{}}],"startedAt":"2026-01-02T03:04:05.678Z","completedAt":"2026-01-02T03:04:05.679Z","numErrors":1,"errors":[{"status":"error","message":"m","context":{"ids":["3"]}}]}`,
	`{"total":0,"results":[]}`, `{"results":null,"paging":null}`, `{}`, ` { "results" : [ ] } `,
	`{"results":[{"createdAt":"yesterday"}]}`, `{"results":[{"properties":{"a":1}}]}`, `[]`, ``, `null`,
	`{"paging":{"next":null}}`, `{"results":[null]}`, `{"results":[{"id":5}]}`, `{"results":[{"id":null,"archived":null}]}`,
	`{"results":[{"id":"1","id":"2"}]}`, `{"results":[],"results":[{"id":"1"}]}`, `{"Results":[{"id":"1"}],"results":[]}`,
	`{"results":[{"ID":"7","id":"8"}]}`, `{"results":[{"\u0069d":"7"}]}`, `{"total":1e3,"results":[]}`, `{"total":-0.5e+2}`,
	`{"total":01}`, `{"total":1.}`, `{"total":-}`, `{"results":[{"id":"1"}]} x`, `{"results":[{"id":"1"},]}`,
	`{"results":[{"id":"1"}`, `{"results":[{"id":"1","properties":{"a":"\u00e9\ud83d\ude00","b":"bad` + "\xff" + `"}}]}`,
	`{"results":[{"id":"1","new":true,"objectWriteTraceId":"t"}],"requestedAt":"2026-01-02T03:04:05.678Z"}`,
	`{"results":[{"id":"1","archived":tru}]}`, `{"x":[1,[2,{"y":[true,false,null,"s\"q"]}]],"results":[]}`,
	`{"results":[{"properties":{"a":"1"},"properties":null}]}`, `{"results":[{"createdAt":"2026-01-02T03:04:05.678+01:00"}]}`,
}

// pageColumns are the columns the pages are decoded by, besides none: in
// the order of the cases' properties, out of it, and with a name twice.
var pageColumns = []*Columns{nil, NewColumns([]string{"email", "x", "a", "b"}), NewColumns([]string{"b", "a"}), NewColumns([]string{"a", "a"})}

// sameAsEncodingJSON decodes body with decodeBody and with encoding/json
// into a fresh page of each kind, by each of pageColumns (encoding/json's
// then moved to Values by columnize), and fails unless both give the same
// page or both fail.
func sameAsEncodingJSON(t *testing.T, body []byte) {
	t.Helper()
	for _, newPage := range []func() any{
		func() any { return &SearchPage{} }, func() any { return &ObjectPage{} }, func() any { return &BatchResult{} },
	} {
		for _, cols := range pageColumns {
			got, want := newPage(), newPage()
			gotErr, wantErr := decodeBody(body, got, cols), json.Unmarshal(body, want)
			if (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("%T of %q: error %v, encoding/json's %v", got, body, gotErr, wantErr)
			}
			if wantErr != nil {
				continue
			}
			switch w := want.(type) {
			case *SearchPage:
				columnize(w.Results, cols)
			case *ObjectPage:
				columnize(w.Results, cols)
			case *BatchResult:
				columnize(w.Results, cols)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%T of %q by %v: %+v, encoding/json's %+v", got, body, cols, got, want)
			}
		}
	}
}

func TestDecodeBodyAsEncodingJSON(t *testing.T) {
	for _, c := range pageCases {
		t.Run(c, func(t *testing.T) { sameAsEncodingJSON(t, []byte(c)) })
	}
}

// TestDecodeObjectsReadsPlainPages: a page as HubSpot writes it is read in
// one pass, not left to encoding/json.
func TestDecodeObjectsReadsPlainPages(t *testing.T) {
	for _, c := range pageCases[:3] {
		var page SearchPage
		is.New(t).NoErr(decodeObjects([]byte(c), &page, &page.Results, pageColumns[1]))
	}
}

func FuzzDecodePage(f *testing.F) {
	for _, c := range pageCases {
		f.Add([]byte(c))
	}
	f.Fuzz(sameAsEncodingJSON)
}
