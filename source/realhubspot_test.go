package source_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// These tests hold the source to what a real HubSpot account does and the
// simulator's defaults leave out (docs/hubspot.md names each behaviour
// and its source).

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

// TestIndexLagWhileBusy: changes arrive at 1.5 times the rate the source
// can read them through search (searches of 10 at the client's pace of 4
// a second) for two minutes, and 2 % of them reach the index only 20 s
// late. With a 30 s look-back window none is lost, although the source
// does not catch up until the changes stop.
func TestIndexLagWhileBusy(t *testing.T) {
	is := is.New(t)
	const (
		simSeed  = 3
		pageSize = 10
		perRead  = 250 * time.Millisecond
		duration = 2 * time.Minute
	)
	t.Logf("simulator seed %d", simSeed)
	e := newEnv(t, hubspottest.WithRandomSeed(simSeed), hubspottest.WithIndexLag(time.Second),
		hubspottest.WithLateIndexing(0.02, 20*time.Second))
	srv, clock := e.srv, e.clock
	// The source reads a page of changes in two searches: one for the
	// changes after its cursor, one for the rest of the page's last
	// millisecond (see reader.changesStep), so it reads a page per two
	// searches. The changes come 1.5 times as fast.
	stream := &hubspottest.CreateStream{Server: srv, Clock: clock, Begin: clock.Now().Add(time.Second),
		Every: 2 * perRead * 2 / (3 * pageSize), Duration: duration}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pacer := &hubspottest.SearchPacer{Clock: clock, Every: perRead, Due: stream.Due,
		StopAt: stream.Begin.Add(duration + 4*time.Minute), Stop: cancel}
	settings := map[string]string{
		"snapshot": "false", "deletes": "false", "bufferSize": strconv.Itoa(pageSize),
		"lookbackWindow": "30s", "pollingPeriod": "1ms",
	}
	src, err := tryOpen(e, settings, nil, hubspot.WithHTTPClient(&http.Client{Transport: pacer}))
	is.NoErr(err)
	defer func() { _ = src.Teardown(context.Background()) }()
	start := clock.Now()

	var recs []opencdc.Record
	caughtUpAt := time.Time{}
	for ctx.Err() == nil {
		got, err := src.ReadN(ctx, 1000)
		if err != nil && ctx.Err() == nil {
			t.Fatalf("read: %v", err)
		}
		recs = append(recs, got...)
		if len(got) > 0 {
			caughtUpAt = clock.Now()
		}
	}
	searches, lookBacks := pacer.Searches()
	t.Logf("%d changes made, %d records, %d searches (%d look-backs); last record at %s of simulated time",
		stream.Made, len(recs), searches, lookBacks, caughtUpAt.Sub(stream.Begin))
	is.True(stream.Made >= 3600)
	rp := newReplica()
	rp.apply(t, recs)
	rp.check(t, srv, "contacts", start, propsOf(t, "contacts"))
}

// TestMergesBecomeDeletes: a merge archives nothing; the survivor lists
// the absorbed ids in hs_merged_object_ids. Each id absorbed after the
// start gets one delete, saying into which object it went; ids absorbed
// before the start get none, and later changes of a survivor repeat none.
func TestMergesBecomeDeletes(t *testing.T) {
	tests := []struct {
		name string
		opts []hubspottest.Option
	}{
		{name: "merges make new objects"},
		{name: "merges keep the primary id", opts: []hubspottest.Option{hubspottest.WithMergeKeepsPrimaryID()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t, append([]hubspottest.Option{hubspottest.WithIndexLag(2 * time.Second)}, tt.opts...)...)
			srv, clock := e.srv, e.clock
			ids := seed(t, srv, "contacts", 40)
			merge := func(primary, merged string) string {
				t.Helper()
				survivor, err := srv.Merge("contacts", primary, merged)
				is.NoErr(err)
				return survivor
			}
			before := merge(ids[0], ids[1]) // before the start: not this source's delete
			clock.Advance(5 * time.Second)
			src := openSource(t, e, nil, nil)
			clock.Advance(5 * time.Second)
			recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			start := *positionOf(t, recs[0]).InitialTimestamp

			// After the start: pairs, a survivor merged again, and a
			// survivor of before the start merged again.
			s1 := merge(ids[2], ids[3])
			clock.Advance(time.Second)
			merge(ids[4], ids[5])
			clock.Advance(time.Second)
			merge(s1, ids[6])
			merge(before, ids[7])
			// A survivor archived before search showed it: the archived
			// list tells of its merge.
			is.NoErr(srv.Archive("contacts", merge(ids[8], ids[9])))
			clock.Advance(5 * time.Second)
			recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
			// Later changes of every survivor.
			for _, o := range srv.Objects("contacts") {
				if o.MergedInto == "" && !o.Archived && o.Properties["hs_merged_object_ids"] != "" {
					is.NoErr(srv.Update("contacts", o.ID, map[string]string{"city": "after"}))
				}
			}
			clock.Advance(5 * time.Second)
			recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)

			rp := newReplica()
			rp.apply(t, recs)
			rp.check(t, srv, "contacts", start, propsOf(t, "contacts"))
			encodes(t, recs) // merges' deletes too, with their own payload schema
			deleted := map[string]bool{}
			for _, r := range recs {
				id := recordID(t, r)
				if r.Operation != opencdc.OperationDelete {
					is.True(!deleted[id]) // nothing after a delete
					continue
				}
				deleted[id] = true
				is.Equal(rp.deletes[id], 1) // once
				into := r.Metadata[record.MetadataMergedInto]
				if o, _ := srv.Object("contacts", id); o.Archived {
					is.Equal(into, "") // archived, not merged
					continue
				}
				survivor, ok := srv.Object("contacts", into)
				is.True(ok)
				is.True(slices.Contains(strings.Split(survivor.Properties["hs_merged_object_ids"], ";"), id))
				o, _ := srv.Object("contacts", id)
				is.True(o.MergedAt.After(start)) // absorbed after the start
			}
			t.Logf("%d deletes for merges", len(deleted))
		})
	}
}
