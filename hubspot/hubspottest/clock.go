package hubspottest

import (
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// ManualClock is a hubspot.Clock that moves only when told, so that a test
// steps through time instead of sleeping. One clock can drive a simulator
// (WithClock) and a client (hubspot.WithClock) at once, keeping their times
// in step.
//
// After's channel fires once the clock reaches its deadline: when Advance
// or Set moves it there, or at once on a clock from NewAutoClock, which
// moves itself forward by every wait it is asked for. Either way the clock
// records the waits (Waits), for tests that check how long a client waited.
type ManualClock struct {
	mu      sync.Mutex
	now     time.Time
	auto    bool
	waits   []time.Duration
	pending []wakeUp
}

// wakeUp is a channel After returned that has not fired yet.
type wakeUp struct {
	at time.Time
	ch chan time.Time
}

var _ hubspot.Clock = (*ManualClock)(nil)

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// NewAutoClock returns a clock at t whose After moves it forward by the
// wait and fires at once: whatever waits on it takes no real time, and
// time still passes as much as it waited.
func NewAutoClock(t time.Time) *ManualClock { return &ManualClock{now: t, auto: true} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After returns a channel that receives the clock's time once d has passed
// on it. A wait of zero or less fires at once, as time.After's does.
func (c *ManualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	at := c.now.Add(d)
	if c.auto && at.After(c.now) {
		c.setLocked(at)
	}
	// Buffered, so that firing never blocks on a receiver that gave up.
	ch := make(chan time.Time, 1)
	if at.After(c.now) {
		c.pending = append(c.pending, wakeUp{at: at, ch: ch})
	} else {
		ch <- c.now
	}
	return ch
}

// Waits returns the waits After was asked for, oldest first.
func (c *ManualClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// Sleepers returns how many channels that After returned have not fired
// yet: a test that knows how many goroutines wait on the clock can tell when
// all of them do, and move the clock on.
func (c *ManualClock) Sleepers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending)
}

// AdvanceToNext moves the clock to the earliest deadline of the channels not
// fired yet, firing it, and reports whether there was one. Driving a clock
// this way whenever everything waits on it runs the waiters as in real time,
// only without the waiting.
func (c *ManualClock) AdvanceToNext() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) == 0 {
		return false
	}
	next := c.pending[0].at
	for _, w := range c.pending[1:] {
		if w.at.Before(next) {
			next = w.at
		}
	}
	c.setLocked(next)
	return true
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(c.now.Add(d))
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(t)
}

// setLocked moves the clock to t and fires the waits that are due.
// Callers hold c.mu.
func (c *ManualClock) setLocked(t time.Time) {
	c.now = t
	c.pending = slices.DeleteFunc(c.pending, func(w wakeUp) bool {
		if w.at.After(t) {
			return false
		}
		w.ch <- t
		return true
	})
}

// now is the server's time, to the millisecond. Callers hold s.mu.
func (s *Server) now() time.Time {
	if s.frozen != nil {
		return *s.frozen
	}
	return s.clockNow().UTC().Truncate(time.Millisecond)
}

// SameMillisecond runs fn with the server's time stopped, so that every
// change fn makes (through the helpers or over HTTP) shares one millisecond.
func (s *Server) SameMillisecond(fn func()) {
	s.mu.Lock()
	t := s.now()
	s.frozen = &t
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.frozen = nil
		s.mu.Unlock()
	}()
	fn()
}

// dated sets each answer's Date header from the server's clock (Go's
// server would take the wall clock's), as every origin server with a clock
// sends one (RFC 9110, section 6.6.1): a client can read HubSpot's time
// from it, to the second.
func (s *Server) dated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		now := s.now()
		s.mu.Unlock()
		w.Header().Set("Date", now.Format(http.TimeFormat))
		next.ServeHTTP(w, r)
	})
}

// OffsetClock is the wall clock moved by an offset that can be set while
// it runs: a test or bench stamps writes in the past (hours apart, or an
// hour before a snapshot) without waiting, and its time still passes as
// real time does, for what runs beside it.
type OffsetClock struct{ off atomic.Int64 }

var _ hubspot.Clock = (*OffsetClock)(nil)

// NewOffsetClock returns the wall clock moved by off.
func NewOffsetClock(off time.Duration) *OffsetClock {
	c := &OffsetClock{}
	c.Set(off)
	return c
}

// Now returns the wall clock's time moved by the offset.
func (c *OffsetClock) Now() time.Time { return time.Now().Add(time.Duration(c.off.Load())) }

// After waits on the wall clock.
func (c *OffsetClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Set moves the clock to the wall clock moved by off.
func (c *OffsetClock) Set(off time.Duration) { c.off.Store(int64(off)) }
