// Package source is the HubSpot source: a snapshot of one resource, then its
// creates, updates and deletes as OpenCDC records.
package source

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// progressEvery is how often a running snapshot logs its progress; its end
// is logged at once.
const progressEvery = 5 * time.Second

// Source reads one HubSpot resource.
type Source struct {
	sdk.UnimplementedSource

	config     Config
	clientOpts []hubspot.Option
	now        func() time.Time

	client *hubspot.Client
	// lifetime ends with Teardown, which also ends a Read in progress.
	lifetime context.Context
	stop     context.CancelFunc

	reader   *reader
	buf      []opencdc.Record
	nextPoll time.Time // when caught up: when to ask HubSpot again

	snapshotStart time.Time
	lastProgress  time.Time
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

// Open checks that HubSpot accepts the token and starts from the position:
// a new source starts a snapshot (or CDC, with snapshot off) at the current
// time.
func (s *Source) Open(ctx context.Context, raw opencdc.Position) error {
	res, err := s.config.HubSpotResource()
	if err != nil {
		return err
	}
	if !res.Ops.Has(hubspot.OpList) || (!res.IsOwners && !res.Ops.Has(hubspot.OpSearch)) {
		return fmt.Errorf("%q: the source cannot read %s", config.KeyResource, res.Name)
	}
	client, err := s.config.NewClient(s.clientOpts...)
	if err != nil {
		return err
	}
	pos, err := ParsePosition(raw)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	r := &reader{
		cfg: readerConfig{
			resource:     res,
			properties:   res.Properties(s.config.ExtraProperties),
			pageSize:     s.config.BufferSize,
			lookback:     s.config.LookbackWindow,
			snapshot:     s.config.Snapshot,
			deletes:      s.config.Deletes && res.Ops.Has(hubspot.OpListArchived),
			deletesEvery: s.config.DeletesPollingPeriod,
		},
		objects:    client.Objects,
		owners:     client.Owners,
		now:        s.now,
		seen:       map[uint64]version{},
		deleted:    map[uint64]time.Time{},
		mergedAway: map[uint64]bool{},
	}
	if res.IsOwners {
		r.cfg.properties = nil
	}
	if res.Merges && !slices.Contains(r.cfg.properties, hubspot.MergedIDsProperty) {
		r.cfg.properties = append(r.cfg.properties, hubspot.MergedIDsProperty) // merges become deletes
	}
	if err := s.checkAccess(ctx, r); err != nil {
		client.Close()
		return err
	}
	if err := s.start(r, pos); err != nil {
		client.Close()
		return fmt.Errorf("open: %w", err)
	}
	s.reader, s.client = r, client
	s.lifetime, s.stop = context.WithCancel(context.Background())
	sdk.Logger(ctx).Info().
		Str("resource", res.Name).
		Str("mode", string(r.pos.Mode)).
		Time("initialTimestamp", *r.pos.InitialTimestamp).
		Msg("hubspot source opened")
	return nil
}

// checkAccess makes one small call so that a wrong token or a missing scope
// fails Open with a message that says so.
func (s *Source) checkAccess(ctx context.Context, r *reader) error {
	var err error
	if r.cfg.resource.IsOwners {
		_, err = r.owners.List(ctx, hubspot.OwnerListOptions{Limit: 1})
	} else {
		_, err = r.objects.List(ctx, r.cfg.resource.Name, hubspot.ListOptions{Limit: 1})
	}
	switch hubspot.StatusCode(err) {
	case 0:
		if err != nil {
			return fmt.Errorf("reach HubSpot at %s: %w", s.config.BaseURL, err)
		}
		return nil
	case http.StatusUnauthorized:
		return fmt.Errorf("HubSpot refused the access token (parameter %q): %w", config.KeyAccessToken, err)
	case http.StatusForbidden:
		return fmt.Errorf("the access token lacks the scope to read %s (parameter %q): %w", r.cfg.resource.Name, config.KeyAccessToken, err)
	default:
		return fmt.Errorf("check access to %s: %w", r.cfg.resource.Name, err)
	}
}

// start sets the reader at the position, or at the beginning.
func (s *Source) start(r *reader, pos *Position) error {
	if pos == nil {
		init := s.now().UTC().Truncate(time.Millisecond)
		r.pos = Position{Mode: ModeSnapshot, InitialTimestamp: &init}
		if !s.config.Snapshot {
			r.startCDC()
		}
		return nil
	}
	r.pos = *pos
	if pos.InitialTimestamp != nil {
		r.pos.InitialTimestamp = timePtr(pos.InitialTimestamp.UTC())
	}
	if r.pos.Mode == ModeSnapshot {
		after, err := snapshotResumeAfter(pos.ItemID)
		if err != nil {
			return err
		}
		r.snapshotAfter = after
		return nil
	}
	return r.resumeCDC()
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
	if s.reader == nil {
		return nil, errors.New("hubspot source: Read before Open")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.lifetime, cancel)()
	for len(s.buf) == 0 {
		if err := s.waitForPoll(ctx); err != nil {
			return nil, err
		}
		snapshot := s.reader.pos.Mode == ModeSnapshot
		if snapshot && s.snapshotStart.IsZero() {
			// The clock starts before the first page is asked for, so the
			// rate counts the time that page took.
			s.snapshotStart = s.now()
			s.lastProgress = s.snapshotStart
		}
		recs, more, err := s.reader.step(ctx)
		if err != nil {
			return nil, err
		}
		s.buf = recs
		if !more {
			s.nextPoll = s.now().Add(s.config.PollingPeriod)
		}
		if snapshot {
			s.logProgress(ctx)
		}
	}
	n = min(max(n, 1), len(s.buf))
	out := s.buf[:n:n]
	s.buf = s.buf[n:]
	return out, nil
}

func (s *Source) waitForPoll(ctx context.Context) error {
	wait := s.nextPoll.Sub(s.now())
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
func (s *Source) logProgress(ctx context.Context) {
	r := s.reader
	now := s.now()
	done := r.pos.Mode != ModeSnapshot
	if !done && now.Sub(s.lastProgress) < progressEvery {
		return
	}
	s.lastProgress = now
	elapsed := now.Sub(s.snapshotStart)
	line := sdk.Logger(ctx).Info().
		Str("resource", r.cfg.resource.Name).
		Int("objects", r.snapshotCount).
		Float64("seconds", elapsed.Seconds()).
		Bool("done", done)
	if elapsed > 0 {
		// No rate when no time was measured: a made-up divisor would
		// report any number.
		line = line.Float64("objectsPerSecond", float64(r.snapshotCount)/elapsed.Seconds())
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
	if s.client != nil {
		s.client.Close()
	}
	return nil
}
