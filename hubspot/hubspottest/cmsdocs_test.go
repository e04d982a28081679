package hubspottest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestCMSDocs: blog posts, authors, landing and site pages answer with the
// statuses and shapes of HubSpot's docs: a create's defaults (state DRAFT,
// currentState, a slug from the name), required fields, the natural key's
// 409, the list's default limit, property filters and sort, the deletion
// time (epoch milliseconds for posts), and batch calls that write all
// inputs or none.
func TestCMSDocs(t *testing.T) {
	tests := []struct {
		path    string
		body    func(i int) string // a valid create body
		missing string             // a body without a required field
		deleted string
		states  bool
		millis  bool // the deletion time is epoch milliseconds
	}{
		{"/cms/v3/blogs/posts", func(i int) string { return fmt.Sprintf(`{"name":"Post %02d","contentGroupId":"7"}`, i) },
			`{"name":"No blog"}`, "archivedAt", true, true},
		{"/cms/v3/blogs/authors", func(i int) string { return fmt.Sprintf(`{"fullName":"Post %02d","language":"en"}`, i) },
			`{"bio":"no name"}`, "deletedAt", false, false},
		{"/cms/v3/pages/landing-pages", func(i int) string { return fmt.Sprintf(`{"name":"Post %02d","domain":"x.com"}`, i) },
			`{"slug":"no-name"}`, "archivedAt", true, false},
		{"/cms/v3/pages/site-pages", func(i int) string { return fmt.Sprintf(`{"name":"Post %02d","domain":"x.com"}`, i) },
			`{"slug":"no-name"}`, "archivedAt", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			is := is.New(t)
			start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			clock := hubspottest.NewManualClock(start)
			srv := newServer(t, hubspottest.WithClock(clock))

			r := call(t, srv, http.MethodPost, tt.path, tt.body(0))
			is.Equal(r.status, http.StatusCreated)
			created := r.json(t)
			id := created["id"].(string)
			is.Equal(created["slug"], "post-00") // made from the name
			is.Equal(created["created"], "2026-03-01T12:00:00.000Z")
			if tt.states {
				is.Equal(created["state"], "DRAFT")
				is.Equal(created["currentState"], "DRAFT")
				is.Equal(created["currentlyPublished"], false)
			}
			is.Equal(call(t, srv, http.MethodPost, tt.path, tt.missing).status, http.StatusBadRequest)
			is.Equal(call(t, srv, http.MethodPost, tt.path, tt.body(0)).status, http.StatusConflict)

			for i := 1; i < 25; i++ {
				clock.Advance(time.Second)
				is.Equal(call(t, srv, http.MethodPost, tt.path, tt.body(i)).status, http.StatusCreated)
			}
			page := call(t, srv, http.MethodGet, tt.path, "").json(t)
			is.Equal(len(page["results"].([]any)), 10) // the default limit
			is.Equal(page["total"], 25.0)
			q := url.Values{"slug__eq": {"post-07"}}
			res := call(t, srv, http.MethodGet, tt.path+"?"+q.Encode(), "").json(t)["results"].([]any)
			is.Equal(len(res), 1)
			// Posts and pages document updatedAt, authors updated: each
			// ignores the other.
			q = url.Values{"slug__in": {"post-07,post-08"}, "sort": {"-updatedAt", "-updated"}}
			res = call(t, srv, http.MethodGet, tt.path+"?"+q.Encode(), "").json(t)["results"].([]any)
			is.Equal(len(res), 2)
			is.Equal(res[0].(map[string]any)["slug"], "post-08")
			if tt.states {
				is.Equal(call(t, srv, http.MethodGet, tt.path+"?state=DRAFT&limit=100", "").json(t)["total"], 25.0)
				is.Equal(call(t, srv, http.MethodGet, tt.path+"?state=PUBLISHED", "").json(t)["total"], 0.0)
			}
			is.Equal(call(t, srv, http.MethodGet, tt.path+"?slug__near=x", "").status, http.StatusBadRequest)
			is.Equal(call(t, srv, http.MethodGet, tt.path+"?sort=colour", "").status, http.StatusOK) // ignored

			// A batch with a taken key writes nothing, and names the input.
			r = call(t, srv, http.MethodPost, tt.path+"/batch/create", `{"inputs":[`+tt.body(30)+`,`+tt.body(3)+`]}`)
			is.Equal(r.status, http.StatusConflict)
			is.True(strings.Contains(string(r.body), "inputs[1]"))
			r = call(t, srv, http.MethodPost, tt.path+"/batch/create", `{"inputs":[`+tt.body(30)+`,`+tt.body(31)+`]}`)
			is.Equal(r.status, http.StatusCreated)
			is.Equal(len(r.json(t)["results"].([]any)), 2)

			clock.Advance(time.Minute)
			at := start.Add(24*time.Second + time.Minute)
			is.Equal(call(t, srv, http.MethodPost, tt.path+"/batch/archive", `{"inputs":["`+id+`","1"]}`).status, http.StatusNotFound)
			is.Equal(call(t, srv, http.MethodPost, tt.path+"/batch/archive", `{"inputs":["`+id+`"]}`).status, http.StatusNoContent)
			is.Equal(call(t, srv, http.MethodGet, tt.path+"/"+id, "").status, http.StatusNotFound)
			arch := call(t, srv, http.MethodGet, tt.path+"?archived=true", "").json(t)["results"].([]any)
			is.Equal(len(arch), 1)
			want := any(at.Format("2006-01-02T15:04:05.000Z"))
			if tt.millis {
				want = float64(at.UnixMilli())
			}
			is.Equal(arch[0].(map[string]any)[tt.deleted], want)
			// The deleted object frees its key.
			is.Equal(call(t, srv, http.MethodPost, tt.path, tt.body(0)).status, http.StatusCreated)
		})
	}
}
