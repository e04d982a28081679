package hubspottest_test

import (
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestSearchBodyLimit checks the option that enforces the search guide's
// 3,000 characters: a body of exactly the limit is served, one character
// more is a 400 VALIDATION_ERROR; without the option both are served.
func TestSearchBodyLimit(t *testing.T) {
	// bodyOf pads a search's property list to n characters with names
	// the simulator does not know (it ignores them, as HubSpot does).
	bodyOf := func(n int) string {
		head, tail := `{"limit":1,"properties":["`, `"]}`
		return head + strings.Repeat("p", n-len(head)-len(tail)) + tail
	}
	tests := []struct {
		name   string
		opts   []hubspottest.Option
		chars  int
		status int
	}{
		{"default, at the limit", nil, hubspottest.SearchBodyLimit, 200},
		{"default, over the limit", nil, 12000, 200},
		{"limit, at it", []hubspottest.Option{hubspottest.WithSearchBodyLimit()}, hubspottest.SearchBodyLimit, 200},
		{"limit, one over", []hubspottest.Option{hubspottest.WithSearchBodyLimit()}, hubspottest.SearchBodyLimit + 1, 400},
		{"limit, whole catalog", []hubspottest.Option{hubspottest.WithSearchBodyLimit()}, 12000, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv := newServer(t, append([]hubspottest.Option{hubspottest.WithoutRateLimits()}, tt.opts...)...)
			_, err := srv.Seed("contacts", 2, nil)
			is.NoErr(err)
			body := bodyOf(tt.chars)
			is.Equal(len(body), tt.chars)
			r := call(t, srv, "POST", "/crm/objects/2026-09/contacts/search", body)
			is.Equal(r.status, tt.status)
			if tt.status == 400 {
				is.Equal(r.json(t)["category"], "VALIDATION_ERROR")
				is.True(strings.Contains(r.json(t)["message"].(string), "3000"))
			} else {
				is.Equal(len(results(t, r)), 1)
			}
		})
	}
}
