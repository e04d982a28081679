package source_test

import (
	"context"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// TestRestartRemembersDeletes: a contact is updated, then archived, while
// search lags; the source emits its delete and restarts from the delete's
// position before search shows the update. Search then shows the update,
// stale since the archive is not indexed yet: the restarted source drops
// it, as the run that emitted the delete would, instead of emitting an
// update after the delete that brings the contact back downstream.
func TestRestartRemembersDeletes(t *testing.T) { forEachSearchBody(t, restartRemembersDeletes) }

func restartRemembersDeletes(t *testing.T, sb searchBody) {
	const lag = 20 * time.Second
	tests := []struct {
		name     string
		settings map[string]string
	}{
		{name: "snapshot from both ends"},
		{name: "snapshot by the list alone", settings: map[string]string{"snapshotSearch": "false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			e := sb.env(t, hubspottest.WithIndexLag(lag))
			id, err := e.srv.Create("contacts", map[string]string{"firstname": "Ada"})
			is.NoErr(err)
			e.clock.Advance(lag) // searchable
			src := openSource(t, e, tt.settings, nil)
			is.Equal(len(readCount(t, src, 1)), 1) // the snapshot
			e.settle()
			is.Equal(len(e.readQuiet(t, src, 200*time.Millisecond, 10*time.Second)), 0)

			is.NoErr(e.srv.Update("contacts", id, map[string]string{"firstname": "Grace"}))
			updated := e.clock.Now()
			e.clock.Advance(5 * time.Second)
			is.NoErr(e.srv.Archive("contacts", id))
			e.settle() // past the deletes scan's clock-skew allowance
			recs := e.readUntil(t, src, 10*time.Second, func(rs []opencdc.Record) bool { return len(rs) > 0 })
			is.Equal(len(recs), 1)
			is.Equal(recs[0].Operation, opencdc.OperationDelete) // search has shown nothing new yet
			is.True(e.clock.Now().Before(updated.Add(lag)))
			is.NoErr(src.Teardown(context.Background()))

			again := openSource(t, e, tt.settings, recs[0].Position)
			e.clock.Set(updated.Add(lag)) // search shows the update, not yet the archive
			after := e.readQuiet(t, again, 200*time.Millisecond, 10*time.Second)
			is.True(e.clock.Now().Before(updated.Add(lag + 5*time.Second))) // read while the update was stale
			for _, r := range after {
				t.Errorf("after the delete: %s of %s", r.Operation, recordID(t, r))
			}
		})
	}
}

// TestRememberedDeletesBounded: a burst of deletes leaves the newest 100
// in the position, which every record carries, not all of them.
func TestRememberedDeletesBounded(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	ids := seed(t, e.srv, "contacts", 150)
	src := openSource(t, e, nil, nil)
	is.Equal(len(readCount(t, src, len(ids))), len(ids))
	archivedAt := map[string]time.Time{}
	for _, id := range ids {
		e.clock.Advance(time.Millisecond)
		is.NoErr(e.srv.Archive("contacts", id))
		archivedAt[id] = e.clock.Now()
	}
	e.settle()
	recs := e.readUntil(t, src, 10*time.Second, func(rs []opencdc.Record) bool { return len(rs) >= len(ids) })
	is.Equal(len(recs), len(ids))
	pos := positionOf(t, recs[len(recs)-1])
	is.Equal(len(pos.Deleted), 100)
	newest := map[string]bool{}
	for _, id := range ids[50:] {
		newest[id] = true
	}
	for _, d := range pos.Deleted {
		is.Equal(d.At, archivedAt[d.ID].UTC())
		is.True(newest[d.ID]) // archived last: the 100 newest deletes
	}
}
