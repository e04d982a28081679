package source

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// history is what this run has emitted, which every scan consults and adds
// to. Every record is made here, so each carries the position as it was
// when the record was made.
type history struct {
	resource hubspot.Resource
	// shape types the records' values and names their schemas; nil for
	// owners, whose fields are fixed strings.
	shape *shape

	pos Position // of the last record emitted, or where the source started

	// seen is what this run emitted: id to the version emitted last.
	// It lets the scan read the look-back window again without repeats.
	seen map[uint64]version
	// seenFloor: an object whose creation (createdAt, id) is at or before
	// it may have been emitted before seen knew of it, so its changes are
	// updates, not creates.
	seenFloor keyset
	// snapshotTo, when set, is where the snapshot of a resource read by a
	// listScan ends: its versions up to it are snapshot records.
	snapshotTo *keyset
	// deleted is what this run emitted deletes for: id to the time of the
	// archive or merge. Search's index lags archives as it lags writes, so
	// it may still return such an object at a version not newer than that:
	// those hits are dropped, not emitted as updates after the delete.
	deleted map[uint64]time.Time
	// mergedAway are the ids this run knows to be absorbed by merges and
	// gone downstream: deleted by a record, or absorbed before the start.
	// A survivor lists its absorbed ids in every later version.
	mergedAway map[uint64]bool
	// links are the types whose links the records carry, and linkSums the
	// digest of the links each object's last record carried, so that the
	// link scan emits the objects whose links changed alone.
	links    []string
	linkSums map[uint64]uint64
	// hold, when set, is the cursor records carry in place of their own
	// version's: a listScan emits versions in no order, and a restart
	// reads again from what it had read whole.
	hold *keyset
	// archivedOwners are, for owners with deletes on, the archived owners
	// the deletes are done with (nil: not known yet, see ownerDeletes);
	// liveRead is when (in reads, the count of list pages read) the live
	// list last showed each owner, which tells an owner back on it from
	// one that left.
	archivedOwners *idSet
	liveRead       map[uint64]uint64
	reads          uint64
}

func newHistory(res hubspot.Resource) *history {
	return &history{
		resource:   res,
		seen:       map[uint64]version{},
		deleted:    map[uint64]time.Time{},
		mergedAway: map[uint64]bool{},
		linkSums:   map[uint64]uint64{},
		liveRead:   map[uint64]uint64{},
	}
}

// noteRead counts a page read and returns its number, which orders the
// reads of the live and the archived owners.
func (h *history) noteRead() uint64 {
	h.reads++
	return h.reads
}

// record builds the record of it at the current position.
func (h *history) record(op opencdc.Operation, it item) (opencdc.Record, error) {
	if it.links != nil {
		h.linkSums[it.key.id] = linksSum(it.links, h.links)
	}
	return newRecord(op, h.pos, h.resource.Name, it, h.shape)
}

// linkChange returns the update of an object whose links changed alone, at
// the position as it is: the change scan's cursor does not move.
func (h *history) linkChange(it item) (opencdc.Record, error) {
	prev := h.seen[it.key.id]
	h.seen[it.key.id] = prev.with(it.key.ts, it.sum())
	return h.record(opencdc.OperationUpdate, it)
}

// appendChange appends the records of a change, in keyset order after the
// ones before it, leaving out a version this run emitted already.
func (h *history) appendChange(recs []opencdc.Record, it item) ([]opencdc.Record, error) {
	prev, known := h.seen[it.key.id]
	sum := it.sum()
	if known && !prev.older(it.key.ts, sum) {
		return recs, nil // emitted already, or an older version from a lagging index
	}
	return h.appendNew(recs, it, prev, known, sum)
}

// emitted reports whether this run emitted this version of it already (or
// a newer one), which appendChange leaves out: the change scan reads no
// links for it.
func (h *history) emitted(it item) bool {
	prev, known := h.seen[it.key.id]
	return known && !prev.older(it.key.ts, it.sum())
}

func (h *history) appendNew(recs []opencdc.Record, it item, prev version, known bool, sum uint64) ([]opencdc.Record, error) {
	// Before the survivor, with the position before it, so that a
	// restart reads the survivor and its merges again; also when the
	// survivor is gone itself.
	recs, err := h.appendMergeDeletes(recs, it)
	if err != nil {
		return nil, err
	}
	if at, gone := h.deleted[it.key.id]; gone && !it.key.ts.After(at) {
		return recs, nil // deleted already: the index has not caught up with it
	}
	op := opencdc.OperationUpdate
	switch {
	case h.snapshotTo != nil && !h.snapshotTo.less(it.key):
		op = opencdc.OperationSnapshot
	case !known && h.seenFloor.less(keyset{ts: it.createdAt, id: it.key.id}):
		op = opencdc.OperationCreate
	}
	if op != opencdc.OperationSnapshot {
		h.pos.Mode = ModeCDC
	}
	h.seen[it.key.id] = prev.with(it.key.ts, sum)
	h.moveTo(it)
	rec, err := h.record(op, it)
	if err != nil {
		return nil, err
	}
	return append(recs, rec), nil
}

// moveTo moves the position's change cursor to it.
func (h *history) moveTo(it item) {
	if h.pos.Frontier == nil || it.key.ts.After(*h.pos.Frontier) {
		h.pos.Frontier = timePtr(it.key.ts)
	}
	h.pos.Timestamp = timePtr(it.key.ts)
	h.pos.ItemID = it.id
}

// appendDelete appends the delete of an archived object, which leaves the
// deletes scan at d.
func (h *history) appendDelete(recs []opencdc.Record, it item, d *DeletesPosition) ([]opencdc.Record, error) {
	// What the archived object had absorbed is gone too, although
	// search may never have shown the merge.
	recs, err := h.appendMergeDeletes(recs, it)
	if err != nil {
		return nil, err
	}
	h.pos.Deletes = d
	h.noteDeleted(it.key.id, it.archivedAt.UTC())
	rec, err := h.record(opencdc.OperationDelete, it)
	if err != nil {
		return nil, err
	}
	return append(recs, rec), nil
}

// appendMergeDeletes appends the deletes of the objects merged into it
// that this run has not deleted yet. A merge archives nothing, so the
// archived list never shows them.
func (h *history) appendMergeDeletes(recs []opencdc.Record, it item) ([]opencdc.Record, error) {
	if !h.resource.Merges {
		return recs, nil
	}
	for _, id := range it.mergedIDs() {
		n, err := parseID(id)
		if err != nil {
			return nil, fmt.Errorf("%s of %s: %w", hubspot.MergedIDsProperty, it.id, err)
		}
		if h.mergedAway[n] || n == it.key.id {
			continue
		}
		// Search may show the absorbed object a while yet, at a version
		// older than the survivor's: the delete's position says so too.
		h.noteDeleted(n, it.key.ts)
		rec, err := newMergeDelete(h.pos, h.resource.Name, id, it, h.shape)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
		h.mergedAway[n] = true
	}
	return recs, nil
}

// maxRecentDeletes bounds the deletes a position remembers (Deleted), as
// every record carries its position: 100 ids and times are about 6 KB. A
// burst of more deletes within a look-back window keeps the newest; a
// restart within the window may then emit a stale update of an older one,
// as every restart did before positions remembered deletes.
const maxRecentDeletes = 100

// noteDeleted remembers that a delete of id was emitted, whose versions up
// to at are stale: in this run, and in the position for a restart.
func (h *history) noteDeleted(id uint64, at time.Time) {
	h.deleted[id] = at
	recent := make([]RecentDelete, 0, min(len(h.pos.Deleted)+1, maxRecentDeletes))
	recent = append(recent, h.pos.Deleted...) // a new slice: the records made so far hold the old one
	recent = slices.DeleteFunc(recent, func(d RecentDelete) bool { return d.ID == strconv.FormatUint(id, 10) })
	recent = append(recent, RecentDelete{ID: strconv.FormatUint(id, 10), At: at})
	if len(recent) > maxRecentDeletes {
		oldest := 0
		for i, d := range recent {
			if d.At.Before(recent[oldest].At) {
				oldest = i
			}
		}
		recent = slices.Delete(recent, oldest, oldest+1)
	}
	h.pos.Deleted = recent
}

// rememberDeletes takes the deletes a position remembers, of the run that
// wrote it (ParsePosition checked their ids).
func (h *history) rememberDeletes(recent []RecentDelete) {
	for _, d := range recent {
		if id, err := parseID(d.ID); err == nil {
			h.deleted[id] = d.At.UTC()
		}
	}
}

// neverHad reports whether an archived object is one the destination
// never had: archived before the usual start of the deletes (a clock-skew
// allowance before the initial timestamp) and not among what the
// snapshot's search from the top emitted, the one read that may show an
// object after its archive (its index lags). CDC's deletes start earlier
// after such a snapshot (reader.firstDeletes) for those alone.
func (h *history) neverHad(it item) bool {
	usual := h.pos.InitialTimestamp.Add(-deletesClockSkew)
	if it.archivedAt.After(usual) {
		return false
	}
	below, err := strconv.ParseUint(h.pos.Below, 10, 64)
	return err != nil || it.key.id < below
}

// noteMergedAway records the objects merged into it as gone downstream.
func (h *history) noteMergedAway(it item) {
	for _, id := range it.mergedIDs() {
		if n, err := parseID(id); err == nil && h.resource.Merges {
			h.mergedAway[n] = true
		}
	}
}

// forget drops what is known of the changes before from, which the change
// scan will not read again.
func (h *history) forget(from time.Time) {
	for id, v := range h.seen {
		if v.ts.Before(from) {
			delete(h.seen, id)
		}
	}
	for id, at := range h.deleted {
		if at.Before(from) {
			delete(h.deleted, id) // its stale versions lie before the window too
		}
	}
	if slices.ContainsFunc(h.pos.Deleted, func(d RecentDelete) bool { return d.At.Before(from) }) {
		// A new slice: the records made so far hold the old one.
		h.pos.Deleted = slices.DeleteFunc(slices.Clone(h.pos.Deleted), func(d RecentDelete) bool { return d.At.Before(from) })
	}
	if floor := (keyset{ts: from}); h.seenFloor.less(floor) {
		h.seenFloor = floor
	}
}
