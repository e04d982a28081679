package source

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// deletesClockSkew is how far the scan of archived objects stays behind the
// source's clock, so that an object HubSpot archived a moment "before" the
// scan by its own clock is not passed over.
const deletesClockSkew = 2 * time.Second

// deleteScan emits the deletes of archived objects. HubSpot cannot filter
// the archived list by archive time, so each pass reads it whole, on its
// own schedule; the position holds how far the passes came.
//
// The schedule follows the pass's cost. A pass's first page stands in for
// a poll of the change scan (the reader gives it a caught-up poll's turn),
// so a pass that fits one page costs no more than a poll; each further
// page is paced at perPage, the scan's share of the rate budget, and the
// next pass starts when the last one's extra pages have been paid for, or
// after every, whichever is later. A small archive thus gives its deletes
// within about a polling period or two, and a large one is read as often
// as its share allows.
type deleteScan struct {
	hub     *hub
	history *history
	every   time.Duration // the least time from one pass's start to the next's
	perPage time.Duration // one page's worth of the scan's share of the budget
	next    time.Time     // when the next pass is due
	pass    *deletePass   // the pass in progress, nil between passes
}

// deletePass reads the whole archived list and emits the objects archived
// after the last pass's bound and up to its own, in (archivedAt, id) order.
type deletePass struct {
	bound time.Time
	// untimed: the archived objects carry no deletion time (URL
	// redirects). ids are the archived ones read, and known those the last
	// pass's end read (nil: no pass has ended), so that an id not among
	// them is a new delete.
	untimed bool
	ids     []uint64
	known   *idSet
	after   string
	found   []item
	emitted *keyset // resuming: what the interrupted pass emitted
	// started is when the pass read its first page (in this run) and
	// requests how many pages it has read since: the pages' pace.
	started  time.Time
	requests int
	// Owners only: baseline says that the pass takes the archived owners
	// as done with, emitting nothing, and readAt is when (the history's
	// read count) it read each owner it found.
	baseline bool
	readAt   map[uint64]uint64
}

// firstDeletes is where the scan of archived objects starts: a clock-skew
// allowance before the initial timestamp. The snapshot may read an object
// in the initial timestamp's millisecond, or while HubSpot's clock still
// shows an earlier one, and HubSpot may archive it after that read; its
// delete must still come. A delete of an object archived just before the
// start, which the destination never had, is harmless.
func firstDeletes(init time.Time) *DeletesPosition {
	return &DeletesPosition{Until: init.Add(-deletesClockSkew)}
}

// resumeDeletePass continues the pass that d was in, if any.
func resumeDeletePass(d *DeletesPosition) (*deletePass, error) {
	if d.Bound == nil {
		return nil, nil //nolint:nilnil // no pass in progress is a valid answer
	}
	pass := &deletePass{bound: *d.Bound}
	if d.ArchivedAt != nil {
		id, err := parseID(d.ItemID)
		if err != nil {
			return nil, fmt.Errorf("deletes: %w", err)
		}
		pass.emitted = &keyset{ts: d.ArchivedAt.UTC(), id: id}
	}
	return pass, nil
}

// untimed readies a pass of a resource whose archived objects carry no
// deletion time: it tells a new delete by the ids the last pass read.
func (d *deleteScan) untimed(pass *deletePass) error {
	spec := d.hub.resource.CMS
	if spec == nil || spec.DeletedField != "" {
		return nil
	}
	pass.untimed, pass.ids, pass.known = true, nil, nil
	if a := d.history.pos.Deletes.Archived; a != nil {
		known, err := parseIDSet(a)
		if err != nil {
			return fmt.Errorf("deletes: %w", err)
		}
		pass.known = known
	}
	return nil
}

// due says whether the scan has a page to read now.
func (d *deleteScan) due() bool {
	now := d.hub.now()
	if d.pass == nil {
		return !now.Before(d.next)
	}
	return d.pass.started.IsZero() || !now.Before(d.pass.started.Add(d.owed(d.pass.requests)))
}

// owed is the share of the budget that a pass of n pages takes: the first
// page is a poll's.
func (d *deleteScan) owed(n int) time.Duration {
	return time.Duration(max(n-1, 0)) * d.perPage
}

// step reads one page of the archived list; the pass's last page emits
// what the pass found.
func (d *deleteScan) step(ctx context.Context) ([]opencdc.Record, error) {
	h := d.history
	if d.pass == nil {
		// Owners have no archive time to bound, but a pass still
		// starts no sooner than the scan's schedule allows.
		bound := d.hub.now().UTC().Add(-deletesClockSkew).Truncate(time.Millisecond)
		if !bound.After(h.pos.Deletes.Until) {
			d.next = d.hub.now().Add(d.every)
			return nil, nil
		}
		d.pass = &deletePass{bound: bound}
	}
	pass := d.pass
	if pass.started.IsZero() {
		pass.started = d.hub.now() // a resumed pass is paced from here
	}
	pass.requests++ // a failed request costs too
	until := h.pos.Deletes.Until
	if pass.after == "" {
		if err := d.untimed(pass); err != nil {
			return nil, err
		}
	}
	items, next, err := d.hub.listArchived(ctx, pass.after)
	if err != nil {
		return nil, fmt.Errorf("read deletes: %w", err)
	}
	if d.hub.resource.IsOwners {
		pass.foundOwners(items, h.noteRead())
	} else {
		pass.foundObjects(h, items, until)
	}
	if pass.after = next; next != "" {
		return nil, nil
	}

	var recs []opencdc.Record
	if d.hub.resource.IsOwners {
		recs, err = d.ownerDeletes(ctx, pass)
	} else {
		recs, err = d.objectDeletes(ctx, pass, until)
	}
	if err != nil {
		return nil, err
	}
	d.pass = nil
	d.next = pass.started.Add(max(d.every, d.owed(pass.requests)))
	now := d.hub.now()
	// An idle source scans every other poll: a one-page pass that found
	// nothing is told at debug level, not every few seconds at info.
	line := sdk.Logger(ctx).Debug()
	if pass.requests > 1 || len(recs) > 0 {
		line = sdk.Logger(ctx).Info()
	}
	line.Str("resource", d.hub.resource.Name).
		Int("requests", pass.requests).
		Dur("took", now.Sub(pass.started)).
		Int("deletes", len(recs)).
		Dur("nextIn", d.next.Sub(now)).
		Msg("hubspot deletes scan done")
	return recs, nil
}

// foundObjects keeps the objects of a page archived after until, up to
// the pass's bound, that the pass has not emitted and the destination had.
func (p *deletePass) foundObjects(h *history, items []item, until time.Time) {
	for _, it := range items {
		if p.untimed {
			if p.known != nil || !it.archivedAt.After(p.bound) {
				// Not one the next pass must tell as new: archived after
				// this pass's bound, by an updated time that moved.
				p.ids = append(p.ids, it.key.id)
			}
			if p.known != nil {
				if p.known.done(it.key.id) {
					continue // archived at the last pass already
				}
				// Archived since the last pass: its updated time need
				// not have moved, so it was deleted by this pass's bound.
				it.archivedAt = timePtr(p.bound)
			}
		}
		if it.archivedAt == nil {
			continue
		}
		at := it.archivedAt.UTC()
		k := keyset{ts: at, id: it.key.id}
		if !at.After(until) || at.After(p.bound) || (p.emitted != nil && !p.emitted.less(k)) || h.neverHad(it) {
			continue
		}
		p.found = append(p.found, it)
	}
}

// objectDeletes are the deletes of the objects that the pass found
// archived after until, in (archivedAt, id) order.
func (d *deleteScan) objectDeletes(ctx context.Context, pass *deletePass, until time.Time) ([]opencdc.Record, error) {
	h := d.history
	slices.SortFunc(pass.found, func(a, b item) int {
		return compareKeys(keyset{ts: *a.archivedAt, id: a.key.id}, keyset{ts: *b.archivedAt, id: b.key.id})
	})
	recs := make([]opencdc.Record, 0, len(pass.found))
	done := &DeletesPosition{Until: pass.bound}
	var known *ArchivedIDs
	if pass.untimed {
		read := &idSet{}
		floorMoved := false
		for _, id := range pass.ids {
			floorMoved = read.add(id) || floorMoved
		}
		if floorMoved {
			warnFloor(ctx, d.hub.resource.Name, read.floor)
		}
		done.Archived = read.position()
		known = h.pos.Deletes.Archived
	}
	var err error
	for i, it := range pass.found {
		at := &DeletesPosition{Until: until, Bound: timePtr(pass.bound), ArchivedAt: timePtr(it.archivedAt.UTC()), ItemID: it.id,
			Archived: known}
		if i == len(pass.found)-1 {
			at = done // the pass is done with its last record
		}
		if recs, err = h.appendDelete(recs, it, at); err != nil {
			return nil, err
		}
	}
	h.pos.Deletes = done
	return recs, nil
}
