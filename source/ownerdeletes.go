package source

import (
	"context"
	"slices"
	"time"

	"github.com/conduitio/conduit-commons/opencdc"
)

// Owners that leave: HubSpot moves a deactivated owner from the live list
// to the archived one (GET /crm/owners/{version}?archived=true) and gives
// it no archivedAt (supaglue-labs/supaglue#665; the spec's PublicOwner has
// none), and no document says that the move changes its updatedAt. So a
// pass of the deletes scan reads the archived list whole and deletes each
// owner on it that the position's ArchivedIDs does not name yet, then
// names it. A new source names the owners archived when it starts (a
// baseline pass before the snapshot), which the destination never had.

// foundOwners keeps a page of archived owners, read at read (the history's
// read count).
func (p *deletePass) foundOwners(items []item, read uint64) {
	if p.readAt == nil {
		p.readAt = map[uint64]uint64{}
	}
	for _, it := range items {
		p.found = append(p.found, it)
		p.readAt[it.key.id] = read
	}
}

// ownerDeletes are the deletes of the owners the pass found archived that
// the deletes are not done with, in id order. An owner the live list
// showed after the pass read it archived is back already: the next pass
// sees which list it is on. A position from before ArchivedIDs names
// none, and its first pass deletes every archived owner: the destination
// may have had any of them, and a delete of one it never had is harmless.
func (d *deleteScan) ownerDeletes(ctx context.Context, pass *deletePass) ([]opencdc.Record, error) {
	h := d.history
	slices.SortFunc(pass.found, func(a, b item) int { return compareKeys(keyset{id: a.key.id}, keyset{id: b.key.id}) })
	if pass.baseline || h.archivedOwners == nil {
		h.archivedOwners = &idSet{}
	}
	var recs []opencdc.Record
	floorMoved := false
	for _, it := range pass.found {
		id := it.key.id
		if h.archivedOwners.done(id) || h.liveRead[id] > pass.readAt[id] {
			continue
		}
		if pass.baseline {
			floorMoved = h.archivedOwners.add(id) || floorMoved
			continue
		}
		var moved bool
		var err error
		if recs, moved, err = h.appendOwnerDelete(recs, it, pass.bound); err != nil {
			return nil, err
		}
		floorMoved = moved || floorMoved
	}
	h.pos.Deletes = &DeletesPosition{Until: pass.bound, Archived: h.archivedOwners.position()}
	if floorMoved {
		warnFloor(ctx, d.hub.resource.Name, h.archivedOwners.floor)
	}
	return recs, nil
}

// appendOwnerDelete appends the delete of an owner that moved to the
// archived list, with the deletes done up to until and with it.
func (h *history) appendOwnerDelete(recs []opencdc.Record, it item, until time.Time) ([]opencdc.Record, bool, error) {
	moved := h.archivedOwners.add(it.key.id)
	h.pos.Deletes = &DeletesPosition{Until: until, Archived: h.archivedOwners.position()}
	rec, err := h.record(opencdc.OperationDelete, it)
	if err != nil {
		return nil, false, err
	}
	return append(recs, rec), moved, nil
}

// liveOwner notes that the live list showed the owner id at read, and says
// whether the owner is back: named as archived, so deleted downstream or
// never there.
func (h *history) liveOwner(id, read uint64) bool {
	h.liveRead[id] = read
	return h.archivedOwners != nil && h.archivedOwners.listed(id)
}

// appendOwnerBack appends the create of an owner back on the live list: a
// create, since its last record deleted it (or the destination never had
// it), whether or not HubSpot moved its updatedAt. advance says that it is
// the owner scan's newest change, which the position's cursor moves to.
func (h *history) appendOwnerBack(recs []opencdc.Record, it item, advance bool) ([]opencdc.Record, error) {
	h.archivedOwners.remove(it.key.id)
	if h.pos.Deletes != nil {
		d := *h.pos.Deletes
		d.Archived = h.archivedOwners.position()
		h.pos.Deletes = &d
	}
	h.seen[it.key.id] = h.seen[it.key.id].with(it.key.ts, it.sum())
	if advance {
		h.moveTo(it)
	}
	rec, err := h.record(opencdc.OperationCreate, it)
	if err != nil {
		return nil, err
	}
	return append(recs, rec), nil
}
