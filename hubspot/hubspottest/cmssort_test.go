package hubspottest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestCMSSortModes: three posts and three authors created in turn and
// updated in the other order, listed with sort=updatedAt&sort=id: by
// default posts (which document updatedAt) come by update time and
// authors (which document updated alone) in creation order; with sorts
// ignored both come in creation order; the old mode sorts both by
// updatedAt and refuses an unknown key.
func TestCMSSortModes(t *testing.T) {
	tests := []struct {
		name                 string
		opts                 []hubspottest.Option
		posts, authors       string // the names in list order
		unknownStatus        int
		redirectsByRoutePref string
	}{
		{"documented", nil, "2 1 0", "0 1 2", http.StatusOK, "/a /c /b"},
		{"ignored", []hubspottest.Option{hubspottest.WithCMSSort(hubspottest.CMSSortIgnored)}, "0 1 2", "0 1 2", http.StatusOK, "/a /c /b"},
		{"any field", []hubspottest.Option{hubspottest.WithCMSSort(hubspottest.CMSSortAnyField)}, "2 1 0", "2 1 0", http.StatusBadRequest, "/a /b /c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			clock := hubspottest.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
			srv := newServer(t, append(tt.opts, hubspottest.WithClock(clock))...)
			order := func(path, field string) string {
				r := call(t, srv, http.MethodGet, path+"?sort=updatedAt&sort=id", "")
				is.Equal(r.status, http.StatusOK)
				var names []string
				for _, o := range r.json(t)["results"].([]any) {
					names = append(names, fmt.Sprint(o.(map[string]any)[field]))
				}
				return strings.Join(names, " ")
			}
			for _, p := range []struct{ path, body string }{
				{"/cms/v3/blogs/posts", `{"name":"%d","contentGroupId":"7"}`},
				{"/cms/v3/blogs/authors", `{"fullName":"%d"}`},
			} {
				var ids []string
				for i := range 3 {
					clock.Advance(time.Second)
					ids = append(ids, call(t, srv, http.MethodPost, p.path, fmt.Sprintf(p.body, i)).json(t)["id"].(string))
				}
				for i := range 3 {
					clock.Advance(time.Second)
					is.Equal(call(t, srv, http.MethodPatch, p.path+"/"+ids[2-i], `{"bio":"x"}`).status, http.StatusOK)
				}
			}
			is.Equal(order("/cms/v3/blogs/posts", "name"), tt.posts)
			is.Equal(order("/cms/v3/blogs/authors", "fullName"), tt.authors)
			is.Equal(call(t, srv, http.MethodGet, "/cms/v3/blogs/posts?sort=colour", "").status, tt.unknownStatus)
			for _, prefix := range []string{"/a", "/c", "/b"} {
				body := fmt.Sprintf(`{"routePrefix":%q,"destination":"/d","redirectStyle":301}`, prefix)
				is.Equal(call(t, srv, http.MethodPost, "/cms/v3/url-redirects", body).status, http.StatusCreated)
			}
			is.Equal(order2(t, srv, "/cms/v3/url-redirects?sort=routePrefix"), tt.redirectsByRoutePref)
		})
	}
}

func order2(t *testing.T, srv *hubspottest.Server, path string) string {
	t.Helper()
	var out []string
	for _, o := range call(t, srv, http.MethodGet, path, "").json(t)["results"].([]any) {
		out = append(out, fmt.Sprint(o.(map[string]any)["routePrefix"]))
	}
	return strings.Join(out, " ")
}

// TestCMSArchiveKeepsUpdated: deleting a tag, a post or a HubDB table
// sets its deletion time and leaves updated as it was;
// WithArchiveMovesUpdated moves it to the time of the delete.
func TestCMSArchiveKeepsUpdated(t *testing.T) {
	for _, moves := range []bool{false, true} {
		t.Run(fmt.Sprint("moves=", moves), func(t *testing.T) {
			is := is.New(t)
			start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			clock := hubspottest.NewManualClock(start)
			opts := []hubspottest.Option{hubspottest.WithClock(clock)}
			if moves {
				opts = append(opts, hubspottest.WithArchiveMovesUpdated())
			}
			srv := newServer(t, opts...)
			tag, err := srv.AddBlogTag(hubspottest.BlogTag{Name: "t"})
			is.NoErr(err)
			table, err := srv.AddHubDBTable(hubspottest.HubDBTable{Name: "cities", Draft: hubspottest.HubDBVersion{Label: "Cities"}}, true)
			is.NoErr(err)
			clock.Advance(time.Minute)
			is.Equal(call(t, srv, http.MethodDelete, "/cms/v3/blogs/tags/"+tag, "").status, http.StatusNoContent)
			is.Equal(call(t, srv, http.MethodDelete, "/cms/v3/hubdb/tables/"+table, "").status, http.StatusNoContent)
			want := start
			if moves {
				want = start.Add(time.Minute)
			}
			got := srv.BlogTags()[0]
			is.True(got.DeletedAt.Equal(start.Add(time.Minute)))
			is.True(got.Updated.Equal(want))
			for _, path := range []string{"/cms/v3/blogs/tags?archived=true", "/cms/v3/hubdb/tables?archived=true"} {
				o := call(t, srv, http.MethodGet, path, "").json(t)["results"].([]any)[0].(map[string]any)
				updated := o["updated"]
				if updated == nil {
					updated = o["updatedAt"]
				}
				is.Equal(updated, want.Format("2006-01-02T15:04:05.000Z"))
			}
		})
	}
}

// TestRedirectTimesAt: a redirect's times are created and updated, as the
// spec names them; WithRedirectTimesAt names them createdAt and updatedAt,
// as the v3 reference's example does, and leaves other types as they are.
func TestRedirectTimesAt(t *testing.T) {
	for _, timesAt := range []bool{false, true} {
		t.Run(fmt.Sprint("timesAt=", timesAt), func(t *testing.T) {
			is := is.New(t)
			var opts []hubspottest.Option
			created, absent := "created", "createdAt"
			if timesAt {
				opts = append(opts, hubspottest.WithRedirectTimesAt())
				created, absent = absent, created
			}
			srv := newServer(t, opts...)
			_, err := srv.AddRedirect(hubspottest.Redirect{RoutePrefix: "/a", Destination: "/b", RedirectStyle: 301})
			is.NoErr(err)
			_, err = srv.AddBlogTag(hubspottest.BlogTag{Name: "t"})
			is.NoErr(err)
			o := call(t, srv, http.MethodGet, "/cms/v3/url-redirects", "").json(t)["results"].([]any)[0].(map[string]any)
			is.True(o[created] != nil)
			is.True(o[absent] == nil)
			tag := call(t, srv, http.MethodGet, "/cms/v3/blogs/tags", "").json(t)["results"].([]any)[0].(map[string]any)
			is.True(tag["created"] != nil)
		})
	}
}
