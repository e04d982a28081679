package hubspot

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// dailyPauseLogEvery is how often a call paused for the daily quota says so:
// often enough that a user who looks at the logs sees why nothing moves, and
// not so often that a day's pause floods them.
const dailyPauseLogEvery = 5 * time.Minute

// Budget is the client's latest view of the account's API budget, from
// HubSpot's rate-limit headers. Zero values are unknown: no answer has
// carried the headers yet (search answers carry none).
type Budget struct {
	// Max, Remaining and Interval are the burst limit of the app's rolling
	// window, as the last answer that named it said, at BurstAt.
	Max       int
	Remaining int
	Interval  time.Duration
	BurstAt   time.Time

	// Daily is the account's daily quota; DailyRemaining is what the last
	// answer that named it said was left (at DailyAt), less the requests
	// this client sent since, searches included: search answers do not
	// tell, and each counts.
	Daily          int
	DailyRemaining int
	DailyAt        time.Time
	// DailyReset is when the client assumes the quota comes back: the next
	// midnight in the account's time zone (WithAccountTimeZone or
	// SetAccountTimeZone, UTC by default) after DailyAt, or after now once that has passed (and then
	// DailyRemaining is the whole quota until an answer says otherwise).
	// HubSpot's headers do not say.
	DailyReset time.Time

	// Sent counts the requests the client has sent, searches and refused
	// ones included, so that a caller can tell what its work cost.
	Sent int64

	// SearchPace is the pace, in searches per second, that the client
	// keeps its searches to now: the search limit's (WithSearchRateLimit,
	// and its share), or less for a while after HubSpot refused a search
	// for it. 0 without client-side pacing.
	SearchPace float64
}

// budgetSeen is what the client has read of the headers.
type budgetSeen struct {
	burst          rateHeaders
	burstAt        time.Time
	daily          int
	dailyRemaining int
	dailyAt        time.Time
	sentAt         int64 // c.sent when dailyRemaining was read
}

// Budget returns the client's latest view of the account's API budget.
func (c *Client) Budget() Budget {
	c.budgetMu.Lock()
	seen := c.budget
	c.budgetMu.Unlock()
	sent := c.sent.Load()
	b := Budget{
		Max: seen.burst.max, Remaining: seen.burst.remaining, Interval: seen.burst.window, BurstAt: seen.burstAt,
		Daily: seen.daily, DailyAt: seen.dailyAt, Sent: sent,
	}
	if c.search != nil {
		b.SearchPace = c.search.Pace()
	}
	if seen.daily > 0 {
		b.DailyRemaining = max(0, seen.dailyRemaining-int(sent-seen.sentAt))
		b.DailyReset = c.nextDailyReset(seen.dailyAt)
		if now := c.clock.Now(); !now.Before(b.DailyReset) {
			// The quota has reset since the last answer that told, and
			// only searches (which do not tell) may have been sent since:
			// the whole quota, until an answer says otherwise.
			b.DailyRemaining = seen.daily
			b.DailyReset = c.nextDailyReset(now)
		}
	}
	return b
}

// nextDailyReset is the first midnight in the account's time zone after t.
func (c *Client) nextDailyReset(t time.Time) time.Time {
	zone := c.AccountTimeZone()
	y, m, d := t.In(zone).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, zone)
}

// pauseForDailyLimit waits until the daily quota that refused req resets,
// logging a warning every dailyPauseLogEvery. It sends nothing meanwhile:
// every request into a spent quota counts against every integration of the
// account.
func (c *Client) pauseForDailyLimit(ctx context.Context, req *Request, refused error) error {
	reset := c.nextDailyReset(c.clock.Now())
	for {
		left := reset.Sub(c.clock.Now())
		if left <= 0 {
			c.logger.WarnContext(ctx, "hubspot daily API limit: the pause is over, trying again",
				"method", req.Method, "path", req.Path, "reset", reset)
			return nil
		}
		c.logger.WarnContext(ctx, "hubspot daily API limit is spent: pausing until it resets at midnight in the account's time zone",
			"method", req.Method, "path", req.Path, "reset", reset, "left", left.Round(time.Second),
			slog.String("timeZone", c.AccountTimeZone().String()))
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w; paused for the daily limit until %s: %w", refused, reset.Format(time.RFC3339), ctx.Err())
		case <-c.clock.After(min(left, dailyPauseLogEvery)):
		}
	}
}
