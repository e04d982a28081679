package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/pgtest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/typed"
)

// The end-to-end figures (make bench-e2e): contacts of every property
// (607) from the simulator, with HubSpot's limits on, through the plugin
// in a real Conduit v0.14.0 (bin/conduit) into a file, and into
// PostgreSQL through Conduit's builtin postgres destination. This process
// is the simulator: Conduit and its plugin are processes of their own,
// whose CPU time and peak resident set /proc gives.

// wideCeiling is HubSpot's sustained ceiling for a wide snapshot, in
// records per second: the list's 190 requests per 10 s at two calls per
// 100 records (950/s) plus search's 200 results at 4 searches a second
// that the source keeps to (800/s).
const wideCeiling = 1750.0

// firstWindow is HubSpot's burst window: the rate past it is the
// sustained one.
const firstWindow = 10 * time.Second

// e2eFile: HubSpot → Conduit → file.
func e2eFile(ctx context.Context, t *table, sz sizes) error {
	return e2eRun(ctx, t, sz, fileSink{counter: &lineCounter{}})
}

// e2ePostgres: HubSpot → Conduit → PostgreSQL (Debian's postgresql:
// internal/testkit/pgtest).
func e2ePostgres(ctx context.Context, t *table, sz sizes) error {
	return e2eRun(ctx, t, sz, &pgSink{})
}

// sink is where a pipeline writes: its destination's settings, and how
// many records it holds so far.
type sink interface {
	name() string
	start(work string, props []hubspot.Property) error
	destination(batch string) string // the destination connector's YAML, with batch's settings
	count() (int, error)
	stop()
}

func e2eRun(ctx context.Context, t *table, sz sizes, dst sink) error {
	conduitBin, err := filepath.Abs("bin/conduit")
	if err != nil {
		return fmt.Errorf("bin/conduit: %w", err)
	}
	if _, err := os.Stat(conduitBin); err != nil {
		return fmt.Errorf("make conduit builds bin/conduit: %w", err)
	}
	work, err := os.MkdirTemp("", "hubspot-bench-e2e-")
	if err != nil {
		return fmt.Errorf("work folder: %w", err)
	}
	defer os.RemoveAll(work)
	plugin := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(work, "connectors", "conduit-connector-hubspot"), "./cmd/connector")
	plugin.Stdout, plugin.Stderr = os.Stderr, os.Stderr
	if err := plugin.Run(); err != nil {
		return fmt.Errorf("build the plugin: %w", err)
	}

	n := sz.e2e
	srv, props, err := wideSim(ctx, n)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := dst.start(work, props); err != nil {
		return err
	}
	defer dst.stop()
	pipeline := filepath.Join(work, "pipeline.yaml")
	yaml, err := pipelineYAML(srv, dst, sz.e2eSettings)
	if err != nil {
		return err
	}
	if err := os.WriteFile(pipeline, []byte(yaml), 0o600); err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	fmt.Fprintf(os.Stderr, "%s: %d contacts seeded; Conduit starts (load %s)\n", dst.name(), n, loadAverage())
	srv.ResetCalls()
	simFrom := processCPU()
	c, err := startConduitProc(ctx, conduitBin, work, pipeline, sz.conduitProfile, sz.e2eSettings.conduitFlags)
	if err != nil {
		return err
	}
	defer c.stop()
	run, err := watchRun(ctx, c, dst, n)
	if err != nil {
		return err
	}
	run.refused = srv.RateLimited()
	run.sim = processCPU() - simFrom
	if run.simPeak, err = readProc(os.Getpid()); err != nil {
		return err
	}
	run.report(t, dst.name(), n, sz.e2eSettings)
	return nil
}

// wideSim starts the simulator with HubSpot's limits on and n contacts of
// every property, and returns the properties the source reads.
func wideSim(ctx context.Context, n int) (*hubspottest.Server, []hubspot.Property, error) {
	clock := hubspottest.NewOffsetClock(-seedAge)
	srv, err := newSim(hubspottest.WithFullPropertyCatalog(), hubspottest.WithClock(clock))
	if err != nil {
		return nil, nil, err
	}
	defer clock.Set(0)
	start := time.Now()
	for seeded := 0; seeded < n; {
		batch, from := min(10_000, n-seeded), seeded
		props := func(i int) map[string]string { return hubspottest.SampleProperties("contacts", from+i) }
		if _, err := srv.Seed("contacts", batch, props); err != nil {
			srv.Close()
			return nil, nil, fmt.Errorf("seed: %w", err)
		}
		seeded += batch
		fmt.Fprintf(os.Stderr, "seeded %d of %d contacts (%s)\n", seeded, n, time.Since(start).Round(time.Second))
	}
	client, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL(srv.URL))
	if err != nil {
		srv.Close()
		return nil, nil, fmt.Errorf("client: %w", err)
	}
	defer client.Close()
	props, err := client.Properties.List(ctx, "contacts")
	if err != nil {
		srv.Close()
		return nil, nil, fmt.Errorf("properties: %w", err)
	}
	return srv, props, nil
}

// pipelineYAML is the pipeline: the source into dst, each with the SDK's
// settings of set.
func pipelineYAML(srv *hubspottest.Server, dst sink, set e2eSettings) (string, error) {
	destSettings, err := set.destination()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`version: "2.2"
pipelines:
  - id: bench
    status: running
    connectors:
      - id: hubspot-contacts
        type: source
        plugin: standalone:hubspot
        settings:
%s          accessToken: %s
          baseURL: %s
          resource: contacts
%s%s`, set.source(), srv.Token, srv.URL, dst.destination(destSettings), set.processors()), nil
}

// runFigures is what a pipeline run measured.
type runFigures struct {
	elapsed, sustained time.Duration // from the first record; past the first window
	sustainedRecords   int
	plugin, conduit    procStat
	// sim is the CPU this process, the simulator, used in the run.
	sim time.Duration
	// simPeak is this process's peak resident set: the simulator's.
	simPeak procStat
	// pluginAt are the plugin's figures at 10,000 and 100,000 records:
	// its peak resident set must not grow with the snapshot.
	pluginAt map[int]procStat
	refused  int
	load     string
}

func (r runFigures) report(t *table, sinkName string, n int, set e2eSettings) {
	rate := float64(n) / r.elapsed.Seconds()
	sustained := float64(r.sustainedRecords) / r.sustained.Seconds()
	per := func(d time.Duration) string { return fmt.Sprintf("%.0f ns", float64(d.Nanoseconds())/float64(n)) }
	t.add(fmt.Sprintf("end-to-end records/s, 607 properties, HubSpot → Conduit → %s (%d contacts; %s)", sinkName, n, set),
		fmt.Sprintf("%.0f past the first 10 s (%.0f %% of %.0f), %.0f overall, in %s; load %s",
			sustained, 100*sustained/wideCeiling, wideCeiling, rate, r.elapsed.Round(time.Second), r.load),
		"≥ 90 % of 1,750", verdict(sustained >= 0.9*wideCeiling))
	t.add(fmt.Sprintf("CPU per record, plugin / Conduit / simulator (%s)", sinkName), per(r.plugin.cpu)+" / "+per(r.conduit.cpu)+" / "+per(r.sim), "plugin ≤ 250000 ns", verdict(float64(r.plugin.cpu.Nanoseconds())/float64(n) <= 250_000))
	at10k, ok10k := r.pluginAt[10_000]
	at100k, ok100k := r.pluginAt[100_000]
	flat := "-"
	if ok10k && ok100k {
		flat = verdict(float64(at100k.peakKB) <= 1.1*float64(at10k.peakKB))
	}
	t.add(fmt.Sprintf("peak RSS, plugin / Conduit (%s); the plugin's at 10,000 and 100,000 records", sinkName),
		fmt.Sprintf("%.0f MiB / %.0f MiB; %.0f MiB and %.0f MiB", kib(r.plugin.peakKB), kib(r.conduit.peakKB), kib(at10k.peakKB), kib(at100k.peakKB)),
		"plugin's within 10 % from 10,000 to 100,000", flat)
	t.add(fmt.Sprintf("simulator's peak RSS, %d contacts of 607 properties (%s)", n, sinkName), fmt.Sprintf("%.0f MiB", kib(r.simPeak.peakKB)), "-", "-")
	t.add(fmt.Sprintf("429s in the end-to-end run (%s)", sinkName), fmt.Sprint(r.refused), "0", verdict(r.refused == 0))
}

func kib(kb int64) float64 { return float64(kb) / 1024 }

// watchRun follows the sink until it holds n records, and reads the
// processes' figures before Conduit stops. A run that makes no progress for
// five minutes fails.
func watchRun(ctx context.Context, c *conduitProc, dst sink, n int) (runFigures, error) {
	r := runFigures{pluginAt: map[int]procStat{}}
	var first, sustainedFrom time.Time
	var printed time.Time
	var atSustained int
	last, lastAt := 0, time.Now()
	for {
		select {
		case <-ctx.Done():
			return r, fmt.Errorf("run: %w", ctx.Err())
		case err := <-c.done:
			c.done <- err
			return r, fmt.Errorf("the pipeline ended: Conduit exited (%w): %s", err, c.tail())
		case <-time.After(250 * time.Millisecond):
		}
		got, err := dst.count()
		if err != nil {
			return r, err
		}
		now := time.Now()
		if got > 0 && first.IsZero() {
			first = now
		}
		if !first.IsZero() && sustainedFrom.IsZero() && now.Sub(first) >= firstWindow {
			sustainedFrom, atSustained = now, got
		}
		for _, mark := range []int{10_000, 100_000} {
			if _, ok := r.pluginAt[mark]; !ok && got >= mark {
				if r.pluginAt[mark], err = c.plugin(); err != nil {
					return r, err
				}
			}
		}
		if now.Sub(printed) >= 5*time.Second && !first.IsZero() {
			printed = now
			fmt.Fprintf(os.Stderr, "%d of %d records in %s (load %s)\n", got, n, now.Sub(first).Round(time.Second), loadAverage())
		}
		if got != last {
			last, lastAt = got, now
		} else if now.Sub(lastAt) > 5*time.Minute {
			return r, fmt.Errorf("no record for 5 minutes at %d of %d: %s", got, n, c.tail())
		}
		if got >= n {
			r.elapsed = now.Sub(first)
			r.sustained, r.sustainedRecords = now.Sub(sustainedFrom), got-atSustained
			r.load = loadAverage()
			if r.plugin, err = c.plugin(); err != nil {
				return r, err
			}
			r.conduit, err = readProc(c.cmd.Process.Pid)
			return r, err
		}
	}
}

// pgType is the column type a field of kind k lands in.
func pgType(k typed.Kind) string {
	switch k {
	case typed.Number:
		return "double precision"
	case typed.Bool:
		return "boolean"
	case typed.Timestamp:
		return "timestamptz"
	case typed.Date:
		return "date"
	case typed.List:
		return "text[]"
	}
	return "text"
}

// contactsTable is the table of the contacts of props: a typed column for
// each, the record's own fields, and id its primary key.
func contactsTable(props []hubspot.Property) string {
	cols := []string{`id text PRIMARY KEY`, `"createdAt" timestamptz`, `"updatedAt" timestamptz`, `"archivedAt" timestamptz`}
	for _, p := range props {
		cols = append(cols, fmt.Sprintf("%q %s", typed.FieldName(p.Name), pgType(typed.KindOf(p))))
	}
	return "CREATE TABLE contacts (" + strings.Join(cols, ", ") + ")"
}

// pgSink is a throwaway PostgreSQL cluster.
type pgSink struct{ pg *pgtest.Cluster }

func (s *pgSink) name() string { return "PostgreSQL" }

func (s *pgSink) start(work string, props []hubspot.Property) error {
	pg, err := pgtest.Start(work)
	if err != nil {
		return fmt.Errorf("PostgreSQL (Debian: apt-get install postgresql): %w", err)
	}
	s.pg = pg
	if _, err := pg.Psql(contactsTable(props)); err != nil {
		return fmt.Errorf("create the table: %w", err)
	}
	return nil
}

func (s *pgSink) destination(batch string) string {
	return fmt.Sprintf(`      - id: postgres
        type: destination
        plugin: builtin:postgres
        settings:
          url: %s
          table: contacts
%s`, s.pg.URL("postgres"), batch)
}

func (s *pgSink) count() (int, error) {
	out, err := s.pg.Psql("SELECT count(*) FROM contacts")
	if err != nil {
		return 0, err
	}
	var n int
	if _, err := fmt.Sscan(out, &n); err != nil {
		return 0, fmt.Errorf("count records: %q: %w", out, err)
	}
	return n, nil
}

func (s *pgSink) stop() {
	if s.pg != nil {
		_ = s.pg.Stop()
	}
}
