package source_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// These tests hold the source to what a real HubSpot account does and the
// simulator's defaults leave out (issue 11).

// TestShortSearchPages: HubSpot's search returns pages shorter than the
// limit while paging.next offers more. A burst of 3,200 changes read
// through 20 % short pages reaches every contact's final version.
func TestShortSearchPages(t *testing.T) {
	is := is.New(t)
	const simSeed = 7
	t.Logf("simulator seed %d", simSeed)
	e := newEnv(t, hubspottest.WithShortPages(0.2), hubspottest.WithRandomSeed(simSeed))
	srv, clock := e.srv, e.clock
	ids := seed(t, srv, "contacts", 1600)
	clock.Advance(time.Second)
	src := openSource(t, e, map[string]string{"snapshot": "false", "bufferSize": "100"}, nil)
	start := clock.Now().Add(-time.Second) // openSource moved time on by a second
	for i, id := range ids {
		if i%3 == 0 {
			clock.Advance(time.Millisecond) // some changes share a millisecond
		}
		is.NoErr(srv.Update("contacts", id, map[string]string{"firstname": "burst " + id}))
		_, err := srv.Create("contacts", map[string]string{"email": fmt.Sprintf("burst%d@example.com", i)})
		is.NoErr(err)
	}
	recs := e.readQuiet(t, src, 300*time.Millisecond, 2*time.Minute)
	rp := newReplica()
	rp.apply(t, recs)
	rp.check(t, srv, "contacts", start, propsOf(t, "contacts"))
	is.Equal(len(uniqueIDs(t, recs)), 3200)
}

// TestNoUpdateAfterDelete: search's index lags archives as it lags writes.
// 100 contacts are changed and archived a second later; the scan of
// archived objects emits their deletes before search shows the changes,
// and search then shows them for a moment. No update may follow a delete.
func TestNoUpdateAfterDelete(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, hubspottest.WithIndexLag(5*time.Second))
	srv, clock := e.srv, e.clock
	ids := seed(t, srv, "contacts", 150)
	clock.Advance(10 * time.Second)
	src := openSource(t, e, nil, nil)
	recs := readCount(t, src, 150)
	start := *positionOf(t, recs[0]).InitialTimestamp

	changed := clock.Now()
	for _, id := range ids[:100] {
		is.NoErr(srv.Update("contacts", id, map[string]string{"firstname": "last words"}))
	}
	clock.Set(changed.Add(time.Second))
	for _, id := range ids[:100] {
		is.NoErr(srv.Archive("contacts", id))
	}
	// The deletes come first: search does not show the changes yet.
	clock.Set(changed.Add(3500 * time.Millisecond))
	recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
	// Search shows the changes, and the archived objects still.
	clock.Set(changed.Add(5200 * time.Millisecond))
	recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
	// Search has caught up.
	clock.Set(changed.Add(10 * time.Second))
	recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)

	deleted := map[string]bool{}
	after := 0
	for _, r := range recs {
		id := recordID(t, r)
		if r.Operation == opencdc.OperationDelete {
			deleted[id] = true
			continue
		}
		if deleted[id] {
			after++
			t.Errorf("%s record of contact %s after its delete", r.Operation, id)
		}
	}
	t.Logf("%d deletes, %d records after a delete", len(deleted), after)
	is.Equal(len(deleted), 100)
	rp := newReplica()
	rp.apply(t, recs)
	rp.check(t, srv, "contacts", start, propsOf(t, "contacts"))
}
