package hubspottest_test

import (
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// fired reports whether ch has a value ready, without waiting.
func fired(ch <-chan time.Time) (time.Time, bool) {
	select {
	case t := <-ch:
		return t, true
	default:
		return time.Time{}, false
	}
}

func TestManualClockAfter(t *testing.T) {
	is := is.New(t)
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	clock := hubspottest.NewManualClock(t0)

	two := clock.After(2 * time.Second)
	five := clock.After(5 * time.Second)
	_, ok := fired(two)
	is.True(!ok) // no time has passed
	clock.Advance(time.Second)
	_, ok = fired(two)
	is.True(!ok) // one second of two
	clock.Advance(time.Second)
	at, ok := fired(two)
	is.True(ok)
	is.Equal(at, t0.Add(2*time.Second)) // it fires with the clock's time
	_, ok = fired(five)
	is.True(!ok)

	clock.Set(t0) // back: nothing more is due
	_, ok = fired(five)
	is.True(!ok)
	clock.Set(t0.Add(time.Minute))
	at, ok = fired(five)
	is.True(ok)
	is.Equal(at, t0.Add(time.Minute))

	at, ok = fired(clock.After(0))
	is.True(ok) // a zero wait fires at once, as time.After's does
	is.Equal(at, t0.Add(time.Minute))
	is.Equal(clock.Now(), t0.Add(time.Minute)) // After alone does not move a manual clock
	is.Equal(clock.Waits(), []time.Duration{2 * time.Second, 5 * time.Second, 0})
}

func TestAutoClockAfter(t *testing.T) {
	is := is.New(t)
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	clock := hubspottest.NewAutoClock(t0)

	at, ok := fired(clock.After(3 * time.Second))
	is.True(ok) // at once
	is.Equal(at, t0.Add(3*time.Second))
	is.Equal(clock.Now(), t0.Add(3*time.Second)) // time passed as much as it waited
	_, ok = fired(clock.After(0))
	is.True(ok)
	clock.Advance(time.Second) // it still moves when told
	is.Equal(clock.Now(), t0.Add(4*time.Second))
	is.Equal(clock.Waits(), []time.Duration{3 * time.Second, 0})
}

// TestOffsetClock: the clock is the wall clock moved by its offset, which
// can be set while it runs.
func TestOffsetClock(t *testing.T) {
	is := is.New(t)
	c := hubspottest.NewOffsetClock(-time.Hour)
	before := time.Now()
	got := c.Now()
	is.True(!got.Before(before.Add(-time.Hour)) && got.Before(time.Now().Add(-time.Hour+time.Second)))
	c.Set(0)
	is.True(!c.Now().Before(before))
}
