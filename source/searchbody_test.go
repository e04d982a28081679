package source_test

import (
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/syncbuf"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// fallbackLine is what the source logs once when HubSpot refuses a search
// for its size.
const fallbackLine = "refused a search for its size"

// searchBodies are the two ways HubSpot's search may treat the source's
// search bodies, which hold its whole property catalog: today's
// simulator, which takes any body (other connectors report sending every
// property without trouble), and the search guide's 3,000-character
// limit, with an account's full catalog (about 600 contact properties,
// some 12,000 characters of body) so that the limit bites, most of them
// empty on each object (WithSparseValues: TestSearchBodyLimitFallsBack
// reads them all filled). The CDC tests
// that must hold under both run once for each (forEachSearchBody).
var searchBodies = []searchBody{
	{"any search body", nil, false},
	{"3,000-character search bodies", []hubspottest.Option{hubspottest.WithFullPropertyCatalog(), hubspottest.WithSparseValues(), hubspottest.WithSearchBodyLimit()}, true},
}

// searchBody is one way HubSpot's search may treat large bodies.
type searchBody struct {
	name    string
	opts    []hubspottest.Option
	limited bool
}

// env is newEnv with the simulator behaving as sb says, besides opts.
func (sb searchBody) env(t *testing.T, opts ...hubspottest.Option) env {
	return newEnv(t, slices.Concat(opts, sb.opts)...)
}

// forEachChaosSearchBody runs a chaos test once for each of searchBodies
// under make chaos (CHAOS_SEED set), and with any search body alone under
// make test: the limit's full catalog makes the chaos tests' check of
// every object against its final state, read after read, too dear for
// make test's race detector (over 20 minutes on a 2-core machine).
func forEachChaosSearchBody(t *testing.T, test func(t *testing.T, sb searchBody)) {
	bodies := searchBodies
	if os.Getenv("CHAOS_SEED") == "" {
		bodies = bodies[:1]
	}
	for _, sb := range bodies {
		t.Run(sb.name, func(t *testing.T) { test(t, sb) })
	}
}

// forEachSearchBody runs test once for each of searchBodies.
func forEachSearchBody(t *testing.T, test func(t *testing.T, sb searchBody)) {
	for _, sb := range searchBodies {
		t.Run(sb.name, func(t *testing.T) { test(t, sb) })
	}
}

// TestSearchBodyLimitFallsBack reads a full property catalog's contacts
// (a snapshot, then changes; or changes alone, where CDC meets the limit
// first) from a HubSpot that takes any search body and from one that
// refuses bodies over 3,000 characters. Under the limit the source falls
// back to searches for ids and modified times and batch reads of the
// properties, logs it once, and loses nothing: every object is read once
// in the snapshot, with every property, and every change after it. A read
// waits up to two seconds: with 600 properties a page, a slow machine
// (the race detector, a shared machine) takes more than the usual 100 ms
// for a search and its batch read, and a read cut off redoes them.
func TestSearchBodyLimitFallsBack(t *testing.T) {
	tests := []struct {
		name              string
		snapshot, limited bool
	}{
		{"snapshot and CDC, any body", true, false},
		{"snapshot and CDC, 3,000 characters", true, true},
		{"CDC, 3,000 characters", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { searchBodyFallback(t, tt.snapshot, tt.limited) })
	}
}

func searchBodyFallback(t *testing.T, snapshot, limited bool) {
	is := is.New(t)
	opts := []hubspottest.Option{hubspottest.WithFullPropertyCatalog()}
	if limited {
		opts = append(opts, hubspottest.WithSearchBodyLimit())
	}
	var log syncbuf.Buffer
	e := newEnv(t, opts...).logTo(&log)
	ids, err := e.srv.Seed("contacts", 120, nil)
	is.NoErr(err)
	start := e.clock.Now()
	src := openSource(t, e, map[string]string{"bufferSize": "100", "snapshot": strconv.FormatBool(snapshot)}, nil)
	read := func() []opencdc.Record { return e.readQuiet(t, src, 2*time.Second, 4*time.Minute) }

	rp := newReplica()
	var props []string
	for _, p := range e.srv.Properties("contacts", false) {
		props = append(props, p.Name)
	}
	is.True(len(props) > 500)
	if snapshot {
		snap := read()
		is.Equal(countOps(snap)[opencdc.OperationSnapshot], 120)
		is.Equal(len(uniqueIDs(t, snap)), 120)
		rp.apply(t, snap)
		rp.check(t, e.srv, "contacts", start, props) // the snapshot read every property
	} else {
		// Without a snapshot, CDC reads every object once it changes.
		e.tick()
		for i, id := range ids {
			is.NoErr(e.srv.Update("contacts", id, map[string]string{"lastname": "U" + strconv.Itoa(i)}))
		}
		e.settle()
		rp.apply(t, read())
	}

	rng := rand.New(rand.NewPCG(24, 5))
	for range 2 {
		e.tick()
		changeContacts(t, e.srv, rng, &ids, 20, 4)
		rp.apply(t, read())
	}
	e.settle()
	rp.apply(t, read())
	rp.check(t, e.srv, "contacts", start, props)
	rp.deletedOnce(t, "contact")

	lines := strings.Count(log.String(), fallbackLine)
	if limited {
		is.Equal(lines, 1) // one line for the run, however many searches
	} else {
		is.Equal(lines, 0)
	}
}
