package source

import (
	"context"
	"fmt"
	"strconv"

	"github.com/conduitio/conduit-commons/opencdc"
)

// snapshotScan lists the resource by id and emits the objects created up
// to the initial timestamp. A list has no 10,000 cap and no index lag.
type snapshotScan struct {
	hub     *hub
	history *history
	after   string // list cursor of the next page
}

// step reads one page; done says it was the last.
func (s *snapshotScan) step(ctx context.Context) (recs []opencdc.Record, done bool, err error) {
	items, next, err := s.hub.list(ctx, s.after)
	if err != nil {
		return nil, false, fmt.Errorf("snapshot: %w", err)
	}
	init := *s.history.pos.InitialTimestamp
	recs = make([]opencdc.Record, 0, len(items))
	for _, it := range items {
		if it.createdAt.After(init) {
			continue // created after the start: CDC emits it
		}
		if !it.key.ts.After(init) {
			// Merged before the start (a merge changes the survivor): the
			// absorbed objects were gone when the snapshot began.
			s.history.noteMergedAway(it)
		}
		rec, err := s.history.snapshot(it)
		if err != nil {
			return nil, false, err
		}
		recs = append(recs, rec)
	}
	s.after = next
	return recs, next == "", nil
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
