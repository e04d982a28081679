package hubspottest

import (
	"sync"
	"time"
)

// Clock is the simulator's time source.
type Clock interface {
	Now() time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// ManualClock is a clock that moves only when told.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// now is the server's time, to the millisecond. Callers hold s.mu.
func (s *Server) now() time.Time {
	if s.frozen != nil {
		return *s.frozen
	}
	return s.clock.Now().UTC().Truncate(time.Millisecond)
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
