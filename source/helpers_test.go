package source_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	connector "github.com/conduit-connectors/conduit-connector-hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/syncbuf"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/typed"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/rs/zerolog"
)

// t0 is where the manual clocks of these tests start.
var t0 = time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

// env is a simulator on a manual clock that the source shares, so that
// tests step through time instead of sleeping.
type env struct {
	srv   *hubspottest.Server
	clock *hubspottest.ManualClock
	// ctx is what reads start from: nil, the background; a test that
	// checks the source's log gives one that carries a logger (logTo).
	ctx context.Context
}

// logTo returns e with reads that log to buf, at info level and above.
func (e env) logTo(buf *syncbuf.Buffer) env {
	e.ctx = zerolog.New(buf).Level(zerolog.InfoLevel).WithContext(context.Background())
	return e
}

// readCtx is the context a read starts from.
func (e env) readCtx() context.Context {
	if e.ctx == nil {
		return context.Background()
	}
	return e.ctx
}

// newEnv starts a simulator without rate limits (the client's pacing is
// tested in hubspot/), so that the tests run as fast as the code allows.
func newEnv(t *testing.T, opts ...hubspottest.Option) env {
	t.Helper()
	clock := hubspottest.NewManualClock(t0)
	opts = append([]hubspottest.Option{hubspottest.WithoutRateLimits(), hubspottest.WithClock(clock)}, opts...)
	srv, err := hubspottest.NewServer(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return env{srv: srv, clock: clock}
}

// tick moves time on, as it passes between requests in real life.
func (e env) tick() { e.clock.Advance(time.Second) }

// settle moves time past the clock-skew allowance of the deletes scan.
func (e env) settle() { e.clock.Advance(5 * time.Second) }

// openSource configures a source the way Conduit does, through the
// connector's specification, and opens it at pos. Time moves on after
// Open, as it does before the first page is read.
func openSource(t *testing.T, e env, settings map[string]string, pos opencdc.Position) *source.Source {
	t.Helper()
	src, err := tryOpen(e, settings, pos)
	if err != nil {
		t.Fatalf("open source: %v", err)
	}
	t.Cleanup(func() { _ = src.Teardown(context.Background()) })
	e.tick()
	return src
}

func tryOpen(e env, settings map[string]string, pos opencdc.Position, clientOpts ...hubspot.Option) (*source.Source, error) {
	return tryOpenCtx(context.Background(), e, settings, pos, clientOpts...)
}

// tryOpenCtx is tryOpen with the context Configure and Open get, such as
// one that carries a logger.
func tryOpenCtx(ctx context.Context, e env, settings map[string]string, pos opencdc.Position, clientOpts ...hubspot.Option) (*source.Source, error) {
	cfg := config.Config{
		"accessToken":          e.srv.Token,
		"baseURL":              e.srv.URL,
		"resource":             "contacts",
		"pollingPeriod":        "5ms",
		"deletesPollingPeriod": "5ms",
		// The client's pacing is off: so is the deletes scan's, which
		// its own tests turn on.
		"deletesRateShare": "100",
	}
	maps.Copy(cfg, settings)
	src := source.NewSource(
		source.WithClientOptions(hubspot.WithoutRateLimit(), hubspot.WithBackoff(time.Millisecond, 10*time.Millisecond)),
		source.WithClientOptions(clientOpts...),
		source.WithClock(e.clock),
	)
	if err := sdk.Util.ParseConfig(ctx, cfg, src.Config(), connector.Connector.NewSpecification().SourceParams); err != nil {
		return nil, fmt.Errorf("configure: %w", err)
	}
	if err := src.Open(ctx, pos); err != nil {
		return nil, err
	}
	return src, nil
}

// readQuiet reads until the source is caught up: two reads in a row, with
// the clock moved on between them (for work that was not due yet, such as
// the scan of archived objects), each saw the source finish a poll that
// found nothing more, and brought no record. It counts the source's polls,
// not wall time, so a slow machine does not end it early; quiet bounds one
// read, and limit fails the test on a stall. Neither is a speed check.
func (e env) readQuiet(t *testing.T, src *source.Source, quiet, limit time.Duration) []opencdc.Record {
	t.Helper()
	var out []opencdc.Record
	deadline := time.Now().Add(limit)
	idle := 0
	for time.Now().Before(deadline) {
		e.clock.Advance(10 * time.Millisecond)
		polls := source.CaughtUpPolls(src)
		ctx, cancel := context.WithTimeout(e.readCtx(), quiet)
		recs, err := src.ReadN(ctx, 1000)
		cancel()
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			if source.CaughtUpPolls(src) == polls {
				// Cut off before a poll was over: says nothing, and a
				// machine this slow needs a longer wait.
				quiet = min(2*quiet, 5*time.Second)
				continue
			}
			if idle++; idle == 2 {
				return out
			}
			continue
		case err != nil:
			t.Fatalf("read: %v", err)
		}
		idle = 0
		out = append(out, recs...)
	}
	t.Fatalf("the source was still producing records after %s (%d so far)", limit, len(out))
	return nil
}

// readUntil reads until complete says the records read are all there are
// to read, or until limit has passed (a bound on a stall, after which the
// caller's checks say what is missing). Each read waits a little at most,
// so that the clock moves on between reads, as it would, and scheduled work
// (the scan of archived objects) comes due; a read that brings nothing
// ends nothing.
func (e env) readUntil(t *testing.T, src *source.Source, limit time.Duration, complete func([]opencdc.Record) bool) []opencdc.Record {
	t.Helper()
	var out []opencdc.Record
	deadline := time.Now().Add(limit)
	for !complete(out) && time.Now().Before(deadline) {
		e.clock.Advance(10 * time.Millisecond)
		ctx, cancel := context.WithTimeout(e.readCtx(), 100*time.Millisecond)
		recs, err := src.ReadN(ctx, 1000)
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("read: %v", err)
		}
		out = append(out, recs...)
	}
	return out
}

// readCount reads until n records came, or fails after a minute (a bound
// on a stall, not a speed check).
func readCount(t *testing.T, src *source.Source, n int) []opencdc.Record {
	t.Helper()
	var out []opencdc.Record
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for len(out) < n {
		recs, err := src.ReadN(ctx, n-len(out))
		if err != nil {
			t.Fatalf("read %d records, got %d: %v", n, len(out), err)
		}
		out = append(out, recs...)
	}
	return out
}

func recordID(t *testing.T, r opencdc.Record) string {
	t.Helper()
	key, ok := r.Key.(opencdc.StructuredData)
	if !ok {
		t.Fatalf("key %v is not structured", r.Key)
	}
	id, _ := key["id"].(string)
	if id == "" {
		t.Fatalf("key %v has no id", key)
	}
	return id
}

// payload returns the record's state of the object: after, or before for a
// delete.
func payload(t *testing.T, r opencdc.Record) opencdc.StructuredData {
	t.Helper()
	d := r.Payload.After
	if r.Operation == opencdc.OperationDelete {
		d = r.Payload.Before
	}
	return source.StructuredPayload(t, r, d)
}

func countOps(recs []opencdc.Record) map[opencdc.Operation]int {
	n := map[opencdc.Operation]int{}
	for _, r := range recs {
		n[r.Operation]++
	}
	return n
}

// replica is what a destination that applied the records would hold.
type replica struct {
	objects map[string]opencdc.StructuredData
	deleted map[string]bool
	creates map[string]int
	deletes map[string]int
	repeats int
	seen    map[string]bool
}

func newReplica() *replica {
	return &replica{objects: map[string]opencdc.StructuredData{}, deleted: map[string]bool{},
		creates: map[string]int{}, deletes: map[string]int{}, seen: map[string]bool{}}
}

func (rp *replica) apply(t *testing.T, recs []opencdc.Record) {
	t.Helper()
	for _, r := range recs {
		id := recordID(t, r)
		p := payload(t, r)
		version := fmt.Sprintf("%s/%s/%v/%v", id, r.Operation, p["updatedAt"], p["archivedAt"])
		if rp.seen[version] {
			rp.repeats++
		}
		rp.seen[version] = true
		switch r.Operation {
		case opencdc.OperationDelete:
			rp.deletes[id]++
			rp.deleted[id] = true
			delete(rp.objects, id)
		case opencdc.OperationCreate:
			rp.creates[id]++
			fallthrough
		default:
			if rp.deleted[id] {
				continue // a late repeat of a change before the delete
			}
			if old, ok := rp.objects[id]; ok && fmt.Sprint(old["updatedAt"]) > fmt.Sprint(p["updatedAt"]) {
				continue // an older version, repeated after a restart
			}
			rp.objects[id] = p
		}
	}
}

// check compares the replica with the simulator's ground truth: every live
// object with its final values of the properties the source reads, every
// object archived after start as deleted, every object created after start
// announced by a create.
func (rp *replica) check(t *testing.T, srv *hubspottest.Server, objectType string, start time.Time, props []string) {
	t.Helper()
	rp.checkState(t, srv, objectType, start, props, true)
}

// checkState is check; with creates false, an object created after start
// may be announced by an update (see TestRestartAtRandomAckedPositions).
// It logs how many objects the records lost and fails the test if any.
func (rp *replica) checkState(t *testing.T, srv *hubspottest.Server, objectType string, start time.Time, props []string, creates bool) {
	t.Helper()
	lost := rp.lost(srv, objectType, start, props, creates)
	for _, l := range lost {
		t.Error(l)
	}
	t.Logf("lost: %d", len(lost))
	if t.Failed() {
		t.FailNow()
	}
}

// lost says, for each object the records lost, what they missed of it.
func (rp *replica) lost(srv *hubspottest.Server, objectType string, start time.Time, props []string, creates bool) []string {
	var lost []string
	value := typedValues(srv, objectType)
	for _, o := range srv.Objects(objectType) {
		switch {
		case o.MergedInto != "" && o.MergedAt.After(start):
			if !rp.deleted[o.ID] {
				lost = append(lost, fmt.Sprintf("%s %s was merged into %s at %s, but no delete record came", objectType, o.ID, o.MergedInto, o.MergedAt))
			}
		case o.MergedInto != "":
		case o.Archived && o.ArchivedAt.After(start):
			if !rp.deleted[o.ID] {
				lost = append(lost, fmt.Sprintf("%s %s was archived at %s, but no delete record came", objectType, o.ID, o.ArchivedAt))
			}
		case o.Archived:
		default:
			got, ok := rp.objects[o.ID]
			if !ok {
				lost = append(lost, fmt.Sprintf("%s %s is missing", objectType, o.ID))
				continue
			}
			for _, p := range props {
				want, set := o.Properties[p]
				if v := got[p]; (set && !reflect.DeepEqual(v, value(p, want))) || (!set && v != nil) {
					lost = append(lost, fmt.Sprintf("%s %s: %s is %v, want %q (set: %v)", objectType, o.ID, p, v, want, set))
					break
				}
			}
		}
		if creates && o.CreatedAt.After(start) && !o.Archived && o.MergedInto == "" && rp.creates[o.ID] == 0 {
			lost = append(lost, fmt.Sprintf("%s %s was created after the start, but no create record came", objectType, o.ID))
		}
	}
	return lost
}

// typedValues returns what the source makes of a value HubSpot stores for
// a property of objectType, by the property's definition in srv: a string
// for a property srv does not define.
func typedValues(srv *hubspottest.Server, objectType string) func(name, stored string) any {
	defs := map[string]hubspot.Property{}
	for _, p := range srv.Properties(objectType, false) {
		defs[p.Name] = hubspot.Property{Name: p.Name, Type: p.Type, FieldType: p.FieldType}
	}
	return func(name, stored string) any {
		p, ok := defs[name]
		if !ok {
			return stored
		}
		v, err := typed.Parse(p, &stored)
		if err != nil {
			return nil // the source nulls a value that does not parse
		}
		if list, ok := v.([]string); ok {
			// As a payload in Avro decodes: an array is a []any, and an
			// empty one nil.
			var out []any
			for _, e := range list {
				out = append(out, e)
			}
			return out
		}
		return v
	}
}

func propsOf(t *testing.T, objectType string) []string {
	t.Helper()
	r, err := hubspot.LookupResource(objectType)
	if err != nil {
		t.Fatal(err)
	}
	return r.Properties(nil)
}

func positionOf(t *testing.T, r opencdc.Record) source.Position {
	t.Helper()
	p, err := source.ParsePosition(r.Position)
	if err != nil || p == nil {
		t.Fatalf("position %s: %v", r.Position, err)
	}
	return *p
}

func uniqueIDs(t *testing.T, recs []opencdc.Record) []string {
	t.Helper()
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, recordID(t, r))
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// seed creates n sample objects of a type and returns their ids.
func seed(t *testing.T, srv *hubspottest.Server, objectType string, n int) []string {
	t.Helper()
	ids, err := srv.Seed(objectType, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// readAndRestart reads from src as Conduit does, up to reads ReadN calls of
// up to n records each within 200 ms, and, when any came, stops it after
// a random prefix of them that Conduit acked (the rest is lost with the
// stop) and opens it again at the last acked position. It returns the
// records acked and the source to go on with.
func readAndRestart(t *testing.T, e env, src *source.Source, settings map[string]string, rng *rand.Rand, reads, n int) ([]opencdc.Record, *source.Source) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	var read []opencdc.Record
	for range 1 + rng.IntN(reads) {
		recs, err := src.ReadN(ctx, 1+rng.IntN(n))
		if err != nil {
			break
		}
		read = append(read, recs...)
	}
	cancel()
	if len(read) == 0 {
		return nil, src
	}
	k := 1 + rng.IntN(len(read))
	if err := src.Teardown(context.Background()); err != nil {
		t.Fatalf("teardown: %v", err)
	}
	return read[:k], openSource(t, e, settings, read[k-1].Position)
}

// changeContacts makes up to most random changes to the contacts ids: of
// every kinds changes, one archives, one creates (its id joins ids), the
// rest update.
func changeContacts(t *testing.T, srv *hubspottest.Server, rng *rand.Rand, ids *[]string, most, kinds int) {
	t.Helper()
	for range rng.IntN(most) {
		switch id := (*ids)[rng.IntN(len(*ids))]; rng.IntN(kinds) {
		case 0:
			_ = srv.Archive("contacts", id)
		case 1:
			id, err := srv.Create("contacts", map[string]string{"email": fmt.Sprintf("x%d@example.com", rng.Int())})
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			*ids = append(*ids, id)
		default:
			_ = srv.Update("contacts", id, map[string]string{"lastname": fmt.Sprintf("L%d", rng.IntN(1000))})
		}
	}
}

// churn makes n random changes: a create one time in six (or whenever
// none is live), a delete one in six, an update the rest, the clock
// moving on by 0 to 2 ms one time in three, so that changes share
// milliseconds.
func churn(e env, rng *rand.Rand, n int, none func() bool, create, remove, update func()) {
	for range n {
		if rng.IntN(3) == 0 {
			e.clock.Advance(time.Duration(rng.IntN(3)) * time.Millisecond)
		}
		switch op := rng.IntN(6); {
		case op == 0 || none():
			create()
		case op == 1:
			remove()
		default:
			update()
		}
	}
}

// readChanges reads src while change makes changes, five rounds of them a
// second apart, then what comes once the look-back is over.
func readChanges(t *testing.T, e env, src *source.Source, change func()) []opencdc.Record {
	t.Helper()
	var recs []opencdc.Record
	for range 5 {
		e.tick()
		change()
		recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
	}
	e.settle()
	return append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
}

// deletedOnce fails the test for each object the replica saw deleted more
// than once.
func (rp *replica) deletedOnce(t *testing.T, noun string) {
	t.Helper()
	for id, n := range rp.deletes {
		if n != 1 {
			t.Errorf("%s %s: %d deletes", noun, id, n)
		}
	}
}
