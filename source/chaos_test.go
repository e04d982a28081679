package source_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/chaos"
	"github.com/conduitio/conduit-commons/opencdc"
)

// randomFault is one of the faults HubSpot (or the network to it) shows.
func randomFault(rng *rand.Rand) hubspottest.Fault {
	paths := []string{"", "/crm/objects/2026-09/*", "/crm/objects/2026-09/*/search", "/crm/objects/2026-09/*/*"}
	f := hubspottest.Fault{Path: paths[rng.IntN(len(paths))], Times: 1 + rng.IntN(4)}
	switch rng.IntN(6) {
	case 0:
		f.Kind, f.Status, f.Times = hubspottest.FaultStatus, 429, 1+rng.IntN(8) // a storm
	case 1:
		f.Kind, f.Status = hubspottest.FaultStatus, []int{500, 502, 503, 504}[rng.IntN(4)]
	case 2:
		f.Kind = hubspottest.FaultReset
	case 3:
		f.Kind = hubspottest.FaultTruncate
	case 4:
		f.Kind = hubspottest.FaultHTML
	default:
		f.Kind, f.Delay = hubspottest.FaultDelay, time.Duration(rng.IntN(30))*time.Millisecond
	}
	return f
}

// TestSourceChaos: random creates, updates and deletes (some sharing one
// millisecond, one burst past search's 10,000 cap), search index lag,
// injected faults, and restarts from the last acked position at random
// points. At the end the records account for every object's final state
// and every delete.
func TestSourceChaos(t *testing.T) {
	forEachChaosSearchBody(t, func(t *testing.T, sb searchBody) {
		chaos.Run(t, 25, func(t *testing.T, c chaos.Case) { sourceChaos(t, c, sb) })
	})
}

func sourceChaos(t *testing.T, c chaos.Case, sb searchBody) {
	runs, seed := c.Runs, c.Seed
	rng := rand.New(rand.NewPCG(seed, 11))
	e := sb.env(t, hubspottest.WithIndexLag(3*time.Second), hubspottest.WithRandomSeed(seed))
	ids, err := e.srv.Seed("contacts", 300, nil)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{"bufferSize": strconv.Itoa(20 + rng.IntN(81)), "maxRetries": "2"}
	src := openSource(t, e, settings, nil)

	var acked []opencdc.Record
	var lastAcked opencdc.Position
	reopen := func() {
		_ = src.Teardown(context.Background())
		var err error
		for range 10 { // Open's own call can meet a fault too
			if src, err = tryOpen(e, settings, lastAcked); err == nil {
				t.Cleanup(func() { _ = src.Teardown(context.Background()) })
				return
			}
		}
		t.Fatalf("seed %d: reopen: %v", seed, err)
	}
	burstAt := rng.IntN(runs)
	for run := range runs {
		e.clock.Advance(time.Duration(rng.IntN(2000)) * time.Millisecond)
		change := func() {
			switch id := ids[rng.IntN(len(ids))]; rng.IntN(10) {
			case 0:
				_ = e.srv.Archive("contacts", id)
			case 1, 2:
				id, err := e.srv.Create("contacts", map[string]string{"email": fmt.Sprintf("c%d-%d@example.com", run, rng.Int())})
				if err == nil {
					ids = append(ids, id)
				}
			default:
				_ = e.srv.Update("contacts", id, map[string]string{"lastname": fmt.Sprintf("L%d", rng.IntN(1e6))})
			}
		}
		n := rng.IntN(40)
		switch {
		case run == burstAt:
			n = 10050 // more than search pages through, between two polls
		case rng.IntN(4) == 0:
			e.srv.SameMillisecond(func() {
				for range n {
					change()
				}
			})
			n = 0
		}
		for i := range n {
			if i%500 == 499 {
				e.clock.Advance(time.Millisecond)
			}
			change()
		}
		for range rng.IntN(3) {
			e.srv.InjectFault(randomFault(rng))
		}

		// Read a while; an error ends the pipeline, which Conduit restarts.
		var read []opencdc.Record
		failed := false
		for range 1 + rng.IntN(6) {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			recs, err := src.ReadN(ctx, 1+rng.IntN(200))
			cancel()
			read = append(read, recs...)
			if err != nil {
				failed = ctx.Err() == nil
				break
			}
		}
		k := len(read)
		if failed || rng.IntN(2) == 0 {
			k = rng.IntN(len(read) + 1) // a random prefix was acked
		}
		acked = append(acked, read[:k]...)
		if k > 0 {
			lastAcked = read[k-1].Position
		}
		if failed || k < len(read) || rng.IntN(3) == 0 {
			reopen()
		}
	}
	e.srv.ClearFaults()
	e.clock.Advance(10 * time.Second) // past the index lag
	reopen()
	// The pipeline started when the source whose records were acked did: a
	// source reopened without a position (none of its predecessor's
	// records acked) starts anew, and what was archived before that is no
	// delete of this pipeline.
	startOf := func(acked []opencdc.Record) time.Time {
		if len(acked) == 0 {
			return t0
		}
		return *positionOf(t, acked[0]).InitialTimestamp
	}
	props := propsOf(t, "contacts")
	// The simulator's state is final now: reading ends once the records
	// account for all of it, however slowly they come. The bound is on a
	// stall only: two minutes ran out at a load average of 25 with the
	// race detector, and reported objects lost that came after it.
	acked = append(acked, e.readUntil(t, src, 8*time.Minute, func(read []opencdc.Record) bool {
		all := slices.Concat(acked, read)
		rp := newReplica()
		rp.apply(t, all)
		return len(rp.lost(e.srv, "contacts", startOf(all), props, false)) == 0
	})...)
	rp := newReplica()
	rp.apply(t, acked)
	t.Logf("%d records acked, %d repeats, %d objects", len(acked), rp.repeats, len(e.srv.Objects("contacts")))
	rp.checkState(t, e.srv, "contacts", startOf(acked), props, false)
}
