package hubspot_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

func ptr[T any](v T) *T { return &v }

// TestURLRedirectsRoundTrip: every call of the service against the
// simulator, through the client's one Do.
func TestURLRedirectsRoundTrip(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := hubspottest.NewManualClock(start)
	srv := newSim(t, hubspottest.WithClock(clock))
	c := simClient(t, srv)
	rs := c.URLRedirects

	created, err := rs.Create(ctx, hubspot.URLRedirectInput{RoutePrefix: ptr("/old"), Destination: ptr("/new"),
		RedirectStyle: ptr(301), IsOnlyAfterNotFound: ptr(false), IsPattern: ptr(true), Precedence: ptr(3)})
	is.NoErr(err)
	is.True(created.ID != "")
	is.Equal(created.RoutePrefix, "/old")
	is.True(created.IsPattern)
	is.Equal(created.Precedence, 3)
	is.True(created.Created.Equal(start))

	got, err := rs.Get(ctx, created.ID)
	is.NoErr(err)
	is.Equal(*got, *created)

	clock.Advance(time.Minute)
	updated, err := rs.Update(ctx, created.ID, hubspot.URLRedirectInput{Destination: ptr("/newer"), IsPattern: ptr(false)})
	is.NoErr(err)
	is.Equal(updated.Destination, "/newer")
	is.True(!updated.IsPattern) // false is sent, not left out
	is.Equal(updated.RedirectStyle, 301)
	is.True(updated.Updated.Equal(start.Add(time.Minute)))

	// A taken routePrefix is a typed 409.
	_, err = rs.Create(ctx, hubspot.URLRedirectInput{RoutePrefix: ptr("/old"), Destination: ptr("/x"), RedirectStyle: ptr(302)})
	var er *hubspot.ErrorResponse
	is.True(errors.As(err, &er))
	is.Equal(er.StatusCode, http.StatusConflict)
	is.Equal(er.Category, "CONFLICT")

	// List: pages, filters, and FindByRoutePrefix.
	for i := range 150 {
		clock.Advance(time.Second)
		_, err := srv.AddRedirect(hubspottest.Redirect{RoutePrefix: fmt.Sprintf("/r%03d", i), Destination: "/d", RedirectStyle: 302})
		is.NoErr(err)
	}
	page, err := rs.List(ctx, hubspot.URLRedirectListOptions{})
	is.NoErr(err)
	is.Equal(page.Total, 151)
	is.Equal(len(page.Results), 100)
	is.True(page.NextAfter() != "")
	page, err = rs.List(ctx, hubspot.URLRedirectListOptions{After: page.NextAfter()})
	is.NoErr(err)
	is.Equal(len(page.Results), 51)
	is.Equal(page.NextAfter(), "")

	page, err = rs.List(ctx, hubspot.URLRedirectListOptions{Limit: 5, CreatedAfter: start.Add(time.Minute + 148*time.Second), Sort: []string{"-createdAt"}})
	is.NoErr(err)
	is.Equal(len(page.Results), 2)
	is.Equal(page.Results[0].RoutePrefix, "/r149")

	srv.ResetCalls()
	found, err := rs.FindByRoutePrefix(ctx, "/r140", time.Time{})
	is.NoErr(err)
	is.Equal(found.RoutePrefix, "/r140")
	is.Equal(srv.Calls()["GET /cms/v3/url-redirects"], 2) // a scan: no routePrefix filter
	srv.ResetCalls()
	found, err = rs.FindByRoutePrefix(ctx, "/r140", found.Created)
	is.NoErr(err)
	is.Equal(found.RoutePrefix, "/r140")
	is.Equal(srv.Calls()["GET /cms/v3/url-redirects"], 1) // from its creation on
	found, err = rs.FindByRoutePrefix(ctx, "/nowhere", time.Time{})
	is.NoErr(err)
	is.True(found == nil)

	is.NoErr(rs.Delete(ctx, created.ID))
	_, err = rs.Get(ctx, created.ID)
	is.True(hubspot.IsNotFound(err))
	is.True(hubspot.IsNotFound(rs.Delete(ctx, created.ID)))
	page, err = rs.List(ctx, hubspot.URLRedirectListOptions{Archived: true})
	is.NoErr(err)
	is.Equal(len(page.Results), 1)
	_, err = rs.List(ctx, hubspot.URLRedirectListOptions{Limit: 101})
	is.True(err != nil)
}

// TestURLRedirectsRetries: reads and updates are retried through a 5xx; a
// create that may have reached HubSpot is not, so it is not made twice.
func TestURLRedirectsRetries(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	rs := simClient(t, srv).URLRedirects

	srv.InjectFault(hubspottest.Fault{Method: "GET", Path: "/cms/v3/url-redirects", Kind: hubspottest.FaultStatus, Status: 503})
	_, err := rs.List(ctx, hubspot.URLRedirectListOptions{})
	is.NoErr(err)

	srv.InjectFault(hubspottest.Fault{Method: "POST", Path: "/cms/v3/url-redirects", Kind: hubspottest.FaultHTML, Status: 502, Applied: true})
	_, err = rs.Create(ctx, hubspot.URLRedirectInput{RoutePrefix: ptr("/a"), Destination: ptr("/b"), RedirectStyle: ptr(301)})
	is.Equal(hubspot.StatusCode(err), http.StatusBadGateway)
	is.Equal(len(srv.Redirects()), 1) // applied once, not retried
	is.Equal(srv.Calls()["POST /cms/v3/url-redirects"], 1)

	id := srv.Redirects()[0].ID
	srv.InjectFault(hubspottest.Fault{Method: "PATCH", Kind: hubspottest.FaultStatus, Status: 500})
	r, err := rs.Update(ctx, id, hubspot.URLRedirectInput{Destination: ptr("/c")})
	is.NoErr(err)
	is.Equal(r.Destination, "/c")
}
