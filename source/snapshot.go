package source

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// snapshotScan emits the objects created up to the initial timestamp. The
// list reads them by id from the bottom of the id range up: a list has no
// 10,000 cap and no index lag. A resource with search is read from the top
// down at the same time, by search, whose rate limit is a budget of its own
// (docs/hubspot.md, "Search" and "Rate limits"): 200 objects a search at 4
// searches a second beside the list's 100 objects per two calls (the list
// call, then the batch read of a page's properties when they do not fit its
// URL) at 19 calls a second. The snapshot is done when the two ends meet.
//
// Each end has one page fetched ahead of Read (fetch), so that a request is
// in flight on each budget while Read builds the records of the last page;
// what is emitted, and the position, change only in step. Every record's
// position holds both ends as they were when it was made: the list's last
// id (ItemID) and the lowest id the search emitted (Below). A restart from
// it reads the list on after ItemID and the search on below Below, so
// whatever lay between the two ends is read again and nothing is skipped.
type snapshotScan struct {
	hub     *hub
	history *history
	after   string // list cursor of the next page
	// top is the search from the top down; nil for a resource without
	// search, which the list reads alone.
	top *topScan
	// stale is how long before the initial timestamp a version may be
	// that search did not show yet (the look-back window and the clock
	// skew): the snapshot notes the versions it emits from then on, so
	// that CDC, which reads that stretch again after a search, skips them.
	stale time.Duration

	fetches *fetches
	listing *fetch // the list page in flight, nil: none
}

// topScan is the search end of the snapshot: the objects created up to the
// initial timestamp with ids below its bound, highest first. Each search is
// a query of its own (hs_object_id below the lowest id read so far), never
// a page on with after, so search's 10,000 result cap never limits it.
type topScan struct {
	below     uint64 // every object at or above it was emitted; 0: none yet
	done      bool   // the search found nothing more below below
	searching *fetch // the search in flight, nil: none
}

// newSnapshotScan continues a snapshot at pos (a new one at its start):
// the list after the last id it emitted, the search, when withTop, below
// the lowest it emitted.
func newSnapshotScan(h *hub, hist *history, f *fetches, withTop bool, stale time.Duration) (*snapshotScan, error) {
	after, err := snapshotResumeAfter(hist.pos.ItemID)
	if err != nil {
		return nil, err
	}
	s := &snapshotScan{hub: h, history: hist, fetches: f, after: after, stale: stale}
	if withTop {
		s.top = &topScan{}
		if b := hist.pos.Below; b != "" {
			if s.top.below, err = parseID(b); err != nil {
				return nil, fmt.Errorf("below: %w", err)
			}
		}
	}
	return s, nil
}

// step takes the next page that either end has read, starting the reads
// that are not in flight; done says the two ends met or the list reached
// the end of the id range.
func (s *snapshotScan) step(ctx context.Context) (recs []opencdc.Record, done bool, err error) {
	if s.met(s.listedTo() + 1) {
		return nil, true, nil // a restart at a position where the ends had met
	}
	if s.listing == nil {
		s.startList(ctx)
	}
	var searched <-chan struct{}
	if t := s.top; t != nil && !t.done {
		if t.searching == nil {
			s.startSearch(ctx)
		}
		searched = t.searching.done
	}
	select {
	case <-s.listing.done:
		return s.takeList(ctx)
	case <-searched:
		return s.takeSearch(ctx)
	case <-ctx.Done():
		return nil, false, fmt.Errorf("snapshot: %w", ctx.Err())
	}
}

func (s *snapshotScan) startList(ctx context.Context) {
	after, cols := s.after, s.hub.columns()
	s.listing = s.fetches.start(ctx, func(ctx context.Context) (page, error) {
		return s.hub.listPage(ctx, after, cols)
	})
}

func (s *snapshotScan) startSearch(ctx context.Context) {
	req := s.topRequest()
	s.top.searching = s.fetches.start(ctx, func(ctx context.Context) (page, error) {
		p, err := s.hub.searchPage(ctx, req)
		if err == nil {
			err = s.hub.linked(ctx, p.items) // reads only the hub's fixed fields
		}
		return p, err
	})
}

// topRequest is the next search of the top end: the objects created up to
// the initial timestamp below the bound, highest id first, 200 of them.
func (s *snapshotScan) topRequest() hubspot.SearchRequest {
	init := *s.history.pos.InitialTimestamp
	filters := []hubspot.Filter{{
		PropertyName: s.hub.resource.CreatedProperty, Operator: hubspot.OperatorLTE,
		Value: strconv.FormatInt(init.UnixMilli(), 10),
	}}
	if s.top.below > 0 {
		filters = append(filters, hubspot.Filter{
			PropertyName: hubspot.ObjectIDProperty, Operator: hubspot.OperatorLT,
			Value: strconv.FormatUint(s.top.below, 10),
		})
	}
	return hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{{Filters: filters}},
		Sorts:        []hubspot.Sort{{PropertyName: hubspot.ObjectIDProperty, Direction: hubspot.Descending}},
		Columns:      s.hub.columns(),
		Limit:        hubspot.MaxSearchLimit,
	}
}

// takeList emits a list page: its objects below the search's bound. The
// next page is asked for before the records are built.
func (s *snapshotScan) takeList(ctx context.Context) ([]opencdc.Record, bool, error) {
	ft := s.listing
	s.listing = nil
	items, next, err := s.hub.taken(ft.page, ft.err)
	if err != nil {
		return nil, false, fmt.Errorf("snapshot: %w", err)
	}
	mine := items
	if cut := slices.IndexFunc(items, func(it item) bool { return s.met(it.key.id) }); cut >= 0 {
		mine, next = items[:cut], "" // the search emitted the rest
	}
	if n, err := strconv.ParseUint(next, 10, 64); err == nil && s.met(n) {
		next = "" // the list's next page starts at the search's bound
	}
	s.after = next
	if next != "" {
		s.startList(ctx)
	}
	recs, err := s.emit(mine, func(it item) { s.history.pos.ItemID = it.id })
	return recs, next == "", err
}

// takeSearch emits a search page: its objects above what the list has
// emitted, highest first. Once the page reaches into the list's part, the
// two ends have met and the snapshot is done.
func (s *snapshotScan) takeSearch(ctx context.Context) ([]opencdc.Record, bool, error) {
	t := s.top
	ft := t.searching
	t.searching = nil
	items, next, err := s.hub.taken(ft.page, ft.err)
	if err != nil {
		return nil, false, fmt.Errorf("snapshot: search from the top: %w", err)
	}
	// HubSpot sorts by id as asked; sorting again costs little and makes
	// the bound right whatever order the page came in.
	slices.SortFunc(items, func(a, b item) int { return cmp.Compare(b.key.id, a.key.id) })
	listed := s.listedTo()
	mine := items
	met := false
	if cut := slices.IndexFunc(items, func(it item) bool { return it.key.id <= listed }); cut >= 0 {
		mine, met = items[:cut], true
	}
	t.done = next == "" || met
	if len(mine) > 0 && !t.done {
		t.below = mine[len(mine)-1].key.id
		s.startSearch(ctx)
	}
	recs, err := s.emit(mine, func(it item) {
		t.below = it.key.id
		s.history.pos.Below = it.id
	})
	return recs, met, err
}

// emit turns a page's objects created up to the initial timestamp into
// snapshot records; at moves the position over each before its record is
// made.
func (s *snapshotScan) emit(items []item, at func(item)) ([]opencdc.Record, error) {
	h := s.history
	init := *h.pos.InitialTimestamp
	recent := init.Add(-s.stale)
	recs := make([]opencdc.Record, 0, len(items))
	for _, it := range items {
		if it.createdAt.After(init) {
			continue // created after the start: CDC emits it
		}
		if !it.key.ts.After(init) {
			// Merged before the start (a merge changes the survivor): the
			// absorbed objects were gone when the snapshot began.
			h.noteMergedAway(it)
		}
		if it.versionTS().After(recent) {
			// CDC may read this version again: it knows it was emitted.
			h.seen[it.key.id] = h.seen[it.key.id].with(it.versionTS(), it.sum())
		}
		at(it)
		rec, err := h.record(opencdc.OperationSnapshot, it)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// listedTo is the highest id the list has emitted (0: none).
func (s *snapshotScan) listedTo() uint64 {
	n, _ := strconv.ParseUint(s.history.pos.ItemID, 10, 64)
	return n
}

// met reports whether id, an id the list reads or would read next, is
// the search's: at or above the lowest id it emitted.
func (s *snapshotScan) met(id uint64) bool {
	return s.top != nil && s.top.below > 0 && id >= s.top.below
}

// snapshotResumeAfter is the list cursor that continues a snapshot after
// the object with the given id: HubSpot's cursor is the id to start at.
func snapshotResumeAfter(itemID string) (string, error) {
	if itemID == "" {
		return "", nil
	}
	id, err := parseID(itemID)
	if err != nil {
		return "", err
	}
	return strconv.FormatUint(id+1, 10), nil
}
