package source

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// readerConfig is what the reader needs of the source's configuration.
type readerConfig struct {
	resource hubspot.Resource
	// fixed are the properties to read (nil: every property HubSpot lists);
	// required are read whatever the configuration says.
	fixed, required []string
	// typed are the property names the user typed, which Open checks
	// against the ones HubSpot lists.
	typed    typedNames
	pageSize int
	lookback time.Duration
	// snapshot says whether a snapshot covers the objects as they were at
	// the initial timestamp.
	snapshot bool
	// snapshotSearch says whether the snapshot reads from the top of the
	// id range by search too.
	snapshotSearch bool
	deletes        bool
	// drafts reads a Drafts resource's drafts, not its published
	// versions (hubdbDrafts).
	drafts bool
	// deletesEvery is the least time between the starts of two scans of
	// the archived objects, and deletesPerPage the time each page after a
	// scan's first takes of the scan's share of the rate budget.
	deletesEvery   time.Duration
	deletesPerPage time.Duration
	// links are the types whose links the records carry; linksEvery is
	// how often the link scan reads them all again.
	links      []string
	linksEvery time.Duration
}

// startKey is where the changes after the snapshot begin, for telling
// creates from updates. Changes made in the initial timestamp's
// millisecond before the snapshot read are the snapshot's, when there is
// one; the change scan reads that millisecond again all the same
// (cdcStart), for the changes made in it after the snapshot read.
func (c readerConfig) startKey(init time.Time) keyset {
	if c.snapshot {
		return keyset{ts: init, id: math.MaxUint64}
	}
	return keyset{ts: init}
}

// reader produces records one HubSpot request at a time: a snapshot page, a
// search page of changes, a page of owners or of archived objects. Read
// drives it; nothing runs in the background.
type reader struct {
	cfg     readerConfig
	hub     *hub
	history *history

	// Until the snapshot is done, only snapshot is set; after it, owners
	// for the owners resource (which has no search) or changes for the
	// others, and deletes when they are on.
	snapshot *snapshotScan
	changes  *changeScan
	owners   *ownerScan
	list     *listScan // CMS resources: snapshot and changes in one scan
	// pipelines reads a pipeline resource: snapshot and changes in one.
	pipelines *pipelineScan
	// lists reads the lists or their members (KindLists): snapshot and
	// changes in one.
	lists   wholeScan
	deletes *deleteScan
	links   *linkScan // with associations: every object's links again
	// fetches are the snapshot's reads ahead of Read.
	fetches *fetches
	// settle says that the initial timestamp is the source's clock's, to
	// be moved back to HubSpot's once an answer has dated it (settleStart).
	settle     bool
	serverTime func() (time.Time, bool)
	// changesNext gives the change scan the next step: the last one went
	// to the deletes scan (a page of a pass, or a caught-up poll's turn).
	changesNext bool
}

// newReader returns a reader that continues from pos, or, with pos nil,
// starts at the current time: with a snapshot of what exists then, or,
// with the snapshot off, with the changes after it.
func newReader(cfg readerConfig, svc services, now func() time.Time, pos *Position) (*reader, error) {
	r, err := newReaderAt(cfg, svc, now, pos)
	if err != nil {
		return nil, err
	}
	r.history.pos.Resource = cfg.resource.Name
	return r, nil
}

func newReaderAt(cfg readerConfig, svc services, now func() time.Time, pos *Position) (*reader, error) {
	r := &reader{
		cfg: cfg,
		hub: &hub{
			resource: cfg.resource, pageSize: cfg.pageSize,
			objects: svc.objects, owners: svc.owners, now: now,
			links: cfg.links, assoc: svc.assoc,
		},
		history:    newHistory(cfg.resource),
		fetches:    &fetches{},
		serverTime: svc.serverTime,
	}
	r.history.links = cfg.links
	r.hub.emitted = r.history.emitted
	if pos != nil {
		r.history.rememberDeletes(pos.Deleted)
	}
	if len(cfg.links) > 0 && cfg.linksEvery > 0 {
		r.links = &linkScan{hub: r.hub, history: r.history, every: cfg.linksEvery, next: now().Add(cfg.linksEvery)}
	}
	if cfg.resource.Kind == hubspot.KindPipelines {
		r.startPipelines(pos, svc.pipelines, now)
		return r, nil
	}
	if cfg.resource.Kind == hubspot.KindLists {
		r.startLists(pos, svc.lists, now)
		return r, nil
	}
	if cfg.resource.Kind.IsCMS() {
		r.hub.cmsObjects = svc.cmsObjects(*cfg.resource.CMS, cfg.drafts)
		r.history.shape = newShape(cfg.resource.Name)
		if err := r.startList(pos); err != nil {
			return nil, err
		}
		return r, nil
	}
	if !cfg.resource.IsOwners {
		r.hub.catalog = newCatalog(svc.properties, cfg.resource.Name, cfg.fixed, cfg.required, cfg.resource.Properties(nil), now)
		r.history.shape = newShape(cfg.resource.Name)
		r.history.shape.links = cfg.links
	}
	if pos == nil {
		init := now().UTC().Truncate(time.Millisecond)
		r.history.pos = Position{Mode: ModeSnapshot, InitialTimestamp: &init}
		// The catalog is listed before anything is read: its answer
		// dates HubSpot's clock before the start is used.
		r.settle = r.hub.catalog != nil && r.serverTime != nil
		if !cfg.snapshot {
			r.startCDC()
		}
		r.startOwnerBaseline()
		if !cfg.snapshot {
			return r, nil
		}
	} else {
		r.history.pos = *pos
		if pos.InitialTimestamp != nil {
			r.history.pos.InitialTimestamp = timePtr(pos.InitialTimestamp.UTC())
		}
		if d := pos.Deletes; cfg.resource.IsOwners && cfg.deletes && d != nil && d.Archived != nil {
			known, err := parseIDSet(d.Archived)
			if err != nil {
				return nil, err // ParsePosition checked it
			}
			r.history.archivedOwners = known
		}
		if pos.Mode != ModeSnapshot {
			return r, r.resumeCDC()
		}
	}
	snap, err := newSnapshotScan(r.hub, r.history, r.fetches, cfg.snapshotSearch, r.stale())
	if err != nil {
		return nil, err
	}
	r.snapshot = snap
	return r, nil
}

// step does the next request's worth of work. It returns the records that
// came of it and whether more work is ready at once; false means the
// source has caught up and waits for the polling period.
func (r *reader) step(ctx context.Context) ([]opencdc.Record, bool, error) {
	if c := r.hub.catalog; c != nil && c.due() {
		// One request in 10 minutes, or at once for a property the
		// catalog did not know, so that records carry it. An idle
		// source's refresh takes a poll's turn: it still makes one
		// request a poll.
		idle := r.caughtUp()
		if err := r.refreshCatalog(ctx); err != nil {
			return nil, true, err
		}
		return nil, !idle, nil
	}
	if r.settle {
		r.settleStart()
	}
	if r.deletes != nil && r.deletes.pass != nil && r.deletes.pass.baseline {
		recs, err := r.deletes.step(ctx) // before anything else is read, page after page
		return recs, true, err
	}
	if r.pipelines != nil {
		return r.pipelines.step(ctx)
	}
	if r.lists != nil {
		return r.lists.step(ctx)
	}
	if r.snapshot != nil {
		recs, done, err := r.snapshot.step(ctx)
		if err != nil {
			return nil, false, err
		}
		if done {
			r.fetches.close() // the other end's read is not needed
			r.snapshot = nil
			r.startCDC()
		}
		return recs, true, nil
	}
	if r.deletes != nil && !r.changesNext && r.deletes.due() {
		// An idle source makes one request a poll: a pass of the
		// archived list that ends while the change scan is caught up
		// takes the poll, and the change scan has the next one. Pages
		// of a longer pass come in between the change scan's as their
		// share of the budget allows.
		idle := r.caughtUp()
		recs, err := r.deletes.step(ctx)
		switch {
		case err != nil:
			return recs, true, err
		case !idle:
			// The change scan has work waiting: it reads next. A pass
			// is due again as soon as it ends when it took longer than
			// deletesPollingPeriod, and an unpaced one (a 100 % share)
			// is due page after page, so without this turn the passes
			// would follow one another and the change scan would never
			// read again.
			r.changesNext = true
		case r.deletes.pass == nil:
			r.changesNext = true
			return recs, false, nil
		}
		return recs, true, nil
	}
	if r.links != nil && r.snapshot == nil && !r.changesNext && r.links.due() && r.caughtUp() {
		// Links changed alone, once the changes are read: a page of the
		// pass, then the change scan, which polls between the pages
		// without waiting for the polling period until the pass is over.
		recs, err := r.links.step(ctx)
		r.changesNext = true
		return recs, true, err
	}
	linking := r.links != nil && r.links.running
	r.changesNext = false
	if linking && r.changes != nil {
		recs, _, err := r.changes.step(ctx)
		return recs, true, err
	}
	if r.owners != nil {
		return r.owners.step(ctx)
	}
	if r.list != nil {
		return r.list.step(ctx)
	}
	return r.changes.step(ctx)
}

// caughtUp says whether the scan of changes found nothing new last time.
func (r *reader) caughtUp() bool {
	return (r.changes != nil && r.changes.caughtUp) || (r.list != nil && r.list.caughtUp) ||
		(r.owners != nil && r.owners.caughtUp) || (r.pipelines != nil && r.pipelines.caughtUp) ||
		(r.lists != nil && r.lists.idle())
}

// refreshCatalog lists the resource's properties again when they are due,
// and builds the records' schemas again when they changed.
func (r *reader) refreshCatalog(ctx context.Context) error {
	c := r.hub.catalog
	if c == nil {
		if r.list != nil {
			return r.history.shape.fix(ctx, r.hub.cmsFields())
		}
		if r.pipelines != nil {
			return r.history.shape.fix(ctx, pipelineFields(r.pipelines.spec))
		}
		if r.history.shape != nil && r.lists != nil {
			return r.history.shape.fix(ctx, listFields())
		}
		return nil
	}
	if c.due() {
		_, err := c.refresh(ctx)
		var refused *refusedError
		switch {
		case errors.As(err, &refused):
			sdk.Logger(ctx).Warn().Err(err).Msg("hubspot source: " + refused.Error())
		case err != nil && c.listed() && ctx.Err() == nil:
			// The properties known still serve: a failed refresh (past
			// the client's retries) fails no pipeline; the next comes in
			// catalogRefreshEvery.
			c.postpone()
			sdk.Logger(ctx).Warn().Err(err).Dur("retryIn", catalogRefreshEvery).
				Msg("hubspot source: listing the properties again failed; reading the ones known meanwhile")
		case err != nil:
			return err
		}
	}
	return r.history.shape.update(ctx, c)
}

// snapshotting reports whether the reader is still in the snapshot.
func (r *reader) snapshotting() bool {
	return r.snapshot != nil || ((r.list != nil || r.pipelines != nil || r.lists != nil) && r.history.pos.Mode == ModeSnapshot)
}

// position is where the reader is: that of the last record it emitted, or
// where it started.
func (r *reader) position() Position { return r.history.pos }
