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

// DefaultSearchRateLimit stays under both published search limits (4 per
// second per token, 5 per second per account).
func DefaultSearchRateLimit() RateLimit { return RateLimit{Requests: 4, Per: time.Second} }

func (r RateLimit) validate() error {
	if r.Requests <= 0 || r.Per <= 0 {
		return fmt.Errorf("rate limit %d per %s: both must be positive", r.Requests, r.Per)
	}
	return nil
}

// windowLimiter remembers when the last Requests requests started; the next
// one may start once the oldest of them is a full window old.
type windowLimiter struct {
	clock  Clock
	window time.Duration

	mu    sync.Mutex
	sent  []time.Time // ring of the last len(sent) start times
	next  int         // index of the oldest entry
	count int         // entries used so far, up to len(sent)
}

func newWindowLimiter(clock Clock, limit RateLimit) *windowLimiter {
	return &windowLimiter{
		clock:  clock,
		window: limit.Per,
		sent:   make([]time.Time, limit.Requests),
	}
}

// Wait blocks until a request may start without exceeding the limit, and
// counts it as started. It returns early with ctx's error.
func (l *windowLimiter) Wait(ctx context.Context) error {
	for {
		wait := l.reserve()
		if wait <= 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the rate limit: %w", ctx.Err())
		case <-l.clock.After(wait):
		}
	}
}

// reserve takes a slot and returns 0, or returns how long until one is free.
func (l *windowLimiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	if l.count == len(l.sent) {
		if wait := l.sent[l.next].Add(l.window).Sub(now); wait > 0 {
			return wait
		}
	} else {
		l.count++
	}
	l.sent[l.next] = now
	l.next = (l.next + 1) % len(l.sent)
	return 0
}
