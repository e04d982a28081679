package source

import (
	"context"
	"fmt"
	"slices"

	"github.com/conduitio/conduit-commons/opencdc"
)

// ownerScan emits the owners changed since its cursor. Owners have no
// search, so each poll lists them all and keeps the changed ones, and the
// ones back from the archived list (ownerdeletes.go).
type ownerScan struct {
	hub     *hub
	history *history
	cursor  keyset // the scan has emitted everything up to here

	// the poll in progress
	after   string
	changed []item
	back    map[uint64]bool
	// caughtUp says that the last poll found nothing new.
	caughtUp bool
}

func (o *ownerScan) step(ctx context.Context) ([]opencdc.Record, bool, error) {
	items, next, err := o.hub.ownersPage(ctx, o.after, false)
	if err != nil {
		return nil, false, fmt.Errorf("read owner changes: %w", err)
	}
	read := o.history.noteRead()
	for _, it := range items {
		back := o.history.liveOwner(it.key.id, read)
		if back {
			if o.back == nil {
				o.back = map[uint64]bool{}
			}
			o.back[it.key.id] = true
		}
		if back || o.cursor.less(it.key) {
			o.changed = append(o.changed, it)
		}
	}
	if o.after = next; next != "" {
		return nil, true, nil
	}
	changed, back := o.changed, o.back
	o.changed, o.back = nil, nil
	slices.SortFunc(changed, func(a, b item) int { return compareKeys(a.key, b.key) })
	recs := make([]opencdc.Record, 0, len(changed))
	for _, it := range changed {
		advance := o.cursor.less(it.key)
		if advance {
			o.cursor = it.key
		}
		switch {
		case back[it.key.id]:
			recs, err = o.history.appendOwnerBack(recs, it, advance)
		case advance:
			recs, err = o.history.appendChange(recs, it)
		}
		if err != nil {
			return nil, false, err
		}
	}
	o.caughtUp = len(recs) == 0
	return recs, false, nil
}
