package source

// How a reader starts: the snapshot's hand-over to CDC, a resumed CDC
// position, the list scan of resources without search, and the deletes
// scan beside each.

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// startOwnerBaseline makes a new source of owners with deletes on read
// the archived owners first, before the snapshot or the first poll: those
// are the ones the destination never had, which leave without a delete.
func (r *reader) startOwnerBaseline() {
	if !r.cfg.resource.IsOwners || !r.cfg.deletes {
		return
	}
	h := r.history
	if h.pos.Deletes == nil {
		h.pos.Deletes = firstDeletes(*h.pos.InitialTimestamp)
	}
	r.startDeletes(&deletePass{baseline: true, bound: h.pos.Deletes.Until})
}

// stale is how long before the initial timestamp a change may be that the
// search index did not show yet: the look-back window and the clock skew.
func (r *reader) stale() time.Duration { return r.cfg.lookback + indexClockSkew }

// cdcStart is where CDC starts: after the initial timestamp, or, after a
// snapshot that search read from the top, a look-back window and the clock
// skew before it. Search may have shown that part stale (a version from
// before a change that had not reached the index) or not at all (an object
// created just before the start); CDC reads it again, skipping what the
// snapshot emitted in this run, as updates (seenFloor stays at the start).
func (r *reader) cdcStart() keyset {
	init := *r.history.pos.InitialTimestamp
	if r.history.pos.Below != "" {
		return keyset{ts: init.Add(-r.stale()), id: math.MaxUint64}
	}
	// The initial timestamp's millisecond whole: HubSpot may stamp a
	// change in it after the snapshot read the object. What the snapshot
	// emitted of it is known (snapshotScan.emit) and not emitted again.
	return keyset{ts: init}
}

// settleStart moves the initial timestamp back to HubSpot's clock, as the
// Date header of its first answer (the catalog's) tells it, before
// anything is read from it. HubSpot stamps changes by its own clock: where
// that runs behind the source's, a change made after the snapshot read its
// object could be stamped before a start taken from the source's clock,
// and CDC would never read it. The Date header has whole seconds: HubSpot's
// time was within the second after it, so the start moves only when that
// whole second is before it. Where the clocks agree the start stays, and
// with it which objects the snapshot holds; a HubSpot clock less than a
// second behind goes unseen.
func (r *reader) settleStart() {
	r.settle = false
	hubTime, ok := r.serverTime()
	init := *r.history.pos.InitialTimestamp
	if !ok || hubTime.Add(time.Second).After(init) {
		return
	}
	r.history.pos.InitialTimestamp = &hubTime
	if r.changes != nil {
		// No snapshot: CDC was set up at the source's time.
		r.history.pos.Deletes = nil
		r.startCDC()
	}
}

// firstDeletes is where the deletes start: at CDC's start, so that an
// object that search showed the snapshot after it was archived is deleted.
func (r *reader) firstDeletes() *DeletesPosition {
	from := *r.history.pos.InitialTimestamp
	if start := r.cdcStart(); start.ts.Before(from) {
		from = start.ts
	}
	return firstDeletes(from)
}

// close ends the reads the snapshot has in flight, for good.
func (r *reader) close() { r.fetches.close() }

// startCDC moves the reader to CDC at the initial timestamp.
func (r *reader) startCDC() {
	h := r.history
	init := *h.pos.InitialTimestamp
	h.pos.Mode = ModeCDC
	h.seenFloor = r.cfg.startKey(init)
	start := r.cdcStart()
	if h.pos.Deletes == nil {
		h.pos.Deletes = r.firstDeletes()
	}
	r.startScans(start, start.id != math.MaxUint64, nil, nil)
}

// resumeCDC continues the change scan from a CDC position.
func (r *reader) resumeCDC() error {
	h := r.history
	ts := h.pos.InitialTimestamp
	if h.pos.Timestamp != nil {
		ts = h.pos.Timestamp
	}
	var id uint64
	if h.pos.ItemID != "" {
		n, err := parseID(h.pos.ItemID)
		if err != nil {
			return err
		}
		id = n
	}
	cursor := keyset{ts: ts.UTC(), id: id}
	if h.pos.Timestamp == nil && h.pos.Below != "" && h.pos.InitialTimestamp != nil {
		cursor = r.cdcStart() // no change emitted yet: where CDC starts
	}
	h.seenFloor = cursor
	if h.pos.InitialTimestamp == nil {
		// A position of the earlier connector without a start: changes
		// before its timestamp count as known.
		h.pos.InitialTimestamp = timePtr(cursor.ts)
	}
	if h.pos.Frontier == nil || h.pos.Frontier.Before(cursor.ts) {
		h.pos.Frontier = timePtr(cursor.ts)
	}
	// The stop came after the newest change emitted: the first look-back
	// covers what reached the index late around it.
	early := &span{from: h.pos.Frontier.Add(-r.cfg.lookback - indexClockSkew), to: *h.pos.Frontier}
	if h.pos.Deletes == nil {
		h.pos.Deletes = r.firstDeletes()
	}
	pass, err := resumeDeletePass(h.pos.Deletes)
	if err != nil {
		return err
	}
	r.startScans(cursor, true, early, pass)
	return nil
}

// startList sets up the list scan of a resource without search, new or
// at pos, and its deletes scan. The scan reads the snapshot too: the
// versions up to the initial timestamp, from the oldest on.
func (r *reader) startList(pos *Position) error {
	h := r.history
	var cursor keyset
	if pos == nil {
		init := r.hub.now().UTC().Truncate(time.Millisecond)
		h.pos = Position{Mode: ModeCDC, InitialTimestamp: &init}
		if r.cfg.snapshot {
			h.pos.Mode = ModeSnapshot
		} else {
			cursor = r.cfg.startKey(init)
		}
	} else {
		h.pos = *pos
		if pos.InitialTimestamp == nil {
			return fmt.Errorf("a position of %s needs initialTimestamp", r.cfg.resource.DisplayName())
		}
		h.pos.InitialTimestamp = timePtr(pos.InitialTimestamp.UTC())
		cursor = r.cfg.startKey(*h.pos.InitialTimestamp)
		if r.cfg.snapshot {
			cursor = keyset{}
		}
		if pos.Timestamp != nil {
			id, err := parseID(pos.ItemID)
			if err != nil {
				return err
			}
			cursor = keyset{ts: pos.Timestamp.UTC(), id: id}
		}
	}
	init := *h.pos.InitialTimestamp
	start := r.cfg.startKey(init)
	if r.cfg.snapshot {
		h.snapshotTo = &start
	}
	h.seenFloor = start
	if start.less(cursor) {
		h.seenFloor = cursor // what is before it may have been emitted before
	}
	if h.pos.Deletes == nil {
		h.pos.Deletes = firstDeletes(init)
	}
	pass, err := resumeDeletePass(h.pos.Deletes)
	if err != nil {
		return err
	}
	r.list = &listScan{hub: r.hub, history: h, lookback: r.cfg.lookback, cursor: cursor}
	if !r.cfg.snapshot {
		r.list.start = start
	}
	if f := h.pos.Frontier; pos != nil && f != nil {
		// The stop came after the newest change emitted: the first poll
		// looks back a window from it.
		r.list.early = timePtr(f.UTC().Add(-r.cfg.lookback - indexClockSkew))
		r.list.caughtUp = true
	}
	r.startDeletes(pass)
	return nil
}

// startScans sets up the CDC scans with the change scan at cursor (sameTS:
// reading the rest of cursor's millisecond first), having gone by early,
// and the deletes scan continuing pass (nil: none in progress).
func (r *reader) startScans(cursor keyset, sameTS bool, early *span, pass *deletePass) {
	if r.cfg.resource.IsOwners {
		r.owners = &ownerScan{hub: r.hub, history: r.history, cursor: cursor}
	} else {
		r.changes = &changeScan{
			hub: r.hub, history: r.history, lookback: r.cfg.lookback,
			start:  r.cdcStart(),
			cursor: cursor, sameTS: sameTS, ahead: cursor, early: early,
			init: *r.history.pos.InitialTimestamp,
		}
		if b := r.history.pos.Below; b != "" {
			r.changes.below, _ = strconv.ParseUint(b, 10, 64) // checked by ParsePosition or made here
		}
	}
	r.startDeletes(pass)
}

// startDeletes sets up the deletes scan, when deletes are on, continuing
// pass (nil: none in progress).
func (r *reader) startDeletes(pass *deletePass) {
	if r.cfg.deletes {
		r.deletes = &deleteScan{
			hub: r.hub, history: r.history, every: r.cfg.deletesEvery, perPage: r.cfg.deletesPerPage, pass: pass,
		}
	}
}
