package source_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/syncbuf"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
	"github.com/rs/zerolog"
)

// TestDailyReserve: once the account's daily quota is down to the reserve,
// the source polls again only at the quota's reset (midnight in the
// account's time zone, which the source reads from the account details,
// where the simulator resets it), warns once, loses none of the changes
// made meanwhile, and polls every pollingPeriod again after the reset.
func TestDailyReserve(t *testing.T) {
	is := is.New(t)
	const daily = 1_000_000
	e := newEnv(t, hubspottest.WithDailyLimit(daily))
	// Midnight after t0 in US/Eastern (summer time), the simulator's
	// default account zone.
	reset := time.Date(2026, 5, 7, 4, 0, 0, 0, time.UTC)
	_, err := e.srv.Seed("contacts", 3, nil)
	is.NoErr(err)
	// The account's other integrations spent 60 % of the day's quota: the
	// source starts below its reserve of half.
	e.srv.SpendDailyQuota(daily * 60 / 100)

	var logs syncbuf.Buffer
	ctx := zerolog.New(&logs).Level(zerolog.InfoLevel).WithContext(context.Background())
	src, err := tryOpen(e, map[string]string{"dailyReservePercent": "50", "pollingPeriod": "1s"}, nil, hubspot.WithClock(e.clock))
	is.NoErr(err)
	defer func() { _ = src.Teardown(ctx) }()
	// Once caught up, ReadN waits for the next poll in real time; a read
	// that gives up shows that it waits, and NextPoll for how long.
	read := func() []opencdc.Record {
		rctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		recs, err := src.ReadN(rctx, 100)
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("read: %v", err)
		}
		return recs
	}
	got := 0
	for source.CaughtUpPolls(src) == 0 {
		got += len(read())
	}
	is.Equal(got, 3)                            // the snapshot
	is.Equal(len(read()), 0)                    // and then it waits
	is.Equal(source.NextPoll(src).UTC(), reset) // not a second before the reset
	is.Equal(strings.Count(logs.String(), "daily API quota is running low"), 1)

	// Changes made while the source waits (after the snapshot's
	// millisecond, which is the snapshot's) are read after the reset.
	e.tick()
	for _, email := range []string{"a@example.com", "b@example.com"} {
		_, err := e.srv.Create("contacts", map[string]string{"email": email})
		is.NoErr(err)
	}
	e.clock.Set(reset.Add(time.Minute))
	var recs []opencdc.Record
	for i := 0; len(recs) < 2 && i < 10; i++ {
		recs = append(recs, read()...)
		e.clock.Advance(time.Second)
	}
	is.Equal(len(recs), 2)
	// A new day's quota: the source polls every pollingPeriod again, and
	// says so once.
	is.True(!source.NextPoll(src).After(e.clock.Now()))
	is.Equal(strings.Count(logs.String(), "daily API quota is running low"), 1)
	is.Equal(strings.Count(logs.String(), "above the reserve again"), 1)
}

// TestDailyReserveCountsAPollNotTheSnapshot: the stretch is by what a
// poll costs once caught up. A snapshot of 50 pages with a healthy quota
// is no reason to wait longer than pollingPeriod for the first poll.
func TestDailyReserveCountsAPollNotTheSnapshot(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, hubspottest.WithDailyLimit(100_000))
	_, err := e.srv.Seed("contacts", 500, nil)
	is.NoErr(err)
	src, err := tryOpen(e, map[string]string{"pollingPeriod": "1s", "bufferSize": "10"}, nil, hubspot.WithClock(e.clock))
	is.NoErr(err)
	defer func() { _ = src.Teardown(context.Background()) }()
	got := 0
	// The loop ends on the source's polls, not on time: a read cut off on a
	// slow machine before the source caught up is read again. The deadline
	// only stops a stall.
	stall := time.Now().Add(time.Minute)
	for source.CaughtUpPolls(src) == 0 {
		if time.Now().After(stall) {
			t.Fatalf("the source did not catch up within a minute (%d records)", got)
		}
		rctx, cancel := context.WithTimeout(context.Background(), time.Second)
		recs, err := src.ReadN(rctx, 100)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			continue
		}
		is.NoErr(err)
		got += len(recs)
	}
	is.Equal(got, 500)
	is.Equal(source.NextPoll(src).Sub(e.clock.Now()), time.Second) // the polling period, not stretched
}

// TestDailyReserveSharedByResources: resources poll on their own
// schedules and spend the quota together, so each stretches its polling
// period by what all of them cost: three resources wait about three times
// as long as one.
func TestDailyReserveSharedByResources(t *testing.T) {
	wait := func(settings map[string]string, streams int) time.Duration {
		is := is.New(t)
		const daily = 1_000_000
		e := newEnv(t, hubspottest.WithDailyLimit(daily))
		for _, typ := range threeTypes {
			seed(t, e.srv, typ, 2)
		}
		// 20,000 requests above the reserve of 10 %, 17 hours before the
		// reset: a poll of one request waits about 3 s per stream.
		e.srv.SpendDailyQuota(daily*90/100 - 20_000)
		settings["pollingPeriod"] = "1s"
		src, err := tryOpen(e, settings, nil, hubspot.WithClock(e.clock))
		is.NoErr(err)
		defer func() { _ = src.Teardown(context.Background()) }()
		for source.CaughtUpPolls(src) < streams {
			rctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			_, err := src.ReadN(rctx, 100)
			cancel()
			if err != nil && !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("read: %v", err)
			}
		}
		return source.NextPoll(src).Sub(e.clock.Now())
	}
	one := wait(map[string]string{}, 1)
	three := wait(map[string]string{"resource": "", "resources": strings.Join(threeTypes, ",")}, 3)
	t.Logf("stretched wait: one resource %s, three %s", one, three)
	if one <= time.Second || three < 2*one {
		t.Fatalf("one resource waits %s, three %s: want the polling period stretched, and about three times as much for three", one, three)
	}
}
