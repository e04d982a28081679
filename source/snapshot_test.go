package source_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// These tests are about the snapshot read from both ends of the id range:
// the list from the lowest id up, search from the highest down, until they
// meet, so that a snapshot of contacts with every property reaches the
// rate docs/performance.md gives.

// idNumber is a record's object id as a number.
func idNumber(t *testing.T, r opencdc.Record) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(recordID(t, r), 10, 64)
	if err != nil {
		t.Fatalf("record id: %v", err)
	}
	return n
}

// TestSnapshotFromBothEnds: every object comes once, read by the list and
// by search, in fewer calls than the list alone; and each record's
// position says exactly what came up to it: every id up to itemId and
// every id from below on.
// TestSnapshotFromBothEnds runs under both search body behaviours: the
// search end's fallback to slim searches keeps the ends' bounds exact.
func TestSnapshotFromBothEnds(t *testing.T) { forEachSearchBody(t, snapshotFromBothEnds) }

func snapshotFromBothEnds(t *testing.T, sb searchBody) {
	is := is.New(t)
	e := sb.env(t)
	ids, err := e.srv.Seed("contacts", 1000, nil)
	is.NoErr(err)
	src := openSource(t, e, map[string]string{"bufferSize": "50"}, nil)
	e.srv.ResetCalls()
	snap := readCount(t, src, len(ids))
	is.Equal(countOps(snap)[opencdc.OperationSnapshot], len(ids))
	is.Equal(len(uniqueIDs(t, snap)), len(ids))
	lists, searches := e.srv.Calls()["GET /crm/objects/2026-09/contacts"], e.srv.Calls()["POST /crm/objects/2026-09/contacts/search"]
	is.True(lists > 0 && searches > 0)
	is.True(lists+searches < len(ids)/50) // the list alone reads 20 pages of 50

	emitted := map[uint64]bool{}
	for i, r := range snap {
		emitted[idNumber(t, r)] = true
		pos := positionOf(t, r)
		is.Equal(pos.Mode, source.ModeSnapshot)
		listed, _ := strconv.ParseUint(pos.ItemID, 10, 64)
		below := uint64(len(ids) + 1)
		if pos.Below != "" {
			below, err = strconv.ParseUint(pos.Below, 10, 64)
			is.NoErr(err)
		}
		for _, id := range ids {
			n, _ := strconv.ParseUint(id, 10, 64)
			if covered := n <= listed || n >= below; covered != emitted[n] {
				t.Fatalf("record %d (%s) at itemId %q, below %q: object %d emitted %v", i, recordID(t, r), pos.ItemID, pos.Below, n, emitted[n])
			}
		}
	}
}

// TestSnapshotFromBothEndsRestarts: stopped at random acked positions and
// opened again there, over and over while objects change, the snapshot
// from both ends and the CDC after it lose nothing.
func TestSnapshotFromBothEndsRestarts(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) {
			is := is.New(t)
			rng := rand.New(rand.NewPCG(seed, 13))
			e := newEnv(t, hubspottest.WithRandomSeed(seed), hubspottest.WithIndexLag(time.Second))
			srv := e.srv
			ids, err := srv.Seed("contacts", 1500, nil)
			is.NoErr(err)
			settings := map[string]string{"bufferSize": "40"}
			src := openSource(t, e, settings, nil)
			// The list's first page comes late: the first restart is at a
			// position of the search's end.
			srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultDelay, Method: "GET", Path: "/crm/objects/2026-09/contacts", Delay: 500 * time.Millisecond, Times: 1})
			var acked []opencdc.Record
			var start time.Time
			belows := 0
			for range 12 {
				e.tick()
				changeContacts(t, srv, rng, &ids, 20, 6)
				var got []opencdc.Record
				got, src = readAndRestart(t, e, src, settings, rng, 3, 120)
				if len(got) > 0 {
					if start.IsZero() {
						start = *positionOf(t, got[0]).InitialTimestamp
					}
					if positionOf(t, got[len(got)-1]).Below != "" {
						belows++
					}
				}
				acked = append(acked, got...)
			}
			e.clock.Advance(40 * time.Second) // past the index lag and the look-back window
			acked = append(acked, e.readQuiet(t, src, 300*time.Millisecond, time.Minute)...)
			is.True(belows > 0) // restarts at positions that held the search's end
			rp := newReplica()
			rp.apply(t, acked)
			rp.checkState(t, srv, "contacts", start, propsOf(t, "contacts"), false)
		})
	}
}

// TestSnapshotSearchShowedStale: changes made just before the start that
// the search index does not show yet (an update, a create, an archive)
// reach the records although the search from the top read those objects
// before the index had them: CDC reads the look-back window before the
// initial timestamp again for the ids search read.
func TestSnapshotSearchShowedStale(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, hubspottest.WithIndexLag(5*time.Second))
	srv := e.srv
	ids, err := srv.Seed("contacts", 600, nil)
	is.NoErr(err)
	e.clock.Advance(time.Minute) // indexed
	for _, id := range ids[590:] {
		is.NoErr(srv.Update("contacts", id, map[string]string{"lastname": "Just before"}))
	}
	fresh, err := srv.Create("contacts", map[string]string{"email": "fresh@example.com"})
	is.NoErr(err)
	is.NoErr(srv.Archive("contacts", ids[580]))
	e.clock.Advance(time.Second) // the start: none of it searchable yet
	start := e.clock.Now()
	src := openSource(t, e, map[string]string{"bufferSize": "50"}, nil)
	recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
	is.True(e.srv.Calls()["POST /crm/objects/2026-09/contacts/search"] > 0)
	e.clock.Advance(40 * time.Second) // searchable now, and the look-back window is over
	recs = append(recs, e.readQuiet(t, src, 300*time.Millisecond, time.Minute)...)
	rp := newReplica()
	rp.apply(t, recs)
	rp.checkState(t, srv, "contacts", start.Add(-10*time.Second), propsOf(t, "contacts"), false)
	is.True(rp.objects[fresh] != nil)
	is.True(rp.deleted[ids[580]])
}

// TestOldSnapshotPositionResumes: a snapshot position of a version that
// read with the list alone (no below) resumes with both ends: the objects
// after its itemId come, once each, and none before it.
func TestOldSnapshotPositionResumes(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	ids, err := e.srv.Seed("contacts", 700, nil)
	is.NoErr(err)
	e.tick()
	init := e.clock.Now().UTC().Format(time.RFC3339Nano)
	pos := opencdc.Position(fmt.Sprintf(`{"mode":"snapshot","itemId":%q,"initialTimestamp":%q}`, ids[299], init))
	src := openSource(t, e, map[string]string{"bufferSize": "50"}, pos)
	recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
	is.Equal(countOps(recs)[opencdc.OperationSnapshot], len(recs))
	want := slices.Clone(ids[300:])
	slices.Sort(want)
	is.Equal(uniqueIDs(t, recs), want)
	is.Equal(len(recs), len(want))
	is.True(e.srv.Calls()["POST /crm/objects/2026-09/contacts/search"] > 0)
}

// TestSnapshotSearchPastTheResultCap: search pages stop at 10,000 results
// (an after past them is a 400), so the search end queries below the
// lowest id it read each time instead of paging: with the list held up,
// it reads more than 10,000 objects alone, and every object comes once.
func TestSnapshotSearchPastTheResultCap(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	const n = 10_300
	_, err := e.srv.Seed("contacts", n, nil)
	is.NoErr(err)
	src := openSource(t, e, map[string]string{"bufferSize": "100"}, nil)
	e.srv.ResetCalls()
	// The list's first page is held until search has paged past the cap,
	// however fast this machine is.
	const searchKey = "POST /crm/objects/2026-09/contacts/search"
	release, stop := make(chan struct{}), make(chan struct{})
	t.Cleanup(func() { close(stop) })
	e.srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultDelay, Method: "GET", Path: "/crm/objects/2026-09/contacts", Until: release, Times: 1})
	go func() {
		defer close(release)
		for e.srv.Calls()[searchKey] <= hubspot.MaxSearchResults/hubspot.MaxSearchLimit {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	recs := readCount(t, src, n)
	is.Equal(len(uniqueIDs(t, recs)), n)
	is.True(e.srv.Calls()["POST /crm/objects/2026-09/contacts/search"] > hubspot.MaxSearchResults/hubspot.MaxSearchLimit)
}
