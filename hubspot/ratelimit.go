package hubspot

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Clock is the time source of the client's rate limiter and backoff. Tests
// replace it to step through time without sleeping.
type Clock interface {
	Now() time.Time
	// After waits for d to pass, like time.After.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// RateLimit allows at most Requests requests in any rolling window of length
// Per. HubSpot counts requests in rolling windows, so a token bucket (which
// lets a full burst through again right after a refill) could overrun it;
// this limiter never does.
type RateLimit struct {
	Requests int
	Per      time.Duration
}

// DefaultRateLimit is the burst limit of Professional and Enterprise
// accounts: 190 requests per rolling 10 seconds.
func DefaultRateLimit() RateLimit { return RateLimit{Requests: 190, Per: 10 * time.Second} }

// DefaultOAuthRateLimit is an OAuth app's burst limit: about 110 requests
// per rolling 10 seconds, per account.
func DefaultOAuthRateLimit() RateLimit { return RateLimit{Requests: 110, Per: 10 * time.Second} }

// DefaultSearchRateLimit stays under both published search limits (4 per
// second per token, 5 per second per account).
func DefaultSearchRateLimit() RateLimit { return RateLimit{Requests: 4, Per: time.Second} }

func (r RateLimit) validate() error {
	if r.Requests <= 0 || r.Per <= 0 {
		return fmt.Errorf("rate limit %d per %s: both must be positive", r.Requests, r.Per)
	}
	return nil
}

// windowLimiter keeps one slot per request the window allows; a request
// takes the oldest slot once that slot's last use is a full window old.
//
// A slot is stamped when its request is sent and again when the answer
// arrives. The second stamp is no earlier than the moment HubSpot counted
// the request, so that network delays that differ from request to request
// cannot squeeze two uses of one slot into one of HubSpot's windows.
type windowLimiter struct {
	clock  Clock
	window time.Duration

	mu    sync.Mutex
	used  []time.Time // last use of each slot
	next  int         // the slot used longest ago
	count int         // slots used so far, up to len(used)
}

func newWindowLimiter(clock Clock, limit RateLimit) *windowLimiter {
	return &windowLimiter{
		clock:  clock,
		window: limit.Per,
		used:   make([]time.Time, limit.Requests),
	}
}

// Wait blocks until a request may be sent without exceeding the limit and
// returns the slot it took, to pass to Done when the answer is in. It
// returns early with ctx's error.
func (l *windowLimiter) Wait(ctx context.Context) (int, error) {
	for {
		slot, wait := l.reserve()
		if wait <= 0 {
			return slot, nil
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("waiting for the rate limit: %w", ctx.Err())
		case <-l.clock.After(wait):
		}
	}
}

// Done stamps a slot with the time its request's answer arrived.
func (l *windowLimiter) Done(slot int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now := l.clock.Now(); now.After(l.used[slot]) {
		l.used[slot] = now
	}
}

// reserve takes a slot, or says how long until one is free.
func (l *windowLimiter) reserve() (int, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	if l.count == len(l.used) {
		if wait := l.used[l.next].Add(l.window).Sub(now); wait > 0 {
			return 0, wait
		}
	} else {
		l.count++
	}
	slot := l.next
	l.used[slot] = now
	l.next = (l.next + 1) % len(l.used)
	return slot, 0
}
