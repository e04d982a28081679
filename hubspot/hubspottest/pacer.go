package hubspottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SearchPacer is an http.RoundTripper for a client of a simulator on a
// ManualClock. Each search request moves the clock on by Every, the time a
// client paced to HubSpot's search limit spends per search, and first
// makes the changes that fall due on the way (Due). So a reader's pace in
// simulated time follows from the searches it makes, whatever the speed of
// the machine, and a run is repeatable.
type SearchPacer struct {
	Base  http.RoundTripper // default http.DefaultTransport
	Clock *ManualClock
	Every time.Duration
	// Due makes the changes up to the time given; it may be nil.
	Due func(to time.Time) error
	// StopAt, when set, calls Stop at the first search at or after it.
	StopAt time.Time
	Stop   func()

	mu        sync.Mutex
	searches  int
	lookBacks int
	furthest  int64
}

// RoundTrip paces searches and passes every request on.
func (p *SearchPacer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/search") {
		if err := p.search(req); err != nil {
			return nil, err
		}
	}
	base := p.Base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(req) //nolint:wrapcheck // a transport passes errors on as they are
}

func (p *SearchPacer) search(req *http.Request) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.searches++
	if from, ok := searchFrom(req); ok {
		if from < p.furthest {
			p.lookBacks++
		} else {
			p.furthest = from
		}
	}
	to := p.Clock.Now().Add(p.Every)
	if p.Due != nil {
		if err := p.Due(to); err != nil {
			return fmt.Errorf("search pacer: %w", err)
		}
	}
	p.Clock.Set(to)
	if !p.StopAt.IsZero() && !to.Before(p.StopAt) && p.Stop != nil {
		p.Stop()
	}
	return nil
}

// Searches returns how many searches went by, and how many of them read
// from a time before one read already (a reader's look-backs).
func (p *SearchPacer) Searches() (all, lookBacks int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.searches, p.lookBacks
}

// searchFrom reads the value of a search's first filter, the lower bound
// of a reader's time window, as epoch milliseconds.
func searchFrom(req *http.Request) (int64, bool) {
	if req.Body == nil {
		return 0, false
	}
	body, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return 0, false
	}
	var sr searchRequest
	if json.Unmarshal(body, &sr) != nil || len(sr.FilterGroups) == 0 || len(sr.FilterGroups[0].Filters) == 0 {
		return 0, false
	}
	v := sr.FilterGroups[0].Filters[0].Value
	if v == nil {
		return 0, false
	}
	ms, err := strconv.ParseInt(*v, 10, 64)
	return ms, err == nil
}

// CreateStream creates contacts at a steady rate on a ManualClock: one
// every Every from Begin for Duration. Its Due method is a SearchPacer's.
type CreateStream struct {
	Server   *Server
	Clock    *ManualClock
	Begin    time.Time
	Every    time.Duration
	Duration time.Duration
	// Made counts the contacts created so far.
	Made int
}

// Due creates the contacts due up to to, each at its own time.
func (c *CreateStream) Due(to time.Time) error {
	for {
		at := c.Begin.Add(time.Duration(c.Made) * c.Every)
		if at.After(to) || at.Sub(c.Begin) >= c.Duration {
			return nil
		}
		c.Clock.Set(at)
		if _, err := c.Server.Create("contacts", map[string]string{"email": fmt.Sprintf("stream%d@example.com", c.Made)}); err != nil {
			return err
		}
		c.Made++
	}
}
