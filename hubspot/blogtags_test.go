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
// simulator; FindByKey reads one page with the name__eq filter; a create
// that may have reached HubSpot is not retried.
func TestBlogTagsRoundTrip(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := hubspottest.NewManualClock(start)
	srv := newSim(t, hubspottest.WithClock(clock))
	ts := simClient(t, srv).BlogTags

	created, err := ts.Create(ctx, cmsObj(t, map[string]any{"name": "Announcements", "language": "en"}))
	is.NoErr(err)
	is.True(created.ID() != "")
	is.Equal(created.Text("slug"), "announcements")
	at, _, err := created.Time("created")
	is.NoErr(err)
	is.True(at.Equal(start))
	_, deleted, err := created.Time("deletedAt")
	is.NoErr(err)
	is.True(!deleted)

	got, err := ts.Get(ctx, created.ID())
	is.NoErr(err)
	is.Equal(got.Text("name"), created.Text("name"))

	clock.Advance(time.Minute)
	updated, err := ts.Update(ctx, created.ID(), cmsObj(t, map[string]any{"slug": "news"}))
	is.NoErr(err)
	is.Equal(updated.Text("slug"), "news")
	is.Equal(updated.Text("name"), "Announcements")
	at, _, err = updated.Time("updated")
	is.NoErr(err)
	is.True(at.Equal(start.Add(time.Minute)))

	_, err = ts.Create(ctx, cmsObj(t, map[string]any{"name": "Announcements", "language": "en"}))
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
	found, err := ts.FindByKey(ctx, []string{"t100", ""}, time.Time{})
	is.NoErr(err)
	is.Equal(found.Text("name"), "t100")
	is.Equal(srv.Calls()["GET /cms/blogs/2026-09/tags"], 1) // filtered by name
	found, err = ts.FindByKey(ctx, []string{"Announcements", "fr"}, time.Time{})
	is.NoErr(err)
	is.True(found == nil) // another language

	srv.InjectFault(hubspottest.Fault{Method: "POST", Path: "/cms/blogs/2026-09/tags", Kind: hubspottest.FaultHTML, Status: 502, Applied: true})
	_, err = ts.Create(ctx, cmsObj(t, map[string]any{"name": "once"}))
	is.Equal(hubspot.StatusCode(err), http.StatusBadGateway)
	is.Equal(len(srv.LiveBlogTags()), 122) // applied once, not retried

	is.NoErr(ts.Delete(ctx, created.ID()))
	is.True(hubspot.IsNotFound(ts.Delete(ctx, created.ID())))
	page, err = ts.List(ctx, hubspot.CMSListOptions{Archived: true})
	is.NoErr(err)
	is.Equal(len(page.Results), 1)
	_, deleted, err = page.Results[0].Time("deletedAt")
	is.NoErr(err)
	is.True(deleted)
}
