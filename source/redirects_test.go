package source_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// redirectEnv is a simulator with n redirects and a client to change them
// through HubSpot's API, as another integration would.
func redirectEnv(t *testing.T, n int, opts ...hubspottest.Option) (env, *hubspot.CMSObjectsService, []string) {
	t.Helper()
	e := newEnv(t, opts...)
	c := apiClient(t, e)
	ids := make([]string, 0, n)
	for i := range n {
		ids = append(ids, addRedirect(t, e, i))
	}
	return e, c.URLRedirects, ids
}

// apiClient is a client of the simulator, to change it through HubSpot's
// API as another integration would.
func apiClient(t *testing.T, e env) *hubspot.Client {
	t.Helper()
	c, err := hubspot.NewClient(e.srv.Token, hubspot.WithBaseURL(e.srv.URL), hubspot.WithoutRateLimit(),
		hubspot.WithBackoff(time.Millisecond, 10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func addRedirect(t *testing.T, e env, i int) string {
	t.Helper()
	id, err := e.srv.AddRedirect(hubspottest.Redirect{
		RoutePrefix: fmt.Sprintf("/old/%d", i), Destination: fmt.Sprintf("https://example.com/new/%d", i),
		RedirectStyle: 301, Precedence: i, IsTrailingSlashOptional: i%2 == 0,
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// changeRedirects makes n random changes: creates, updates and deletes of
// live redirects, the clock moving on now and then; next numbers the
// routes of the creates.
func changeRedirects(t *testing.T, e env, api *hubspot.CMSObjectsService, rng *rand.Rand, ids *[]string, next *int, n int) {
	t.Helper()
	ctx := context.Background()
	churn(e, rng, n, func() bool { return len(e.srv.LiveRedirects()) == 0 }, func() {
		*ids = append(*ids, addRedirect(t, e, *next))
		*next++
	}, func() {
		id := (*ids)[rng.IntN(len(*ids))]
		if err := api.Delete(ctx, id); err != nil && !hubspot.IsNotFound(err) {
			t.Fatal(err)
		}
	}, func() {
		id := (*ids)[rng.IntN(len(*ids))]
		dest, style := fmt.Sprintf("https://example.com/moved/%d", rng.IntN(1000)), 302
		in, _ := hubspot.CMSObjectOf(map[string]any{"destination": dest, "redirectStyle": style})
		_, err := api.Update(ctx, id, in)
		if err != nil && !hubspot.IsNotFound(err) {
			t.Fatal(err)
		}
	})
}

var redirectSettings = map[string]string{"resource": "url_redirects", "bufferSize": "7"}

// checkRedirects compares the replica with the simulator: every live
// redirect with its final fields, every one deleted after start deleted,
// and, with creates, every one created after start announced by a create.
func checkRedirects(t *testing.T, rp *replica, srv *hubspottest.Server, start time.Time, creates bool) {
	t.Helper()
	for _, r := range srv.Redirects() {
		switch {
		case r.Archived && r.Deleted.After(start):
			if !rp.deleted[r.ID] {
				t.Errorf("redirect %s was deleted at %s, but no delete record came", r.ID, r.Updated)
			}
		case r.Archived:
		default:
			got, ok := rp.objects[r.ID]
			if !ok {
				t.Errorf("redirect %s is missing", r.ID)
				continue
			}
			want := opencdc.StructuredData{
				"id": r.ID, "createdAt": r.Created, "updatedAt": r.Updated, "archivedAt": nil,
				"routePrefix": r.RoutePrefix, "destination": r.Destination,
				"redirectStyle": float64(r.RedirectStyle), "precedence": float64(r.Precedence),
				"isOnlyAfterNotFound": r.IsOnlyAfterNotFound, "isMatchFullUrl": r.IsMatchFullURL,
				"isMatchQueryString": r.IsMatchQueryString, "isPattern": r.IsPattern,
				"isTrailingSlashOptional": r.IsTrailingSlashOptional, "isProtocolAgnostic": r.IsProtocolAgnostic,
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("redirect %s:\n got %v\nwant %v", r.ID, got, want)
			}
			if creates && r.Created.After(start) && rp.creates[r.ID] == 0 {
				t.Errorf("redirect %s was created after the start, but no create record came", r.ID)
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// TestURLRedirectsSnapshotThenCDC: the snapshot of 40 redirects, read in
// pages of 7, then 50 random creates, updates and deletes, come out
// complete: every redirect's final state, a create for each one created
// after the start, a delete for each one deleted, each delete once. The
// records are typed, name their schemas and the collection url_redirects.
// In each of cmsModes: a redirect has no deletion time, so where an
// archive leaves updated, a delete is told by the ids archived.
func TestURLRedirectsSnapshotThenCDC(t *testing.T) {
	for _, m := range cmsModes() {
		t.Run(m.name, func(t *testing.T) {
			is := is.New(t)
			e, api, ids := redirectEnv(t, 40, m.opts...)
			e.tick()
			src := openSource(t, e, redirectSettings, nil)
			recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationSnapshot: 40})
			start := *positionOf(t, recs[0]).InitialTimestamp

			rec := recs[0]
			col, err := rec.Metadata.GetCollection()
			is.NoErr(err)
			is.Equal(col, hubspot.URLRedirectsResourceName)
			subject, err := rec.Metadata.GetPayloadSchemaSubject()
			is.NoErr(err)
			is.Equal(subject, "url_redirects.payload")
			encodes(t, recs)
			is.Equal(payload(t, rec)["redirectStyle"], float64(301))
			is.Equal(payload(t, rec)["isPattern"], false)

			rng := rand.New(rand.NewPCG(16, 1))
			next := len(ids)
			recs = append(recs, readChanges(t, e, src, func() { changeRedirects(t, e, api, rng, &ids, &next, 10) })...)
			rp := newReplica()
			rp.apply(t, recs)
			checkRedirects(t, rp, e.srv, start, true)
			rp.deletedOnce(t, "redirect")
			t.Logf("%d records: %v, %d repeats", len(recs), countOps(recs), rp.repeats)
		})
	}
}

// TestURLRedirectsRestartAtAckedPositions: 50 random changes during and
// after a snapshot read in pages of 7, the source stopped 10 times at a
// random acked position spread over the run (Conduit acked a prefix of
// what it read) and opened again there: nothing is lost; in each of
// cmsModes.
func TestURLRedirectsRestartAtAckedPositions(t *testing.T) {
	for _, m := range cmsModes() {
		for seed := range uint64(4) {
			t.Run(fmt.Sprint(m.name, "/", seed), func(t *testing.T) {
				e, api, ids := redirectEnv(t, 30, append(m.opts, hubspottest.WithRandomSeed(seed))...)
				e.tick()
				rng := rand.New(rand.NewPCG(seed, 16))
				next := len(ids)
				src := openSource(t, e, redirectSettings, nil)
				acked, start := restartRun(t, e, src, redirectSettings, rng, func() { changeRedirects(t, e, api, rng, &ids, &next, 5) })
				rp := newReplica()
				rp.apply(t, acked)
				// A redirect created before a resume point but first read
				// after it comes as an update (see TestRestartAtRandomAckedPositions).
				checkRedirects(t, rp, e.srv, start, false)
				t.Logf("%d records acked: %v, %d repeats", len(acked), countOps(acked), rp.repeats)
			})
		}
	}
}

// restartRun makes changes and reads, stopping the source 10 times at a
// random acked position and opening it again there, then reads to the end:
// every record acked, and the snapshot's initial timestamp.
func restartRun(t *testing.T, e env, src *source.Source, settings map[string]string, rng *rand.Rand, change func()) ([]opencdc.Record, time.Time) {
	t.Helper()
	var acked []opencdc.Record
	var start time.Time
	for restarts := 0; restarts < 10; {
		e.tick()
		change()
		var got []opencdc.Record
		if got, src = readAndRestart(t, e, src, settings, rng, 4, 10); len(got) == 0 {
			continue
		}
		if start.IsZero() {
			start = *positionOf(t, got[0]).InitialTimestamp
		}
		acked = append(acked, got...)
		restarts++
	}
	e.settle()
	return append(acked, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...), start
}

// TestURLRedirectsSameMillisecond: 25 redirects created in one
// millisecond fill pages of 7 by themselves and all come, with no
// look-back to make up for a page that lost one; and a second version of
// a redirect already emitted, made in the same millisecond, comes when the
// look-back reads that millisecond again.
func TestURLRedirectsSameMillisecond(t *testing.T) {
	is := is.New(t)
	e, api, _ := redirectEnv(t, 0)
	start := e.clock.Now()
	noLookBack := map[string]string{"resource": "url_redirects", "bufferSize": "7", "lookbackWindow": "0s"}
	src := openSource(t, e, noLookBack, nil)
	is.Equal(len(e.readQuiet(t, src, 100*time.Millisecond, time.Minute)), 0)
	e.srv.SameMillisecond(func() {
		for i := range 25 {
			addRedirect(t, e, i)
		}
	})
	e.tick() // a millisecond is read once it is over
	recs := readCount(t, src, 25)
	recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
	is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationCreate: 25})
	is.Equal(len(uniqueIDs(t, recs)), 25)
	is.NoErr(src.Teardown(context.Background()))

	src = openSource(t, e, redirectSettings, recs[len(recs)-1].Position)
	var second []opencdc.Record
	e.srv.SameMillisecond(func() {
		id := addRedirect(t, e, 100)
		e.tick() // the source's clock moves on, HubSpot's stamps stay behind
		second = readCount(t, src, 1)
		dest := "https://example.com/second"
		in, _ := hubspot.CMSObjectOf(map[string]any{"destination": dest})
		_, err := api.Update(context.Background(), id, in)
		is.NoErr(err)
	})
	e.clock.Advance(time.Minute) // past the look-back window
	recs = append(recs, second...)
	recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
	rp := newReplica()
	rp.apply(t, recs)
	checkRedirects(t, rp, e.srv, start, true)
}
