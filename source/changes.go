package source

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// indexClockSkew widens each look-back by how far the source's clock may
// run ahead of HubSpot's, whose clock stamps the changes the look-back
// reads again.
const indexClockSkew = 2 * time.Second

// changeScan reads the changes from the search API in (last-modified, id)
// order. Search sorts by one property only, so the scan keeps a keyset: it
// asks for the changes after the cursor's time, emits the time groups the
// page holds whole, and reads a group that a page cut off (or that fills
// pages by itself: any number of objects can share a millisecond) by id
// within that one time. It never pages with after, so search's 10,000
// result cap does not limit it.
type changeScan struct {
	hub      *hub
	history  *history
	lookback time.Duration
	start    keyset // where CDC started: no look-back reaches before it
	// below is set after a snapshot that search read from the top down
	// to it: CDC then starts a look-back window before the initial
	// timestamp (init), for what search may have shown stale, and reads
	// that stretch for the objects search read alone, those at or above
	// below: the list read the others live. 0: no such snapshot.
	below uint64
	init  time.Time

	cursor   keyset // the scan has emitted everything up to here
	sameTS   bool   // the next search reads the rest of cursor.ts's changes
	caughtUp bool   // the last poll found nothing new: step back first
	// ahead is the furthest the scan has read; a look-back reads again up
	// to it.
	ahead keyset
	// early spans the change times the scan went by less than a look-back
	// window (and the clock skew) after they were made: a change there may
	// have reached the index after the scan went by, so a look-back reads
	// them again once the window has passed. Nil: none.
	early *span
	// lookBackTo is where the look-back in progress ends: from there on
	// the scan goes on where it was (ahead).
	lookBackTo time.Time
	// emptyAfter pages on within one query whose last page was empty but
	// offered more.
	emptyAfter string
	// whole says that the query in progress is a caught-up poll's: one
	// search from the cursor (a look-back's start) up to now, so that an
	// idle source makes one request a poll, its look-back included.
	whole bool
	// lag measures how late the look-backs find changes.
	lag lagGauge
}

// span is a stretch of change times, both ends included.
type span struct{ from, to time.Time }

// step reads one search page of changes.
func (c *changeScan) step(ctx context.Context) ([]opencdc.Record, bool, error) {
	defer c.lag.report(ctx, c.hub.resource.Name, c.lookback)
	// A query that pages on past an empty page keeps its filter: stepping
	// back would send its after with another query.
	if c.emptyAfter == "" && (c.caughtUp || c.lookBackDue()) {
		c.whole = c.caughtUp
		c.stepBack()
	}
	lookingBack := c.cursor.less(c.ahead)
	if lookingBack && !c.whole && !c.cursor.ts.Before(c.lookBackTo) {
		// The look-back is done: go on where the scan was.
		c.cursor, c.sameTS, lookingBack = c.ahead, true, false
	}
	req := c.restrict(c.request())
	if lookingBack || c.whole || c.restricted() {
		// Most of what a look-back reads was emitted already (and of
		// the stretch before the start, by the snapshot): large pages
		// make it cheap.
		req.Limit = hubspot.MaxSearchLimit
	}
	now, from := c.hub.now(), c.cursor.ts
	items, next, err := c.hub.search(ctx, req)
	if err != nil {
		return nil, false, fmt.Errorf("read changes: %w", err)
	}
	// Whether more results exist is told by paging.next, never by the
	// page's length: HubSpot returns short pages in the middle of a scan.
	more := next != ""
	c.emptyAfter = ""
	if len(items) == 0 && more {
		// Nothing to move the keyset by: page on within the same query.
		c.emptyAfter = next
		return nil, true, nil
	}
	slices.SortFunc(items, func(a, b item) int { return compareKeys(a.key, b.key) })

	if c.whole {
		return c.wholePage(now, from, items, more)
	}
	if c.sameTS {
		c.passed(now, from.Add(-time.Millisecond), &from) // the millisecond's first ids came just before
		c.sameTS = more
		recs, err := c.emit(items)
		return recs, true, err
	}
	if !more {
		c.passed(now, from, nil)
		recs, err := c.emit(items)
		c.caughtUp = true
		return recs, false, err
	}
	// A page with more to come may end inside a time group: emit the
	// groups before the last one, then read the last one by id.
	last := items[len(items)-1].key.ts
	whole := slices.IndexFunc(items, func(it item) bool { return it.key.ts.Equal(last) })
	c.passed(now, from, &last)
	recs, err := c.emit(items[:whole])
	c.cursor = keyset{ts: last}
	c.sameTS = true
	return recs, true, err
}

// wholePage takes the page of a caught-up poll's search, which read the
// changes from the cursor (with the rest of its millisecond, when sameTS)
// up to now, in modified order; from is the cursor's time. A page that
// holds them all leaves the scan caught up, after one request. One that
// offers more is read on as the look-back's first page: its whole time
// groups are emitted and the last one is read by id.
func (c *changeScan) wholePage(now, from time.Time, items []item, more bool) ([]opencdc.Record, bool, error) {
	c.whole = false
	low := c.cursor
	if c.sameTS {
		from = from.Add(-time.Millisecond) // the millisecond's first ids came just before
	}
	// The filter reads the cursor's millisecond whole: what is not after
	// the cursor was read by an earlier query.
	fresh := slices.DeleteFunc(slices.Clone(items), func(it item) bool { return !low.less(it.key) })
	if !more {
		c.passed(now, from, nil)
		recs, err := c.emit(fresh)
		// Everything up to now was read: the scan goes on from the
		// furthest it has been, even if that version is gone from
		// search (archived, or changed again).
		if c.cursor.less(c.ahead) {
			c.cursor = c.ahead
		}
		c.sameTS = false
		c.caughtUp = true
		return recs, false, err
	}
	last := items[len(items)-1].key.ts
	next := keyset{ts: last}
	if next.less(low) {
		// The page holds nothing past the cursor's millisecond: read
		// the rest of it by id, as a look-back does.
		return nil, true, nil
	}
	c.passed(now, from, &last)
	whole := slices.IndexFunc(fresh, func(it item) bool { return it.key.ts.Equal(last) })
	if whole < 0 {
		whole = len(fresh)
	}
	recs, err := c.emit(fresh[:whole])
	c.cursor, c.sameTS = next, true
	return recs, true, err
}

// request is the search for the changes after the cursor: the rest of its
// millisecond by id, or the later ones by time; a caught-up poll's reads
// both at once, by time.
func (c *changeScan) request() hubspot.SearchRequest {
	modified := c.hub.resource.ModifiedProperty
	ms := strconv.FormatInt(c.cursor.ts.UnixMilli(), 10)
	req := hubspot.SearchRequest{Columns: c.hub.columns(), Limit: c.hub.pageSize, After: c.emptyAfter}
	if c.whole {
		op := hubspot.OperatorGT
		if c.sameTS {
			op = hubspot.OperatorGTE
		}
		req.FilterGroups = []hubspot.FilterGroup{{Filters: []hubspot.Filter{
			{PropertyName: modified, Operator: op, Value: ms},
		}}}
		req.Sorts = []hubspot.Sort{{PropertyName: modified, Direction: hubspot.Ascending}}
		return req
	}
	if c.sameTS {
		req.FilterGroups = []hubspot.FilterGroup{{Filters: []hubspot.Filter{
			{PropertyName: modified, Operator: hubspot.OperatorEQ, Value: ms},
			{PropertyName: hubspot.ObjectIDProperty, Operator: hubspot.OperatorGT, Value: strconv.FormatUint(c.cursor.id, 10)},
		}}}
		req.Sorts = []hubspot.Sort{{PropertyName: hubspot.ObjectIDProperty, Direction: hubspot.Ascending}}
	} else {
		req.FilterGroups = []hubspot.FilterGroup{{Filters: []hubspot.Filter{
			{PropertyName: modified, Operator: hubspot.OperatorGT, Value: ms},
		}}}
		req.Sorts = []hubspot.Sort{{PropertyName: modified, Direction: hubspot.Ascending}}
	}
	return req
}

// restrict limits what a search reads from before the initial timestamp
// to the objects the snapshot's search read (see below): each filter group
// becomes one for the changes after the initial timestamp and one for
// those up to it at or above below. An object created just before the
// start that search did not show yet has an id at or above below too, as
// HubSpot hands out ids in increasing order (a guess: the docs do not
// promise it, but every account's ids grow with creation time); one the
// list's end read was read live.
func (c *changeScan) restrict(req hubspot.SearchRequest) hubspot.SearchRequest {
	if !c.restricted() {
		return req
	}
	modified := c.hub.resource.ModifiedProperty
	ms := strconv.FormatInt(c.init.UnixMilli(), 10)
	groups := make([]hubspot.FilterGroup, 0, 2*len(req.FilterGroups))
	for _, g := range req.FilterGroups {
		after := slices.Concat(g.Filters, []hubspot.Filter{{PropertyName: modified, Operator: hubspot.OperatorGT, Value: ms}})
		before := slices.Concat(g.Filters, []hubspot.Filter{
			{PropertyName: modified, Operator: hubspot.OperatorLTE, Value: ms},
			{PropertyName: hubspot.ObjectIDProperty, Operator: hubspot.OperatorGTE, Value: strconv.FormatUint(c.below, 10)},
		})
		groups = append(groups, hubspot.FilterGroup{Filters: after}, hubspot.FilterGroup{Filters: before})
	}
	req.FilterGroups = groups
	return req
}

// restricted says whether the next search reads from before the initial
// timestamp after a snapshot that search read too.
func (c *changeScan) restricted() bool { return c.below > 0 && c.cursor.ts.Before(c.init) }

// passed notes that a search at the source's time now read the changes
// after from up to to (nil: all), for the look-backs.
func (c *changeScan) passed(now, from time.Time, to *time.Time) {
	lo := now.Add(-c.lookback - indexClockSkew)
	if lo.Before(from) {
		lo = from
	}
	hi := now.Add(indexClockSkew) // no change is newer
	if to != nil {
		hi = *to
	}
	if lo.Before(hi) {
		c.lag.pass(now, lo, hi)
	}
	switch {
	case !lo.Before(hi):
		// Read a window or more after it was made: searchable by then.
	case c.early == nil:
		c.early = &span{from: lo, to: hi}
	default:
		if lo.Before(c.early.from) {
			c.early.from = lo
		}
		if hi.After(c.early.to) {
			c.early.to = hi
		}
	}
}

// lookBackDue says whether a scan that has not caught up should read
// again what it went by early: once a look-back window's worth of it (or
// all of it) is a window old, and the scan is past what the last
// look-back read. So changes that reach the index late are read while a
// backlog drains, however long it lasts; a scan more than a window behind
// goes by nothing early and never looks back.
func (c *changeScan) lookBackDue() bool {
	if c.lookback == 0 || c.early == nil || c.cursor.less(c.ahead) {
		return false
	}
	ripe := c.hub.now().Add(-c.lookback - indexClockSkew)
	return !ripe.Before(c.early.to) || ripe.Sub(c.early.from) >= c.lookback
}

// stepBack reads again what the scan went by early, up to what is a
// look-back window old now, so that changes that became searchable within
// the window of being made are read, whether the scan was caught up or
// not; the changes seen already are not emitted again.
func (c *changeScan) stepBack() {
	c.caughtUp = false
	from := c.cursor.ts // no look-back: the rest of the cursor's millisecond
	if c.early != nil && c.lookback > 0 {
		from = c.early.from
		c.lookBackTo = c.hub.now().Add(-c.lookback - indexClockSkew)
		if c.early.to.After(c.lookBackTo) {
			c.early.from = c.lookBackTo // the rest: for a later look-back
		} else {
			c.early = nil
		}
	}
	init := c.start.ts
	if from.Before(init) {
		from = init
	}
	switch {
	case !from.After(init):
		c.cursor = c.start
		c.sameTS = c.cursor.id != math.MaxUint64
	case from.Before(c.cursor.ts):
		c.cursor, c.sameTS = keyset{ts: from}, true
	default:
		c.sameTS = true // read the rest of the cursor's millisecond again
	}
	// Changes before the window (and the cursor, where a scan that is
	// behind has not reached the window yet) cannot be read again, so what
	// is known of them is no longer needed.
	if c.cursor.ts.Before(from) {
		from = c.cursor.ts
	}
	c.history.forget(from)
	c.lag.forget(from)
}

// emit turns changes, in keyset order, into records, moving the cursor
// over them.
func (c *changeScan) emit(items []item) ([]opencdc.Record, error) {
	recs := make([]opencdc.Record, 0, len(items))
	for _, it := range items {
		c.cursor = it.key
		// Behind the furthest the scan read: a look-back's.
		wentBy := it.key.less(c.ahead) && !c.history.emitted(it)
		if c.ahead.less(it.key) {
			c.ahead = it.key
		}
		var err error
		if recs, err = c.history.appendChange(recs, it); err != nil {
			return nil, err
		}
		if wentBy && c.history.emitted(it) {
			c.lag.late(it.id, it.key.ts, c.hub.now())
		}
	}
	return recs, nil
}
