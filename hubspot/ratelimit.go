package hubspot

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
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
// accounts: 190 requests per rolling 10 seconds. It is only where the
// client starts: HubSpot's rate-limit headers replace it with the account's
// own limit from the first answer on.
func DefaultRateLimit() RateLimit { return RateLimit{Requests: 190, Per: 10 * time.Second} }

// DefaultOAuthRateLimit is an OAuth app's burst limit: about 110 requests
// per rolling 10 seconds, per account.
func DefaultOAuthRateLimit() RateLimit { return RateLimit{Requests: 110, Per: 10 * time.Second} }

// DefaultSearchRateLimit is HubSpot's search limit as its search guide
// gives it now: five requests per second per account
// (developers.hubspot.com/docs/api-reference/search/guide, "Limitations").
// An older changelog gave four per second per authentication token
// (developers.hubspot.com/changelog/crm-search-api-rate-limit-increase).
// Either way the limit is shared with every other pipeline and integration
// on the token or the account, which the client cannot see: it starts at
// this pace and slows down when HubSpot refuses a search (adaptivePace).
func DefaultSearchRateLimit() RateLimit { return RateLimit{Requests: 5, Per: time.Second} }

func (r RateLimit) validate() error {
	if r.Requests <= 0 || r.Per <= 0 {
		return fmt.Errorf("rate limit %d per %s: both must be positive", r.Requests, r.Per)
	}
	return nil
}

// shareOf is a share of a limit's requests, at least one: a limit of none
// would stop the client for good.
func shareOf(requests int, share float64) int {
	return max(1, int(math.Floor(float64(requests)*share)))
}

// rateHeaders are the burst-limit headers of one HubSpot answer.
type rateHeaders struct {
	max, remaining int
	window         time.Duration
}

// parseRateHeaders reads X-HubSpot-RateLimit-Max, -Remaining and
// -Interval-Milliseconds; ok is false unless all three make sense (search
// answers carry none).
func parseRateHeaders(h http.Header) (rateHeaders, bool) {
	maxN, errMax := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Max"))
	rem, errRem := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Remaining"))
	ms, errMS := strconv.ParseInt(h.Get("X-HubSpot-RateLimit-Interval-Milliseconds"), 10, 64)
	if errMax != nil || errRem != nil || errMS != nil || maxN <= 0 || rem < 0 || ms <= 0 || ms > int64(time.Hour/time.Millisecond) {
		return rateHeaders{}, false
	}
	return rateHeaders{max: maxN, remaining: min(rem, maxN), window: time.Duration(ms) * time.Millisecond}, true
}

// windowLimiter paces one client's requests under a rolling-window limit,
// and under what HubSpot says is left of the window it shares with every
// other client of the same app.
//
// Its own requests are kept as uses: a use is stamped when its request is
// sent and again when the answer arrives. The second stamp is no earlier
// than the moment HubSpot counted the request, so that network delays that
// differ from request to request cannot squeeze more than the limit into
// one of HubSpot's windows.
//
// HubSpot's X-HubSpot-RateLimit-Remaining counts every client of the app.
// The limiter keeps an estimate of it: the figure of the last answer, less
// the requests sent since, plus the own requests that have aged out of the
// window since (each frees a slot that the figure counted as used). It never
// counts another client's request as freed, so the estimate only errs by
// what other clients sent since the last answer. A margin covers that: a
// fiftieth of the limit, for the first requests of clients that start
// (which nothing showed yet), and a twentieth when the answer showed other
// clients at work.
// Clients that all pace this way replace their own requests as they age out
// once the window is full, and the window stays full without a 429.
type windowLimiter struct {
	clock Clock
	share float64 // of the limit HubSpot names
	learn bool    // whether HubSpot's headers replace the configured limit

	mu     sync.Mutex
	window time.Duration
	limit  int    // this client's requests in one window, at most
	uses   []*use // this client's requests still in the window

	// What the last answer with rate-limit headers said, if it is less
	// than a window old.
	known     bool
	seenAt    time.Time
	remaining int // the estimate described above
	margin    int // what the estimate keeps unspent

	// pace, for a limit that no answer describes (search), spaces the
	// requests by what HubSpot's 429s say of the other clients; nil
	// for the others.
	pace *adaptivePace
}

// use is one request the limiter let through.
type use struct {
	at   time.Time // sent, then answered
	done bool      // answered: at is final
}

func newWindowLimiter(clock Clock, limit RateLimit, share float64, learn bool) *windowLimiter {
	return &windowLimiter{
		clock:  clock,
		share:  share,
		learn:  learn,
		window: limit.Per,
		limit:  shareOf(limit.Requests, share),
	}
}

// newPacedLimiter is a limiter for a limit that no answer describes and
// that other clients share unseen: search's. Its pace starts at limit's
// share and follows HubSpot's 429s (Slow).
func newPacedLimiter(clock Clock, limit RateLimit, share float64) *windowLimiter {
	l := newWindowLimiter(clock, limit, share, false)
	l.pace = newAdaptivePace(RateLimit{Requests: l.limit, Per: limit.Per})
	return l
}

// Slow halves the pace after HubSpot refused a request for the limit
// (at most once a window) and returns the pace, in requests per second,
// and whether it changed. A limiter without a pace does nothing.
func (l *windowLimiter) Slow() (float64, bool) {
	if l.pace == nil {
		return 0, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	slowed := l.pace.slow(now)
	return l.pace.at(now), slowed
}

// Pace is the pace at which the limiter lets requests through now, in
// requests per second: the configured limit's, or less after 429s.
func (l *windowLimiter) Pace() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pace != nil {
		return l.pace.at(l.clock.Now())
	}
	return float64(l.limit) / l.window.Seconds()
}

// Wait blocks until a request may be sent and returns its use, to pass to
// Done when the answer is in. It returns early with ctx's error.
func (l *windowLimiter) Wait(ctx context.Context) (*use, error) {
	for {
		u, wait := l.reserve()
		if u != nil {
			return u, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the rate limit: %w", ctx.Err())
		case <-l.clock.After(wait):
		}
	}
}

// Done stamps a use with the time its request's answer arrived.
func (l *windowLimiter) Done(u *use) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now := l.clock.Now(); now.After(u.at) {
		u.at = now
	}
	u.done = true
}

// Observe learns from the rate-limit headers of the answer to u, which is
// not Done yet.
func (l *windowLimiter) Observe(h rateHeaders) {
	if !l.learn {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	l.window = h.window
	l.limit = shareOf(h.max, l.share)
	l.prune(now)
	// The other requests in flight may not have been counted yet: count
	// them as spent.
	inFlight := -1 // u's own
	for _, o := range l.uses {
		if !o.done {
			inFlight++
		}
	}
	l.known, l.seenAt = true, now
	l.remaining = h.remaining - inFlight
	l.margin = max(1, h.max/50)
	if others := h.max - h.remaining - len(l.uses); others > 0 {
		l.margin = max(1, h.max/20)
	}
}

// prune drops the uses that have aged out of the window. Callers hold l.mu.
func (l *windowLimiter) prune(now time.Time) {
	if l.known && !now.Before(l.seenAt.Add(l.window)) {
		// Every request the last answer counted has aged out since: what
		// it said no longer holds.
		l.known = false
	}
	kept := l.uses[:0]
	for _, u := range l.uses {
		if !u.done || u.at.Add(l.window).After(now) {
			kept = append(kept, u)
			continue
		}
		if l.known && u.at.Add(l.window).After(l.seenAt) {
			l.remaining++ // counted as used by the last answer, free now
		}
	}
	clear(l.uses[len(kept):])
	l.uses = kept
}

// reserve lets a request through, or says how long until one may go.
func (l *windowLimiter) reserve() (*use, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	l.prune(now)
	full := len(l.uses) >= l.limit
	spent := l.known && l.remaining <= l.margin
	var paced time.Duration
	if l.pace != nil {
		paced = l.pace.wait(now)
	}
	if !full && !spent && paced == 0 {
		u := &use{at: now}
		l.uses = append(l.uses, u)
		if l.known {
			l.remaining--
		}
		if l.pace != nil {
			l.pace.sent(now)
		}
		return u, 0
	}
	if !full && !spent {
		return nil, paced
	}
	// Wait for the first own use to age out, or, when HubSpot's figure is
	// what holds the request back, for that figure to go stale.
	next := now.Add(l.window)
	for _, u := range l.uses {
		if u.done && u.at.Add(l.window).Before(next) {
			next = u.at.Add(l.window)
		}
	}
	if spent && l.seenAt.Add(l.window).Before(next) {
		next = l.seenAt.Add(l.window)
	}
	return nil, max(next.Sub(now), paced, time.Millisecond)
}
