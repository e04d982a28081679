// Command hubspot-demo shows the connector at work in a real Conduit: it
// starts the HubSpot simulator with seed data and, after the snapshot, a
// steady stream of changes (or uses a real account when
// HUBSPOT_ACCESS_TOKEN is set), runs examples/hubspot-to-file.yaml in
// bin/conduit, and prints the records as they arrive, with a running count.
// A pipeline failure is printed as one line, and Conduit restarted; after
// three restarts the demo gives up with exit status 1, and at once when
// HubSpot refused the token or a scope, which no restart mends. Ctrl-C stops
// everything it started. The records stay in a file whose path it prints.
//
// With -example NAME it runs examples/NAME.yaml the same way, against one
// or two simulators (and PostgreSQL for the examples into it), with the
// files the example reads made up, and shows what reaches the destination.
//
//	make demo
//	make example NAME=hubspot-oauth-to-file
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// maxRestarts is how often the demo restarts Conduit after the pipeline
// failed before it gives up: a network blip passes, an answer in HubSpot's
// 5xx may too. A refused token or scope ends the demo at once (refused).
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
	var opt options
	flag.StringVar(&p.conduit, "conduit", "bin/conduit", "the Conduit binary")
	flag.StringVar(&p.plugin, "plugin", "conduit-connector-hubspot", "the connector plugin (make build)")
	flag.StringVar(&p.pipeline, "pipeline", "", "the pipeline configuration (default: the example's file in examples/)")
	example := flag.String("example", "hubspot-to-file", "the example to run: a file of examples/, without .yaml")
	flag.DurationVar(&opt.tokenLifetime, "token-lifetime", 30*time.Minute, "how long the OAuth example's access tokens last (HubSpot's: 30 minutes)")
	flag.Parse()
	if p.pipeline == "" {
		p.pipeline = filepath.Join("examples", *example+".yaml")
	}
	// The context ends at the first Ctrl-C; later ones are caught too (until
	// stop), so that they do not end the demo before Conduit has stopped.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Stdout, p, *example, opt)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hubspot-demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, p paths, example string, opt options) error {
	prepare, ok := examples()[example]
	if !ok {
		return fmt.Errorf("no example %q: want one of %s", example, strings.Join(slices.Sorted(maps.Keys(examples())), ", "))
	}
	// The work folder stays: it holds the records and Conduit's log.
	work, err := os.MkdirTemp("", example+"-")
	if err != nil {
		return fmt.Errorf("work folder: %w", err)
	}
	logPath := filepath.Join(work, "conduit.log")
	s, err := prepare(ctx, out, work, opt)
	defer func() {
		s.close()
		if s.summary != nil {
			fmt.Fprintln(out, s.summary())
		}
		for _, k := range s.kept {
			fmt.Fprintln(out, k)
		}
		fmt.Fprintf(out, "Conduit's log: %s\n", logPath)
	}()
	if err != nil {
		return err
	}

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
	processors := filepath.Join(work, "processors")
	defer os.Remove(processors)
	if err := os.Mkdir(processors, 0o755); err != nil {
		return fmt.Errorf("processors folder: %w", err)
	}

	logFile, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("conduit log: %w", err)
	}
	defer logFile.Close()
	defer s.view.close()
	for restarts := 0; ; restarts++ {
		c, err := startConduit(ctx, p, work, logFile, s.env)
		if err != nil {
			return err
		}
		if restarts == 0 {
			fmt.Fprintf(out, "Conduit is running %s; Ctrl-C stops the demo\n", p.pipeline)
		}
		failure, err := watch(ctx, out, s.view, c)
		c.stop()
		if err != nil {
			return err
		}
		if failure == "" { // Ctrl-C
			fmt.Fprintln(out, "stopped")
			return nil
		}
		if refused(failure) {
			return fmt.Errorf("the pipeline failed: %s\nHubSpot refused the sign-in or a scope: a restart cannot help; %s", failure, whatToCheck)
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
