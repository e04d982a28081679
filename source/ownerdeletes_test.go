package source_test

import (
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// ownerBehaviours are HubSpot's possible answers to a deactivation: the
// owner moves to the archived list with its updatedAt as it was (no
// document says it moves; the simulator's default), or moved.
var ownerBehaviours = []struct {
	name string
	opts []hubspottest.Option
}{
	{"updatedAt kept", nil},
	{"updatedAt moved", []hubspottest.Option{hubspottest.WithOwnerArchiveMovingUpdatedAt()}},
}

// ownerOps are the records' operations by key, failing on a key twice or
// a record of another collection.
func ownerOps(t *testing.T, recs []opencdc.Record) map[string]opencdc.Operation {
	t.Helper()
	ops := map[string]opencdc.Operation{}
	for _, r := range recs {
		id := recordID(t, r)
		if _, twice := ops[id]; twice {
			t.Fatalf("owner %s has two records: %v", id, recs)
		}
		if c := r.Metadata["opencdc.collection"]; c != "owners" {
			t.Fatalf("owner %s's record is of collection %q", id, c)
		}
		ops[id] = r.Operation
	}
	return ops
}

// ownerEnv is a simulator with an owner archived before the source starts
// and a live owner for each of names; it returns their ids.
func ownerEnv(t *testing.T, opts []hubspottest.Option, names ...string) (e env, gone string, live []string) {
	t.Helper()
	e = newEnv(t, opts...)
	gone = e.srv.AddOwner("gone@example.com", "Gone", "Before")
	if err := e.srv.ArchiveOwner(gone); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		live = append(live, e.srv.AddOwner(n+"@example.com", n, "Owner"))
	}
	return e, gone, live
}

// afterOwnerChange makes change a moment on, lets the deletes scan come
// due, and returns the records until the source is caught up, by key.
func afterOwnerChange(t *testing.T, e env, src *source.Source, change func() error) map[string]opencdc.Operation {
	t.Helper()
	e.tick()
	if err := change(); err != nil {
		t.Fatal(err)
	}
	e.settle()
	return ownerOps(t, e.readQuiet(t, src, 300*time.Millisecond, time.Minute))
}

// TestOwnerDeactivatedAfterSnapshot: an owner deactivated after the
// snapshot, one deactivated during CDC after an update of its own and one
// deactivated while the source is stopped each become one delete, which
// a restart does not repeat; an owner archived before the start never
// had a record and gets no delete.
func TestOwnerDeactivatedAfterSnapshot(t *testing.T) {
	for _, b := range ownerBehaviours {
		t.Run(b.name, func(t *testing.T) {
			is := is.New(t)
			e, _, ids := ownerEnv(t, b.opts, "a", "b", "c", "d")
			srv, a, bb, c := e.srv, ids[0], ids[1], ids[2]
			settings := map[string]string{"resource": "owners"}
			src := openSource(t, e, settings, nil)
			snap := readCount(t, src, 4)
			is.Equal(countOps(snap)[opencdc.OperationSnapshot], 4)

			// After the snapshot.
			e.tick()
			is.NoErr(srv.ArchiveOwner(a))
			e.settle()
			recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
			is.Equal(ownerOps(t, recs), map[string]opencdc.Operation{a: opencdc.OperationDelete})
			before := source.StructuredPayload(t, recs[0], recs[0].Payload.Before)
			is.Equal(before["email"], "a@example.com")

			// During CDC: an update, then the owner leaves.
			is.Equal(afterOwnerChange(t, e, src, func() error { return srv.UpdateOwner(bb, "Bea", "Two") }),
				map[string]opencdc.Operation{bb: opencdc.OperationUpdate})
			e.tick()
			is.NoErr(srv.ArchiveOwner(bb))
			e.settle()
			recs = e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
			is.Equal(ownerOps(t, recs), map[string]opencdc.Operation{bb: opencdc.OperationDelete})
			last := recs[len(recs)-1].Position
			is.NoErr(src.Teardown(t.Context()))

			// A restart repeats neither delete.
			src = openSource(t, e, settings, last)
			e.settle()
			is.Equal(len(e.readQuiet(t, src, 300*time.Millisecond, time.Minute)), 0)
			is.NoErr(src.Teardown(t.Context()))

			// Deactivated while the source is stopped.
			e.tick()
			is.NoErr(srv.ArchiveOwner(c))
			src = openSource(t, e, settings, last)
			is.Equal(afterOwnerChange(t, e, src, func() error { return nil }),
				map[string]opencdc.Operation{c: opencdc.OperationDelete})
		})
	}
}

// TestOwnerDeactivatedDuringCDC: without a snapshot, an owner created and
// deactivated during CDC is a create, then one delete; the delete's
// position resumes without repeating it.
func TestOwnerDeactivatedDuringCDC(t *testing.T) {
	for _, b := range ownerBehaviours {
		t.Run(b.name, func(t *testing.T) {
			is := is.New(t)
			e, _, _ := ownerEnv(t, b.opts, "a")
			srv := e.srv
			settings := map[string]string{"resource": "owners", "snapshot": "false"}
			e.tick() // CDC reads the changes of the start's millisecond
			src := openSource(t, e, settings, nil)
			is.Equal(len(e.readQuiet(t, src, 300*time.Millisecond, time.Minute)), 0)

			var n string
			is.Equal(afterOwnerChange(t, e, src, func() error { n = srv.AddOwner("n@example.com", "N", "New"); return nil }),
				map[string]opencdc.Operation{n: opencdc.OperationCreate})
			e.tick()
			is.NoErr(srv.ArchiveOwner(n))
			e.settle()
			recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
			is.Equal(ownerOps(t, recs), map[string]opencdc.Operation{n: opencdc.OperationDelete})
			is.NoErr(src.Teardown(t.Context()))

			src = openSource(t, e, settings, recs[0].Position)
			e.settle()
			is.Equal(len(e.readQuiet(t, src, 300*time.Millisecond, time.Minute)), 0)
		})
	}
}

// TestOwnerReactivated: an owner back from the archived list is a create
// (its last record deleted it), whether or not HubSpot moved its
// updatedAt, and so is one that was archived before the source started;
// deactivated again, it is deleted again. A restart repeats none of it.
func TestOwnerReactivated(t *testing.T) {
	for _, b := range ownerBehaviours {
		t.Run(b.name, func(t *testing.T) {
			is := is.New(t)
			e, old, ids := ownerEnv(t, b.opts, "a")
			srv, a := e.srv, ids[0]
			settings := map[string]string{"resource": "owners"}
			src := openSource(t, e, settings, nil)
			is.Equal(len(readCount(t, src, 1)), 1)

			is.Equal(afterOwnerChange(t, e, src, func() error { return srv.ArchiveOwner(a) }),
				map[string]opencdc.Operation{a: opencdc.OperationDelete})
			e.tick()
			is.NoErr(srv.RestoreOwner(a))
			is.NoErr(srv.RestoreOwner(old))
			e.settle()
			recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
			is.Equal(ownerOps(t, recs), map[string]opencdc.Operation{a: opencdc.OperationCreate, old: opencdc.OperationCreate})
			is.NoErr(src.Teardown(t.Context()))

			src = openSource(t, e, settings, recs[len(recs)-1].Position)
			e.settle()
			is.Equal(len(e.readQuiet(t, src, 300*time.Millisecond, time.Minute)), 0)
			is.Equal(afterOwnerChange(t, e, src, func() error { return srv.ArchiveOwner(a) }),
				map[string]opencdc.Operation{a: opencdc.OperationDelete})
		})
	}
}

// TestOwnerPositionBeforeArchivedIDs: a position that names no archived
// owners (written before the source deleted owners) opens, and its first
// pass deletes every archived owner once, since the destination may have
// had any of them.
func TestOwnerPositionBeforeArchivedIDs(t *testing.T) {
	is := is.New(t)
	e, gone, _ := ownerEnv(t, nil, "b")
	init := t0.Add(-time.Hour).Format(time.RFC3339Nano)
	for _, old := range []string{
		`{"mode":"cdc","initialTimestamp":"` + init + `","timestamp":"` + init + `","itemId":"101"}`,
		`{"resource":"owners","mode":"cdc","initialTimestamp":"` + init + `","deletes":{"until":"` + init + `"}}`,
	} {
		src := openSource(t, e, map[string]string{"resource": "owners"}, opencdc.Position(old))
		e.settle()
		recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
		is.Equal(ownerOps(t, recs)[gone], opencdc.OperationDelete)
		is.NoErr(src.Teardown(t.Context()))
		src = openSource(t, e, map[string]string{"resource": "owners"}, recs[len(recs)-1].Position)
		e.settle()
		is.Equal(len(e.readQuiet(t, src, 300*time.Millisecond, time.Minute)), 0)
		is.NoErr(src.Teardown(t.Context()))
		p, err := source.ParsePosition(recs[len(recs)-1].Position)
		is.NoErr(err)
		is.True(p.Deletes != nil && p.Deletes.Archived != nil)
	}
}
