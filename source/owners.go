package source

import (
	"context"
	"fmt"
	"slices"

	"github.com/conduitio/conduit-commons/opencdc"
)

// ownerScan emits the owners changed since its cursor. Owners have no
// search, so each poll lists them all and keeps the changed ones.
type ownerScan struct {
	hub     *hub
	history *history
	cursor  keyset // the scan has emitted everything up to here

	// the poll in progress
	after   string
	changed []item
}

func (o *ownerScan) step(ctx context.Context) ([]opencdc.Record, bool, error) {
	items, next, err := o.hub.ownersPage(ctx, o.after)
	if err != nil {
		return nil, false, fmt.Errorf("read owner changes: %w", err)
	}
	for _, it := range items {
		if o.cursor.less(it.key) {
			o.changed = append(o.changed, it)
		}
	}
	if o.after = next; next != "" {
		return nil, true, nil
	}
	changed := o.changed
	o.changed = nil
	slices.SortFunc(changed, func(a, b item) int { return compareKeys(a.key, b.key) })
	recs := make([]opencdc.Record, 0, len(changed))
	for _, it := range changed {
		o.cursor = it.key
		if recs, err = o.history.appendChange(recs, it); err != nil {
			return nil, false, err
		}
	}
	return recs, false, nil
}
