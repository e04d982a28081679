package source_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/chaos"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

func TestSnapshotThenCDC(t *testing.T) { forEachSearchBody(t, snapshotThenCDC) }

func snapshotThenCDC(t *testing.T, sb searchBody) {
	is := is.New(t)
	e := sb.env(t)
	srv := e.srv
	_, err := srv.Seed("contacts", 1050, nil)
	is.NoErr(err)
	src := openSource(t, e, map[string]string{"bufferSize": "100"}, nil)
	srv.ResetCalls()

	snap := readCount(t, src, 1050)
	is.Equal(countOps(snap)[opencdc.OperationSnapshot], 1050)
	is.Equal(len(uniqueIDs(t, snap)), 1050)
	// Pages of 100 from the bottom and searches of 200 from the top, as
	// fast as allowed: fewer calls than the 11 pages of the list alone,
	// and under a search body limit one more, the search HubSpot refused.
	lists, searches := srv.Calls()["GET /crm/objects/2026-09/contacts"], srv.Calls()["POST /crm/objects/2026-09/contacts/search"]
	is.True(searches > 0)
	is.True(lists*100+searches*200 >= 1050)
	bound := 11
	if sb.limited {
		bound++
	}
	is.True(lists+searches < bound)

	// The first contact, which either end may have read first.
	i := slices.IndexFunc(snap, func(r opencdc.Record) bool { return payload(t, r)["email"] == "person0@example.com" })
	is.True(i >= 0)
	first := snap[i]
	is.Equal(first.Metadata["opencdc.collection"], "contacts")
	p := payload(t, first)
	is.Equal(p["id"], recordID(t, first))
	is.True(p["createdAt"] != nil && p["updatedAt"] != nil && p["lastmodifieddate"] != nil)
	pos := positionOf(t, first)
	is.Equal(pos.Mode, source.ModeSnapshot)
	is.True(pos.ItemID == recordID(t, first) || pos.Below == recordID(t, first)) // the list's end or the search's

	// CDC: a create, an update and a delete after the snapshot.
	e.tick()
	created, err := srv.Create("contacts", map[string]string{"email": "new@example.com"})
	is.NoErr(err)
	is.NoErr(srv.Update("contacts", "7", map[string]string{"firstname": "Seven"}))
	is.NoErr(srv.Archive("contacts", "8"))
	e.settle()
	recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
	ops := map[string]opencdc.Operation{}
	for _, r := range recs {
		ops[recordID(t, r)] = r.Operation
		is.Equal(positionOf(t, r).Mode, source.ModeCDC)
	}
	is.Equal(ops, map[string]opencdc.Operation{created: opencdc.OperationCreate, "7": opencdc.OperationUpdate, "8": opencdc.OperationDelete})
	for _, r := range recs {
		switch recordID(t, r) {
		case "7":
			is.Equal(source.StructuredPayload(t, r, r.Payload.After)["firstname"], "Seven")
		case "8":
			before := source.StructuredPayload(t, r, r.Payload.Before)
			is.Equal(before["email"], "person7@example.com") // the last known values
			is.True(before["archivedAt"] != nil)
		}
	}
}

func TestEveryResource(t *testing.T) {
	for _, res := range hubspot.Resources() {
		if res.IsOwners || res.Kind != hubspot.KindCRMObject {
			continue // owners have their own tests; the source reads no CMS resource yet
		}
		t.Run(res.Name, func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t)
			srv := e.srv
			ids, err := srv.Seed(res.Name, 25, nil)
			is.NoErr(err)
			src := openSource(t, e, map[string]string{"resource": res.Name, "bufferSize": "10"}, nil)
			snap := readCount(t, src, 25)
			start := *positionOf(t, snap[0]).InitialTimestamp
			is.Equal(countOps(snap)[opencdc.OperationSnapshot], 25)
			is.Equal(len(uniqueIDs(t, snap)), 25)

			e.tick()
			_, err = srv.Seed(res.Name, 3, func(i int) map[string]string { return hubspottest.SampleProperties(res.Name, 1000+i) })
			is.NoErr(err)
			is.NoErr(srv.Update(res.Name, ids[1], hubspottest.SampleProperties(res.Name, 99)))
			is.NoErr(srv.Archive(res.Name, ids[2]))
			e.settle()
			recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
			is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationCreate: 3, opencdc.OperationUpdate: 1, opencdc.OperationDelete: 1})

			rp := newReplica()
			rp.apply(t, snap)
			rp.apply(t, recs)
			rp.check(t, srv, res.Name, start, propsOf(t, res.Name))
		})
	}
}

func TestOwners(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	srv := e.srv
	a := srv.AddOwner("a@example.com", "A", "One")
	srv.AddOwner("b@example.com", "B", "Two")
	src := openSource(t, e, map[string]string{"resource": "owners"}, nil)
	snap := readCount(t, src, 2)
	is.Equal(countOps(snap)[opencdc.OperationSnapshot], 2)
	is.Equal(payload(t, snap[0])["email"], "a@example.com")

	e.tick()
	is.NoErr(srv.UpdateOwner(a, "Anna", "One"))
	c := srv.AddOwner("c@example.com", "C", "Three")
	recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
	is.Equal(len(recs), 2)
	got := map[string]opencdc.Operation{}
	for _, r := range recs {
		got[recordID(t, r)] = r.Operation
	}
	is.Equal(got, map[string]opencdc.Operation{a: opencdc.OperationUpdate, c: opencdc.OperationCreate})
}

// TestChangesDuringSnapshot: creates, and updates and deletes at both ends
// of the id range and in the middle, which neither end of the snapshot has
// reached yet, while the snapshot runs: the records hold the final state,
// and an object archived before the snapshot reached it is not
// snapshotted.
func TestChangesDuringSnapshot(t *testing.T) { forEachSearchBody(t, changesDuringSnapshot) }

func changesDuringSnapshot(t *testing.T, sb searchBody) {
	is := is.New(t)
	e := sb.env(t)
	srv := e.srv
	ids, err := srv.Seed("contacts", 1000, nil)
	is.NoErr(err)
	src := openSource(t, e, map[string]string{"bufferSize": "100", "extraProperties": "city"}, nil)
	recs := readCount(t, src, 100)
	start := *positionOf(t, recs[0]).InitialTimestamp
	// The snapshot reads from both ends of the id range: the middle is
	// what it has not read yet.
	read := uniqueIDs(t, recs)
	is.True(!slices.Contains(read, ids[500]) && !slices.Contains(read, ids[501]) && !slices.Contains(read, ids[510]))

	// During the snapshot: changes to objects read and not yet read, new
	// objects, deletes.
	e.tick()
	for _, i := range []int{1, 2, 999, 500, 501} {
		is.NoErr(srv.Update("contacts", ids[i], map[string]string{"city": "During"}))
	}
	_, err = srv.Seed("contacts", 5, func(i int) map[string]string {
		return map[string]string{"email": fmt.Sprintf("during%d@example.com", i)}
	})
	is.NoErr(err)
	is.NoErr(srv.Archive("contacts", ids[3]))
	is.NoErr(srv.Archive("contacts", ids[510]))
	e.settle()

	recs = append(recs, e.readQuiet(t, src, 300*time.Millisecond, time.Minute)...)
	rp := newReplica()
	rp.apply(t, recs)
	rp.check(t, srv, "contacts", start, append(propsOf(t, "contacts"), "city"))
	for _, r := range recs {
		if r.Operation == opencdc.OperationSnapshot && recordID(t, r) == ids[510] {
			t.Fatal("an object archived before the snapshot reached it was snapshotted")
		}
	}
}

func TestManyChangesInOneMillisecond(t *testing.T) { forEachSearchBody(t, manyChangesInOneMillisecond) }

func manyChangesInOneMillisecond(t *testing.T, sb searchBody) {
	is := is.New(t)
	e := sb.env(t)
	srv, clock := e.srv, e.clock
	ids, err := srv.Seed("deals", 300, nil)
	is.NoErr(err)
	clock.Advance(time.Second)
	src := openSource(t, e, map[string]string{"resource": "deals", "snapshot": "false", "bufferSize": "100"}, nil)
	clock.Advance(time.Second)
	srv.SameMillisecond(func() {
		for _, id := range ids[:250] {
			is.NoErr(srv.Update("deals", id, map[string]string{"dealname": "same ms " + id}))
		}
	})
	recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
	is.Equal(countOps(recs)[opencdc.OperationUpdate], 250)
	is.Equal(len(uniqueIDs(t, recs)), 250)
	for _, r := range recs {
		is.Equal(payload(t, r)["dealname"], "same ms "+recordID(t, r))
	}
}

func TestMoreChangesThanSearchPages(t *testing.T) { forEachSearchBody(t, moreChangesThanSearchPages) }

func moreChangesThanSearchPages(t *testing.T, sb searchBody) {
	is := is.New(t)
	const n = 12000
	e := sb.env(t)
	srv, clock := e.srv, e.clock
	ids, err := srv.Seed("companies", n, nil)
	is.NoErr(err)
	clock.Advance(time.Second)
	src := openSource(t, e, map[string]string{"resource": "companies", "snapshot": "false"}, nil)
	clock.Advance(time.Second)
	for i, id := range ids {
		if i%7 == 0 {
			clock.Advance(time.Millisecond)
		}
		is.NoErr(srv.Update("companies", id, map[string]string{"city": "C" + id}))
	}
	recs := e.readQuiet(t, src, 500*time.Millisecond, 3*time.Minute)
	is.Equal(countOps(recs)[opencdc.OperationUpdate], n)
	is.Equal(len(uniqueIDs(t, recs)), n)
}

func TestSearchIndexLag(t *testing.T) { forEachSearchBody(t, searchIndexLag) }

func searchIndexLag(t *testing.T, sb searchBody) {
	is := is.New(t)
	e := sb.env(t, hubspottest.WithIndexLag(10*time.Second))
	srv, clock := e.srv, e.clock
	ids, err := srv.Seed("contacts", 50, nil)
	is.NoErr(err)
	clock.Advance(time.Second)
	src := openSource(t, e, nil, nil) // default look-back: 30 s
	recs := readCount(t, src, 50)
	start := *positionOf(t, recs[0]).InitialTimestamp

	rng := rand.New(rand.NewPCG(4, 2))
	for round := range 40 {
		for range 5 {
			switch id := ids[rng.IntN(len(ids))]; rng.IntN(10) {
			case 0:
				_ = srv.Archive("contacts", id)
			case 1, 2:
				_, err := srv.Create("contacts", map[string]string{"email": fmt.Sprintf("r%d-%d@example.com", round, rng.Int())})
				is.NoErr(err)
			default:
				_ = srv.Update("contacts", id, map[string]string{"firstname": fmt.Sprintf("round %d", round)})
			}
		}
		clock.Advance(700 * time.Millisecond)
		recs = append(recs, e.readQuiet(t, src, 20*time.Millisecond, time.Minute)...)
	}
	// Let the index catch up, then read what is left.
	clock.Advance(15 * time.Second)
	recs = append(recs, e.readQuiet(t, src, 300*time.Millisecond, time.Minute)...)
	rp := newReplica()
	rp.apply(t, recs)
	rp.check(t, srv, "contacts", start, propsOf(t, "contacts"))
	t.Logf("%d records, %d repeats", len(recs), rp.repeats)
	is.Equal(rp.repeats, 0)
}

func TestDeletesOnce(t *testing.T) { forEachSearchBody(t, deletesOnce) }

func deletesOnce(t *testing.T, sb searchBody) {
	is := is.New(t)
	e := sb.env(t)
	srv := e.srv
	ids, err := srv.Seed("tickets", 20, nil)
	is.NoErr(err)
	is.NoErr(srv.Archive("tickets", ids[0])) // well before the start: not a delete of this source
	e.settle()
	src := openSource(t, e, map[string]string{"resource": "tickets"}, nil)
	readCount(t, src, 19)
	e.tick()
	for _, id := range ids[5:10] {
		is.NoErr(srv.Archive("tickets", id))
	}
	e.settle()
	var recs []opencdc.Record
	for range 5 { // several polls and scans of the archived list
		recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
	}
	is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationDelete: 5})
	want := slices.Clone(ids[5:10])
	slices.Sort(want)
	is.Equal(uniqueIDs(t, recs), want)
}

// TestDeleteInTheStartMillisecond: the source reads an object in the
// millisecond it started in (or, snapshot off, knows the destination has
// it), and HubSpot archives the object later in that same millisecond. Its
// delete comes, though its archive falls in the millisecond the source
// started in.
func TestDeleteInTheStartMillisecond(t *testing.T) { forEachSearchBody(t, deleteInTheStartMillisecond) }

func deleteInTheStartMillisecond(t *testing.T, sb searchBody) {
	for _, snapshot := range []string{"true", "false"} {
		t.Run("snapshot="+snapshot, func(t *testing.T) {
			is := is.New(t)
			e := sb.env(t)
			ids, err := e.srv.Seed("contacts", 5, nil)
			is.NoErr(err)
			e.tick()
			// Opened without a tick: the first page is read in the
			// initial timestamp's millisecond.
			src, err := tryOpen(e, map[string]string{"snapshot": snapshot}, nil)
			is.NoErr(err)
			t.Cleanup(func() { _ = src.Teardown(context.Background()) })
			if snapshot == "true" {
				readCount(t, src, len(ids))
			}
			is.NoErr(e.srv.Archive("contacts", ids[2])) // the clock has not moved
			e.settle()
			recs := readCount(t, src, 1)
			recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
			is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationDelete: 1})
			is.Equal(recordID(t, recs[0]), ids[2])
		})
	}
}

// TestRestartAtRandomAckedPositions runs with the chaos tests' seeds
// (internal/testkit/chaos).
func TestRestartAtRandomAckedPositions(t *testing.T) {
	forEachChaosSearchBody(t, func(t *testing.T, sb searchBody) {
		chaos.Run(t, 20, func(t *testing.T, c chaos.Case) { restartAtRandomAckedPositions(t, c, sb) })
	})
}

func restartAtRandomAckedPositions(t *testing.T, c chaos.Case, sb searchBody) {
	is := is.New(t)
	rng := rand.New(rand.NewPCG(c.Seed, 7))
	e := sb.env(t, hubspottest.WithRandomSeed(c.Seed))
	srv := e.srv
	ids, err := srv.Seed("contacts", 200, nil)
	is.NoErr(err)
	settings := map[string]string{"bufferSize": "30"}
	src := openSource(t, e, settings, nil)

	var acked []opencdc.Record
	var start time.Time
	for range c.Runs {
		e.tick()
		// Some changes, some reading.
		changeContacts(t, srv, rng, &ids, 30, 8)
		var got []opencdc.Record
		got, src = readAndRestart(t, e, src, settings, rng, 5, 60)
		if start.IsZero() && len(got) > 0 {
			start = *positionOf(t, got[0]).InitialTimestamp
		}
		acked = append(acked, got...)
	}
	e.settle()
	final := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
	acked = append(acked, final...)
	rp := newReplica()
	rp.apply(t, acked)
	// Creates are not checked as creates: an object created before the
	// position a restart resumes at, but first read after it, cannot be told
	// from one emitted before the position, so it comes as an update.
	rp.checkState(t, srv, "contacts", start, propsOf(t, "contacts"), false)
	t.Logf("%d records acked, %d of them repeats", len(acked), rp.repeats)
}

func TestPositionsOfTheEarlierConnector(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	srv, clock := e.srv, e.clock
	_, err := srv.Seed("contacts", 1050, nil)
	is.NoErr(err)
	clock.Advance(time.Minute)
	init := t0.Add(time.Second).Format(time.RFC3339Nano)

	// A snapshot interrupted after object 500, with itemId as a number.
	src := openSource(t, e, nil, opencdc.Position(`{"mode":"snapshot","itemId":500,"initialTimestamp":"`+init+`"}`))
	recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
	is.Equal(countOps(recs)[opencdc.OperationSnapshot], 550)
	is.Equal(len(uniqueIDs(t, recs)), 550)
	lowest := slices.MinFunc(recs, func(a, b opencdc.Record) int { return cmp.Compare(idNumber(t, a), idNumber(t, b)) })
	is.Equal(recordID(t, lowest), "501") // the rest of the snapshot, from either end

	// A CDC position: the changes after its timestamp come.
	is.NoErr(srv.Update("contacts", "42", map[string]string{"city": "Later"}))
	src = openSource(t, e, nil, opencdc.Position(`{"mode":"cdc","timestamp":"`+init+`"}`))
	recs = e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
	is.Equal(len(recs), 1)
	is.Equal(recordID(t, recs[0]), "42")
	is.Equal(recs[0].Operation, opencdc.OperationUpdate)
}

func TestWrongToken(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	_, err := tryOpen(e, map[string]string{"accessToken": "pat-na1-not-the-token"}, nil)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "refused the access token"))
	is.True(strings.Contains(err.Error(), "401"))
	is.True(!strings.Contains(err.Error(), "pat-na1-not-the-token"))
}

func TestFailingHubSpotEndsRead(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	srv := e.srv
	_, err := srv.Seed("contacts", 5, nil)
	is.NoErr(err)
	src := openSource(t, e, map[string]string{"maxRetries": "2"}, nil)
	srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 503, Times: 1000})
	srv.ResetCalls()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = src.ReadN(ctx, 10)
	is.True(err != nil)
	is.True(ctx.Err() == nil) // an error, not a stall until the deadline
	is.Equal(hubspot.StatusCode(err), 503)
	// Each end of the snapshot: the first try and maxRetries retries; the
	// other end may not have used all of them yet.
	is.True(srv.TotalCalls() >= 3 && srv.TotalCalls() <= 6)
}

func TestParsePosition(t *testing.T) {
	tests := []struct {
		raw     string
		wantErr string
		mode    source.Mode
		itemID  string
	}{
		{raw: ``},
		{raw: `{"mode":"snapshot","itemId":500,"initialTimestamp":"2024-01-02T03:04:05Z"}`, mode: source.ModeSnapshot, itemID: "500"},
		{raw: `{"mode":"snapshot","itemId":"501","initialTimestamp":"2024-01-02T03:04:05Z"}`, mode: source.ModeSnapshot, itemID: "501"},
		{raw: `{"mode":"cdc","timestamp":"2024-01-02T03:04:05.123Z"}`, mode: source.ModeCDC},
		{raw: `{"mode":"cdc","itemId":"7","initialTimestamp":"2024-01-02T03:04:05Z","timestamp":"2024-01-02T03:04:05Z","deletes":{"until":"2024-01-02T03:04:05Z"}}`, mode: source.ModeCDC, itemID: "7"},
		{raw: `{"mode":"snapshot","itemId":"40","below":"900","initialTimestamp":"2024-01-02T03:04:05Z"}`, mode: source.ModeSnapshot, itemID: "40"},
		{raw: `{"mode":"cdc","itemId":"7","below":"900","initialTimestamp":"2024-01-02T03:04:05Z"}`, mode: source.ModeCDC, itemID: "7"},
		{raw: `{"mode":"cdc","itemId":"7","timestamp":"2024-01-02T03:04:05Z","deleted":[{"id":"12","at":"2024-01-02T03:04:04Z"}]}`, mode: source.ModeCDC, itemID: "7"},
		{raw: `{"mode":"snapshot","below":"top","initialTimestamp":"2024-01-02T03:04:05Z"}`, wantErr: "below"},
		{raw: `{"mode":"cdc","timestamp":"2024-01-02T03:04:05Z","deleted":[{"id":"twelve","at":"2024-01-02T03:04:04Z"}]}`, wantErr: "deleted"},
		{raw: `not json`, wantErr: "not valid JSON"},
		{raw: `{"mode":"stream"}`, wantErr: `mode "stream"`},
		{raw: `{"mode":"snapshot"}`, wantErr: "initialTimestamp"},
		{raw: `{"mode":"cdc"}`, wantErr: "timestamp"},
		{raw: `{"mode":"snapshot","itemId":"abc","initialTimestamp":"2024-01-02T03:04:05Z"}`, wantErr: "itemId"},
		{raw: `{"mode":"snapshot","itemId":-1,"initialTimestamp":"2024-01-02T03:04:05Z"}`, wantErr: "itemId"},
		{raw: `{"mode":"cdc","timestamp":"yesterday"}`, wantErr: "not valid JSON"},
		{raw: `{"mode":"cdc","timestamp":"2024-01-02T03:04:05Z","deletes":{"until":"2024-01-02T03:04:05Z","itemId":"4"}}`, wantErr: "bound"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			is := is.New(t)
			p, err := source.ParsePosition(opencdc.Position(tt.raw))
			if tt.wantErr != "" {
				is.True(err != nil)
				is.True(strings.Contains(err.Error(), tt.wantErr))
				return
			}
			is.NoErr(err)
			if tt.raw == "" {
				is.True(p == nil)
				return
			}
			is.Equal(p.Mode, tt.mode)
			is.Equal(p.ItemID, tt.itemID)
		})
	}
}

// TestTwoVersionsInOneMillisecond: search shows an object's first version,
// then HubSpot changes it again within the same millisecond; the second
// version comes too, at the latest when the look-back reads that
// millisecond again, although its last-modified time is the same.
func TestTwoVersionsInOneMillisecond(t *testing.T) { forEachSearchBody(t, twoVersionsInOneMillisecond) }

func twoVersionsInOneMillisecond(t *testing.T, sb searchBody) {
	is := is.New(t)
	e := sb.env(t)
	src := openSource(t, e, map[string]string{"snapshot": "false"}, nil)
	id, err := e.srv.Create("contacts", map[string]string{"email": "v@example.com", "firstname": "First"})
	is.NoErr(err)
	recs := readCount(t, src, 1)
	is.Equal(recs[0].Operation, opencdc.OperationCreate)
	is.NoErr(e.srv.Update("contacts", id, map[string]string{"firstname": "Second"})) // the clock has not moved
	e.clock.Advance(time.Minute)                                                     // past the look-back window
	recs = readCount(t, src, 1)
	recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
	is.Equal(len(recs), 1)
	is.Equal(recs[0].Operation, opencdc.OperationUpdate)
	is.Equal(payload(t, recs[0])["firstname"], "Second")
}
