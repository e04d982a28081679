// Package source is the HubSpot source: a snapshot of one resource or
// several, then their creates, updates and deletes as OpenCDC records.
package source

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// progressEvery is how often a running snapshot logs its progress; its end
// is logged at once.
const progressEvery = 5 * time.Second

// Source reads HubSpot resources: one, or several in turn.
type Source struct {
	sdk.UnimplementedSource

	config     Config
	clientOpts []hubspot.Option
	now        func() time.Time

	client *hubspot.Client
	// budget is the client's view of the account's API budget; nil without
	// a client (tests with mocks), which stretches no polling period.
	budget func() hubspot.Budget
	// sentBeforeStep is what the client had sent before the last step,
	// so that the step that found the source caught up knows its cost: an
	// idle poll's, not the snapshot's or a backlog's before it; lowBudget
	// is whether the polling period is stretched for the daily quota, so
	// that the source logs each change of that state once.
	sentBeforeStep int64
	lowBudget      bool
	// lifetime ends with Teardown, which also ends a Read in progress.
	lifetime context.Context
	stop     context.CancelFunc

	// streams are the resources read, in the order configured; turn is
	// the one to try first next time. several says that the position holds
	// each resource's state (Positions), as a source configured with
	// resources writes it.
	streams []*stream
	turn    int
	several bool
	buf     []opencdc.Record
	// polls counts the polls that found a stream caught up, so that a
	// test can wait for the source to be idle by what it did rather than
	// by a stretch of wall time.
	polls int
}

// Option changes how a Source is built; tests use them.
type Option func(*Source)

// WithClientOptions adds options to the HubSpot client the source builds,
// after the ones its configuration sets.
func WithClientOptions(opts ...hubspot.Option) Option {
	return func(s *Source) { s.clientOpts = append(s.clientOpts, opts...) }
}

// WithClock replaces the wall clock, which sets the initial timestamp of a
// new source and paces the scans of archived objects. Only its Now is read:
// the client's waits follow the client's clock (hubspot.WithClock).
func WithClock(clock hubspot.Clock) Option {
	return func(s *Source) { s.now = clock.Now }
}

// NewSource returns a source without the SDK's middleware.
func NewSource(opts ...Option) *Source {
	s := &Source{now: time.Now}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// New returns the source wrapped in the SDK's default middleware, as
// Conduit runs it.
func New() sdk.Source {
	return sdk.SourceWithMiddleware(NewSource())
}

// Config returns the configuration the SDK parses into.
func (s *Source) Config() sdk.SourceConfig { return &s.config }

// Open checks that HubSpot accepts the token, reads the account's time
// zone unless accountTimeZone names it (config.OpenClient), and starts from
// the position: a new source starts a snapshot (or CDC, with snapshot off)
// at the current time.
//
// With several resources, each resumes from its state in the position; a
// resource the position has no state of (one added to the configuration)
// starts a snapshot of its own, and a position of one resource is the state
// of the first resource configured.
func (s *Source) Open(ctx context.Context, raw opencdc.Position) error {
	set, err := s.config.resolve()
	if err != nil {
		return err
	}
	client, err := s.config.OpenClient(ctx, s.clientOpts...)
	if err != nil {
		return err
	}
	if err := s.openSet(ctx, set, servicesOf(client), raw); err != nil {
		client.Close()
		return err
	}
	s.client = client
	s.budget = client.Budget
	return nil
}

// openSet starts a stream for each resource of set at its state in raw.
func (s *Source) openSet(ctx context.Context, set resourceSet, svc services, raw opencdc.Position) error {
	resources := set.resources
	if set.all {
		var err error
		if resources, err = s.everyResource(ctx, svc); err != nil {
			return err
		}
	}
	states, assumed, err := ParsePositions(raw, resources[0].Name)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	if assumed && len(resources) > 1 {
		sdk.Logger(ctx).Warn().Str("resource", resources[0].Name).
			Msgf("hubspot source: the position names no resource (the earlier connector's, or this one's of one resource): it is taken as the state of %s, the first of %q; list the resource it was written for first", resources[0].Name, KeyResources)
	}
	s.several = set.several
	for _, res := range resources {
		if !set.all {
			// * checked access as it chose the types.
			if err := s.checkAccess(ctx, res, svc); err != nil {
				return err
			}
		}
		if err := s.start(ctx, s.config.readerConfig(res, set), svc, states[res.Name]); err != nil {
			return err
		}
		delete(states, res.Name)
	}
	for name := range states {
		sdk.Logger(ctx).Info().Str("resource", name).
			Msg("hubspot source: the position holds a resource the configuration no longer reads; its state is dropped")
	}
	return nil
}

// start sets a stream of cfg's resource at pos; its access was checked. A
// new stream's initial timestamp is taken after the check, when reading can
// begin.
func (s *Source) start(ctx context.Context, cfg readerConfig, svc services, pos *Position) error {
	r, err := newReader(cfg, svc, s.now, pos)
	if err != nil {
		return fmt.Errorf("open %s: %w", cfg.resource.Name, err)
	}
	if err := r.refreshCatalog(ctx); err != nil {
		return fmt.Errorf("open %s: %w", cfg.resource.Name, err)
	}
	if err := r.hub.catalog.check(ctx, cfg.typed); err != nil {
		return fmt.Errorf("open %s: %w", cfg.resource.Name, err)
	}
	s.streams = append(s.streams, &stream{name: cfg.resource.Name, reader: r})
	if s.lifetime == nil {
		s.lifetime, s.stop = context.WithCancel(context.Background())
	}
	at := r.position()
	sdk.Logger(ctx).Info().
		Str("resource", cfg.resource.Name).
		Str("mode", string(at.Mode)).
		Time("initialTimestamp", *at.InitialTimestamp).
		Msg("hubspot source opened")
	return nil
}

// checkAccess makes one small call so that a wrong token or a missing scope
// fails Open with a message that says so.
func (s *Source) checkAccess(ctx context.Context, res hubspot.Resource, svc services) error {
	var err error
	switch {
	case res.IsOwners:
		_, err = svc.owners.List(ctx, hubspot.OwnerListOptions{Limit: 1})
	case res.Kind == hubspot.KindCMSObject:
		_, err = svc.cmsObjects(*res.CMS, s.config.HubDBDrafts).List(ctx, hubspot.CMSListOptions{Limit: 1})
	case res.Kind == hubspot.KindPipelines:
		_, err = svc.pipelines.List(ctx, res.Pipelines.ObjectType)
	case res.Kind == hubspot.KindLists:
		_, err = svc.lists.Search(ctx, hubspot.ListSearchRequest{Count: 1})
	default:
		_, err = svc.objects.List(ctx, res.Name, hubspot.ListOptions{Limit: 1})
	}
	if hubspot.IsSignInRefused(err) || hubspot.IsVersionRetired(err) {
		return s.config.Explain(err)
	}
	switch hubspot.StatusCode(err) {
	case 0:
		if err != nil {
			return fmt.Errorf("reach HubSpot at %s: %w", s.config.BaseURL, err)
		}
		return nil
	case http.StatusUnauthorized:
		return s.config.Explain(err)
	case http.StatusForbidden:
		return fmt.Errorf("the access token lacks the scope to read %s (parameter %q): %w", res.Name, s.config.SignInParam(), err)
	default:
		return fmt.Errorf("check access to %s: %w", res.Name, err)
	}
}

// Read returns the next record, waiting while the source has caught up.
func (s *Source) Read(ctx context.Context) (opencdc.Record, error) {
	recs, err := s.ReadN(ctx, 1)
	if err != nil {
		return opencdc.Record{}, err
	}
	return recs[0], nil
}

// ReadN returns up to n records, at least one, waiting while the source
// has caught up. Errors that outlast the client's retries are returned, so
// the pipeline learns of them.
func (s *Source) ReadN(ctx context.Context, n int) ([]opencdc.Record, error) {
	if len(s.streams) == 0 {
		return nil, errors.New("hubspot source: Read before Open")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.lifetime, cancel)()
	for len(s.buf) == 0 {
		st, err := s.nextStream(ctx)
		if err != nil {
			return nil, err
		}
		snapshot := st.reader.snapshotting()
		if snapshot && st.snapshotStart.IsZero() {
			// The clock starts before the first page is asked for, so the
			// rate counts the time that page took.
			st.snapshotStart = s.now()
			st.lastProgress = st.snapshotStart
		}
		if s.budget != nil {
			s.sentBeforeStep = s.budget().Sent
		}
		recs, more, err := st.reader.step(ctx)
		if sh := st.reader.history.shape; sh != nil {
			sh.logUnparsable(ctx)
		}
		if err != nil {
			// A token revoked while the pipeline runs is told as clearly
			// as at Open.
			return nil, s.config.Explain(err)
		}
		if s.several {
			if err := s.combinePositions(st, recs); err != nil {
				return nil, err
			}
		}
		s.buf = recs
		if !more {
			st.nextPoll = s.now().Add(s.pollWait(ctx))
			s.polls++
		}
		if snapshot {
			st.snapshotCount += len(recs)
			s.logProgress(ctx, st)
		}
	}
	n = min(max(n, 1), len(s.buf))
	out := s.buf[:n:n]
	s.buf = s.buf[n:]
	return out, nil
}

// pollWait is how long the source waits before its next poll: the polling
// period, stretched when the account's daily quota runs low, so that what
// is left above the reserve (dailyReservePercent) lasts until the reset at
// the pace of the poll just made: a poll that cost c requests (the step
// that found the source caught up: what polling costs while it stays so),
// with r requests above the reserve and t until the reset, waits t*c/r. At or
// below the reserve the source polls again at the reset: it catches up
// then, as a poll reads every change since the last one. The reset is the
// client's assumption (Budget.DailyReset: midnight in accountTimeZone);
// HubSpot's headers do not say. With several resources each stream polls
// on its own schedule, so a poll's cost counts once for each of them: they
// spend the quota together.
func (s *Source) pollWait(ctx context.Context) time.Duration {
	period := s.config.PollingPeriod
	if s.budget == nil {
		return period
	}
	b := s.budget()
	cost := max(1, b.Sent-s.sentBeforeStep) * int64(len(s.streams))
	wait := period
	if untilReset := b.DailyReset.Sub(s.now()); b.Daily > 0 && untilReset > 0 {
		above := b.DailyRemaining - b.Daily*s.config.DailyReservePercent/100
		stretched := untilReset
		if above > 0 {
			// In float64 and clamped before the conversion: a large cost
			// over a small remainder would overflow a Duration.
			ratio := min(1, float64(cost)/float64(above))
			stretched = time.Duration(float64(untilReset) * ratio)
		}
		wait = max(period, min(stretched, untilReset))
	}
	low := wait > period
	if low != s.lowBudget {
		s.lowBudget = low
		line := sdk.Logger(ctx).Info()
		msg := "hubspot source: the account's daily API quota is above the reserve again; polling every pollingPeriod"
		if low {
			line = sdk.Logger(ctx).Warn()
			msg = "hubspot source: the account's daily API quota is running low; polling less often to stay above the reserve until it resets"
		}
		line.Int("dailyLimit", b.Daily).
			Int("dailyRemaining", b.DailyRemaining).
			Int("dailyReservePercent", s.config.DailyReservePercent).
			Time("reset", b.DailyReset).
			Dur("pollEvery", wait).
			Msg(msg)
	}
	return wait
}

// waitUntil waits until the source's clock reads at, or, on a clock that
// tests move by hand, for as long as it read until then.
func (s *Source) waitUntil(ctx context.Context, at time.Time) error {
	wait := at.Sub(s.now())
	if wait <= 0 {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("read: %w", err)
		}
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("wait for the next poll: %w", ctx.Err())
	case <-t.C:
		return nil
	}
}

// logProgress logs a running snapshot every progressEvery, and its end at
// once, with the rate over the time since the snapshot's first request:
// waiting for the next periodic line would divide by at least five seconds.
func (s *Source) logProgress(ctx context.Context, st *stream) {
	now := s.now()
	done := !st.reader.snapshotting()
	if !done && now.Sub(st.lastProgress) < progressEvery {
		return
	}
	st.lastProgress = now
	elapsed := now.Sub(st.snapshotStart)
	line := sdk.Logger(ctx).Info().
		Str("resource", st.name).
		Int("objects", st.snapshotCount).
		Float64("seconds", elapsed.Seconds()).
		Bool("done", done)
	if elapsed > 0 {
		// No rate when no time was measured: a made-up divisor would
		// report any number.
		line = line.Float64("objectsPerSecond", float64(st.snapshotCount)/elapsed.Seconds())
	}
	line.Msg("hubspot snapshot progress")
}

// Ack has nothing to do: the position holds all the source needs.
func (s *Source) Ack(ctx context.Context, pos opencdc.Position) error {
	sdk.Logger(ctx).Trace().Str("position", string(pos)).Msg("ack")
	return nil
}

// Teardown ends a Read in progress and releases the HTTP connections; it
// works without Open too.
func (s *Source) Teardown(context.Context) error {
	if s.stop != nil {
		s.stop()
	}
	for _, st := range s.streams {
		st.reader.close() // ends the snapshot's reads ahead
	}
	if s.client != nil {
		s.client.Close()
	}
	return nil
}
