package hubspottest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

const blogTagsPath = "/cms/v3/blogs/tags"

// TestBlogTagsCreateGetUpdateDelete: the CRUD calls answer with the
// statuses and shapes of HubSpot's blog tags docs; a delete sets deletedAt
// and lists the tag with archived=true.
func TestBlogTagsCreateGetUpdateDelete(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	srv := newServer(t, hubspottest.WithClock(clock))

	r := call(t, srv, http.MethodPost, blogTagsPath, `{"name":"Product Updates","language":"en"}`)
	is.Equal(r.status, http.StatusCreated)
	created := r.json(t)
	id := created["id"].(string)
	is.Equal(created["name"], "Product Updates")
	is.Equal(created["slug"], "product-updates") // made from the name
	is.Equal(created["language"], "en")
	is.Equal(created["created"], "2026-03-01T12:00:00.000Z")
	is.Equal(created["deletedAt"], nil)

	is.Equal(call(t, srv, http.MethodGet, blogTagsPath+"/"+id, "").json(t)["name"], "Product Updates")

	clock.Advance(time.Minute)
	r = call(t, srv, http.MethodPatch, blogTagsPath+"/"+id, `{"slug":"news"}`)
	is.Equal(r.status, http.StatusOK)
	updated := r.json(t)
	is.Equal(updated["slug"], "news")
	is.Equal(updated["name"], "Product Updates") // not sent, kept
	is.Equal(updated["updated"], "2026-03-01T12:01:00.000Z")

	// No name, or a name taken in the language, is refused.
	is.Equal(call(t, srv, http.MethodPost, blogTagsPath, `{"slug":"x"}`).status, http.StatusBadRequest)
	is.Equal(call(t, srv, http.MethodPost, blogTagsPath, `{"name":"Product Updates","language":"en"}`).status, http.StatusConflict)
	is.Equal(call(t, srv, http.MethodPost, blogTagsPath, `{"name":"Product Updates","language":"fr"}`).status, http.StatusCreated)

	clock.Advance(time.Minute)
	is.Equal(call(t, srv, http.MethodDelete, blogTagsPath+"/"+id, "").status, http.StatusNoContent)
	is.Equal(call(t, srv, http.MethodGet, blogTagsPath+"/"+id, "").status, http.StatusNotFound)
	is.Equal(call(t, srv, http.MethodDelete, blogTagsPath+"/"+id, "").status, http.StatusNotFound)
	arch := call(t, srv, http.MethodGet, blogTagsPath+"?archived=true", "").json(t)["results"].([]any)
	is.Equal(len(arch), 1)
	is.Equal(arch[0].(map[string]any)["deletedAt"], "2026-03-01T12:02:00.000Z")
	// The deleted tag frees its name.
	is.Equal(call(t, srv, http.MethodPost, blogTagsPath, `{"name":"Product Updates","language":"en"}`).status, http.StatusCreated)
	is.Equal(len(srv.LiveBlogTags()), 2)
}

// TestBlogTagsList: the list pages, filters by the documented dates and
// name__eq, and sorts by updatedAt then id.
func TestBlogTagsList(t *testing.T) {
	is := is.New(t)
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := hubspottest.NewManualClock(start)
	srv := newServer(t, hubspottest.WithClock(clock))
	for i := range 25 {
		clock.Advance(time.Second)
		_, err := srv.AddBlogTag(hubspottest.BlogTag{Name: fmt.Sprintf("tag %02d", i)})
		is.NoErr(err)
	}
	page := call(t, srv, http.MethodGet, blogTagsPath, "").json(t)
	is.Equal(len(page["results"].([]any)), 10) // the default limit
	is.Equal(page["total"], 25.0)

	q := url.Values{"updatedAfter": {start.Add(20 * time.Second).Format(time.RFC3339)}, "sort": {"-updatedAt"}, "limit": {"100"}}
	res := call(t, srv, http.MethodGet, blogTagsPath+"?"+q.Encode(), "").json(t)["results"].([]any)
	is.Equal(len(res), 5)
	is.Equal(res[0].(map[string]any)["name"], "tag 24")

	res = call(t, srv, http.MethodGet, blogTagsPath+"?name__eq="+url.QueryEscape("tag 07"), "").json(t)["results"].([]any)
	is.Equal(len(res), 1)
	is.Equal(res[0].(map[string]any)["slug"], "tag-07")
	is.Equal(call(t, srv, http.MethodGet, blogTagsPath+"?color__eq=red", "").status, http.StatusBadRequest)
	// A sort the API does not document is ignored: creation order.
	res = call(t, srv, http.MethodGet, blogTagsPath+"?sort=-color", "").json(t)["results"].([]any)
	is.Equal(res[0].(map[string]any)["name"], "tag 00")
}
