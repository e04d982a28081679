package hubspot

import "time"

// The search pace's response to HubSpot's SECONDLY 429, and its recovery.
const (
	// paceSlowFactor is what a SECONDLY 429 multiplies the search pace by.
	paceSlowFactor = 0.5
	// paceRecoverySeconds is how long the pace takes to climb back by
	// the whole ceiling: it climbs by ceiling/paceRecoverySeconds each
	// second, so from half the ceiling to all of it in 150 s. Slow enough
	// that pipelines sharing the account's limit overrun it seldom (each
	// overrun costs about one 429 and a halving: three pipelines meet
	// about 17 per 1,000 searches, 120 s would make that 40 and 600 s 9),
	// fast enough that a pipeline alone is back at full pace within a few
	// minutes of another stopping.
	paceRecoverySeconds = 300
	// paceFloorShare is the least pace, as a share of the ceiling: one
	// search every 10 s at HubSpot's 5 a second, so that fifty pipelines
	// on one account still fit under it.
	paceFloorShare = 0.02
)

// adaptivePace spaces a client's searches under a limit that the account's
// other clients share and that no answer describes: search answers carry
// no rate-limit headers, and a pipeline's searches cannot see another's
// (each Conduit connector runs in its own plugin process). The only signal
// is HubSpot's SECONDLY 429, so the pace follows it as TCP follows a loss:
// it halves at each 429 (multiplicative decrease) and climbs back linearly
// with time (additive increase), never above the configured limit (the
// ceiling). Clients that all do this converge on equal shares whose sum
// stays near the limit, overrunning it once per climb.
//
// The pace spaces requests: each goes at least 1/pace after the last one
// went. All its times come from the client's clock.
type adaptivePace struct {
	ceiling float64 // requests per second
	floor   float64
	// rate was the pace at slowedAt, the last slow-down (zero: none yet).
	rate     float64
	slowedAt time.Time
	// hold is how long after a slow-down further 429s change nothing:
	// one window of the limit, so that the 429s of requests that were on
	// their way together halve the pace once.
	hold time.Duration
	last time.Time // when the last request went; zero: none yet
}

func newAdaptivePace(limit RateLimit) *adaptivePace {
	ceiling := float64(limit.Requests) / limit.Per.Seconds()
	return &adaptivePace{ceiling: ceiling, floor: ceiling * paceFloorShare, hold: limit.Per}
}

// at is the pace at now, in requests per second.
func (p *adaptivePace) at(now time.Time) float64 {
	if p.slowedAt.IsZero() {
		return p.ceiling
	}
	climbed := p.ceiling / paceRecoverySeconds * max(0, now.Sub(p.slowedAt).Seconds())
	return min(p.ceiling, p.rate+climbed)
}

// wait is how long until the next request may go at the pace: 0 when it
// may go now.
func (p *adaptivePace) wait(now time.Time) time.Duration {
	if p.last.IsZero() {
		return 0
	}
	gap := time.Duration(float64(time.Second) / p.at(now))
	return max(0, p.last.Add(gap).Sub(now))
}

// sent notes that a request went at now.
func (p *adaptivePace) sent(now time.Time) { p.last = now }

// slow halves the pace for a SECONDLY 429 answered at now, unless the pace
// was halved less than a window ago. It reports whether it did.
func (p *adaptivePace) slow(now time.Time) bool {
	if !p.slowedAt.IsZero() && now.Sub(p.slowedAt) < p.hold {
		return false
	}
	p.rate = max(p.floor, p.at(now)*paceSlowFactor)
	p.slowedAt = now
	return true
}
