// Command hubspot-bench measures the connector against the simulator with
// HubSpot's rate limits on, and prints one Markdown table: HubSpot calls
// per record, records per second against the ceiling the rate limit sets,
// CDC lag, 429s, heap during a large snapshot and CPU per record.
//
//	go run ./cmd/hubspot-bench        (make bench)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	connector "github.com/conduit-connectors/conduit-connector-hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/decoded"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// ceiling is what HubSpot's 190 requests per 10 s allow at 100 objects a
// request.
const ceiling = 1900.0

func main() {
	// Ctrl-C ends a run through its deferred clean-ups: the end-to-end
	// steps' Conduit, plugin and PostgreSQL cluster stop with it.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hubspot-bench:", err)
		os.Exit(1)
	}
}

type sizes struct {
	rate, heapSmall, heapLarge, cpu, lagChanges, wide, e2e int
	e2eSettings                                            e2eSettings
	archives                                               []int
	// simProfile is where the simulator in a child process writes a CPU
	// profile of its serving ("": none).
	simProfile string
	// conduitProfile is where the end-to-end steps' Conduit writes a CPU
	// profile of its run ("": none).
	conduitProfile string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("hubspot-bench", flag.ContinueOnError)
	quick := fs.Bool("quick", false, "smaller runs, for a smoke test")
	only := fs.String("only", "", "run only the step of this name (as in the source: wideSnapshot, idleCost...)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	e2e := fs.Bool("e2e", false, "run the end-to-end steps in real Conduit (make bench-e2e) instead of the others")
	contacts := fs.Int("e2e-contacts", 0, "contacts the end-to-end steps read (default 125,000: 60 s past the first window at HubSpot's ceiling)")
	destBatch := fs.Int("e2e-dest-batch", 1000, "sdk.batch.size of the end-to-end steps' destination (0: the SDK's default, one record at a time), with sdk.batch.delay 100ms")
	sourceBatch := fs.Int("e2e-source-batch", 0, "sdk.batch.size of the end-to-end steps' source (0: the SDK's default, one record per message to Conduit), with sdk.batch.delay 100ms")
	sourceSchema := fs.Bool("e2e-source-schema", false, "the end-to-end steps' source turns the SDK's schema extraction on (sdk.schema.extract.*.enabled, on by Conduit's default; records the source types name their schemas and pass it unchanged)")
	decodeStage := fs.Bool("e2e-decode-stage", false, "the end-to-end steps' pipeline has a processor that changes nothing but decodes the payload from Avro on its own goroutine (its schema encoding off), so that Conduit's destination only writes")
	conduitFlags := fs.String("e2e-conduit-flags", "", "more flags of the end-to-end steps' conduit run, space-separated (e.g. --preview.pipeline-arch-v2)")
	destExtra := fs.String("e2e-dest-settings", "", "more settings of the end-to-end steps' destination, key=value,key=value (e.g. sdk.record.format=opencdc/json,sdk.schema.extract.payload.enabled=false)")
	serve := fs.Int("serve-sim", -1, "serve the simulator with this many contacts of every property (the wide steps run it so, in a child process)")
	simLimits := fs.Bool("sim-limits", true, "with -serve-sim: HubSpot's rate limits on")
	simExtra := fs.Int("sim-extra-props", 0, "with -serve-sim: custom text properties to add to contacts")
	conduitProfile := fs.String("e2e-conduit-cpuprofile", "", "the end-to-end steps run Conduit with --dev.cpuprofile set to this file")
	simProfile := fs.String("sim-cpuprofile", "", "write a CPU profile of the simulator's serving (seeding apart) to this file: with -serve-sim, or for pluginCPU, which runs it in a child process")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("flags: %w", err)
	}
	if *serve >= 0 {
		return serveSim(ctx, simConfig{n: *serve, limits: *simLimits, extraProps: *simExtra, profile: *simProfile}, os.Stdin, out)
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	sz := sizes{rate: 20000, heapSmall: 100_000, heapLarge: 1_000_000, cpu: 50000, lagChanges: 30, wide: 10_000, e2e: 125_000, archives: []int{100, 10_000, 100_000}}
	if *quick {
		sz = sizes{rate: 500, heapSmall: 1000, heapLarge: 5000, cpu: 1000, lagChanges: 3, wide: 500, e2e: 2000, archives: []int{100, 1000}}
	}
	if *contacts > 0 {
		sz.e2e = *contacts
	}
	sz.e2eSettings = e2eSettings{sourceBatch: *sourceBatch, destBatch: *destBatch, sourceSchema: *sourceSchema, destExtra: *destExtra, conduitFlags: *conduitFlags, decodeStage: *decodeStage}
	sz.simProfile = *simProfile
	sz.conduitProfile = *conduitProfile
	t := &table{}
	type step = struct {
		name string
		run  func(context.Context, *table, sizes) error
	}
	steps := []step{
		{"destCalls", destCalls}, {"destRate", destRate}, {"snapshotRate", snapshotRate}, {"wideSnapshot", wideSnapshot}, {"pluginCPU", pluginCPU}, {"wideDest", wideDest},
		{"cdcLag", cdcLag}, {"lookBackCost", lookBackCost}, {"idleCost", idleCost}, {"deleteLatency", deleteLatency},
		{"cdcSearches", cdcSearches}, {"snapshotHeap", snapshotHeap}, {"cpuPerRecord", cpuPerRecord},
		{"associations", associationsCost}, {"cmsScan", cmsScanCost}, {"searchBodyCost", searchBodyCost}, {"pipelinesCost", pipelinesCost},
		{"listsCost", listsCost},
		{"propertyHistoryCost", propertyHistoryCost},
	}
	// The end-to-end steps run long (minutes each): make bench-e2e.
	e2eSteps := []step{{"e2eFile", e2eFile}, {"e2ePostgres", e2ePostgres}}
	switch {
	case *e2e:
		steps = e2eSteps
	case *only != "":
		steps = append(steps, e2eSteps...)
	}
	fmt.Fprintf(os.Stderr, "load %s\n", loadAverage())
	for _, step := range steps {
		if *only != "" && step.name != *only {
			continue
		}
		if err := step.run(ctx, t, sz); err != nil {
			return fmt.Errorf("%s: %w", step.name, err)
		}
	}
	t.print(out)
	return nil
}

// startCPUProfile writes a CPU profile to path until stop.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// table collects the figures.
type table struct{ rows [][4]string }

func (t *table) add(figure, value, goal, verdict string) {
	t.rows = append(t.rows, [4]string{figure, value, goal, verdict})
	fmt.Fprintf(os.Stderr, "%s: %s\n", figure, value)
}

func (t *table) print(w io.Writer) {
	fmt.Fprintln(w, "| figure | measured | goal | met |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	for _, r := range t.rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", r[0], r[1], r[2], r[3])
	}
}

func verdict(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

// ---- set-up ----

func newSim(opts ...hubspottest.Option) (*hubspottest.Server, error) {
	srv, err := hubspottest.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("start simulator: %w", err)
	}
	return srv, nil
}

// settings are the connection settings for the simulator, plus extra.
func settings(srv *hubspottest.Server, extra config.Config) config.Config {
	cfg := config.Config{"accessToken": srv.Token, "baseURL": srv.URL, "resource": "contacts"}
	maps.Copy(cfg, extra)
	return cfg
}

func openDestination(ctx context.Context, srv *hubspottest.Server, extra config.Config, opts ...destination.Option) (*destination.Destination, error) {
	d := destination.NewDestination(opts...)
	if err := sdk.Util.ParseConfig(ctx, settings(srv, extra), d.Config(), connector.Connector.NewSpecification().DestinationParams); err != nil {
		return nil, fmt.Errorf("configure destination: %w", err)
	}
	if err := d.Open(ctx); err != nil {
		return nil, fmt.Errorf("open destination: %w", err)
	}
	return d, nil
}

func openSource(ctx context.Context, srv *hubspottest.Server, extra config.Config, opts ...source.Option) (*source.Source, error) {
	s := source.NewSource(opts...)
	if err := sdk.Util.ParseConfig(ctx, settings(srv, extra), s.Config(), connector.Connector.NewSpecification().SourceParams); err != nil {
		return nil, fmt.Errorf("configure source: %w", err)
	}
	if err := s.Open(ctx, nil); err != nil {
		return nil, fmt.Errorf("open source: %w", err)
	}
	return s, nil
}

func createRecords(n, from int) []opencdc.Record {
	recs := make([]opencdc.Record, n)
	for i := range recs {
		k := from + i
		recs[i] = opencdc.Record{
			Position:  opencdc.Position("c" + strconv.Itoa(k)),
			Operation: opencdc.OperationCreate,
			Payload: opencdc.Change{After: opencdc.StructuredData{
				"email": fmt.Sprintf("bench%d@example.com", k), "firstname": "F" + strconv.Itoa(k), "lastname": "L",
			}},
		}
	}
	return recs
}

// writeAll writes in batches of 100, as Conduit does with sdk.batch.size:
// 100.
func writeAll(ctx context.Context, d *destination.Destination, recs []opencdc.Record) error {
	for lo := 0; lo < len(recs); lo += 100 {
		batch := recs[lo:min(lo+100, len(recs))]
		n, err := d.Write(ctx, batch)
		if err != nil {
			return fmt.Errorf("write: %w", err)
		}
		if n != len(batch) {
			return fmt.Errorf("write: %d of %d records written", n, len(batch))
		}
	}
	return nil
}

// readN reads n records, or fails after limit.
func readN(ctx context.Context, s *source.Source, n int, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for got := 0; got < n; {
		recs, err := s.ReadN(ctx, 1000)
		if err != nil {
			return fmt.Errorf("read %d of %d records: %w", got, n, err)
		}
		got += len(recs)
	}
	return nil
}

// ---- figures ----

// destCalls: HubSpot calls per 1,000 records of each operation.
func destCalls(ctx context.Context, t *table, _ sizes) error {
	const n = 1000
	for _, op := range []string{"create", "update", "delete", "upsert"} {
		srv, err := newSim(hubspottest.WithoutRateLimits())
		if err != nil {
			return err
		}
		extra := config.Config{}
		if op == "upsert" {
			extra["idProperty"] = "email"
		}
		d, err := openDestination(ctx, srv, extra)
		if err != nil {
			srv.Close()
			return err
		}
		recs := createRecords(n, 0)
		if op == "update" || op == "delete" {
			ids, err := srv.Seed("contacts", n, nil)
			if err != nil {
				srv.Close()
				return fmt.Errorf("seed: %w", err)
			}
			for i := range recs {
				recs[i].Key = opencdc.StructuredData{"id": ids[i]}
				recs[i].Operation = opencdc.OperationUpdate
				if op == "delete" {
					recs[i].Operation = opencdc.OperationDelete
				}
			}
		}
		srv.ResetCalls()
		err = writeAll(ctx, d, recs)
		calls := srv.TotalCalls()
		srv.Close()
		if err != nil {
			return err
		}
		t.add("dest calls / 1,000 "+op+"s", strconv.Itoa(calls), "≤ 10.2", verdict(calls <= 10))
	}
	return nil
}

// destRate: creates per second with HubSpot's limits on.
func destRate(ctx context.Context, t *table, sz sizes) error {
	srv, err := newSim()
	if err != nil {
		return err
	}
	defer srv.Close()
	d, err := openDestination(ctx, srv, nil)
	if err != nil {
		return err
	}
	recs := createRecords(sz.rate, 0)
	return t.rate(srv, fmt.Sprintf("dest records/s at 190 req/10 s (%d creates)", sz.rate), "dest", sz.rate,
		func() error { return writeAll(ctx, d, recs) })
}

// rate times n records moved by move against the simulator's limits, and
// adds the records per second and the 429s to the table.
func (t *table) rate(srv *hubspottest.Server, figure, run string, n int, move func() error) error {
	srv.ResetCalls()
	start := time.Now()
	if err := move(); err != nil {
		return err
	}
	rate := float64(n) / time.Since(start).Seconds()
	t.add(figure, fmt.Sprintf("%.0f (%.0f %% of 1,900)", rate, 100*rate/ceiling), "≥ 90 % of 1,900", verdict(rate >= 0.9*ceiling))
	t.add("429s in the "+run+" run", strconv.Itoa(srv.RateLimited()), "0", verdict(srv.RateLimited() == 0))
	return nil
}

// snapshotRate: snapshot records per second with HubSpot's limits on.
func snapshotRate(ctx context.Context, t *table, sz sizes) error {
	srv, err := newSim()
	if err != nil {
		return err
	}
	defer srv.Close()
	s, _, err := seededSource(ctx, srv, sz.rate)
	if err != nil {
		return err
	}
	defer func() { _ = s.Teardown(ctx) }()
	return t.rate(srv, fmt.Sprintf("snapshot records/s at 190 req/10 s (%d contacts)", sz.rate), "snapshot", sz.rate,
		func() error { return readN(ctx, s, sz.rate, 5*time.Minute) })
}

// seededSource seeds n contacts and opens a source whose snapshot holds
// them, returning their ids.
func seededSource(ctx context.Context, srv *hubspottest.Server, n int, opts ...source.Option) (*source.Source, []string, error) {
	ids, err := srv.Seed("contacts", n, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("seed: %w", err)
	}
	time.Sleep(2 * time.Millisecond) // the snapshot holds what was created before it started
	s, err := openSource(ctx, srv, nil, opts...)
	if err != nil {
		return nil, nil, err
	}
	return s, ids, nil
}

// cdcLag: from a change in the simulator to its record leaving ReadN.
func cdcLag(ctx context.Context, t *table, sz sizes) error {
	for _, polling := range []time.Duration{5 * time.Second, time.Second} {
		p50, p99, refused, err := measureLag(ctx, polling, sz.lagChanges)
		if err != nil {
			return err
		}
		t.add(fmt.Sprintf("CDC lag, pollingPeriod %s (p50 / p99)", polling),
			fmt.Sprintf("%s / %s", p50.Round(10*time.Millisecond), p99.Round(10*time.Millisecond)), "about pollingPeriod / 2 / pollingPeriod", "-")
		t.add(fmt.Sprintf("429s in the CDC run, pollingPeriod %s", polling), strconv.Itoa(refused), "0", verdict(refused == 0))
	}
	return nil
}

func measureLag(ctx context.Context, polling time.Duration, changes int) (time.Duration, time.Duration, int, error) {
	srv, err := newSim()
	if err != nil {
		return 0, 0, 0, err
	}
	defer srv.Close()
	ids, err := srv.Seed("contacts", changes, nil)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("seed: %w", err)
	}
	s, err := openSource(ctx, srv, config.Config{"snapshot": "false", "pollingPeriod": polling.String()})
	if err != nil {
		return 0, 0, 0, err
	}
	defer func() { _ = s.Teardown(ctx) }()

	var mu sync.Mutex
	changedAt := map[string]time.Time{}
	go func() {
		rng := rand.New(rand.NewPCG(1, 2))
		for i, id := range ids {
			time.Sleep(time.Duration(rng.IntN(int(polling/time.Millisecond)/2+1)) * time.Millisecond)
			mu.Lock()
			changedAt["chg-"+strconv.Itoa(i)] = time.Now()
			mu.Unlock()
			_ = srv.Update("contacts", id, map[string]string{"firstname": "chg-" + strconv.Itoa(i)})
		}
	}()

	readCtx, cancel := context.WithTimeout(ctx, time.Duration(changes)*polling+time.Minute)
	defer cancel()
	var lags []time.Duration
	for len(lags) < changes {
		recs, err := s.ReadN(readCtx, 100)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("read: %w", err)
		}
		now := time.Now()
		for _, r := range recs {
			after, err := decoded.Payload(ctx, r, r.Payload.After)
			if err != nil {
				return 0, 0, 0, fmt.Errorf("record %s: %w", r.Key, err)
			}
			name, _ := after["firstname"].(string)
			mu.Lock()
			at, ok := changedAt[name]
			mu.Unlock()
			if ok && strings.HasPrefix(name, "chg-") {
				lags = append(lags, now.Sub(at))
			}
		}
	}
	slices.Sort(lags)
	return lags[len(lags)/2], lags[(len(lags)*99)/100], srv.RateLimited(), nil
}

// lookBackCost: what reading the look-back window again while a backlog
// drains costs, in simulated time on a manual clock (each search takes the
// client's 250 ms): contacts are created at 1.5 times the rate the source
// reads them through search for two minutes, 2 % of them searchable only
// 20 s late, with a 30 s look-back window and without one.
func lookBackCost(ctx context.Context, t *table, _ sizes) error {
	with, err := drainBacklog(ctx, "30s")
	if err != nil {
		return err
	}
	without, err := drainBacklog(ctx, "0s")
	if err != nil {
		return err
	}
	perMinute := float64(with.lookBacks) / with.drained.Minutes()
	t.add("look-back searches while a backlog drains (2 min at 1.5x the read rate, lookbackWindow 30s)",
		fmt.Sprintf("%d in %s, %.1f a minute (of %d searches; %d with lookbackWindow 0s, drained in %s)",
			with.lookBacks, with.drained.Round(time.Second), perMinute, with.searches, without.lookBacks, without.drained.Round(time.Second)),
		"-", "-")
	t.add("changes lost while a backlog drains, 2 % searchable 20 s late (lookbackWindow 30s / 0s)",
		fmt.Sprintf("%d / %d of %d", with.lost, without.lost, with.made), "0 with the window", verdict(with.lost == 0))
	return nil
}

type drained struct {
	made, lost, searches, lookBacks int
	drained                         time.Duration // from the first change to the last record
}

func drainBacklog(ctx context.Context, lookback string) (drained, error) {
	const (
		pageSize = 10
		perRead  = 250 * time.Millisecond
		duration = 2 * time.Minute
	)
	clock := hubspottest.NewManualClock(time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC))
	srv, err := newSim(hubspottest.WithoutRateLimits(), hubspottest.WithClock(clock), hubspottest.WithRandomSeed(3),
		hubspottest.WithIndexLag(time.Second), hubspottest.WithLateIndexing(0.02, 20*time.Second))
	if err != nil {
		return drained{}, err
	}
	defer srv.Close()
	// A page of changes takes the source two searches (the second reads
	// the rest of the page's last millisecond); changes come 1.5 times as
	// fast.
	stream := &hubspottest.CreateStream{Server: srv, Clock: clock, Begin: clock.Now().Add(time.Second),
		Every: 2 * perRead * 2 / (3 * pageSize), Duration: duration}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	pacer := &hubspottest.SearchPacer{Clock: clock, Every: perRead, Due: stream.Due,
		StopAt: stream.Begin.Add(duration + 4*time.Minute), Stop: cancel}
	s, err := openSource(ctx, srv, config.Config{
		"snapshot": "false", "deletes": "false", "bufferSize": strconv.Itoa(pageSize),
		"lookbackWindow": lookback, "pollingPeriod": "1ms",
	}, source.WithClock(clock),
		source.WithClientOptions(hubspot.WithoutRateLimit(), hubspot.WithHTTPClient(&http.Client{Transport: pacer})))
	if err != nil {
		return drained{}, err
	}
	defer func() { _ = s.Teardown(ctx) }()
	emitted := map[string]bool{}
	var last time.Time
	for runCtx.Err() == nil {
		recs, err := s.ReadN(runCtx, 1000)
		if err != nil && runCtx.Err() == nil {
			return drained{}, fmt.Errorf("read: %w", err)
		}
		for _, r := range recs {
			emitted[fmt.Sprint(r.Key)] = true
			last = clock.Now()
		}
	}
	if ctx.Err() != nil {
		return drained{}, fmt.Errorf("drain a backlog: %w", ctx.Err())
	}
	d := drained{made: stream.Made, lost: stream.Made - len(emitted), drained: last.Sub(stream.Begin)}
	d.searches, d.lookBacks = pacer.Searches()
	return d, nil
}

// generatedSnapshot opens a source, with the rate limits off, on a
// simulator that makes n contacts up as it lists them. closeAll stops both.
func generatedSnapshot(ctx context.Context, n int) (*source.Source, func(), error) {
	srv, err := newSim(hubspottest.WithoutRateLimits(), hubspottest.WithLazyObjects("contacts", n, madeUpContact))
	if err != nil {
		return nil, nil, err
	}
	s, err := openSource(ctx, srv, nil, source.WithClientOptions(hubspot.WithoutRateLimit()))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return s, func() { _ = s.Teardown(ctx); srv.Close() }, nil
}

// madeUpContact is the i-th contact of the heap bench's snapshot: the
// default properties a contact list returns, so that a record is as large
// as a real one with them.
func madeUpContact(i int) map[string]string {
	return map[string]string{
		"email":     "person" + strconv.Itoa(i) + "@example.com",
		"firstname": "First" + strconv.Itoa(i),
		"lastname":  "Last" + strconv.Itoa(i),
	}
}

// snapshotHeap: live heap while a snapshot of made-up objects is read.
func snapshotHeap(ctx context.Context, t *table, sz sizes) error {
	s, closeAll, err := generatedSnapshot(ctx, sz.heapLarge)
	if err != nil {
		return err
	}
	defer closeAll()
	heapAt := map[int]uint64{}
	for got := 0; got < sz.heapLarge; {
		recs, err := s.ReadN(ctx, 1000)
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		before := got
		got += len(recs)
		for _, mark := range []int{sz.heapSmall, sz.heapLarge} {
			if before < mark && got >= mark {
				heapAt[mark] = liveHeap()
			}
		}
	}
	small, large := heapAt[sz.heapSmall], heapAt[sz.heapLarge]
	growth := 100 * (float64(large) - float64(small)) / float64(small)
	t.add(fmt.Sprintf("live heap at %d / %d snapshot objects", sz.heapSmall, sz.heapLarge),
		fmt.Sprintf("%.1f MiB / %.1f MiB (%+.1f %%)", mib(small), mib(large), growth), "within 10 %", verdict(growth <= 10))
	return nil
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// cpuPerRecord: time and allocations per record with the rate limits off.
// The simulator runs in the same process, so its share is included.
func cpuPerRecord(ctx context.Context, t *table, sz sizes) error {
	s, closeAll, err := generatedSnapshot(ctx, sz.cpu)
	if err != nil {
		return err
	}
	defer closeAll()
	c, err := perRecord(sz.cpu, func() error { return readN(ctx, s, sz.cpu, 5*time.Minute) })
	if err != nil {
		return err
	}
	t.add("source CPU per record, snapshot, limits off (simulator included)", c.String(), "-", "-")

	dsrv, err := newSim(hubspottest.WithoutRateLimits())
	if err != nil {
		return err
	}
	defer dsrv.Close()
	d, err := openDestination(ctx, dsrv, nil, destination.WithClientOptions(hubspot.WithoutRateLimit()))
	if err != nil {
		return err
	}
	recs := createRecords(sz.cpu/5, 0)
	c, err = perRecord(len(recs), func() error { return writeAll(ctx, d, recs) })
	if err != nil {
		return err
	}
	t.add("dest CPU per record, creates, limits off (simulator included)", c.String(), "-", "-")
	return nil
}

// cost is what moving one record took: the process's CPU time (user and
// system, every goroutine, the in-process simulator's and the garbage
// collector's included), the wall time, and the allocations.
type cost struct{ cpu, wall, allocs float64 }

func (c cost) String() string {
	return fmt.Sprintf("%.0f ns CPU (%.0f ns wall), %.0f allocs", c.cpu, c.wall, c.allocs)
}

// perRecord runs f, which moves n records, and returns its cost per record.
func perRecord(n int, f func() error) (cost, error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu := processCPU()
	start := time.Now()
	if err := f(); err != nil {
		return cost{}, err
	}
	elapsed := time.Since(start)
	cpu = processCPU() - cpu
	runtime.ReadMemStats(&after)
	if n == 0 {
		return cost{}, errors.New("no records")
	}
	per := func(x float64) float64 { return x / float64(n) }
	return cost{cpu: per(float64(cpu.Nanoseconds())), wall: per(float64(elapsed.Nanoseconds())), allocs: per(float64(after.Mallocs - before.Mallocs))}, nil
}

// processCPU is the CPU time the process has used so far: on a shared
// machine, wall time per record also counts the other processes' turns.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
