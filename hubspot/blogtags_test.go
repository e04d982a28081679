package hubspot_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestBlogTagsRoundTrip: every call of the blog tags service against the
// simulator; FindByName reads one page with the name__eq filter; a create
// that may have reached HubSpot is not retried.
func TestBlogTagsRoundTrip(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := hubspottest.NewManualClock(start)
	srv := newSim(t, hubspottest.WithClock(clock))
	ts := simClient(t, srv).BlogTags

	created, err := ts.Create(ctx, hubspot.BlogTagInput{Name: ptr("Announcements"), Language: ptr("en")})
	is.NoErr(err)
	is.True(created.ID != "")
	is.Equal(created.Slug, "announcements")
	is.True(created.Created.Equal(start))
	is.True(created.DeletedAt == nil)

	got, err := ts.Get(ctx, created.ID)
	is.NoErr(err)
	is.Equal(got.Name, created.Name)

	clock.Advance(time.Minute)
	updated, err := ts.Update(ctx, created.ID, hubspot.BlogTagInput{Slug: ptr("news")})
	is.NoErr(err)
	is.Equal(updated.Slug, "news")
	is.Equal(updated.Name, "Announcements")
	is.True(updated.Updated.Equal(start.Add(time.Minute)))

	_, err = ts.Create(ctx, hubspot.BlogTagInput{Name: ptr("Announcements"), Language: ptr("en")})
	is.Equal(hubspot.StatusCode(err), http.StatusConflict)

	for i := range 120 {
		clock.Advance(time.Second)
		_, err := srv.AddBlogTag(hubspottest.BlogTag{Name: fmt.Sprintf("t%03d", i)})
		is.NoErr(err)
	}
	page, err := ts.List(ctx, hubspot.CMSListOptions{Sort: []string{"updatedAt", "id"}})
	is.NoErr(err)
	is.Equal(page.Total, 121)
	is.Equal(len(page.Results), 100)
	page, err = ts.List(ctx, hubspot.CMSListOptions{After: page.NextAfter()})
	is.NoErr(err)
	is.Equal(len(page.Results), 21)
	is.Equal(page.NextAfter(), "")

	srv.ResetCalls()
	found, err := ts.FindByName(ctx, "t100", "", time.Time{})
	is.NoErr(err)
	is.Equal(found.Name, "t100")
	is.Equal(srv.Calls()["GET /cms/v3/blogs/tags"], 1) // filtered by name
	found, err = ts.FindByName(ctx, "Announcements", "fr", time.Time{})
	is.NoErr(err)
	is.True(found == nil) // another language

	srv.InjectFault(hubspottest.Fault{Method: "POST", Path: "/cms/v3/blogs/tags", Kind: hubspottest.FaultHTML, Status: 502, Applied: true})
	_, err = ts.Create(ctx, hubspot.BlogTagInput{Name: ptr("once")})
	is.Equal(hubspot.StatusCode(err), http.StatusBadGateway)
	is.Equal(len(srv.LiveBlogTags()), 122) // applied once, not retried

	is.NoErr(ts.Delete(ctx, created.ID))
	is.True(hubspot.IsNotFound(ts.Delete(ctx, created.ID)))
	page, err = ts.List(ctx, hubspot.CMSListOptions{Archived: true})
	is.NoErr(err)
	is.Equal(len(page.Results), 1)
	is.True(page.Results[0].DeletedAt != nil)
}
