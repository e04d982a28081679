package main

import (
	"sync/atomic"
	"time"
)

// seedAge is how long before the source starts the wide steps' contacts
// were last modified, on the simulator's clock. A real account's snapshot
// finds most objects last modified long before it starts, while contacts
// seeded just before the start all fall within the source's look-back
// window, where the snapshot digests each one to tell versions apart
// (item.sum: 12.6 % of the plugin's CPU in pluginCPU's profile when every
// contact did).
const seedAge = time.Hour

// pastClock is the wall clock less a shift: the simulator seeds on it an
// hour in the past, then serves on the wall clock (shift 0).
type pastClock struct{ shift atomic.Int64 }

func newPastClock(shift time.Duration) *pastClock {
	c := &pastClock{}
	c.shift.Store(int64(shift))
	return c
}

func (c *pastClock) Now() time.Time                         { return time.Now().Add(-time.Duration(c.shift.Load())) }
func (c *pastClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// present moves the clock to the wall clock.
func (c *pastClock) present() { c.shift.Store(0) }
