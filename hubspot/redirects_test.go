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

	created, err := rs.Create(ctx, cmsObj(t, map[string]any{"routePrefix": "/old", "destination": "/new",
		"redirectStyle": 301, "isOnlyAfterNotFound": false, "isPattern": true, "precedence": 3}))
	is.NoErr(err)
	is.True(created.ID() != "")
	is.Equal(created.Text("routePrefix"), "/old")
	is.Equal(string((*created)["isPattern"]), "true")
	is.Equal(string((*created)["precedence"]), "3")
	at, _, err := created.Time("created")
	is.NoErr(err)
	is.True(at.Equal(start))

	got, err := rs.Get(ctx, created.ID())
	is.NoErr(err)
	is.True(got.Matches(*created) && created.Matches(*got))

	clock.Advance(time.Minute)
	updated, err := rs.Update(ctx, created.ID(), cmsObj(t, map[string]any{"destination": "/newer", "isPattern": false}))
	is.NoErr(err)
	is.Equal(updated.Text("destination"), "/newer")
	is.Equal(string((*updated)["isPattern"]), "false") // false is sent, not left out
	is.Equal(string((*updated)["redirectStyle"]), "301")
	at, _, err = updated.Time("updated")
	is.NoErr(err)
	is.True(at.Equal(start.Add(time.Minute)))

	// A taken routePrefix is a typed 409.
	_, err = rs.Create(ctx, cmsObj(t, map[string]any{"routePrefix": "/old", "destination": "/x", "redirectStyle": 302}))
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
	page, err := rs.List(ctx, hubspot.CMSListOptions{})
	is.NoErr(err)
	is.Equal(page.Total, 151)
	is.Equal(len(page.Results), 100)
	is.True(page.NextAfter() != "")
	page, err = rs.List(ctx, hubspot.CMSListOptions{After: page.NextAfter()})
	is.NoErr(err)
	is.Equal(len(page.Results), 51)
	is.Equal(page.NextAfter(), "")

	page, err = rs.List(ctx, hubspot.CMSListOptions{Limit: 5, CreatedAfter: start.Add(time.Minute + 148*time.Second), Sort: []string{"-createdAt"}})
	is.NoErr(err)
	is.Equal(len(page.Results), 2)
	is.Equal(page.Results[0].Text("routePrefix"), "/r148") // the API documents no sort: creation order

	srv.ResetCalls()
	found, err := rs.FindByKey(ctx, []string{"/r140"}, time.Time{})
	is.NoErr(err)
	is.Equal(found.Text("routePrefix"), "/r140")
	is.Equal(srv.Calls()["GET /cms/url-redirects/2026-09"], 2) // a scan: no routePrefix filter
	srv.ResetCalls()
	foundAt, _, err := found.Time("created")
	is.NoErr(err)
	found, err = rs.FindByKey(ctx, []string{"/r140"}, foundAt)
	is.NoErr(err)
	is.Equal(found.Text("routePrefix"), "/r140")
	is.Equal(srv.Calls()["GET /cms/url-redirects/2026-09"], 1) // from its creation on
	found, err = rs.FindByKey(ctx, []string{"/nowhere"}, time.Time{})
	is.NoErr(err)
	is.True(found == nil)

	is.NoErr(rs.Delete(ctx, created.ID()))
	_, err = rs.Get(ctx, created.ID())
	is.True(hubspot.IsNotFound(err))
	is.True(hubspot.IsNotFound(rs.Delete(ctx, created.ID())))
	page, err = rs.List(ctx, hubspot.CMSListOptions{Archived: true})
	is.NoErr(err)
	is.Equal(len(page.Results), 1)
	_, err = rs.List(ctx, hubspot.CMSListOptions{Limit: 101})
	is.True(err != nil)
}

// TestURLRedirectsRetries: reads and updates are retried through a 5xx; a
// create that may have reached HubSpot is not, so it is not made twice.
func TestURLRedirectsRetries(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	rs := simClient(t, srv).URLRedirects

	srv.InjectFault(hubspottest.Fault{Method: "GET", Path: "/cms/url-redirects/2026-09", Kind: hubspottest.FaultStatus, Status: 503})
	_, err := rs.List(ctx, hubspot.CMSListOptions{})
	is.NoErr(err)

	srv.InjectFault(hubspottest.Fault{Method: "POST", Path: "/cms/url-redirects/2026-09", Kind: hubspottest.FaultHTML, Status: 502, Applied: true})
	_, err = rs.Create(ctx, cmsObj(t, map[string]any{"routePrefix": "/a", "destination": "/b", "redirectStyle": 301}))
	is.Equal(hubspot.StatusCode(err), http.StatusBadGateway)
	is.Equal(len(srv.Redirects()), 1) // applied once, not retried
	is.Equal(srv.Calls()["POST /cms/url-redirects/2026-09"], 1)

	id := srv.Redirects()[0].ID
	srv.InjectFault(hubspottest.Fault{Method: "PATCH", Kind: hubspottest.FaultStatus, Status: 500})
	r, err := rs.Update(ctx, id, cmsObj(t, map[string]any{"destination": "/c"}))
	is.NoErr(err)
	is.Equal(r.Text("destination"), "/c")
}
