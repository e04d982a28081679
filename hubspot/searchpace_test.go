package hubspot_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// searchRun is what runSearches measured after its first minute.
type searchRun struct {
	searches, refused int     // that met the simulator's search limit, and its 429s
	perThousand       float64 // 429s per 1,000 searches
	admittedPerSecond float64 // searches the simulator served, per second
	perClient         []int   // calls each client finished
	errs              []error
}

// runSearches runs each client's searches, one after another, until d has
// passed on clock, with time moving only when every client waits on it (as
// runClients), and measures the simulator's search limit after the first
// minute.
func runSearches(t *testing.T, srv *hubspottest.Server, clock *hubspottest.ManualClock, d time.Duration, clients ...*hubspot.Client) searchRun {
	t.Helper()
	start := clock.Now()
	end, warm := start.Add(d), start.Add(time.Minute)
	var running atomic.Int32
	running.Store(int32(len(clients)))
	run := searchRun{perClient: make([]int, len(clients)), errs: make([]error, len(clients))}
	done := make([]atomic.Int32, len(clients))
	for i, c := range clients {
		go func() {
			defer running.Add(-1)
			for clock.Now().Before(end) {
				if _, err := c.Objects.Search(context.Background(), "contacts", hubspot.SearchRequest{Limit: 1}); err != nil {
					run.errs[i] = err
					return
				}
				done[i].Add(1)
			}
		}()
	}
	var warmSearches, warmRefused int
	warmed := false
	driveClock(clock, &running, func() {
		if !warmed && !clock.Now().Before(warm) {
			warmed = true
			warmSearches, warmRefused = srv.SearchLimitCounts()
		}
	})
	searches, refused := srv.SearchLimitCounts()
	run.searches, run.refused = searches-warmSearches, refused-warmRefused
	if run.searches > 0 {
		run.perThousand = 1000 * float64(run.refused) / float64(run.searches)
	}
	run.admittedPerSecond = float64(run.searches-run.refused) / clock.Now().Sub(warm).Seconds()
	for i := range done {
		run.perClient[i] = int(done[i].Load())
	}
	return run
}

// pacedClient is a client of srv at the default search limit and backoff,
// on the simulator's clock.
func pacedClient(t *testing.T, srv *hubspottest.Server, clock *hubspottest.ManualClock, token string, opts ...hubspot.Option) *hubspot.Client {
	t.Helper()
	c, err := hubspot.NewClient(token, append([]hubspot.Option{hubspot.WithBaseURL(srv.URL), hubspot.WithClock(clock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestSearchesShareTheAccountLimit: three clients (three pipelines, each
// its own process) search as fast as they may on one token against the
// account's search limit of 5 a second, which none of them can see. Each
// SECONDLY 429 halves its pace and the pace climbs back slowly, so after a
// minute they have settled under the limit: few 429s, most of the limit
// used, no client starved, and no call fails with the default retries.
//
// The bound on 429s follows from the pace's model: settled, the three
// paces sum to about the limit, each about 5/3; an overrun costs about one
// 429 and halves one pace (by about 5/6), and the three climb back
// together at 3 × 5/300 = 0.05 searches a second per second, so the next
// overrun comes about 17 s later, after about 70 searches: 14 per 1,000.
// Runs measure 16 to 17 (the rolling window overruns a little before the
// paces sum to 5); the bound is 25. Paced at 4 a second each, as before,
// they kept overrunning it: 374 per 1,000.
func TestSearchesShareTheAccountLimit(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(pacingStart)
	srv := newSim(t, hubspottest.WithClock(clock), hubspottest.WithRandomSeed(5))
	clients := make([]*hubspot.Client, 3)
	for i := range clients {
		clients[i] = pacedClient(t, srv, clock, srv.Token)
	}
	run := runSearches(t, srv, clock, 6*time.Minute, clients...)
	for _, err := range run.errs {
		is.NoErr(err) // a SECONDLY 429 is a wait, not a failure
	}
	t.Logf("after the first minute: %d searches, %d refused (%.1f per 1,000), %.2f served a second; calls per client %v",
		run.searches, run.refused, run.perThousand, run.admittedPerSecond, run.perClient)
	is.True(run.perThousand <= 25)
	is.True(run.admittedPerSecond >= 0.6*5) // the limit is used, not given up
	total := 0
	for _, n := range run.perClient {
		total += n
	}
	for _, n := range run.perClient {
		is.True(n*3*len(clients) >= total) // none starves: at least a third of an equal share
	}
	for _, c := range clients {
		is.True(c.Budget().SearchPace < 5) // each slowed down below the limit
	}
}

// TestSearchLimitPerToken: where HubSpot counts the search limit per
// token (its changelog), three clients on three tokens of one account
// each have 5 a second: they meet no 429 and keep the full pace.
func TestSearchLimitPerToken(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(pacingStart)
	var opts []hubspottest.Option
	for i := range 2 {
		opts = append(opts, hubspottest.WithOAuthApp(fmt.Sprintf("app-%d", i), "secret", fmt.Sprintf("refresh-%d", i)))
	}
	srv := newSim(t, append(opts, hubspottest.WithClock(clock), hubspottest.WithSearchLimitPerToken())...)
	clients := []*hubspot.Client{
		pacedClient(t, srv, clock, srv.Token),
		pacedClient(t, srv, clock, "", hubspot.WithOAuth("app-0", "secret", "refresh-0")),
		pacedClient(t, srv, clock, "", hubspot.WithOAuth("app-1", "secret", "refresh-1")),
	}
	run := runSearches(t, srv, clock, 2*time.Minute, clients...)
	for _, err := range run.errs {
		is.NoErr(err)
	}
	t.Logf("after the first minute: %d searches, %d refused, %.2f served a second", run.searches, run.refused, run.admittedPerSecond)
	is.Equal(run.refused, 0)
	is.True(run.admittedPerSecond >= 3*5*0.95)
	for _, c := range clients {
		is.Equal(c.Budget().SearchPace, 5.0)
	}
}

// secondly is HubSpot's answer to a search over the search limit
// (github.com/HGData/mk-node-hubspot/issues/89).
var secondly = reply{status: 429, body: `{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId":"6828d000-3d2f-4701-8d90-b21e53b0d005","policyName":"SECONDLY"}`}

// timed records the time on clock at which each request arrived.
type timed struct {
	h     http.Handler
	clock hubspot.Clock
	mu    sync.Mutex
	at    []time.Time
}

func (t *timed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t.mu.Lock()
	t.at = append(t.at, t.clock.Now())
	t.mu.Unlock()
	t.h.ServeHTTP(w, r)
}

func (t *timed) times() []time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.at)
}

// newTimedScript is newScripted whose server also records when, on the
// client's clock, each request arrived.
func newTimedScript(t *testing.T, replies []reply, opts ...hubspot.Option) (*hubspot.Client, *timed, *hubspottest.ManualClock) {
	t.Helper()
	clock := newFakeClock()
	ts := &timed{h: &script{replies: replies}, clock: clock}
	srv := httptest.NewServer(ts)
	t.Cleanup(srv.Close)
	c, err := hubspot.NewClient(testToken, append([]hubspot.Option{hubspot.WithBaseURL(srv.URL), hubspot.WithClock(clock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, ts, clock
}

func search(ctx context.Context, c *hubspot.Client) error {
	_, err := c.Objects.Search(ctx, "contacts", hubspot.SearchRequest{Limit: 1})
	return err
}

// near reports whether a and b differ by less than a thousandth.
func near(a, b float64) bool { return math.Abs(a-b) < 1e-3 }

// TestSearchPaceSlowsAndRecovers: a SECONDLY 429 halves the search pace;
// 429s less than a second after a halving (the answers to searches that
// were on their way together) halve it no further; it then climbs back
// by a 300th of the limit each second (a sixtieth of a search per second
// at 5), to the limit and no higher. Searches go at least 1/pace apart,
// and the refused search goes through on its retry.
func TestSearchPaceSlowsAndRecovers(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	ok := reply{status: 200, body: `{"total":0,"results":[]}`}
	c, ts, clock := newTimedScript(t, []reply{secondly, secondly, ok, ok, ok, secondly, ok},
		hubspot.WithBackoff(5*time.Millisecond, 300*time.Millisecond)) // retries 300 ms apart: within the second
	start := clock.Now()
	is.Equal(c.Budget().SearchPace, 5.0)

	is.NoErr(search(ctx, c)) // 429, 429 300 ms later, then served
	at := ts.times()
	is.Equal(len(at), 3)
	is.Equal(at[0], start)
	is.True(at[1].Sub(at[0]) < time.Second) // the retry waits 300 ms (the longest backoff) and the pace's gap
	climb := func(since time.Time) float64 { return clock.Now().Sub(since).Seconds() * 5 / 300 }
	is.True(near(c.Budget().SearchPace, 2.5+climb(start))) // halved once for both 429s

	is.NoErr(search(ctx, c))
	is.NoErr(search(ctx, c))
	at = ts.times()
	for i := 3; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < 390*time.Millisecond { // 1/2.5 s, less the climb
			t.Fatalf("searches %d and %d went %s apart at a pace of about 2.5 a second", i-1, i, gap)
		}
	}

	clock.Advance(10 * time.Second)
	slowedAt := clock.Now()
	before := c.Budget().SearchPace
	is.NoErr(search(ctx, c)) // 429 a second or more after the last halving, then served
	is.True(near(c.Budget().SearchPace, before/2+climb(slowedAt)))

	clock.Advance(time.Minute)
	is.True(near(c.Budget().SearchPace, before/2+climb(slowedAt)))
	clock.Advance(5 * time.Minute)
	is.Equal(c.Budget().SearchPace, 5.0) // back at the limit, and no higher
}

// TestSecondlyIsNoDailyPause: a SECONDLY 429 is waited out over the
// second its limit counts and retried, with the daily pause on or off; it
// is never taken for the daily limit (which pauses until midnight) and
// the call does not fail. A DAILY 429 on a search leaves the search pace
// alone: it says nothing of the per-second limit.
func TestSecondlyIsNoDailyPause(t *testing.T) {
	ok := reply{status: 200, body: `{"results":[]}`}
	for _, pause := range []bool{true, false} {
		t.Run(map[bool]string{true: "pause", false: "fail"}[pause], func(t *testing.T) {
			is := is.New(t)
			var opts []hubspot.Option
			if pause {
				opts = append(opts, hubspot.WithDailyLimitPause())
			}
			c, ts, clock := newTimedScript(t, []reply{secondly, ok}, opts...)
			start := clock.Now()
			is.NoErr(search(context.Background(), c))
			at := ts.times()
			is.Equal(len(at), 2)
			wait := at[1].Sub(at[0])
			is.True(wait >= time.Second && wait <= 1200*time.Millisecond) // the second, and up to a fifth more
			is.True(clock.Now().Sub(start) < 2*time.Second)               // no pause until midnight
			is.True(c.Budget().SearchPace < 2.6)
		})
	}
	t.Run("not a search", func(t *testing.T) {
		is := is.New(t)
		c, ts, _ := newTimedScript(t, []reply{secondly, ok})
		_, err := c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{Limit: 1})
		is.NoErr(err)
		at := ts.times()
		is.True(at[1].Sub(at[0]) <= 1200*time.Millisecond) // the second SECONDLY names, not 10 s
		is.Equal(c.Budget().SearchPace, 5.0)               // a list's 429 says nothing of search
	})
	t.Run("daily", func(t *testing.T) {
		is := is.New(t)
		daily := reply{status: 429, body: `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"}`}
		c, ts, _ := newTimedScript(t, []reply{daily})
		err := search(context.Background(), c)
		is.True(hubspot.IsDailyLimit(err))
		is.Equal(len(ts.times()), 1) // not retried
		is.Equal(c.Budget().SearchPace, 5.0)
	})
}
