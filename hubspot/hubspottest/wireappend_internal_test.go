package hubspottest

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/matryer/is"
)

// TestWireAsEncoder: the answers that write themselves write what
// encoding/json's Encoder writes for them, byte for byte.
func TestWireAsEncoder(t *testing.T) {
	yes, total := true, 3
	odd := "a\"b\\c\n\r\t\x01\b\f<>&\u2028\u2029 é \U0001F600 bad\xff end"
	obj := objectJSON{ID: "7", Properties: propsOf([]string{"email", "odd", "unset", odd}, map[string]string{"email": "a@b.c", "odd": odd, odd: ""}),
		CreatedAt: "2026-03-04T05:06:07.000Z", UpdatedAt: "2026-03-04T05:06:08.123Z"}
	archived := obj
	archived.Archived, archived.ArchivedAt = true, "2026-03-05T00:00:00.000Z"
	written := obj
	written.New, written.ObjectWriteTraceID = &yes, odd
	linked := obj
	linked.Associations = map[string]inlineJSON{"companies": {Results: []inlineAssocJSON{{ID: "9", Type: "contact_to_company"}},
		Paging: &pagingJSON{Next: nextJSON{After: "100", Link: "https://h/x?a=1&b=2"}}}}
	withHistory := linked
	withHistory.PropertiesWithHistory = map[string][]historyJSON{"odd": {{Value: odd, Timestamp: "t", SourceType: "API"}},
		"email": {{Value: "a@b.c", Timestamp: "t2", SourceType: "CRM_UI", SourceID: "userId:1", SourceLabel: odd, UpdatedByUserID: 1}}}
	tests := []struct {
		name string
		v    any
	}{
		{"object with history", withHistory},
		{"object", obj},
		{"archived object", archived},
		{"written object", written},
		{"object with links", linked},
		{"object of odd id and times", objectJSON{ID: odd, CreatedAt: odd, UpdatedAt: "\f"}},
		{"empty page", pageJSON[objectJSON]{Results: []objectJSON{}}},
		{"nil page", pageJSON[objectJSON]{}},
		{"page", pageJSON[objectJSON]{Results: []objectJSON{obj, archived, linked}, Paging: &pagingJSON{Next: nextJSON{After: "8", Link: "http://x/?a&b"}}}},
		{"search page", pageJSON[objectJSON]{Total: &total, Results: []objectJSON{obj}, Paging: &pagingJSON{Next: nextJSON{After: "1"}}}},
		{"page of other results", pageJSON[nextJSON]{Results: []nextJSON{{After: odd}}}},
		{"batch", batchJSON{Status: "COMPLETE", Results: []objectJSON{written, obj}, StartedAt: "s", CompletedAt: "c"}},
		{"nil batch", batchJSON{}},
		{"batch with errors", batchJSON{Status: "COMPLETE", Results: []objectJSON{}, NumErrors: 1, RequestedAt: "r", StartedAt: "s", CompletedAt: "c",
			Errors: []batchErrorBody{{Status: "error", Category: "OBJECT_NOT_FOUND", Message: odd, Context: map[string][]string{"ids": {"1", "<2>"}},
				Errors: []errorDetail{{Message: "m", Code: "C", In: "i"}}}},
			Links: map[string]string{"b": "2", "a": "1&"}}},
		{"not an appender", errorBody{Status: "error", Message: odd}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			var want bytes.Buffer
			is.NoErr(json.NewEncoder(&want).Encode(tt.v))
			rec := httptest.NewRecorder()
			writeJSON(rec, 207, tt.v)
			is.Equal(rec.Code, 207)
			is.Equal(rec.Body.String(), want.String())
		})
	}
}
