package source

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// HistoryState is how far a property history resource has come.
type HistoryState struct {
	// After is, in the snapshot, the list cursor of the page being read,
	// and Last the last value emitted from it: a restart reads the page
	// again and emits what comes after Last.
	After string      `json:"after,omitempty"`
	Last  *HistoryKey `json:"last,omitempty"`
	// Cursor is, in CDC, the start of the last pass that ended: every
	// value set before it, less the look-back window, was emitted, of the
	// objects search showed. ArchivedCursor is the start of the last pass
	// that read the archived objects too.
	Cursor         *time.Time `json:"cursor,omitempty"`
	ArchivedCursor *time.Time `json:"archivedCursor,omitempty"`
	// Recent are the values emitted that a pass from Cursor reads again
	// (set within the look-back window before it, or after it), so that
	// none is emitted twice across restarts. It holds as many as were set
	// within that window: a burst of changes makes positions that large
	// for the window's length.
	Recent []HistoryKey `json:"recent,omitempty"`
}

// historyScan reads a property history resource: the values the
// properties of propertyHistory held, one record each, for every object
// of a CRM object type.
//
// The snapshot lists the objects with propertiesWithHistory, 50 a page
// (hubspot.MaxHistoryLimit), and emits each value set up to the initial
// timestamp. CDC reads the objects modified since the cursor, less the
// look-back window, from search (which takes no propertiesWithHistory),
// batch-reads the histories of those whose version it has not read yet,
// 50 a call, and emits the values set after the initial timestamp that
// it has not emitted: those of the window are remembered in the position
// (Recent). Search no longer shows an archived object: the archived list,
// read with history at the deletes scan's pace, gives the values set
// just before an archive. A value is a fact: an object's archive or merge
// retracts none of its values, and a survivor's history holds what it
// holds after the merge.
type historyScan struct {
	objects  ObjectReader
	res      hubspot.Resource // the object type whose history it is
	props    []string
	history  *history // its pos is the scan's position
	shape    *historyShape
	now      func() time.Time
	stale    time.Duration // how late search may show a change (reader.stale)
	pass     *historyPass  // the CDC pass in progress, nil between passes
	caughtUp bool
	// archivedEvery is the least time between two archived reads, and
	// archivedDue when the next is due (at once after a start).
	archivedEvery time.Duration
	archivedDue   time.Time
	// readAt is, by id, the last-modified time of the version whose
	// history this run read, within the look-back window.
	readAt map[string]time.Time
}

// historyPass is a CDC pass: a search of the objects modified from from,
// started at start.
type historyPass struct {
	// from is the floor of the values emitted, query the time search
	// reads from (later than from once search's depth ran out).
	from, query, start time.Time
	after              string
	read               int  // results paged through with after
	archived           bool // reading the archived list, search done
}

// startHistory sets up the scan of a property history resource, new or
// at pos.
func (r *reader) startHistory(pos *Position, objects ObjectReader, now func() time.Time) {
	h := r.history
	scan := &historyScan{objects: objects, res: *r.cfg.historyOf, props: r.cfg.historyProps, history: h,
		shape: &historyShape{collection: r.cfg.resource.Name}, now: now, stale: r.stale(),
		archivedEvery: r.cfg.deletesEvery, readAt: map[string]time.Time{}}
	if pos == nil {
		init := now().UTC().Truncate(time.Millisecond)
		h.pos = Position{Mode: ModeSnapshot, InitialTimestamp: &init, History: &HistoryState{}}
		if !r.cfg.snapshot {
			h.pos.Mode = ModeCDC // its cursors start at init, below
		}
	} else {
		h.pos = *pos
	}
	if h.pos.History == nil {
		h.pos.History = &HistoryState{}
	}
	if st := h.pos.History; h.pos.Mode == ModeCDC {
		st.Cursor = cmp.Or(st.Cursor, h.pos.InitialTimestamp)
		st.ArchivedCursor = cmp.Or(st.ArchivedCursor, st.Cursor)
	}
	r.propHistory = scan
}

func (p *historyScan) step(ctx context.Context) ([]opencdc.Record, bool, error) {
	if err := p.shape.build(ctx); err != nil {
		return nil, false, err
	}
	if p.history.pos.Mode == ModeSnapshot {
		return p.snapshotStep(ctx)
	}
	return p.cdcStep(ctx)
}

// emit makes the record of v at the position with st as the scan's state.
func (p *historyScan) emit(op opencdc.Operation, st HistoryState, v historyValue) (opencdc.Record, error) {
	p.history.pos.History = &st
	return p.shape.record(op, p.history.pos, v)
}

// snapshotStep reads one list page and emits its values set up to the
// initial timestamp.
func (p *historyScan) snapshotStep(ctx context.Context) ([]opencdc.Record, bool, error) {
	pos := &p.history.pos
	st := *pos.History
	page, err := p.objects.List(ctx, p.res.Name, hubspot.ListOptions{
		Limit: hubspot.MaxHistoryLimit, After: st.After,
		Properties: []string{hubspot.ObjectIDProperty}, PropertiesWithHistory: p.props,
	})
	if err != nil {
		return nil, false, fmt.Errorf("read the history of %s: %w", p.res.Name, err)
	}
	values, err := historyValues(page.Results, p.props)
	if err != nil {
		return nil, false, fmt.Errorf("read the history of %s: %w", p.res.Name, err)
	}
	init := *pos.InitialTimestamp
	var recs []opencdc.Record
	for _, v := range values {
		if v.key.Timestamp.After(init) || (st.Last != nil && !v.after(*st.Last, p.props)) {
			continue // CDC's, or emitted before a restart
		}
		k := v.key
		st.Last = &k
		rec, err := p.emit(opencdc.OperationSnapshot, st, v)
		if err != nil {
			return nil, false, err
		}
		recs = append(recs, rec)
	}
	if next := page.NextAfter(); next != "" {
		pos.History = &HistoryState{After: next}
		return recs, true, nil
	}
	pos.Mode = ModeCDC
	pos.History = &HistoryState{Cursor: &init, ArchivedCursor: &init}
	return recs, true, nil
}

// cdcStep reads one page of the pass, starting a pass when none is in
// progress: a search page and its objects' histories, or, once search is
// done and an archived read is due, a page of the archived objects.
func (p *historyScan) cdcStep(ctx context.Context) ([]opencdc.Record, bool, error) {
	pos := &p.history.pos
	st := *pos.History
	if p.pass == nil {
		from := p.floor(*st.Cursor)
		p.pass = &historyPass{from: from, query: from, start: p.now().UTC().Truncate(time.Millisecond)}
		p.caughtUp = false
	}
	pass := p.pass
	var recs []opencdc.Record
	var next string
	var err error
	if pass.archived {
		recs, next, err = p.archivedPage(ctx, &st)
	} else {
		recs, next, err = p.searchPage(ctx, &st)
	}
	if err != nil {
		return nil, false, err
	}
	switch {
	case next != "":
		pass.after = next
	case !pass.archived && !p.now().Before(p.archivedDue):
		// Search no longer shows an object archived since it changed:
		// the archived list does, with its history.
		pass.archived, pass.after = true, ""
		pass.from = p.floor(*st.ArchivedCursor)
	default:
		st.Cursor = &pass.start
		if pass.archived {
			st.ArchivedCursor = &pass.start
			p.archivedDue = pass.start.Add(p.archivedEvery)
		}
		floor := p.windowStart(*st.Cursor)
		if a := p.windowStart(*st.ArchivedCursor); a.Before(floor) {
			floor = a
		}
		st.Recent = slices.DeleteFunc(slices.Clone(st.Recent), func(k HistoryKey) bool { return k.Timestamp.Before(floor) })
		maps.DeleteFunc(p.readAt, func(_ string, ts time.Time) bool { return ts.Before(floor) })
		pos.History = &st
		p.pass, p.caughtUp = nil, true
		return recs, false, nil
	}
	pos.History = &st
	return recs, true, nil
}

// searchPage reads a page of the objects modified since the pass's query
// time and emits their new values; it returns the cursor of the next.
func (p *historyScan) searchPage(ctx context.Context, st *HistoryState) ([]opencdc.Record, string, error) {
	pass := p.pass
	modified := p.res.ModifiedProperty
	found, err := p.objects.Search(ctx, p.res.Name, hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{
			{PropertyName: modified, Operator: hubspot.OperatorGTE, Value: strconv.FormatInt(pass.query.UnixMilli(), 10)},
		}}},
		Sorts:      []hubspot.Sort{{PropertyName: modified, Direction: hubspot.Ascending}},
		Properties: []string{hubspot.ObjectIDProperty, modified},
		Limit:      hubspot.MaxSearchLimit, After: pass.after,
	})
	if err != nil {
		return nil, "", fmt.Errorf("read changes: %w", err)
	}
	recs, err := p.emitChanges(ctx, st, found.Results)
	if err != nil {
		return nil, "", err
	}
	next := found.NextAfter()
	if next != "" {
		pass.read += len(found.Results)
		if pass.read+hubspot.MaxSearchLimit > hubspot.MaxSearchResults {
			// Search pages no further: query again from the last page's
			// time (what it reads again was emitted, and is skipped).
			pass.query, pass.read = lastModified(p.res, found.Results, pass.query), 0
			return recs, "", nil
		}
	}
	return recs, next, nil
}

// archivedPage reads a page of the archived objects with their histories
// and emits the values set since the last archived read's window that
// were not emitted.
func (p *historyScan) archivedPage(ctx context.Context, st *HistoryState) ([]opencdc.Record, string, error) {
	page, err := p.objects.List(ctx, p.res.Name, hubspot.ListOptions{
		Limit: hubspot.MaxHistoryLimit, After: p.pass.after, Archived: true,
		Properties: []string{hubspot.ObjectIDProperty}, PropertiesWithHistory: p.props,
	})
	if err != nil {
		return nil, "", fmt.Errorf("read the history of %s archived: %w", p.res.Name, err)
	}
	recs, err := p.emitValues(st, page.Results)
	return recs, page.NextAfter(), err
}

// floor is where a pass whose last one started at cursor reads from: a
// look-back window before it, no further back than the initial
// timestamp, up to which the values are the snapshot's.
func (p *historyScan) floor(cursor time.Time) time.Time {
	from := p.windowStart(cursor)
	if init := *p.history.pos.InitialTimestamp; from.Before(init) {
		return init
	}
	return from
}

// windowStart is where a pass from cursor starts: as long before it as
// search may show a change late (reader.stale).
func (p *historyScan) windowStart(cursor time.Time) time.Time {
	return cursor.Add(-p.stale)
}

// emitChanges batch-reads the histories of the objects search found and
// emits the values set after the initial timestamp, from the pass's
// start on, that st does not hold as emitted.
func (p *historyScan) emitChanges(ctx context.Context, st *HistoryState, found []hubspot.Object) ([]opencdc.Record, error) {
	// An object read at the version search shows was read this run:
	// the look-back shows it pass after pass, and its history is read
	// once.
	var ids []string
	versions := map[string]time.Time{}
	for _, o := range found {
		it, err := objectItem(p.res, o)
		if err != nil {
			return nil, fmt.Errorf("read changes: %w", err)
		}
		if read, ok := p.readAt[o.ID]; ok && !it.key.ts.After(read) {
			continue
		}
		ids = append(ids, o.ID)
		versions[o.ID] = it.key.ts
	}
	if len(ids) == 0 {
		return nil, nil
	}
	res, err := p.objects.BatchRead(ctx, p.res.Name, hubspot.BatchReadRequest{
		IDs: ids, Properties: []string{hubspot.ObjectIDProperty}, PropertiesWithHistory: p.props,
	})
	if err != nil {
		return nil, fmt.Errorf("read the history of %s: %w", p.res.Name, err)
	}
	objs, err := p.withArchived(ctx, ids, res.Results)
	if err != nil {
		return nil, err
	}
	recs, err := p.emitValues(st, objs)
	if err != nil {
		return nil, err
	}
	maps.Copy(p.readAt, versions)
	return recs, nil
}

// emitValues emits the values of objs set after the initial timestamp,
// from the pass's floor on, that st does not hold as emitted, and adds
// them to it.
func (p *historyScan) emitValues(st *HistoryState, objs []hubspot.Object) ([]opencdc.Record, error) {
	values, err := historyValues(objs, p.props)
	if err != nil {
		return nil, fmt.Errorf("read the history of %s: %w", p.res.Name, err)
	}
	emitted := make(map[HistoryKey]bool, len(st.Recent))
	for _, k := range st.Recent {
		emitted[k] = true
	}
	init := *p.history.pos.InitialTimestamp
	var recs []opencdc.Record
	for _, v := range values {
		if !v.key.Timestamp.After(init) || v.key.Timestamp.Before(p.pass.from) || emitted[v.key] {
			continue
		}
		emitted[v.key] = true
		st.Recent = append(st.Recent, v.key)
		rec, err := p.emit(opencdc.OperationCreate, *st, v)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// withArchived adds to read, the objects a batch read of ids found, the
// ones it did not find read again archived: an object archived since
// search showed it keeps the values set before, which are emitted as any
// others (one more request, only when an object went). A merged id reads
// as its survivor, whose history the pass reads anyway.
func (p *historyScan) withArchived(ctx context.Context, ids []string, read []hubspot.Object) ([]hubspot.Object, error) {
	found := make(map[string]bool, len(read))
	for _, o := range read {
		found[o.ID] = true
	}
	var gone []string
	for _, id := range ids {
		if !found[id] {
			gone = append(gone, id)
		}
	}
	if len(gone) == 0 {
		return read, nil
	}
	res, err := p.objects.BatchRead(ctx, p.res.Name, hubspot.BatchReadRequest{
		IDs: gone, Properties: []string{hubspot.ObjectIDProperty}, PropertiesWithHistory: p.props, Archived: true,
	})
	if err != nil {
		return nil, fmt.Errorf("read the history of %s archived: %w", p.res.Name, err)
	}
	return append(read, res.Results...), nil
}

// lastModified is the latest modified time among objs, or from.
func lastModified(res hubspot.Resource, objs []hubspot.Object, from time.Time) time.Time {
	last := from
	for _, o := range objs {
		it, err := objectItem(res, o)
		if err == nil && it.key.ts.After(last) {
			last = it.key.ts
		}
	}
	return last
}

// histories are the properties of propertyHistory by the name of the
// resource they are of, among the resources read: CRM object types only.
func (c *Config) histories(set resourceSet, resources []hubspot.Resource) (map[string][]string, error) {
	out := map[string][]string{}
	named := propertyNames(c.PropertyHistory)
	if len(named) == 0 {
		return out, nil
	}
	n := 0
	for _, res := range resources {
		props := set.properties(res, named)
		if len(props) == 0 {
			continue
		}
		if res.Kind != hubspot.KindCRMObject || res.IsOwners {
			return nil, fmt.Errorf("%q: %s has no property history: name properties of CRM object types, such as deals.dealstage", KeyPropertyHistory, res.DisplayName())
		}
		out[res.Name] = props
		n += len(props)
	}
	if n < len(named) {
		return nil, fmt.Errorf("%q names a resource that is not read (%q): qualify each property with one of them", KeyPropertyHistory, KeyResources)
	}
	return out, nil
}

// startHistory starts the stream of res's property history, after res's
// own, whose catalog checks the names.
func (s *Source) startHistory(ctx context.Context, res hubspot.Resource, props []string, svc services, states map[string]*Position) error {
	objects := s.streams[len(s.streams)-1].reader
	if err := objects.hub.catalog.check(ctx, typedNames{param: KeyPropertyHistory, names: props}); err != nil {
		return fmt.Errorf("open %s: %w", res.Name, err)
	}
	name := res.Name + historySuffix
	cfg := readerConfig{
		resource: hubspot.Resource{Name: name}, historyOf: &res, historyProps: props,
		lookback: s.config.LookbackWindow, snapshot: s.config.Snapshot,
		deletesEvery: cmp.Or(s.config.DeletesPollingPeriod, s.config.PollingPeriod),
	}
	if err := s.start(ctx, cfg, svc, states[name]); err != nil {
		return err
	}
	delete(states, name)
	return nil
}
