package source

import (
	"context"
	"slices"
	"time"

	sdk "github.com/conduitio/conduit-connector-sdk"
)

// maxPasses bounds the searches a change scan remembers for measuring the
// index lag: a caught-up source polls about once a second, so a look-back
// window of minutes fits; past the bound, the oldest two are merged.
const maxPasses = 1000

// scanPass is a search of the change scan that read the changes after from
// up to to, sent at the source's time at: a change made in that stretch
// before at that the search did not show was not searchable then.
type scanPass struct{ at, from, to time.Time }

// lagGauge measures how late search shows changes: when a look-back finds
// a change the scan went by, the change was not searchable when the last
// search over its time was sent, that long after it was made at least.
// HubSpot gives no bound on this lag (airbytehq/airbyte#69203, where users
// lost records until Airbyte looked back minutes): the largest seen says
// whether lookbackWindow is enough for the account.
type lagGauge struct {
	passes []scanPass // within the look-back window, oldest first
	// current is the search whose page is being emitted: what it shows
	// is not late for it.
	current *scanPass
	found   []lateChange
	max     time.Duration
}

// lateChange is a change a look-back found: its id and time, how late it
// was at least (lateBy) and how long after it was made the look-back
// found it (foundAfter).
type lateChange struct {
	id                 string
	modified           time.Time
	lateBy, foundAfter time.Duration
}

// pass remembers a search over the changes after from up to to, whose
// page comes next.
func (g *lagGauge) pass(at, from, to time.Time) {
	g.commit()
	g.current = &scanPass{at: at, from: from, to: to}
}

// commit adds the search whose page was emitted to those that may have
// missed a change.
func (g *lagGauge) commit() {
	if g.current == nil {
		return
	}
	if len(g.passes) == maxPasses {
		// The earlier time: the lateness measured stays a lower bound.
		first, second := g.passes[0], g.passes[1]
		g.passes[1] = scanPass{at: first.at, from: minTime(first.from, second.from), to: maxTime(first.to, second.to)}
		g.passes = g.passes[1:]
	}
	g.passes = append(g.passes, *g.current)
	g.current = nil
}

// forget drops the searches over changes before from, which no look-back
// reads again.
func (g *lagGauge) forget(from time.Time) {
	g.passes = slices.DeleteFunc(g.passes, func(p scanPass) bool { return p.to.Before(from) })
}

// late notes a change a look-back found at now, if a search went over its
// time after it was made without showing it.
func (g *lagGauge) late(id string, modified, now time.Time) {
	var lateBy time.Duration
	for _, p := range g.passes {
		if p.from.Before(modified) && !modified.After(p.to) && p.at.Sub(modified) > lateBy {
			lateBy = p.at.Sub(modified)
		}
	}
	if lateBy <= 0 {
		return // no search over it missed it: nothing measured
	}
	g.max = max(g.max, lateBy)
	g.found = append(g.found, lateChange{id: id, modified: modified, lateBy: lateBy, foundAfter: now.Sub(modified)})
}

// report logs the changes found late since the last report.
func (g *lagGauge) report(ctx context.Context, resource string, lookback time.Duration) {
	for _, f := range g.found {
		sdk.Logger(ctx).Info().
			Str("resource", resource).
			Str("id", f.id).
			Time("modified", f.modified).
			Dur("lateBy", f.lateBy).
			Dur("foundAfter", f.foundAfter).
			Dur("maxLateBy", g.max).
			Dur("lookbackWindow", lookback).
			Msg("hubspot search showed a change late; the look-back read it")
	}
	g.found = g.found[:0]
	g.commit()
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
