package source_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/syncbuf"
	"github.com/matryer/is"
	"github.com/rs/zerolog"
)

// TestIndexLagLogged: a fixed-seed share of the changes reaches search
// 10 s late, after the scan went by their time; the look-back reads them,
// and each is logged with how late it was at least (the last search over
// its time that did not show it), how long after it was made the look-back
// read it, and the largest lateness seen so far, which a user compares with
// lookbackWindow. Every change comes, once.
func TestIndexLagLogged(t *testing.T) {
	const lag = 10 * time.Second
	is := is.New(t)
	var buf syncbuf.Buffer
	ctx := zerolog.New(&buf).WithContext(context.Background())
	e := newEnv(t, hubspottest.WithLateIndexing(0.3, lag))
	src := openSource(t, e, map[string]string{"snapshot": "false"}, nil)
	seen := map[string]int{}
	read := func() {
		rctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		recs, err := src.ReadN(rctx, 100)
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("read: %v", err)
		}
		for _, r := range recs {
			seen[recordID(t, r)]++
		}
	}
	var ids []string
	for i := range 20 {
		id, err := e.srv.Create("contacts", map[string]string{"firstname": fmt.Sprint("n", i)})
		is.NoErr(err)
		ids = append(ids, id)
		e.clock.Advance(500 * time.Millisecond)
		read()
	}
	for range 200 { // 40 s of polls: past the lag and the look-back window
		e.clock.Advance(200 * time.Millisecond)
		read()
	}
	for _, id := range ids {
		is.Equal(seen[id], 1) // each change once
	}

	type line struct {
		ID         string    `json:"id"`
		Modified   time.Time `json:"modified"`
		LateBy     float64   `json:"lateBy"` // milliseconds, zerolog's unit
		FoundAfter float64   `json:"foundAfter"`
		MaxLateBy  float64   `json:"maxLateBy"`
		Lookback   float64   `json:"lookbackWindow"`
	}
	var lines []line
	var most float64
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if !strings.Contains(l, "hubspot search showed a change late") {
			continue
		}
		var g line
		is.NoErr(json.Unmarshal([]byte(l), &g))
		t.Logf("%+v", g)
		lines = append(lines, g)
		is.True(g.LateBy > 0 && g.LateBy < float64(lag.Milliseconds())) // a lower bound of the lag
		is.True(g.FoundAfter >= float64(lag.Milliseconds()))            // not searchable before
		most = max(most, g.LateBy)
		is.Equal(g.MaxLateBy, most)   // the largest so far
		is.Equal(g.Lookback, 30000.0) // the default window, to compare with
		is.True(seen[g.ID] == 1)
	}
	is.True(len(lines) > 0) // the late changes are logged
}
