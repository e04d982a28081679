package source

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// listScan reads a resource that has no search but whose list filters by
// the updated time (the CMS resources: URL redirects, blog tags, posts,
// ...): the snapshot (the versions up to the initial timestamp) and then
// the changes, in passes. Its correctness takes nothing from the order of
// results, which HubSpot documents differently per API (pages, posts and
// tags sort by updatedAt, authors by updated, redirects by nothing named)
// and may ignore (HubspotCommunity/hubspot-ruby#34): "createdAt will be
// used by default".
//
// A pass fixes its upper bound, the source's last whole millisecond, when
// it starts, and
// reads the range in slices of updated times from its cursor on. A slice
// whose page holds all of it (total) was read whole at one instant, and
// the cursor moves past it. A slice of more than a page is cut: at the
// newest time of a page that came in updated order (the sort asked for
// where the API documents one), which holds if the next slice's total
// adds up to the first's; else at a time the page's times suggest. That
// check counts on no version entering the slice meanwhile, so it is made
// only of a slice that ended a clock-skew allowance before the pass began:
// a change made later moves a version out (its updated time moves past
// the slice), as a delete does, never in. A single millisecond of more
// than a page is paged through with after, and read again when its total
// changed meanwhile. Every version read is emitted as it comes; the history
// leaves out what this run emitted already.
//
// After each pass, the next one reads again what the last went by less
// than a look-back window after it was made, emitting what it had not
// emitted.
type listScan struct {
	hub      *hub
	history  *history
	lookback time.Duration
	start    keyset // where the scan started: no look-back reaches before it

	cursor   keyset // the scan has emitted everything up to here
	caughtUp bool   // the last pass is done
	// early is the earliest change time the scan went by less than a
	// look-back window (and the clock skew) after it was made; nil: none.
	early *time.Time

	pass *listPass // the pass in progress; nil: none
}

// listPass is one pass of a listScan over the versions updated from its
// cursor's millisecond to its bound.
type listPass struct {
	bound   time.Time // the last millisecond the pass reads
	floor   keyset    // versions at or below it were emitted before
	started time.Time // the source's time at its first page
	from    time.Time // where it started: the look-back starts no earlier
	// lo is the first millisecond not known to be read whole; hi the
	// last of the slice read next.
	lo, hi time.Time
	// pending: the page of [lo, hi] read last held every version up to
	// cut, if the slice from cut on totals want; lo is then cut.
	pending   bool
	pendingLo time.Time
	want      int
	// after and total page through a millisecond of more than a page,
	// and changed says its total changed meanwhile.
	after   string
	total   int
	changed bool
}

// sortBy is the sort a list asks for: the resource's documented update
// time, where its API documents one; never needed, it makes pages come in
// the order that lets one request move the cursor by a page.
func sortBy(spec hubspot.CMSSpec) []string {
	if spec.UpdatedSort == "" {
		return nil
	}
	return []string{spec.UpdatedSort}
}

// firstAfter is the first millisecond after the versions a cursor says
// were emitted: the cursor's own when it stops within it.
func firstAfter(c keyset) time.Time {
	if c.id == math.MaxUint64 {
		return c.ts.Add(time.Millisecond)
	}
	return c.ts
}

// emittedBefore is the cursor of every version before t.
func emittedBefore(t time.Time) keyset {
	return keyset{ts: t.Add(-time.Millisecond), id: math.MaxUint64}
}

// step reads one page of the list.
func (l *listScan) step(ctx context.Context) ([]opencdc.Record, bool, error) {
	if l.pass == nil && !l.startPass() {
		return nil, false, nil
	}
	p := l.pass
	limit := l.hub.pageSize
	if p.lo.Before(firstAfter(l.cursor)) {
		limit = hubspot.MaxListLimit // mostly emitted already: large pages make it cheap
	}
	opts := hubspot.CMSListOptions{Limit: limit, After: p.after, Sort: sortBy(*l.hub.resource.CMS),
		UpdatedBefore: p.hi.Add(time.Millisecond)}
	if p.lo.After(epoch) {
		opts.UpdatedAfter = p.lo.Add(-time.Millisecond) // after is exclusive: lo's millisecond too
	}
	items, next, total, err := l.hub.cmsPage(ctx, opts)
	if err != nil {
		return nil, false, fmt.Errorf("read changes: %w", err)
	}
	recs, err := l.emit(items, p.floor)
	if err != nil {
		return nil, false, err
	}
	if p.pending && p.after == "" {
		p.pending = false
		if total != p.want {
			// The cut did not hold (the page was not in updated order,
			// or a version left meanwhile): cut the slice it was in.
			p.lo, p.hi = p.pendingLo, midway(p.pendingLo, p.lo)
			return recs, true, nil
		}
		l.moved(p.lo)
	}
	if p.after != "" || (next != "" && p.lo.Equal(p.hi)) {
		return recs, l.pageMillisecond(next, total), nil
	}
	if next == "" {
		return recs, l.sliceDone(len(items)), nil
	}
	l.cut(items, total)
	return recs, true, nil
}

// emit appends the records of the versions read above floor, each with the
// scan's cursor as its position: a restart reads again from there.
func (l *listScan) emit(items []item, floor keyset) ([]opencdc.Record, error) {
	items = slices.Clone(items) // in the order they came, they tell cut whether the list sorted them
	slices.SortFunc(items, func(a, b item) int { return compareKeys(a.key, b.key) })
	recs := make([]opencdc.Record, 0, len(items))
	l.history.hold = &l.cursor
	defer func() { l.history.hold = nil }()
	var err error
	for _, it := range items {
		if !floor.less(it.key) {
			continue // emitted before, maybe before a restart
		}
		if recs, err = l.history.appendChange(recs, it); err != nil {
			return nil, err
		}
	}
	return recs, nil
}

// moved notes that every version before t was read.
func (l *listScan) moved(t time.Time) {
	if c := emittedBefore(t); l.cursor.less(c) {
		l.cursor = c
	}
	l.history.pos.Timestamp, l.history.pos.ItemID = timePtr(l.cursor.ts), fmt.Sprint(l.cursor.id)
}

// sliceDone moves past a slice read whole in one page of n versions, and
// reports whether the pass goes on.
func (l *listScan) sliceDone(n int) bool {
	p := l.pass
	width := p.hi.Sub(p.lo) + time.Millisecond
	l.moved(p.hi.Add(time.Millisecond))
	p.lo = p.hi.Add(time.Millisecond)
	if p.lo.After(p.bound) {
		l.passDone()
		return false
	}
	if n <= l.hub.pageSize/2 {
		width *= 2 // a sparse slice: try a wider one
	}
	p.hi = minTime(p.lo.Add(width-time.Millisecond), p.bound)
	return true
}

// cut narrows a slice of more than one page (total versions) whose first
// page held items.
func (l *listScan) cut(items []item, total int) {
	p := l.pass
	ordered := slices.IsSortedFunc(items, func(a, b item) int { return a.key.ts.Compare(b.key.ts) })
	// The check needs a slice no write can enter while it is made: one
	// that ends a clock-skew allowance before the pass began.
	settled := !p.hi.After(p.started.Add(-indexClockSkew))
	if n := len(items); ordered && settled && n > 0 && items[n-1].key.ts.After(p.lo) {
		// In updated order: the page held every version before its
		// newest time if the rest of the slice totals the remainder.
		last := items[n-1].key.ts
		before := 0
		for _, it := range items {
			if it.key.ts.Before(last) {
				before++
			}
		}
		p.pending, p.pendingLo, p.want, p.lo = true, p.lo, total-before, last
		return
	}
	if n := len(items); ordered && n > 0 && items[n-1].key.ts.After(p.lo) {
		// In updated order but too recent to check by totals: the slice
		// before the page's newest time likely fits one page.
		p.hi = items[n-1].key.ts.Add(-time.Millisecond)
		return
	}
	// A page in no order is a sample of the slice: cut where it suggests
	// half a page of versions lies.
	times := make([]time.Time, len(items))
	for i, it := range items {
		times[i] = it.key.ts
	}
	slices.SortFunc(times, time.Time.Compare)
	hi := p.lo
	if k := len(times) * l.hub.pageSize / (2 * max(total, 1)); k < len(times) {
		hi = times[k]
	}
	if !hi.Before(p.hi) || hi.Before(p.lo) {
		hi = midway(p.lo, p.hi)
	}
	p.hi = hi
}

// pageMillisecond pages through a millisecond of more than a page, and
// reports whether the pass goes on.
func (l *listScan) pageMillisecond(next string, total int) bool {
	p := l.pass
	if p.after == "" {
		p.total, p.changed = total, false
	} else if total != p.total {
		p.changed = true // a version left the millisecond: one may have been skipped
	}
	if p.after = next; next != "" {
		return true
	}
	if p.changed {
		return true // read the millisecond again
	}
	return l.sliceDone(l.hub.pageSize)
}

// startPass begins a pass: from the cursor, or, after a pass, from what
// the scan went by early, so that a change that became visible after the
// scan went by its time still comes.
func (l *listScan) startPass() bool {
	now := l.hub.now()
	from, floor := firstAfter(l.cursor), l.cursor
	if l.caughtUp && l.early != nil && l.lookback > 0 {
		if l.early.Before(from) {
			from, floor = *l.early, l.start
		}
		l.early = nil // the look-back goes by it again
	}
	if from.Before(l.start.ts) {
		from = l.start.ts
	}
	if from.Before(epoch) {
		from = epoch // the scan's slices are measured from here
	}
	if from.Before(firstAfter(l.cursor)) {
		l.history.forget(from) // nothing before it is read again
	}
	// The millisecond under way is not over: a write may still take it.
	bound := now.UTC().Truncate(time.Millisecond).Add(-time.Millisecond)
	if bound.Before(from) {
		return false // no millisecond after the cursor is over yet
	}
	l.pass = &listPass{bound: bound, floor: floor, started: now, from: from, lo: from, hi: bound}
	l.caughtUp = false
	return true
}

// passDone ends a pass: the next reads again what this one went by early.
func (l *listScan) passDone() {
	p := l.pass
	l.pass, l.caughtUp = nil, true
	if l.history.pos.Mode == ModeSnapshot {
		l.history.pos.Mode = ModeCDC
	}
	lo := p.started.Add(-l.lookback - indexClockSkew)
	if lo.Before(p.from) {
		lo = p.from
	}
	if lo.Before(p.bound) && (l.early == nil || lo.Before(*l.early)) {
		l.early = timePtr(lo)
	}
}

// epoch is where a scan from the first version starts: no CMS object was
// updated before it.
var epoch = time.Unix(0, 0).UTC()

// midway is the millisecond halfway from a to b.
func midway(a, b time.Time) time.Time {
	return a.Add(b.Sub(a) / 2).Truncate(time.Millisecond)
}
