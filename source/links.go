package source

import (
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/typed"
	"github.com/conduitio/conduit-commons/opencdc"
)

// AssociationReader is what the source needs of hubspot.AssociationsService:
// the links of objects to a type, with their labels.
type AssociationReader interface {
	BatchRead(ctx context.Context, fromType, toType string, ids []string) (*hubspot.AssociationsRead, error)
}

var _ AssociationReader = (*hubspot.AssociationsService)(nil)

// With associations on, each object's payload carries the objects it links
// to, per type, with their labels, read with the v4 batch read: the v3
// list's inline links would come at no extra call, but without labels. A
// page of objects costs one call per linked type (1,000 ids a call), on
// top of the page's own.
//
// HubSpot does not move an object's last-modified time when only its links
// change (docs/associations.md), so CDC alone would miss such a change:
// every associationsRefreshPeriod the source reads every object's links
// again (linkScan) and emits an update of each object whose links differ
// from what it emitted last.

// linked reads the links of the items to each linked type.
func (h *hub) linked(ctx context.Context, items []item) error {
	return h.linkedUnless(ctx, items, nil)
}

// linkedUnless reads the links of the items skip does not accept (all
// with skip nil): a look-back reads again what it emitted, and those
// items' links would cost requests for nothing.
func (h *hub) linkedUnless(ctx context.Context, items []item, skip func(item) bool) error {
	if len(h.links) == 0 || len(items) == 0 {
		return nil
	}
	// skip decides once per item: the change scan's digests the whole
	// version.
	read := make([]bool, len(items))
	ids := make([]string, 0, len(items))
	for i, it := range items {
		if read[i] = skip == nil || !skip(it); read[i] {
			ids = append(ids, it.id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	for _, to := range h.links {
		got, err := h.assoc.BatchRead(ctx, h.resource.Name, to, ids)
		if err != nil {
			return err
		}
		if len(got.Errors) > 0 {
			return fmt.Errorf("read links %s to %s: %s", h.resource.Name, to, got.Errors[0].Message)
		}
		for i := range items {
			if !read[i] {
				continue
			}
			if items[i].links == nil {
				items[i].links = make(map[string][]hubspot.Link, len(h.links))
			}
			ls := got.Links[items[i].id]
			slices.SortFunc(ls, func(a, b hubspot.Link) int { return compareIDs(a.ToID, b.ToID) })
			items[i].links[to] = ls
		}
	}
	return nil
}

// linksValue is the payload's associations field of an item's links to
// the types, each type's linked objects in id order (as linkedUnless
// sorted them); without links read (a delete's), each type's list is empty.
func linksValue(links map[string][]hubspot.Link, types []string) any {
	out := make(map[string]any, len(types))
	for _, t := range types {
		ls := links[t]
		entries := make([]any, len(ls))
		for i, l := range ls {
			labels := make([]any, 0, len(l.Types))
			for _, name := range l.Labels() {
				labels = append(labels, name)
			}
			entries[i] = map[string]any{record.FieldID: l.ToID, record.FieldLabels: labels}
		}
		out[typed.FieldName(t)] = entries
	}
	return out
}

// linksSum is a digest of an item's links (in id order, as linkedUnless
// sorted them), to tell a change of links alone.
func linksSum(links map[string][]hubspot.Link, types []string) uint64 {
	h := fnv.New64a()
	var buf []byte
	for _, t := range types {
		ls := links[t]
		buf = append(strconv.AppendInt(buf[:0], int64(len(ls)), 10), t...)
		for _, l := range ls {
			labels := l.Labels()
			slices.Sort(labels)
			buf = append(append(buf, ';'), l.ToID...)
			for _, name := range labels {
				buf = append(strconv.AppendInt(append(buf, ','), int64(len(name)), 10), name...)
			}
		}
		_, _ = h.Write(buf)
	}
	return h.Sum64()
}

func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b) // numeric ids: shorter is smaller
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// linkScan reads every live object's links again every period and emits
// an update of each object whose links are not the ones this run emitted
// last, with the object's current properties. What it emitted is in
// memory (history.linkSums): after a restart, its first pass emits every
// object once. Its records carry the position as it is: the scan moves no
// cursor, and a pass cut short by a stop is read again.
type linkScan struct {
	hub     *hub
	history *history
	every   time.Duration
	next    time.Time // when the next pass starts
	after   string    // the pass in progress: the list cursor; "" between passes
	running bool
}

// due reports whether the scan has a page to read.
func (l *linkScan) due() bool { return l.running || !l.hub.now().Before(l.next) }

// step reads one page of objects and their links.
func (l *linkScan) step(ctx context.Context) ([]opencdc.Record, error) {
	if !l.running {
		l.running, l.after = true, ""
	}
	page, err := l.hub.objects.List(ctx, l.hub.resource.Name, hubspot.ListOptions{
		Limit: hubspot.MaxListLimit, After: l.after, Properties: []string{hubspot.ObjectIDProperty},
	})
	if err != nil {
		return nil, fmt.Errorf("read links again: %w", err)
	}
	items := make([]item, 0, len(page.Results))
	for _, o := range page.Results {
		items = append(items, item{id: o.ID})
	}
	if err := l.hub.linked(ctx, items); err != nil {
		return nil, fmt.Errorf("read links again: %w", err)
	}
	changed := map[string]map[string][]hubspot.Link{}
	for _, it := range items {
		id, err := parseID(it.id)
		if err != nil {
			return nil, err
		}
		if sum, ok := l.history.linkSums[id]; !ok || sum != linksSum(it.links, l.hub.links) {
			changed[it.id] = it.links
		}
	}
	recs, err := l.emit(ctx, changed)
	if err != nil {
		return nil, err
	}
	if l.after = page.NextAfter(); l.after == "" {
		l.running, l.next = false, l.hub.now().Add(l.every)
	}
	return recs, nil
}

// emit reads the objects whose links changed, by id with the links the
// scan read, and returns their updates.
func (l *linkScan) emit(ctx context.Context, changed map[string]map[string][]hubspot.Link) ([]opencdc.Record, error) {
	if len(changed) == 0 {
		return nil, nil
	}
	ids := slices.Sorted(maps.Keys(changed))
	res, err := l.hub.objects.BatchRead(ctx, l.hub.resource.Name, hubspot.BatchReadRequest{IDs: ids, Columns: l.hub.columns()})
	if err != nil {
		return nil, fmt.Errorf("read the objects whose links changed: %w", err)
	}
	items, err := l.hub.objectItems(res.Results)
	if err != nil {
		return nil, err
	}
	recs := make([]opencdc.Record, 0, len(items))
	for _, it := range items {
		it.links = changed[it.id]
		rec, err := l.history.linkChange(it)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return recs, nil
}
