package destination_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

const redirectsCalls = "/cms/url-redirects/2026-09"

func redirectRec(op opencdc.Operation, pos string, key opencdc.Data, route, dest string) opencdc.Record {
	return rec(op, pos, key, opencdc.StructuredData{"routePrefix": route, "destination": dest, "redirectStyle": 301})
}

// TestRedirectsCreateUpdateDelete: creates, updates and deletes of URL
// redirects land, in order, under the earlier connector's resource name and
// the short one; an update or delete keyed by the source's key reaches the
// redirect this run created for it.
func TestRedirectsCreateUpdateDelete(t *testing.T) {
	for _, resource := range []string{"cms.urlRedirects", "url_redirects"} {
		t.Run(resource, func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			srv := newSim(t)
			d := openDestination(t, srv, map[string]string{"resource": resource})

			n, err := d.Write(ctx, []opencdc.Record{
				redirectRec(opencdc.OperationSnapshot, "p0", id("src-1"), "/a", "/to-a"),
				redirectRec(opencdc.OperationCreate, "p1", id("src-2"), "/b", "/to-b"),
				rec(opencdc.OperationCreate, "p2", nil, opencdc.StructuredData{"routePrefix": "/c", "destination": "/to-c",
					"redirectStyle": 302, "isPattern": true, "precedence": 7, "isMatchQueryString": false}),
				// The source's key: the redirect created for src-1 just now.
				rec(opencdc.OperationUpdate, "p3", id("src-1"), opencdc.StructuredData{"destination": "/to-a2"}),
				rec(opencdc.OperationUpdate, "p4", id("src-1"), opencdc.StructuredData{"destination": "/to-a3", "redirectStyle": 302}),
				rec(opencdc.OperationDelete, "p5", id("src-2"), nil),
			})
			is.NoErr(err)
			is.Equal(n, 6)
			live := srv.LiveRedirects()
			is.Equal(len(live), 2)
			is.Equal(live["/a"].Destination, "/to-a3") // the updates in order
			is.Equal(live["/a"].RedirectStyle, 302)
			c := live["/c"]
			is.Equal(c.RedirectStyle, 302)
			is.True(c.IsPattern)
			is.Equal(c.Precedence, 7)

			// Keyed by HubSpot's id, as records from a HubSpot source are.
			n, err = d.Write(ctx, []opencdc.Record{
				rec(opencdc.OperationUpdate, "p6", id(c.ID), opencdc.StructuredData{"isPattern": false}),
				rec(opencdc.OperationDelete, "p7", id(live["/a"].ID), nil),
			})
			is.NoErr(err)
			is.Equal(n, 2)
			live = srv.LiveRedirects()
			is.Equal(len(live), 1)
			is.True(!live["/c"].IsPattern)
			is.Equal(live["/c"].Precedence, 7) // not sent, kept

			// A delete delivered again finds the redirect gone: done.
			n, err = d.Write(ctx, []opencdc.Record{rec(opencdc.OperationDelete, "p7", id(c.ID), nil), rec(opencdc.OperationDelete, "p8", id(c.ID), nil)})
			is.NoErr(err)
			is.Equal(n, 2)
			is.Equal(len(srv.LiveRedirects()), 0)
		})
	}
}

// TestRedirectsTypedValues: values are taken in the types sources give
// them: numbers of any type or as text, bools as text, a payload read from
// HubSpot with its computed fields.
func TestRedirectsTypedValues(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": "cms.urlRedirects"})
	n, err := d.Write(ctx, []opencdc.Record{
		rec(opencdc.OperationCreate, "p0", nil, opencdc.StructuredData{"routePrefix": "/n", "destination": "/d", "redirectStyle": json.Number("305"), "precedence": 2.0}),
		rec(opencdc.OperationCreate, "p1", nil, opencdc.StructuredData{"routePrefix": "/s", "destination": "/d", "redirectStyle": "302", "isPattern": "true", "precedence": int64(4)}),
		rec(opencdc.OperationCreate, "p2", nil, opencdc.RawData(`{"id":"99","created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z","routePrefix":"/raw","destination":"/d","redirectStyle":301,"isProtocolAgnostic":true,"precedence":null}`)),
	})
	is.NoErr(err)
	is.Equal(n, 3)
	live := srv.LiveRedirects()
	is.Equal(live["/n"].RedirectStyle, 305)
	is.Equal(live["/n"].Precedence, 2)
	is.Equal(live["/s"].RedirectStyle, 302)
	is.True(live["/s"].IsPattern)
	is.Equal(live["/s"].Precedence, 4)
	is.True(live["/raw"].IsProtocolAgnostic)
	is.True(live["/raw"].ID != "99")
}

// TestRedirectsBadRecords: each bad record fails alone, with an error that
// names it and the reason; nothing is written for it.
func TestRedirectsBadRecords(t *testing.T) {
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": "cms.urlRedirects"})
	taken, err := srv.AddRedirect(hubspottest.Redirect{RoutePrefix: "/taken", Destination: "/elsewhere", RedirectStyle: 301})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		rec  opencdc.Record
		want []string
	}{
		{"no routePrefix", rec(opencdc.OperationCreate, "b1", nil, opencdc.StructuredData{"destination": "/d", "redirectStyle": 301}), []string{"position b1", "needs a routePrefix"}},
		{"no destination", rec(opencdc.OperationCreate, "b2", nil, opencdc.StructuredData{"routePrefix": "/x", "redirectStyle": 301}), []string{"position b2", "VALIDATION_ERROR", "destination is required"}},
		{"bad style", rec(opencdc.OperationCreate, "b3", nil, opencdc.StructuredData{"routePrefix": "/x", "destination": "/d", "redirectStyle": 200}), []string{"position b3", "redirectStyle must be 301, 302 or 305"}},
		{"style not a number", rec(opencdc.OperationCreate, "b4", nil, opencdc.StructuredData{"routePrefix": "/x", "destination": "/d", "redirectStyle": "permanent"}), []string{`field "redirectStyle": want a whole number (the value: "permanent")`}},
		{"style a fraction", rec(opencdc.OperationCreate, "b5", nil, opencdc.StructuredData{"routePrefix": "/x", "destination": "/d", "redirectStyle": 301.5}), []string{`field "redirectStyle": want a whole number`}},
		{"flag not a bool", rec(opencdc.OperationCreate, "b6", nil, opencdc.StructuredData{"routePrefix": "/x", "destination": "/d", "redirectStyle": 301, "isPattern": 3}), []string{`field "isPattern": a int cannot be a bool`}},
		{"route not text", rec(opencdc.OperationCreate, "b7", nil, opencdc.StructuredData{"routePrefix": 5, "destination": "/d", "redirectStyle": 301}), []string{`field "routePrefix": a int cannot be a text field`}},
		{"unknown field", rec(opencdc.OperationCreate, "b8", nil, opencdc.StructuredData{"routePrefix": "/x", "destination": "/d", "redirectStyle": 301, "colour": "blue"}), []string{"a URL redirect has no fields colour; it has routePrefix"}},
		{"taken routePrefix", redirectRec(opencdc.OperationCreate, "b9", nil, "/taken", "/mine"), []string{"position b9", `routePrefix "/taken" (id ` + taken + `) exists with other values`, "CONFLICT"}},
		{"update without key", rec(opencdc.OperationUpdate, "b10", nil, opencdc.StructuredData{"destination": "/d"}), []string{"needs the redirect's id in its key"}},
		{"delete without key", rec(opencdc.OperationDelete, "b11", nil, nil), []string{"needs the redirect's id in its key"}},
		{"update of a missing id", rec(opencdc.OperationUpdate, "b12", id("424242"), opencdc.StructuredData{"destination": "/d"}), []string{"position b12", "424242", "OBJECT_NOT_FOUND"}},
		{"payload not JSON", rec(opencdc.OperationCreate, "b14", nil, opencdc.RawData("routePrefix=/x")), []string{"not a JSON object"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			before := len(srv.Redirects())
			n, err := d.Write(context.Background(), []opencdc.Record{tt.rec})
			is.Equal(n, 0)
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("error %q, want it to hold %q", err, w)
				}
			}
			is.True(!strings.Contains(err.Error(), srv.Token))
			is.Equal(len(srv.Redirects()), before)
		})
	}
}

// TestRedirectsBadRecordIsolated: a bad record among good ones fails
// alone: the ones before it are written, and the ones after it when Conduit
// delivers them again, none twice.
func TestRedirectsBadRecordIsolated(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": "cms.urlRedirects"})
	_, err := srv.AddRedirect(hubspottest.Redirect{RoutePrefix: "/r2", Destination: "/someone-elses", RedirectStyle: 301})
	is.NoErr(err)
	var recs []opencdc.Record
	for i := range 5 {
		recs = append(recs, redirectRec(opencdc.OperationCreate, fmt.Sprintf("p%d", i), nil, fmt.Sprintf("/r%d", i), "/d"))
	}
	n, err := d.Write(ctx, recs)
	is.Equal(n, 2)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "record 2 (position p2"))
	is.True(strings.Contains(err.Error(), "CONFLICT"))

	// Conduit sends the failed record to its DLQ and delivers the rest.
	srv.ResetCalls()
	n, err = d.Write(ctx, recs[3:])
	is.NoErr(err)
	is.Equal(n, 2)
	is.Equal(srv.Calls()["POST "+redirectsCalls], 2)
	live := srv.LiveRedirects()
	is.Equal(len(live), 5)
	is.Equal(live["/r2"].Destination, "/someone-elses")

	// The whole batch again (a restart before the acks): nothing twice.
	n, err = d.Write(ctx, recs[:2])
	is.NoErr(err)
	is.Equal(n, 2)
	is.Equal(len(srv.Redirects()), 5)
}

// TestRedirectsLostCreateAnswers: a create whose answer is lost, after
// HubSpot applied it or not, is looked up by its routePrefix before it is
// sent again: each redirect exists once.
func TestRedirectsLostCreateAnswers(t *testing.T) {
	tests := []struct {
		name    string
		fault   hubspottest.Fault
		creates int // POSTs HubSpot received
	}{
		{"502 after applying", hubspottest.Fault{Kind: hubspottest.FaultHTML, Status: 502, Applied: true}, 1},
		{"502 before applying", hubspottest.Fault{Kind: hubspottest.FaultHTML, Status: 502}, 2},
		{"500 after applying", hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 500, Applied: true}, 1},
		{"reset after applying", hubspottest.Fault{Kind: hubspottest.FaultReset, Applied: true}, 1},
		{"reset before applying", hubspottest.Fault{Kind: hubspottest.FaultReset}, 2},
		{"truncated answer", hubspottest.Fault{Kind: hubspottest.FaultTruncate}, 1},
		{"two lost answers", hubspottest.Fault{Kind: hubspottest.FaultHTML, Status: 503, Times: 2}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			srv := newSim(t)
			d := openDestination(t, srv, map[string]string{"resource": "cms.urlRedirects"})
			_, err := srv.AddRedirect(hubspottest.Redirect{RoutePrefix: "/before", Destination: "/d", RedirectStyle: 301})
			is.NoErr(err)
			srv.ResetCalls()
			f := tt.fault
			f.Method, f.Path = "POST", redirectsCalls
			srv.InjectFault(f)
			n, err := d.Write(ctx, []opencdc.Record{
				redirectRec(opencdc.OperationCreate, "p0", id("k0"), "/lost", "/d"),
				rec(opencdc.OperationUpdate, "p1", id("k0"), opencdc.StructuredData{"destination": "/d2"}),
			})
			is.NoErr(err)
			is.Equal(n, 2)
			is.Equal(srv.PendingFaults(), 0)
			is.Equal(srv.Calls()["POST "+redirectsCalls], tt.creates)
			is.Equal(len(srv.Redirects()), 2) // no duplicate, none refused
			is.Equal(srv.LiveRedirects()["/lost"].Destination, "/d2")
		})
	}

	t.Run("the last of three lost answers applied", func(t *testing.T) {
		is := is.New(t)
		srv := newSim(t)
		d := openDestination(t, srv, map[string]string{"resource": "cms.urlRedirects"})
		srv.InjectFault(hubspottest.Fault{Method: "POST", Path: redirectsCalls, Kind: hubspottest.FaultHTML, Status: 502, Times: 2})
		srv.InjectFault(hubspottest.Fault{Method: "POST", Path: redirectsCalls, Kind: hubspottest.FaultHTML, Status: 502, Applied: true})
		n, err := d.Write(context.Background(), []opencdc.Record{redirectRec(opencdc.OperationCreate, "p0", nil, "/third", "/d")})
		is.NoErr(err) // HubSpot wrote it: not reported failed
		is.Equal(n, 1)
		is.Equal(srv.Calls()["POST "+redirectsCalls], 3)
		is.Equal(len(srv.Redirects()), 1)
	})

	t.Run("every answer lost", func(t *testing.T) {
		is := is.New(t)
		srv := newSim(t)
		d := openDestination(t, srv, map[string]string{"resource": "cms.urlRedirects"})
		srv.InjectFault(hubspottest.Fault{Method: "POST", Path: redirectsCalls, Kind: hubspottest.FaultHTML, Status: 502, Times: 10})
		n, err := d.Write(context.Background(), []opencdc.Record{redirectRec(opencdc.OperationCreate, "p0", nil, "/never", "/d")})
		is.Equal(n, 0)
		is.True(err != nil)
		is.True(strings.Contains(err.Error(), "answers to 3 creates of it were lost"))
		is.Equal(len(srv.Redirects()), 0)
	})

	t.Run("lost answer, then another's redirect there", func(t *testing.T) {
		// The create was not applied, and the look-up finds a redirect of
		// that routePrefix with other values: not ours, not written.
		is := is.New(t)
		srv := newSim(t)
		d := openDestination(t, srv, map[string]string{"resource": "cms.urlRedirects"})
		_, err := srv.AddRedirect(hubspottest.Redirect{RoutePrefix: "/shared", Destination: "/theirs", RedirectStyle: 301})
		is.NoErr(err)
		srv.InjectFault(hubspottest.Fault{Method: "POST", Path: redirectsCalls, Kind: hubspottest.FaultHTML, Status: 502})
		n, err := d.Write(context.Background(), []opencdc.Record{redirectRec(opencdc.OperationCreate, "p0", nil, "/shared", "/ours")})
		is.Equal(n, 0)
		is.True(err != nil)
		is.True(strings.Contains(err.Error(), "exists with other values"))
		is.Equal(srv.LiveRedirects()["/shared"].Destination, "/theirs")
	})
}

// TestRedirectsOpenChecksTheToken: Open makes one call, which a bad token
// fails with the parameter named.
func TestRedirectsOpenChecksTheToken(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	d, err := tryOpenDestination(srv, map[string]string{"resource": "cms.urlRedirects", "accessToken": "pat-na1-wrong"})
	if d != nil {
		t.Cleanup(func() { _ = d.Teardown(context.Background()) })
	}
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "accessToken"))
	is.True(!strings.Contains(err.Error(), "pat-na1-wrong"))
}

// TestRedirectsManyLostCreateAnswers: across 300 creates with one in ten
// answers lost, applied or not, every redirect exists exactly once and no
// create was applied twice.
func TestRedirectsManyLostCreateAnswers(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	rng := seededRand(t, 20261202)
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": "cms.urlRedirects"})
	const total, per = 300, 10
	var recs []opencdc.Record
	for i := range total {
		recs = append(recs, redirectRec(opencdc.OperationCreate, fmt.Sprintf("p%d", i), nil, fmt.Sprintf("/m%d", i), "/d"))
	}
	faults := 0
	for lo := 0; lo < total; lo += per {
		for range per {
			if rng.IntN(10) == 0 {
				faults++
				srv.InjectFault(hubspottest.Fault{Method: "POST", Path: redirectsCalls, Kind: hubspottest.FaultHTML, Status: 502, Applied: rng.IntN(2) == 0})
			}
		}
		n, err := d.Write(ctx, recs[lo:lo+per])
		is.NoErr(err)
		is.Equal(n, per)
		srv.ClearFaults() // a batch's faults are its own
	}
	is.True(faults > 0)
	is.Equal(len(srv.Redirects()), total) // none created twice
	is.Equal(len(srv.LiveRedirects()), total)
}

// seededRand is a random source that repeats its choices, with the seed in
// the test's log.
func seededRand(t *testing.T, seed uint64) *rand.Rand {
	t.Helper()
	t.Logf("seed %d", seed)
	return rand.New(rand.NewPCG(seed, 1))
}
