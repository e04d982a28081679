package source

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// ListReader is what the source needs of hubspot.ListsService: the lists
// search and a list's members by record id.
type ListReader interface {
	Search(ctx context.Context, in hubspot.ListSearchRequest) (*hubspot.ListSearchPage, error)
	Members(ctx context.Context, listID, after string, limit int) (*hubspot.MemberPage, error)
}

var _ ListReader = (*hubspot.ListsService)(nil)

// searchLists reads every list, 500 a page (the search's most), in
// ascending id order; it returns them and the pages it took. A list the
// search shows deleted (deletedAt set: some accounts may list them, see
// hubspottest.WithDeletedListsInSearch) is left out, as one it leaves out.
func searchLists(ctx context.Context, svc ListReader) ([]hubspot.List, int, error) {
	var out []hubspot.List
	pages := 0
	for offset := 0; ; {
		page, err := svc.Search(ctx, hubspot.ListSearchRequest{Offset: offset, Count: hubspot.MaxListSearchCount})
		if err != nil {
			return nil, pages, fmt.Errorf("read changes: %w", err)
		}
		pages++
		for _, l := range page.Lists {
			if l.DeletedAt == nil {
				out = append(out, l)
			}
		}
		if !page.HasMore || len(page.Lists) == 0 || page.Offset <= offset {
			break
		}
		offset = page.Offset
	}
	slices.SortFunc(out, func(a, b hubspot.List) int { return compareIDs(a.ListID, b.ListID) })
	return out, pages, nil
}

// wholeScan is a scan that reads snapshot and changes in one, pass after
// pass: the lists and their members.
type wholeScan interface {
	step(ctx context.Context) ([]opencdc.Record, bool, error)
	// idle says that the last step found nothing due.
	idle() bool
}

// startLists sets up the scan of a KindLists resource, new or at pos.
func (r *reader) startLists(pos *Position, svc ListReader, now func() time.Time) {
	h := r.history
	baseline := false
	if pos == nil {
		init := now().UTC().Truncate(time.Millisecond)
		h.pos = Position{Mode: ModeSnapshot, InitialTimestamp: &init}
		if !r.cfg.snapshot {
			h.pos.Mode, baseline = ModeCDC, true
		}
	} else {
		h.pos = *pos
	}
	if r.cfg.resource.Lists.Members {
		r.lists = &memberScan{svc: svc, history: h, now: now, every: r.cfg.deletesEvery,
			perPage: r.cfg.deletesPerPage, deletes: r.cfg.deletes, baseline: baseline}
		return
	}
	h.shape = newShape(r.cfg.resource.Name)
	r.lists = &crmListScan{svc: svc, history: h, now: now, every: r.cfg.deletesEvery, deletes: r.cfg.deletes, baseline: baseline}
}

// Field names of the lists records, besides id and the times.
const (
	listFieldName          = "name"
	listFieldObjectType    = "objectTypeId"
	listFieldProcessing    = "processingType"
	listFieldStatus        = "processingStatus"
	listFieldVersion       = "listVersion"
	listFieldSize          = "size"
	listFieldFiltersAt     = "filtersUpdatedAt"
	listFieldLastAddedAt   = "lastRecordAddedAt"
	listFieldLastRemovedAt = "lastRecordRemovedAt"
)

// listFields are the typed fields of the lists records.
func listFields() []hubspot.Property {
	f := func(name, typ string) hubspot.Property { return hubspot.Property{Name: name, Type: typ} }
	return []hubspot.Property{
		f(listFieldName, "string"), f(listFieldObjectType, "string"), f(listFieldProcessing, "string"),
		f(listFieldStatus, "string"), f(listFieldVersion, "number"), f(listFieldSize, "number"),
		f(listFieldFiltersAt, "datetime"), f(listFieldLastAddedAt, "datetime"), f(listFieldLastRemovedAt, "datetime"),
	}
}

// listItem is a list as the source emits it. Its size and last added and
// removed times are the search's default list properties (as HubSpot
// writes them: epoch milliseconds or ISO 8601, both of which the datetime
// fields read).
func listItem(l hubspot.List) (item, error) {
	id, err := parseID(l.ListID)
	if err != nil {
		return item{}, fmt.Errorf("list: %w", err)
	}
	props := hubspot.Properties{
		listFieldName: hubspot.String(l.Name), listFieldObjectType: hubspot.String(l.ObjectTypeID),
		listFieldProcessing: hubspot.String(l.ProcessingType), listFieldStatus: hubspot.String(l.ProcessingStatus),
		listFieldVersion: hubspot.String(strconv.Itoa(l.ListVersion)),
	}
	for field, prop := range map[string]string{listFieldSize: hubspot.ListPropSize,
		listFieldLastAddedAt: hubspot.ListPropLastAddedAt, listFieldLastRemovedAt: hubspot.ListPropLastRemovedAt} {
		if v, ok := l.AdditionalProperties[prop]; ok && v != "" {
			props[field] = hubspot.String(v)
		}
	}
	if l.FiltersUpdatedAt != nil {
		props[listFieldFiltersAt] = hubspot.String(l.FiltersUpdatedAt.UTC().Format(time.RFC3339Nano))
	}
	it := item{id: l.ListID, row: hubspot.Row{Properties: props}}
	if l.CreatedAt != nil {
		it.createdAt = l.CreatedAt.UTC()
	}
	it.key = keyset{ts: it.createdAt, id: id}
	if l.UpdatedAt != nil {
		it.key.ts = l.UpdatedAt.UTC()
	}
	return it, nil
}

// crmListScan reads the lists resource: each pass searches every list (one
// request per 500 lists) and compares each with the digest the position
// remembers of it (Position.Lists): a list new to it is a create (a
// snapshot record in the first pass), one whose digest moved an update,
// one gone from the search (deleted) a delete; a list restored is new
// again. Passes are paced like the deletes scan: one every
// deletesPollingPeriod at most.
type crmListScan struct {
	svc      ListReader
	history  *history
	now      func() time.Time
	every    time.Duration
	deletes  bool
	baseline bool
	next     time.Time
	caughtUp bool
}

func (p *crmListScan) idle() bool { return p.caughtUp }

func (p *crmListScan) step(ctx context.Context) ([]opencdc.Record, bool, error) {
	now := p.now()
	if now.Before(p.next) {
		p.caughtUp = true
		return nil, false, nil
	}
	lists, _, err := searchLists(ctx, p.svc)
	if err != nil {
		return nil, false, err
	}
	p.next = now.Add(p.every)
	h := p.history
	known := maps.Clone(h.pos.Lists) // records made before hold the old map
	if known == nil {
		known = map[string]string{}
	}
	var recs []opencdc.Record
	emit := func(op opencdc.Operation, it item) error {
		h.pos.Lists = known
		rec, err := newRecord(op, h.pos, h.resource.Name, it, h.shape)
		if err == nil && !p.baseline {
			recs = append(recs, rec)
		}
		return err
	}
	live := make(map[string]bool, len(lists))
	for _, l := range lists {
		it, err := listItem(l)
		if err != nil {
			return nil, false, err
		}
		live[l.ListID] = true
		sum := stableSum(it.row.Properties)
		seen, ok := known[l.ListID]
		if ok && seen == sum {
			continue
		}
		known[l.ListID] = sum
		if err := emit(changeOp(ok, h.pos.Mode), it); err != nil {
			return nil, false, err
		}
	}
	for _, id := range sortedListIDs(known) {
		if live[id] {
			continue
		}
		delete(known, id)
		if p.deletes {
			// The search gives no time of the delete: the pass that saw it.
			gone := item{id: id, key: keyset{ts: now.UTC()}, archivedAt: timePtr(now.UTC())}
			if err := emit(opencdc.OperationDelete, gone); err != nil {
				return nil, false, err
			}
		}
	}
	h.pos.Lists = known
	h.pos.Mode = ModeCDC
	p.baseline, p.caughtUp = false, true
	return recs, false, nil
}
