package source

import (
	"testing"
	"time"

	"github.com/matryer/is"
)

// TestLagGaugeBounded: past maxPasses searches the oldest two merge, with
// the earlier time, so the gauge stays bounded and what it measures stays
// a lower bound; the search whose page is emitted does not count, and
// forget drops what no look-back reads again.
func TestLagGaugeBounded(t *testing.T) {
	is := is.New(t)
	start := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	var g lagGauge
	for i := range maxPasses + 2 { // a search a second, each over its second
		from := start.Add(time.Duration(i) * time.Second)
		g.pass(from.Add(time.Second), from, from.Add(time.Second))
	}
	g.commit()
	is.Equal(len(g.passes), maxPasses)
	is.Equal(g.passes[0], scanPass{at: start.Add(time.Second), from: start, to: start.Add(3 * time.Second)}) // three merged

	// The merged searches were sent before this change was made: the
	// merge kept the earlier time, and nothing is measured.
	g.late("7", start.Add(2500*time.Millisecond), start.Add(time.Minute))
	is.Equal(len(g.found), 0)
	// A search a second after it went by, 800 ms after it was made.
	g.late("8", start.Add(10200*time.Millisecond), start.Add(time.Minute))
	is.Equal(len(g.found), 1)
	is.Equal(g.found[0].lateBy, 800*time.Millisecond)
	is.Equal(g.max, 800*time.Millisecond)

	// The search whose page is being emitted shows it: not late for it.
	end := start.Add(maxPasses * time.Second)
	g.pass(end.Add(5*time.Second), end, end.Add(5*time.Second))
	g.late("9", end.Add(time.Second), end.Add(5*time.Second))
	is.Equal(len(g.found), 1)

	g.commit()
	g.forget(end)
	is.Equal(len(g.passes), 4) // those that reach end: the last three of the second-long ones, and the last
}
