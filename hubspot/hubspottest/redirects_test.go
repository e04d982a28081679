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

const redirectsPath = "/cms/v3/url-redirects"

func redirectBody(route, dest string) string {
	return fmt.Sprintf(`{"routePrefix":%q,"destination":%q,"redirectStyle":301}`, route, dest)
}

// TestRedirectsCreateGetUpdateDelete: the CRUD calls answer with the
// statuses and shapes of HubSpot's URL redirects docs, with the server's
// clock in created and updated.
func TestRedirectsCreateGetUpdateDelete(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	srv := newServer(t, hubspottest.WithClock(clock))

	r := call(t, srv, http.MethodPost, redirectsPath, `{"routePrefix":"/old","destination":"/new","redirectStyle":302,"isPattern":true,"precedence":5}`)
	is.Equal(r.status, http.StatusCreated)
	created := r.json(t)
	id := created["id"].(string)
	is.True(id != "")
	is.Equal(created["routePrefix"], "/old")
	is.Equal(created["redirectStyle"], 302.0)
	is.Equal(created["isPattern"], true)
	is.Equal(created["isMatchFullUrl"], false)
	is.Equal(created["precedence"], 5.0)
	is.Equal(created["created"], "2026-03-01T12:00:00.000Z")
	is.Equal(created["updated"], created["created"])

	r = call(t, srv, http.MethodGet, redirectsPath+"/"+id, "")
	is.Equal(r.status, http.StatusOK)
	is.Equal(r.json(t)["destination"], "/new")

	clock.Advance(time.Minute)
	r = call(t, srv, http.MethodPatch, redirectsPath+"/"+id, `{"destination":"/newer"}`)
	is.Equal(r.status, http.StatusOK)
	updated := r.json(t)
	is.Equal(updated["destination"], "/newer")
	is.Equal(updated["routePrefix"], "/old")  // not sent, kept
	is.Equal(updated["redirectStyle"], 302.0) // not sent, kept
	is.Equal(updated["created"], created["created"])
	is.Equal(updated["updated"], "2026-03-01T12:01:00.000Z")

	r = call(t, srv, http.MethodDelete, redirectsPath+"/"+id, "")
	is.Equal(r.status, http.StatusNoContent)
	is.Equal(len(r.body), 0)
	is.Equal(call(t, srv, http.MethodGet, redirectsPath+"/"+id, "").status, http.StatusNotFound)
	is.Equal(call(t, srv, http.MethodDelete, redirectsPath+"/"+id, "").status, http.StatusNotFound)
	is.Equal(call(t, srv, http.MethodPatch, redirectsPath+"/"+id, `{"destination":"/x"}`).status, http.StatusNotFound)

	got := srv.Redirects()
	is.Equal(len(got), 1)
	is.True(got[0].Archived)
	is.Equal(len(srv.LiveRedirects()), 0)
}

// TestRedirectsRoutePrefixIsUnique: a second live redirect of one
// routePrefix is refused, on create and on update; a deleted one frees it.
func TestRedirectsRoutePrefixIsUnique(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	r := call(t, srv, http.MethodPost, redirectsPath, redirectBody("/a", "/x"))
	is.Equal(r.status, http.StatusCreated)
	first := r.json(t)["id"].(string)

	r = call(t, srv, http.MethodPost, redirectsPath, redirectBody("/a", "/y"))
	is.Equal(r.status, http.StatusConflict)
	e := r.json(t)
	is.Equal(e["category"], "CONFLICT")
	is.True(strings.Contains(e["message"].(string), first))

	r = call(t, srv, http.MethodPost, redirectsPath, redirectBody("/b", "/y"))
	is.Equal(r.status, http.StatusCreated)
	second := r.json(t)["id"].(string)
	is.Equal(call(t, srv, http.MethodPatch, redirectsPath+"/"+second, `{"routePrefix":"/a"}`).status, http.StatusConflict)
	is.Equal(call(t, srv, http.MethodPatch, redirectsPath+"/"+second, `{"routePrefix":"/b","destination":"/z"}`).status, http.StatusOK) // its own

	is.Equal(call(t, srv, http.MethodDelete, redirectsPath+"/"+first, "").status, http.StatusNoContent)
	is.Equal(call(t, srv, http.MethodPost, redirectsPath, redirectBody("/a", "/again")).status, http.StatusCreated)
	is.Equal(len(srv.LiveRedirects()), 2)
}

// TestRedirectsValidation: the create docs' required fields, and
// redirectStyle's three values.
func TestRedirectsValidation(t *testing.T) {
	srv := newServer(t)
	for name, body := range map[string]string{
		"no routePrefix":   `{"destination":"/x","redirectStyle":301}`,
		"no destination":   `{"routePrefix":"/x","redirectStyle":301}`,
		"no redirectStyle": `{"routePrefix":"/x","destination":"/y"}`,
		"bad style":        `{"routePrefix":"/x","destination":"/y","redirectStyle":200}`,
		"style a string":   `{"routePrefix":"/x","destination":"/y","redirectStyle":"301"}`,
		"not JSON":         `routePrefix=/x`,
	} {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			r := call(t, srv, http.MethodPost, redirectsPath, body)
			is.Equal(r.status, http.StatusBadRequest)
			is.Equal(r.json(t)["category"], "VALIDATION_ERROR")
		})
	}
	is := is.New(t)
	is.Equal(len(srv.Redirects()), 0)
}

// TestRedirectsList: pages of limit with a total, the documented date
// filters, sort and the archived list.
func TestRedirectsList(t *testing.T) {
	is := is.New(t)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	clock := hubspottest.NewManualClock(start)
	srv := newServer(t, hubspottest.WithClock(clock))
	var ids []string
	for i := range 25 {
		id, err := srv.AddRedirect(hubspottest.Redirect{RoutePrefix: fmt.Sprintf("/r%02d", i), Destination: "/d", RedirectStyle: 301})
		is.NoErr(err)
		ids = append(ids, id)
		clock.Advance(time.Second)
	}
	_, err := srv.AddRedirect(hubspottest.Redirect{RoutePrefix: "/r00", Destination: "/d", RedirectStyle: 301})
	is.True(err != nil) // taken

	var seen []string
	after := ""
	pages := 0
	for {
		q := url.Values{"limit": {"10"}}
		if after != "" {
			q.Set("after", after)
		}
		r := call(t, srv, http.MethodGet, redirectsPath+"?"+q.Encode(), "")
		is.Equal(r.status, http.StatusOK)
		is.Equal(r.json(t)["total"], 25.0)
		pages++
		for _, o := range results(t, r) {
			seen = append(seen, o["id"].(string))
		}
		if after = nextAfter(t, r); after == "" {
			break
		}
	}
	is.Equal(pages, 3)
	is.Equal(seen, ids)

	// Filters: created after the 20th second, updated before the 3rd.
	r := call(t, srv, http.MethodGet, redirectsPath+"?limit=100&createdAfter="+start.Add(20*time.Second).Format(time.RFC3339), "")
	is.Equal(len(results(t, r)), 4)
	r = call(t, srv, http.MethodGet, redirectsPath+"?limit=100&updatedBefore="+start.Add(3*time.Second).Format(time.RFC3339), "")
	is.Equal(len(results(t, r)), 3)
	r = call(t, srv, http.MethodGet, redirectsPath+"?limit=100&createdAt="+start.Add(5*time.Second).Format(time.RFC3339), "")
	is.Equal(len(results(t, r)), 1)
	is.Equal(call(t, srv, http.MethodGet, redirectsPath+"?createdAfter=yesterday", "").status, http.StatusBadRequest)

	// Sort: the API documents none, so any is ignored: creation order.
	r = call(t, srv, http.MethodGet, redirectsPath+"?limit=2&sort=-routePrefix", "")
	got := results(t, r)
	is.Equal(got[0]["routePrefix"], "/r00")
	is.Equal(got[1]["routePrefix"], "/r01")
	is.Equal(call(t, srv, http.MethodGet, redirectsPath+"?limit=101", "").status, http.StatusBadRequest)

	// The default page, and the archived list.
	is.Equal(call(t, srv, http.MethodDelete, redirectsPath+"/"+ids[0], "").status, http.StatusNoContent)
	r = call(t, srv, http.MethodGet, redirectsPath, "")
	is.Equal(len(results(t, r)), 10)
	is.Equal(r.json(t)["total"], 24.0)
	r = call(t, srv, http.MethodGet, redirectsPath+"?archived=true", "")
	archived := results(t, r)
	is.Equal(len(archived), 1)
	is.Equal(archived[0]["id"], ids[0])
}
