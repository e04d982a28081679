package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
	"github.com/conduitio/conduit-commons/opencdc"
)

// These figures run in simulated time on a manual clock, with the source
// at its defaults (pollingPeriod 5s, lookbackWindow 30s, deletes on,
// deletesPollingPeriod auto, deletesRateShare 10): each poll moves the
// clock on by the polling period, so an hour takes a second or two.

const (
	idlePoll  = 5 * time.Second
	listPath  = "GET /crm/objects/2026-09/contacts"
	searchKey = "POST /crm/objects/2026-09/contacts/search"
)

// simSource is a source on a simulator of contacts, archived of them
// archived before it opens, both on one manual clock.
type simSource struct {
	srv   *hubspottest.Server
	clock *hubspottest.ManualClock
	src   *source.Source
	live  []string
	wire  *inFlight
}

// inFlight counts the source's requests under way, so that a poll is cut
// off only while the source waits, never in the middle of a request.
type inFlight struct {
	n    atomic.Int64
	last atomic.Int64 // wall time of the last answer, in ns
}

func (f *inFlight) RoundTrip(r *http.Request) (*http.Response, error) {
	f.n.Add(1)
	defer func() { f.last.Store(time.Now().UnixNano()); f.n.Add(-1) }()
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, fmt.Errorf("round trip: %w", err)
	}
	return resp, nil
}

// quiet says whether no request is under way and the last ended a while
// ago, after since (or nothing came for 50 ms since then).
func (f *inFlight) quiet(since time.Time) bool {
	last := time.Unix(0, f.last.Load())
	if f.n.Load() != 0 {
		return false
	}
	return last.After(since) && time.Since(last) > 3*time.Millisecond || time.Since(since) > 50*time.Millisecond
}

func openSimSource(ctx context.Context, archived, live int) (*simSource, error) {
	clock := hubspottest.NewManualClock(time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC))
	srv, err := newSim(hubspottest.WithoutRateLimits(), hubspottest.WithClock(clock))
	if err != nil {
		return nil, err
	}
	ids, err := srv.Seed("contacts", archived+live, nil)
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("seed: %w", err)
	}
	for _, id := range ids[:archived] {
		if err := srv.Archive("contacts", id); err != nil {
			srv.Close()
			return nil, fmt.Errorf("archive: %w", err)
		}
	}
	clock.Advance(10 * time.Second)
	wire := &inFlight{}
	s, err := openSource(ctx, srv, config.Config{"snapshot": "false"}, source.WithClock(clock),
		source.WithClientOptions(hubspot.WithoutRateLimit(), hubspot.WithClock(clock), hubspot.WithHTTPClient(&http.Client{Transport: wire})))
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &simSource{srv: srv, clock: clock, src: s, live: ids[archived:], wire: wire}, nil
}

func (s *simSource) close(ctx context.Context) { _ = s.src.Teardown(ctx); s.srv.Close() }

// poll moves the clock on by a polling period and lets the source do what
// is due then, as ReadN does: it reads until the source waits for its next
// poll, which the short context cuts off.
func (s *simSource) poll(ctx context.Context) ([]opencdc.Record, error) {
	s.clock.Advance(idlePoll)
	var out []opencdc.Record
	for {
		rctx, cancel := context.WithCancel(ctx)
		start := time.Now()
		go func() {
			for !s.wire.quiet(start) {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		recs, err := s.src.ReadN(rctx, 10000)
		cancel()
		out = append(out, recs...)
		switch {
		case errors.Is(err, context.Canceled) && ctx.Err() == nil:
			return out, nil
		case err != nil:
			return out, fmt.Errorf("read: %w", err)
		}
	}
}

// pollFor polls for d of simulated time.
func (s *simSource) pollFor(ctx context.Context, d time.Duration) ([]opencdc.Record, error) {
	var out []opencdc.Record
	for end := s.clock.Now().Add(d); s.clock.Now().Before(end); {
		recs, err := s.poll(ctx)
		out = append(out, recs...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// openSettled opens a simulated source that has polled for a minute, past
// its first scans, with the call counts at zero.
func openSettled(ctx context.Context, archived, live int) (*simSource, error) {
	s, err := openSimSource(ctx, archived, live)
	if err != nil {
		return nil, err
	}
	if _, err := s.pollFor(ctx, time.Minute); err != nil {
		s.close(ctx)
		return nil, err
	}
	s.srv.ResetCalls()
	return s, nil
}

// idleCost: requests an idle source makes in an hour, and a day of them.
func idleCost(ctx context.Context, t *table, _ sizes) error {
	s, err := openSettled(ctx, 3, 5)
	if err != nil {
		return err
	}
	defer s.close(ctx)
	if _, err := s.pollFor(ctx, time.Hour); err != nil {
		return err
	}
	n, calls := s.srv.TotalCalls(), s.srv.Calls()
	t.add("idle requests per hour per source (pollingPeriod 5s, 3 archived)",
		fmt.Sprintf("%d (%d searches, %d archived-list pages)", n, calls[searchKey], calls[listPath]), "≤ 720", verdict(n <= 720))
	t.add("requests per day, one idle pipeline at the defaults", fmt.Sprintf("%d (%.1f %% of 250,000)", n*24, float64(n*24)/2500),
		"≤ 17,280", verdict(n*24 <= 17280))
	return nil
}

// deleteLatency: how long a delete takes to come, and what share of the
// client's 190 requests per 10 s the scan of archived objects takes, for
// archives of each size.
func deleteLatency(ctx context.Context, t *table, sz sizes) error {
	for _, archived := range sz.archives {
		s, err := openSimSource(ctx, archived, 5)
		if err != nil {
			return err
		}
		// Past the first pass, which starts with the source.
		if _, err := s.pollFor(ctx, time.Duration(archived/100)*time.Second+time.Minute); err != nil {
			s.close(ctx)
			return err
		}
		s.srv.ResetCalls()
		at := s.clock.Now()
		if err := s.srv.Archive("contacts", s.live[0]); err != nil {
			s.close(ctx)
			return fmt.Errorf("archive: %w", err)
		}
		var took time.Duration
		for took == 0 && s.clock.Now().Sub(at) < 2*time.Hour {
			recs, err := s.poll(ctx)
			if err != nil {
				s.close(ctx)
				return err
			}
			for _, r := range recs {
				if r.Operation == opencdc.OperationDelete {
					took = s.clock.Now().Sub(at)
				}
			}
		}
		elapsed, calls := s.clock.Now().Sub(at), s.srv.Calls()
		share := float64(calls[listPath]) / (elapsed.Seconds() * 19) // of 190 per 10 s
		polls := elapsed / idlePoll
		t.add(fmt.Sprintf("delete latency / deletes scan's budget share, %d archived", archived),
			fmt.Sprintf("%s / %.1f %% (%d pages, %d searches in %d polls)", took, 100*share, calls[listPath], calls[searchKey], polls),
			"about pollingPeriod for a small archive; ≤ 10 % + a poll's", verdict(took > 0 && share <= 0.1+1/(idlePoll.Seconds()*19)))
		s.close(ctx)
	}
	return nil
}

// cdcSearches: search calls per 1,000 changes, read while they come.
func cdcSearches(ctx context.Context, t *table, _ sizes) error {
	s, err := openSettled(ctx, 0, 0)
	if err != nil {
		return err
	}
	defer s.close(ctx)
	got := 0
	for i := range 10 {
		for j := range 100 {
			if _, err := s.srv.Create("contacts", map[string]string{"email": fmt.Sprintf("b%d-%d@example.com", i, j)}); err != nil {
				return fmt.Errorf("create: %w", err)
			}
			s.clock.Advance(time.Millisecond)
		}
		recs, err := s.poll(ctx)
		if err != nil {
			return err
		}
		got += len(recs)
	}
	// The look-backs that the changes leave due, until the source is idle.
	recs, err := s.pollFor(ctx, time.Minute)
	if err != nil {
		return err
	}
	got += len(recs)
	calls := s.srv.Calls()
	t.add("CDC search calls per 1,000 changes (100 a poll, then a minute idle)",
		fmt.Sprintf("%d (%d records; %d archived-list pages)", calls[searchKey], got, calls[listPath]), "-", "-")
	return nil
}
