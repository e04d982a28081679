// Command hubspot-demo shows the connector at work in a real Conduit: it
// starts the HubSpot simulator with seed data and, after the snapshot, a
// steady stream of changes (or uses a real account when
// HUBSPOT_ACCESS_TOKEN is set), runs examples/hubspot-to-file.yaml in
// bin/conduit, and prints the records as they arrive, with a running count.
// A pipeline failure is printed as one line, and Conduit restarted; after
// three restarts the demo gives up with exit status 1. Ctrl-C stops
// everything it started. The records stay in a file whose path it prints.
//
//	make demo
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/simdata"
)

// maxRestarts is how often the demo restarts Conduit after the pipeline
// failed before it gives up: a wrong token fails every time, a network blip
// not.
const maxRestarts = 3

// stopWait bounds Conduit's graceful stop; then its process group is killed.
const stopWait = 20 * time.Second

// seeded is how many contacts the simulator starts with.
const seeded = 1000

// paths are the files the demo runs, relative to the repository root.
type paths struct {
	conduit, plugin, pipeline string
}

func main() {
	var p paths
	flag.StringVar(&p.conduit, "conduit", "bin/conduit", "the Conduit binary")
	flag.StringVar(&p.plugin, "plugin", "conduit-connector-hubspot", "the connector plugin (make build)")
	flag.StringVar(&p.pipeline, "pipeline", "examples/hubspot-to-file.yaml", "the pipeline configuration")
	flag.Parse()
	// The context ends at the first Ctrl-C; later ones are caught too (until
	// stop), so that they do not end the demo before Conduit has stopped.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Stdout, p)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hubspot-demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, p paths) error {
	// The work folder stays: it holds the records and Conduit's log.
	work, err := os.MkdirTemp("", "hubspot-demo-")
	if err != nil {
		return fmt.Errorf("work folder: %w", err)
	}
	output := filepath.Join(work, "contacts.jsonl")
	logPath := filepath.Join(work, "conduit.log")
	defer fmt.Fprintf(out, "records: %s\nConduit's log: %s\n", output, logPath)

	connectors := filepath.Join(work, "connectors")
	defer os.RemoveAll(connectors)
	// Conduit's database: kept across restarts, gone after the demo.
	defer os.RemoveAll(filepath.Join(work, "db"))
	if err := os.MkdirAll(filepath.Join(work, "db"), 0o755); err != nil {
		return fmt.Errorf("database folder: %w", err)
	}
	if err := linkPlugin(p.plugin, connectors); err != nil {
		return err
	}

	token, baseURL := os.Getenv("HUBSPOT_ACCESS_TOKEN"), os.Getenv("HUBSPOT_BASE_URL")
	// afterSnapshot starts the simulator's changes once the snapshot has
	// every seeded contact: changes during the snapshot would make its count
	// differ from the banner's.
	afterSnapshot := func() {}
	if token == "" {
		srv, err := hubspottest.NewServer()
		if err != nil {
			return fmt.Errorf("start the simulator: %w", err)
		}
		defer srv.Close()
		ids, err := srv.Seed("contacts", seeded, nil)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		token, baseURL = srv.Token, srv.URL
		// The seed is printed so that the changes can be made again:
		// hubspot-sim -seed contacts=1000 -mutate 5/s -mutate-seed N.
		seed := rand.Uint64()
		fmt.Fprintf(out, "HubSpot simulator at %s: %s contacts; 5 changes a second after the snapshot (seed %d)\n", srv.URL, thousands(len(ids)), seed)
		afterSnapshot = func() { go simdata.Mutate(ctx, srv, []string{"contacts"}, 5, seed, nil) }
	} else {
		if baseURL == "" {
			baseURL = hubspot.DefaultBaseURL
		}
		fmt.Fprintf(out, "Reading contacts from your HubSpot account at %s\n", baseURL)
	}

	logFile, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("conduit log: %w", err)
	}
	defer logFile.Close()
	env := []string{
		"HUBSPOT_ACCESS_TOKEN=" + token, "HUBSPOT_BASE_URL=" + baseURL,
		"HUBSPOT_POLLING_PERIOD=1s", "HUBSPOT_DELETES_POLLING_PERIOD=10s",
		"OUTPUT_FILE=" + output,
	}
	v := newViewer(out, output, afterSnapshot)
	defer v.close()
	for restarts := 0; ; restarts++ {
		c, err := startConduit(ctx, p, work, logFile, env)
		if err != nil {
			return err
		}
		if restarts == 0 {
			fmt.Fprintf(out, "Conduit is running %s; Ctrl-C stops the demo\n", p.pipeline)
		}
		failure, err := watch(ctx, out, v, c)
		c.stop()
		if err != nil {
			return err
		}
		if failure == "" { // Ctrl-C
			fmt.Fprintln(out, "stopped")
			return nil
		}
		if restarts == maxRestarts {
			return fmt.Errorf("the pipeline failed %d times (%d restarts): %s\n%s", restarts+1, restarts, failure, whatToCheck)
		}
		// Conduit's own backoff: 1 s, 2 s, 4 s.
		delay := time.Second << restarts
		fmt.Fprintf(out, "restarting Conduit in %s (%d of %d)\n", delay, restarts+1, maxRestarts)
		select {
		case <-ctx.Done():
			fmt.Fprintln(out, "stopped")
			return nil
		case <-time.After(delay):
		}
	}
}

// linkPlugin makes a connectors folder with the plugin in it.
func linkPlugin(plugin, connectors string) error {
	abs, err := filepath.Abs(plugin)
	if err != nil {
		return fmt.Errorf("plugin path: %w", err)
	}
	if _, err := os.Stat(abs); err != nil {
		return fmt.Errorf("no plugin (make build builds it): %w", err)
	}
	if err := os.MkdirAll(connectors, 0o755); err != nil {
		return fmt.Errorf("connectors folder: %w", err)
	}
	if err := os.Symlink(abs, filepath.Join(connectors, "conduit-connector-hubspot")); err != nil {
		return fmt.Errorf("link the plugin: %w", err)
	}
	return nil
}

// thousands writes n with a comma between thousands, as the banner did.
func thousands(n int) string {
	if n < 1000 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%s,%03d", thousands(n/1000), n%1000)
}
