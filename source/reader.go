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

// deletesClockSkew is how far the scan of archived objects stays behind the
// source's clock, so that an object HubSpot archived a moment "before" the
// scan by its own clock is not passed over.
const deletesClockSkew = 2 * time.Second

// indexClockSkew widens each look-back by how far the source's clock may
// run ahead of HubSpot's, whose clock stamps the changes the look-back
// reads again.
const indexClockSkew = 2 * time.Second

// readerConfig is what the reader needs of the source's configuration.
type readerConfig struct {
	resource   hubspot.Resource
	properties []string
	pageSize   int
	lookback   time.Duration
	// snapshot says whether a snapshot covers the objects as they were at
	// the initial timestamp.
	snapshot bool
	deletes  bool
	// deletesEvery is how often the archived objects are scanned.
	deletesEvery time.Duration
}

// reader produces records one HubSpot request at a time: a snapshot page, a
// search page of changes, a page of owners or of archived objects. Read
// drives it; nothing runs in the background.
type reader struct {
	cfg     readerConfig
	objects ObjectReader
	owners  OwnerReader
	now     func() time.Time

	pos Position // of the last record emitted, or where the source started

	// snapshot
	snapshotAfter string // list cursor of the next page

	// changes
	cursor   keyset // the change scan has emitted everything up to here
	sameTS   bool   // the next search reads the rest of cursor.ts's changes
	caughtUp bool   // the last poll found nothing new: step back first
	// ahead is the furthest the change scan has read; a look-back reads
	// again up to it.
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
	// seen is what this run emitted: id to the version emitted last.
	// It lets the scan read the look-back window again without repeats.
	seen map[uint64]version
	// seenFloor: an object whose creation (createdAt, id) is at or before
	// it may have been emitted before seen knew of it, so its changes are
	// updates, not creates.
	seenFloor  keyset
	ownersScan *ownerScan
	// deleted is what this run emitted deletes for: id to the time of the
	// archive or merge. Search's index lags archives as it lags writes, so
	// it may still return such an object at a version not newer than that:
	// those hits are dropped, not emitted as updates after the delete.
	deleted map[uint64]time.Time
	// mergedAway are the ids this run knows to be absorbed by merges and
	// gone downstream: deleted by a record, or absorbed before the start.
	// A survivor lists its absorbed ids in every later version.
	mergedAway map[uint64]bool

	// deletes
	nextDeletes time.Time
	deleteScan  *deleteScan

	// snapshot progress, for the log
	snapshotCount int
}

// step does the next request's worth of work. It returns the records that
// came of it and whether more work is ready at once; false means the
// source has caught up and waits for the polling period.
func (r *reader) step(ctx context.Context) ([]opencdc.Record, bool, error) {
	if r.pos.Mode == ModeSnapshot {
		return r.snapshotStep(ctx)
	}
	if r.cfg.deletes && (r.deleteScan != nil || !r.now().Before(r.nextDeletes)) {
		recs, err := r.deletesStep(ctx)
		return recs, true, err
	}
	if r.cfg.resource.IsOwners {
		return r.ownersStep(ctx)
	}
	return r.changesStep(ctx)
}

// startKey is where CDC starts. Changes made in the initial timestamp's
// millisecond are the snapshot's, when there is one: it read the objects
// after that millisecond was over. Without a snapshot, CDC reads them.
func (r *reader) startKey() keyset {
	if r.cfg.snapshot {
		return keyset{ts: *r.pos.InitialTimestamp, id: math.MaxUint64}
	}
	return keyset{ts: *r.pos.InitialTimestamp}
}

// startCDC moves the reader to CDC at the initial timestamp.
func (r *reader) startCDC() {
	init := *r.pos.InitialTimestamp
	r.pos.Mode = ModeCDC
	r.cursor = r.startKey()
	r.sameTS = r.cursor.id != math.MaxUint64
	r.seenFloor = r.cursor
	r.ahead, r.early = r.cursor, nil
	if r.pos.Deletes == nil {
		r.pos.Deletes = firstDeletes(init)
	}
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

// resumeCDC continues the change scan from a CDC position.
func (r *reader) resumeCDC() error {
	ts := r.pos.InitialTimestamp
	if r.pos.Timestamp != nil {
		ts = r.pos.Timestamp
	}
	var id uint64
	if r.pos.ItemID != "" {
		n, err := parseID(r.pos.ItemID)
		if err != nil {
			return err
		}
		id = n
	}
	r.cursor = keyset{ts: ts.UTC(), id: id}
	r.sameTS = true
	r.seenFloor = r.cursor
	if r.pos.InitialTimestamp == nil {
		// A position of the earlier connector without a start: changes
		// before its timestamp count as known.
		r.pos.InitialTimestamp = timePtr(r.cursor.ts)
	}
	if r.pos.Frontier == nil || r.pos.Frontier.Before(r.cursor.ts) {
		r.pos.Frontier = timePtr(r.cursor.ts)
	}
	// The stop came after the newest change emitted: the first look-back
	// covers what reached the index late around it.
	r.ahead = r.cursor
	r.early = &span{from: r.pos.Frontier.Add(-r.cfg.lookback - indexClockSkew), to: *r.pos.Frontier}
	if r.pos.Deletes == nil {
		r.pos.Deletes = firstDeletes(*r.pos.InitialTimestamp)
	}
	if d := r.pos.Deletes; d.Bound != nil {
		r.deleteScan = &deleteScan{bound: *d.Bound}
		if d.ArchivedAt != nil {
			id, err := parseID(d.ItemID)
			if err != nil {
				return fmt.Errorf("deletes: %w", err)
			}
			r.deleteScan.emitted = &keyset{ts: d.ArchivedAt.UTC(), id: id}
		}
	}
	return nil
}

// ---- snapshot ----

func (r *reader) snapshotStep(ctx context.Context) ([]opencdc.Record, bool, error) {
	var (
		items []item
		next  string
		err   error
	)
	if r.cfg.resource.IsOwners {
		items, next, err = r.ownersPage(ctx, r.snapshotAfter)
	} else {
		items, next, err = r.objectsPage(ctx, r.snapshotAfter, false)
	}
	if err != nil {
		return nil, false, fmt.Errorf("snapshot: %w", err)
	}
	init := *r.pos.InitialTimestamp
	recs := make([]opencdc.Record, 0, len(items))
	for _, it := range items {
		if it.createdAt.After(init) {
			continue // created after the start: CDC emits it
		}
		if !it.key.ts.After(init) {
			// Merged before the start (a merge changes the survivor): the
			// absorbed objects were gone when the snapshot began.
			r.noteMergedAway(it)
		}
		r.pos.ItemID = it.id
		rec, err := newRecord(opencdc.OperationSnapshot, r.pos, r.cfg.resource.Name, it)
		if err != nil {
			return nil, false, err
		}
		recs = append(recs, rec)
	}
	r.snapshotCount += len(recs)
	r.snapshotAfter = next
	if next == "" {
		r.startCDC()
	}
	return recs, true, nil
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

func (r *reader) objectsPage(ctx context.Context, after string, archived bool) ([]item, string, error) {
	limit := r.cfg.pageSize
	if archived {
		limit = hubspot.MaxListLimit // deletes are read whole: use the largest page
	}
	page, err := r.objects.List(ctx, r.cfg.resource.Name, hubspot.ListOptions{
		Limit: limit, After: after, Properties: r.cfg.properties, Archived: archived,
	})
	if err != nil {
		return nil, "", err
	}
	items, err := r.objectItems(page.Results)
	return items, page.NextAfter(), err
}

func (r *reader) objectItems(objs []hubspot.Object) ([]item, error) {
	items := make([]item, len(objs))
	for i, o := range objs {
		it, err := objectItem(r.cfg.resource, o)
		if err != nil {
			return nil, err
		}
		items[i] = it
	}
	return items, nil
}

func (r *reader) ownersPage(ctx context.Context, after string) ([]item, string, error) {
	page, err := r.owners.List(ctx, hubspot.OwnerListOptions{Limit: r.cfg.pageSize, After: after})
	if err != nil {
		return nil, "", err
	}
	items := make([]item, len(page.Results))
	for i, o := range page.Results {
		it, err := ownerItem(o)
		if err != nil {
			return nil, "", err
		}
		items[i] = it
	}
	return items, page.NextAfter(), nil
}

// ---- changes ----

// changesStep reads one search page of changes in (last-modified, id)
// order. Search sorts by one property only, so the scan keeps a keyset: it
// asks for the changes after the cursor's time, emits the time groups the
// page holds whole, and reads a group that a page cut off (or that fills
// pages by itself: any number of objects can share a millisecond) by id
// within that one time. It never pages with after, so search's 10,000
// result cap does not limit it.
func (r *reader) changesStep(ctx context.Context) ([]opencdc.Record, bool, error) {
	if r.caughtUp || r.lookBackDue() {
		r.stepBack()
	}
	lookingBack := r.cursor.less(r.ahead)
	if lookingBack && !r.cursor.ts.Before(r.lookBackTo) {
		// The look-back is done: go on where the scan was.
		r.cursor, r.sameTS, lookingBack = r.ahead, true, false
	}
	modified := r.cfg.resource.ModifiedProperty
	ms := strconv.FormatInt(r.cursor.ts.UnixMilli(), 10)
	req := hubspot.SearchRequest{Properties: r.cfg.properties, Limit: r.cfg.pageSize}
	if lookingBack {
		// Most of what a look-back reads was emitted already: large
		// pages make it cheap.
		req.Limit = hubspot.MaxSearchLimit
	}
	if r.sameTS {
		req.FilterGroups = []hubspot.FilterGroup{{Filters: []hubspot.Filter{
			{PropertyName: modified, Operator: hubspot.OperatorEQ, Value: ms},
			{PropertyName: hubspot.ObjectIDProperty, Operator: hubspot.OperatorGT, Value: strconv.FormatUint(r.cursor.id, 10)},
		}}}
		req.Sorts = []hubspot.Sort{{PropertyName: hubspot.ObjectIDProperty, Direction: hubspot.Ascending}}
	} else {
		req.FilterGroups = []hubspot.FilterGroup{{Filters: []hubspot.Filter{
			{PropertyName: modified, Operator: hubspot.OperatorGT, Value: ms},
		}}}
		req.Sorts = []hubspot.Sort{{PropertyName: modified, Direction: hubspot.Ascending}}
	}
	req.After = r.emptyAfter
	now, from := r.now(), r.cursor.ts
	page, err := r.objects.Search(ctx, r.cfg.resource.Name, req)
	if err != nil {
		return nil, false, fmt.Errorf("read changes: %w", err)
	}
	items, err := r.objectItems(page.Results)
	if err != nil {
		return nil, false, fmt.Errorf("read changes: %w", err)
	}
	// Whether more results exist is told by paging.next, never by the
	// page's length: HubSpot returns short pages in the middle of a scan.
	more := page.NextAfter() != ""
	r.emptyAfter = ""
	if len(items) == 0 && more {
		// Nothing to move the keyset by: page on within the same query.
		r.emptyAfter = page.NextAfter()
		return nil, true, nil
	}
	slices.SortFunc(items, func(a, b item) int { return compareKeys(a.key, b.key) })

	if r.sameTS {
		r.passed(now, from.Add(-time.Millisecond), &from) // the millisecond's first ids came just before
		r.sameTS = more
		recs, err := r.emitChanges(items)
		return recs, true, err
	}
	if !more {
		r.passed(now, from, nil)
		recs, err := r.emitChanges(items)
		r.caughtUp = true
		return recs, false, err
	}
	// A page with more to come may end inside a time group: emit the
	// groups before the last one, then read the last one by id.
	last := items[len(items)-1].key.ts
	whole := slices.IndexFunc(items, func(it item) bool { return it.key.ts.Equal(last) })
	r.passed(now, from, &last)
	recs, err := r.emitChanges(items[:whole])
	r.cursor = keyset{ts: last}
	r.sameTS = true
	return recs, true, err
}

// span is a stretch of change times, both ends included.
type span struct{ from, to time.Time }

// passed notes that a search at the source's time now read the changes
// after from up to to (nil: all), for the look-backs.
func (r *reader) passed(now, from time.Time, to *time.Time) {
	lo := now.Add(-r.cfg.lookback - indexClockSkew)
	if lo.Before(from) {
		lo = from
	}
	hi := now.Add(indexClockSkew) // no change is newer
	if to != nil {
		hi = *to
	}
	switch {
	case !lo.Before(hi):
		// Read a window or more after it was made: searchable by then.
	case r.early == nil:
		r.early = &span{from: lo, to: hi}
	default:
		if lo.Before(r.early.from) {
			r.early.from = lo
		}
		if hi.After(r.early.to) {
			r.early.to = hi
		}
	}
}

// lookBackDue says whether a scan that has not caught up should read
// again what it went by early: once a look-back window's worth of it (or
// all of it) is a window old, and the scan is past what the last
// look-back read. So changes that reach the index late are read while a
// backlog drains, however long it lasts; a scan more than a window behind
// goes by nothing early and never looks back.
func (r *reader) lookBackDue() bool {
	if r.cfg.lookback == 0 || r.early == nil || r.cursor.less(r.ahead) {
		return false
	}
	ripe := r.now().Add(-r.cfg.lookback - indexClockSkew)
	return !ripe.Before(r.early.to) || ripe.Sub(r.early.from) >= r.cfg.lookback
}

// stepBack reads again what the scan went by early, up to what is a
// look-back window old now, so that changes that became searchable within
// the window of being made are read, whether the scan was caught up or
// not; the changes seen already are not emitted again.
func (r *reader) stepBack() {
	r.caughtUp = false
	from := r.cursor.ts // no look-back: the rest of the cursor's millisecond
	if r.early != nil && r.cfg.lookback > 0 {
		from = r.early.from
		r.lookBackTo = r.now().Add(-r.cfg.lookback - indexClockSkew)
		if r.early.to.After(r.lookBackTo) {
			r.early.from = r.lookBackTo // the rest: for a later look-back
		} else {
			r.early = nil
		}
	}
	init := *r.pos.InitialTimestamp
	if from.Before(init) {
		from = init
	}
	switch {
	case !from.After(init):
		r.cursor = r.startKey()
		r.sameTS = r.cursor.id != math.MaxUint64
	case from.Before(r.cursor.ts):
		r.cursor, r.sameTS = keyset{ts: from}, true
	default:
		r.sameTS = true // read the rest of the cursor's millisecond again
	}
	// Changes before the window (and the cursor, where a scan that is
	// behind has not reached the window yet) cannot be read again, so what
	// seen knows of them is no longer needed.
	if r.cursor.ts.Before(from) {
		from = r.cursor.ts
	}
	for id, v := range r.seen {
		if v.ts.Before(from) {
			delete(r.seen, id)
		}
	}
	for id, at := range r.deleted {
		if at.Before(from) {
			delete(r.deleted, id) // its stale versions lie before the window too
		}
	}
	if floor := (keyset{ts: from}); r.seenFloor.less(floor) {
		r.seenFloor = floor
	}
}

func compareKeys(a, b keyset) int {
	switch {
	case a.less(b):
		return -1
	case b.less(a):
		return 1
	default:
		return 0
	}
}

// emitChanges turns changes, in keyset order, into records, leaving out the
// versions this run emitted already.
func (r *reader) emitChanges(items []item) ([]opencdc.Record, error) {
	recs := make([]opencdc.Record, 0, len(items))
	for _, it := range items {
		r.cursor = it.key
		if r.ahead.less(it.key) {
			r.ahead = it.key
		}
		prev, known := r.seen[it.key.id]
		sum := it.sum()
		if known && !prev.older(it.key.ts, sum) {
			continue // emitted already, or an older version from a lagging index
		}
		// Before the survivor, with the position before it, so that a
		// restart reads the survivor and its merges again; also when the
		// survivor is gone itself.
		dels, err := r.mergeDeletes(it)
		if err != nil {
			return nil, err
		}
		recs = append(recs, dels...)
		if at, gone := r.deleted[it.key.id]; gone && !it.key.ts.After(at) {
			continue // deleted already: the index has not caught up with it
		}
		op := opencdc.OperationUpdate
		if !known && r.seenFloor.less(keyset{ts: it.createdAt, id: it.key.id}) {
			op = opencdc.OperationCreate
		}
		r.seen[it.key.id] = prev.with(it.key.ts, sum)
		if r.pos.Frontier == nil || it.key.ts.After(*r.pos.Frontier) {
			r.pos.Frontier = timePtr(it.key.ts)
		}
		r.pos.Timestamp = timePtr(it.key.ts)
		r.pos.ItemID = it.id
		rec, err := newRecord(op, r.pos, r.cfg.resource.Name, it)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// mergeDeletes returns the deletes of the objects merged into it that this
// run has not deleted yet. A merge archives nothing, so the archived list
// never shows them.
func (r *reader) mergeDeletes(it item) ([]opencdc.Record, error) {
	if !r.cfg.resource.Merges {
		return nil, nil
	}
	var recs []opencdc.Record
	for _, id := range it.mergedIDs() {
		n, err := parseID(id)
		if err != nil {
			return nil, fmt.Errorf("%s of %s: %w", hubspot.MergedIDsProperty, it.id, err)
		}
		if r.mergedAway[n] || n == it.key.id {
			continue
		}
		rec, err := newMergeDelete(r.pos, r.cfg.resource.Name, id, it)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
		r.mergedAway[n] = true
		// Search may show the absorbed object a while yet, at a version
		// older than the survivor's.
		r.deleted[n] = it.key.ts
	}
	return recs, nil
}

// noteMergedAway records the objects merged into it as gone downstream.
func (r *reader) noteMergedAway(it item) {
	for _, id := range it.mergedIDs() {
		if n, err := parseID(id); err == nil && r.cfg.resource.Merges {
			r.mergedAway[n] = true
		}
	}
}

// ---- owners ----

// ownerScan collects the owners changed since the cursor; owners have no
// search, so each poll lists them all.
type ownerScan struct {
	after   string
	changed []item
}

func (r *reader) ownersStep(ctx context.Context) ([]opencdc.Record, bool, error) {
	if r.ownersScan == nil {
		r.ownersScan = &ownerScan{}
	}
	scan := r.ownersScan
	items, next, err := r.ownersPage(ctx, scan.after)
	if err != nil {
		return nil, false, fmt.Errorf("read owner changes: %w", err)
	}
	for _, it := range items {
		if r.cursor.less(it.key) {
			scan.changed = append(scan.changed, it)
		}
	}
	if scan.after = next; next != "" {
		return nil, true, nil
	}
	r.ownersScan = nil
	slices.SortFunc(scan.changed, func(a, b item) int { return compareKeys(a.key, b.key) })
	recs, err := r.emitChanges(scan.changed)
	return recs, false, err
}

// ---- deletes ----

// deleteScan reads the whole archived list (HubSpot cannot filter it by
// archive time) and emits the objects archived after the last scan's bound
// and up to its own, in (archivedAt, id) order.
type deleteScan struct {
	bound   time.Time
	after   string
	found   []item
	emitted *keyset // resuming: what the interrupted scan emitted
}

func (r *reader) deletesStep(ctx context.Context) ([]opencdc.Record, error) {
	if r.deleteScan == nil {
		bound := r.now().UTC().Add(-deletesClockSkew).Truncate(time.Millisecond)
		if !bound.After(r.pos.Deletes.Until) {
			r.nextDeletes = r.now().Add(r.cfg.deletesEvery)
			return nil, nil
		}
		r.deleteScan = &deleteScan{bound: bound}
	}
	scan := r.deleteScan
	items, next, err := r.objectsPage(ctx, scan.after, true)
	if err != nil {
		return nil, fmt.Errorf("read deletes: %w", err)
	}
	until := r.pos.Deletes.Until
	for _, it := range items {
		if it.archivedAt == nil {
			continue
		}
		at := it.archivedAt.UTC()
		k := keyset{ts: at, id: it.key.id}
		if !at.After(until) || at.After(scan.bound) || (scan.emitted != nil && !scan.emitted.less(k)) {
			continue
		}
		scan.found = append(scan.found, it)
	}
	if scan.after = next; next != "" {
		return nil, nil
	}

	slices.SortFunc(scan.found, func(a, b item) int {
		return compareKeys(keyset{ts: *a.archivedAt, id: a.key.id}, keyset{ts: *b.archivedAt, id: b.key.id})
	})
	recs := make([]opencdc.Record, 0, len(scan.found))
	for i, it := range scan.found {
		d := &DeletesPosition{Until: until, Bound: timePtr(scan.bound), ArchivedAt: timePtr(it.archivedAt.UTC()), ItemID: it.id}
		if i == len(scan.found)-1 {
			d = &DeletesPosition{Until: scan.bound} // the scan is done with its last record
		}
		// What the archived object had absorbed is gone too, although
		// search may never have shown the merge.
		dels, err := r.mergeDeletes(it)
		if err != nil {
			return nil, err
		}
		recs = append(recs, dels...)
		r.pos.Deletes = d
		r.deleted[it.key.id] = it.archivedAt.UTC()
		rec, err := newRecord(opencdc.OperationDelete, r.pos, r.cfg.resource.Name, it)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	r.pos.Deletes = &DeletesPosition{Until: scan.bound}
	r.deleteScan = nil
	r.nextDeletes = r.now().Add(r.cfg.deletesEvery)
	return recs, nil
}
