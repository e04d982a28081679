package hubspot_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// pacingStart is where the clocks of the pacing tests start.
var pacingStart = time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

// runClients runs each client's calls in a goroutine of its own over HTTP,
// with time on clock moving only when every running client waits on it: to
// the earliest of their deadlines. The clients run as they would in real
// time, without the waiting, and how long they took is clock time.
func runClients(t *testing.T, clock *hubspottest.ManualClock, calls int, clients ...*hubspot.Client) []error {
	t.Helper()
	var running atomic.Int32
	running.Store(int32(len(clients)))
	errs := make([]error, len(clients))
	for i, c := range clients {
		go func() {
			defer running.Add(-1)
			for range calls {
				if _, err := c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{Limit: 1}); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	driveClock(clock, &running, nil)
	return errs
}

// driveClock moves clock on to its next deadline whenever each of the
// running clients waits on it, until none runs, calling moved (if not nil)
// after each move.
func driveClock(clock *hubspottest.ManualClock, running *atomic.Int32, moved func()) {
	for n := running.Load(); n > 0; n = running.Load() {
		if clock.Sleepers() < int(n) || !clock.AdvanceToNext() {
			time.Sleep(50 * time.Microsecond) // let the clients run; no outcome depends on how long
			continue
		}
		if moved != nil {
			moved()
		}
	}
}

// TestSharedRateLimit: two clients on one token, each configured for 190
// requests per 10 s (the default), against an account that allows 100. They
// learn the limit from HubSpot's headers and share the window by what
// X-HubSpot-RateLimit-Remaining says: no 429, and together they use at
// least 90 % of the window.
func TestSharedRateLimit(t *testing.T) {
	is := is.New(t)
	const limit, window, calls = 100, 10 * time.Second, 600
	clock := hubspottest.NewManualClock(pacingStart)
	srv := newSim(t, hubspottest.WithClock(clock), hubspottest.WithRateLimit(limit, window))
	a := simClient(t, srv, hubspot.WithClock(clock), hubspot.WithRateLimit(hubspot.DefaultRateLimit()), hubspot.WithMaxRetries(10))
	b := simClient(t, srv, hubspot.WithClock(clock), hubspot.WithRateLimit(hubspot.DefaultRateLimit()), hubspot.WithMaxRetries(10))

	for _, err := range runClients(t, clock, calls, a, b) {
		is.NoErr(err)
	}
	elapsed := clock.Now().Sub(pacingStart)
	is.Equal(srv.RateLimited(), 0) // no 429
	is.Equal(srv.TotalCalls(), 2*calls)
	// A rolling window lets at most limit requests through in each window
	// and one more full window at the start: the best n can do in elapsed.
	best := float64(limit) * (elapsed.Seconds()/window.Seconds() + 1)
	used := float64(2*calls) / best
	t.Logf("%d calls in %s: %.1f %% of %d per %s, %d refused", 2*calls, elapsed, 100*used, limit, window, srv.RateLimited())
	is.True(used >= 0.9)
}

// TestDailyLimit: a DAILY 429 is never retried into. With the pause on, the
// call waits until the quota resets at midnight in the account's time zone,
// saying so every few minutes, and then goes through; without it, the call
// fails with the error at once. A client told the account's zone waits for
// that zone's midnight, where the simulator resets the quota: in New York
// it comes 4 hours after midnight UTC, when a client that assumed UTC
// would be refused again and pause another day.
func TestDailyLimit(t *testing.T) {
	const daily = 3
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		zone  string         // the account's
		told  *time.Location // the client's WithAccountTimeZone; nil: UTC, the default
		pause bool
		reset time.Time // the midnight after pacingStart in zone
	}{
		{name: "pause, UTC", zone: "UTC", pause: true, reset: time.Date(2026, 5, 7, 0, 0, 0, 0, time.UTC)},
		{name: "pause, New York", zone: "America/New_York", told: newYork, pause: true, reset: time.Date(2026, 5, 7, 0, 0, 0, 0, newYork)},
		{name: "fail", zone: "UTC", reset: time.Date(2026, 5, 7, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			clock := hubspottest.NewAutoClock(pacingStart)
			srv := newSim(t, hubspottest.WithClock(clock), hubspottest.WithDailyLimit(daily), hubspottest.WithAccountTimeZone(tt.zone))
			var logs bytes.Buffer
			opts := []hubspot.Option{hubspot.WithClock(clock), hubspot.WithoutRateLimit(),
				hubspot.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn})))}
			if tt.pause {
				opts = append(opts, hubspot.WithDailyLimitPause())
			}
			if tt.told != nil {
				opts = append(opts, hubspot.WithAccountTimeZone(tt.told))
			}
			c := simClient(t, srv, opts...)
			list := func() error {
				_, err := c.Objects.List(ctx, "contacts", hubspot.ListOptions{Limit: 1})
				return err
			}
			for range daily {
				is.NoErr(list())
			}
			b := c.Budget()
			is.Equal(b.Daily, daily)
			is.Equal(b.DailyRemaining, 0)
			is.True(b.DailyReset.Equal(tt.reset))

			err := list()
			is.Equal(srv.RateLimited(), 1) // no retry into the DAILY limit
			if !tt.pause {
				is.True(hubspot.IsDailyLimit(err))
				is.True(strings.Contains(err.Error(), "daily API limit"))
				is.Equal(srv.TotalCalls(), daily+1)
				is.Equal(clock.Now(), pacingStart) // no wait either
				is.Equal(logs.Len(), 0)
				return
			}
			is.NoErr(err)
			is.Equal(srv.TotalCalls(), daily+2) // the refused call, then one after the reset
			is.True(clock.Now().Equal(tt.reset))
			for _, w := range clock.Waits() {
				is.True(w <= 5*time.Minute) // a log line every few minutes, not one for the day
			}
			lines := strings.Count(logs.String(), "pausing until it resets")
			is.Equal(lines, len(clock.Waits()))
			is.True(lines > 100) // 17 hours or more, in steps of 5 minutes
			is.True(strings.Contains(logs.String(), "timeZone="+c.AccountTimeZone().String()))
			is.True(strings.Contains(logs.String(), "the pause is over"))
			is.True(!strings.Contains(logs.String(), srv.Token))
			is.Equal(c.Budget().DailyRemaining, daily-1) // a new day's quota
		})
	}
}
