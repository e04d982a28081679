package source

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// listScan reads a resource that has no search but whose list filters and
// sorts by updatedAt (the CMS resources: URL redirects, blog tags, posts, ...), in (updatedAt, id) order: the
// snapshot (the versions up to the initial timestamp) and then the
// changes, in one pass. Each page is a query of its own, for the versions
// from the cursor's millisecond on, so that a change made while the scan
// pages moves nothing under it; only a millisecond that fills pages by
// itself is paged through with after. After each poll that found nothing
// new, the next one reads again what the scan went by less than a
// look-back window after it was made, emitting what it had not emitted.
type listScan struct {
	hub      *hub
	history  *history
	lookback time.Duration
	start    keyset // where the scan started: no look-back reaches before it

	cursor   keyset // the scan has emitted everything up to here
	caughtUp bool   // the last query found nothing more
	// early is the earliest change time the scan went by less than a
	// look-back window (and the clock skew) after it was made; nil: none.
	early *time.Time

	// the query in progress: the versions from from's millisecond on,
	// paged with after within one millisecond; lookingBack says it reads
	// behind the cursor, where what was emitted is told by the history.
	from        time.Time
	after       string
	lookingBack bool
}

// step reads one page of the list.
func (l *listScan) step(ctx context.Context) ([]opencdc.Record, bool, error) {
	if l.after == "" && (l.from.IsZero() || l.caughtUp) {
		l.startQuery()
	}
	limit := l.hub.pageSize
	if l.lookingBack {
		limit = hubspot.MaxListLimit // mostly emitted already: large pages make it cheap
	}
	opts := hubspot.CMSListOptions{Limit: limit, After: l.after, Sort: []string{"updatedAt", "id"}}
	if l.from.After(time.Time{}) {
		opts.UpdatedAfter = l.from.Add(-time.Millisecond) // after is exclusive: from's millisecond too
	}
	now := l.hub.now()
	items, next, err := l.hub.cmsPage(ctx, opts)
	if err != nil {
		return nil, false, fmt.Errorf("read changes: %w", err)
	}
	slices.SortFunc(items, func(a, b item) int { return compareKeys(a.key, b.key) })
	recs := make([]opencdc.Record, 0, len(items))
	for _, it := range items {
		if !l.cursor.less(it.key) && !l.lookingBack {
			continue // emitted before, maybe before a restart
		}
		if l.cursor.less(it.key) {
			l.cursor = it.key
		}
		if recs, err = l.history.appendChange(recs, it); err != nil {
			return nil, false, err
		}
	}
	if next == "" {
		l.passed(now, now.Add(indexClockSkew)) // no change is newer
		l.after, l.caughtUp = "", true
		if l.history.pos.Mode == ModeSnapshot {
			l.history.pos.Mode = ModeCDC
		}
		return recs, false, nil
	}
	last := l.from
	if len(items) > 0 {
		last = items[len(items)-1].key.ts
	}
	l.passed(now, last)
	if last.After(l.from) {
		// A new query from the last millisecond read, which holds the
		// page's last versions and maybe more.
		l.from, l.after = last, ""
	} else {
		l.after = next // one millisecond fills the page: page on within it
	}
	return recs, true, nil
}

// startQuery begins a poll: from the cursor, or, after a poll that caught
// up, from what the scan went by early, so that a change that became
// visible after the scan went by its time still comes.
func (l *listScan) startQuery() {
	l.from, l.lookingBack = l.cursor.ts, false
	if l.caughtUp && l.early != nil && l.lookback > 0 {
		if l.early.Before(l.from) {
			l.from, l.lookingBack = *l.early, true
		}
		l.early = nil // the look-back goes by it again
	}
	if l.from.Before(l.start.ts) {
		l.from = l.start.ts
	}
	if l.lookingBack {
		l.history.forget(l.from) // nothing before it is read again
	}
	l.caughtUp = false
}

// passed notes that a page read at the source's time now went by the
// change times from the query's start up to to.
func (l *listScan) passed(now, to time.Time) {
	lo := now.Add(-l.lookback - indexClockSkew)
	if lo.Before(l.from) {
		lo = l.from
	}
	if lo.Before(to) && (l.early == nil || lo.Before(*l.early)) {
		l.early = timePtr(lo)
	}
}
