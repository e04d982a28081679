package source

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// PipelineReader is what the source needs of hubspot.PipelinesService: the
// list of an object type's pipelines with their stages.
type PipelineReader interface {
	List(ctx context.Context, objectType string) ([]hubspot.Pipeline, error)
}

var _ PipelineReader = (*hubspot.PipelinesService)(nil)

// pipelineScan reads a pipeline resource. The pipelines list takes no
// filter and no paging (the spec's GET /crm/pipelines/{version}/{objectType}):
// each pass reads it whole, in one request, and compares what it shows with
// what the position remembers emitting (Position.Pipelines): one new to it
// is a create (a snapshot record in the snapshot's pass), one whose record
// differs an update, and one gone from the list or listed archived a
// delete. A pipeline's or stage's updatedAt is not trusted to tell a
// change: a stage's record changes with its pipeline's label too. Passes
// are paced like the deletes scan: one every deletesPollingPeriod at most.
type pipelineScan struct {
	svc     PipelineReader
	spec    hubspot.PipelineSpec
	history *history
	now     func() time.Time
	every   time.Duration
	// deletes says whether pipelines gone from the list become deletes.
	deletes bool
	// baseline says that the next pass notes what the list shows and emits
	// nothing: a new source with the snapshot off.
	baseline bool
	next     time.Time // when the next pass is due
	caughtUp bool
}

// startPipelines sets up the scan of a pipeline resource, new or at pos.
func (r *reader) startPipelines(pos *Position, svc PipelineReader, now func() time.Time) {
	h := r.history
	h.shape = newShape(r.cfg.resource.Name)
	scan := &pipelineScan{svc: svc, spec: *r.cfg.resource.Pipelines, history: h, now: now,
		every: r.cfg.deletesEvery, deletes: r.cfg.deletes}
	if pos == nil {
		init := now().UTC().Truncate(time.Millisecond)
		h.pos = Position{Mode: ModeSnapshot, InitialTimestamp: &init}
		if !r.cfg.snapshot {
			h.pos.Mode, scan.baseline = ModeCDC, true
		}
	} else {
		h.pos = *pos
	}
	if h.pos.Pipelines == nil {
		h.pos.Pipelines = map[string]PipelineSeen{}
	}
	r.pipelines = scan
}

// changeOp is the operation of a record of a scan that reads its
// resource whole: an update of one it emitted before (known), else a
// snapshot record in the snapshot's pass or a create after it.
func changeOp(known bool, mode Mode) opencdc.Operation {
	switch {
	case known:
		return opencdc.OperationUpdate
	case mode == ModeSnapshot:
		return opencdc.OperationSnapshot
	}
	return opencdc.OperationCreate
}

// step makes a pass when one is due.
func (p *pipelineScan) step(ctx context.Context) ([]opencdc.Record, bool, error) {
	now := p.now()
	if now.Before(p.next) {
		p.caughtUp = true
		return nil, false, nil
	}
	list, err := p.svc.List(ctx, p.spec.ObjectType)
	if err != nil {
		return nil, false, fmt.Errorf("read changes: %w", err)
	}
	p.next = now.Add(p.every)
	items, err := pipelineItems(p.spec, list)
	if err != nil {
		return nil, false, err
	}
	h := p.history
	// A new map for this pass: the records made before it hold the old
	// one in their positions, as marshalled, and a failed pass leaves it.
	known := maps.Clone(h.pos.Pipelines)
	live := make(map[string]bool, len(items))
	var recs []opencdc.Record
	emit := func(op opencdc.Operation, it item, before *PipelineSeen) error {
		h.pos.Pipelines = known
		rec, err := newRecord(op, h.pos, h.resource.Name, it, h.shape)
		if err == nil && before != nil {
			// What the mirror knows it by, when the label changed.
			rec.Payload.Before, _, err = h.shape.encode(goneItem(it.id, *before, it.key.ts, false))
		}
		if err == nil && !p.baseline {
			recs = append(recs, rec)
		}
		return err
	}
	gone := map[string]time.Time{}
	for _, pi := range items {
		if pi.archived {
			at := now
			if pi.archivedAt != nil {
				at = *pi.archivedAt
			}
			gone[pi.id] = at
			continue
		}
		live[pi.id] = true
		seen, ok := known[pi.id]
		next := seenOf(pi.item)
		if ok && seen.Sum == next.Sum {
			continue
		}
		op := changeOp(ok, h.pos.Mode)
		known[pi.id] = next
		var before *PipelineSeen
		if ok {
			before = &seen
		}
		if err := emit(op, pi.item, before); err != nil {
			return nil, false, err
		}
	}
	for _, id := range sortedIDs(known) {
		if live[id] {
			continue
		}
		seen := known[id]
		delete(known, id)
		if !p.deletes {
			continue
		}
		at, ok := gone[id]
		if !ok {
			at = now // no archive time: when the list showed it gone
		}
		if err := emit(opencdc.OperationDelete, goneItem(id, seen, at, true), nil); err != nil {
			return nil, false, err
		}
	}
	h.pos.Pipelines = known
	h.pos.Mode = ModeCDC
	p.baseline, p.caughtUp = false, true
	return recs, false, nil
}
