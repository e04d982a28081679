// Command hubspot-demo shows the connector at work in a real Conduit: it
// starts the HubSpot simulator with seed data and a steady stream of
// changes (or uses a real account when HUBSPOT_ACCESS_TOKEN is set), runs
// examples/hubspot-to-file.yaml in bin/conduit, and prints the records as
// they arrive, with a running count. Ctrl-C stops everything it started.
//
//	make demo
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hubspot-demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	work, err := os.MkdirTemp("", "hubspot-demo-")
	if err != nil {
		return fmt.Errorf("work folder: %w", err)
	}
	defer os.RemoveAll(work)
	plugin, err := filepath.Abs("conduit-connector-hubspot")
	if err != nil {
		return fmt.Errorf("plugin path: %w", err)
	}
	connectors := filepath.Join(work, "connectors")
	if err := os.MkdirAll(connectors, 0o755); err != nil {
		return fmt.Errorf("connectors folder: %w", err)
	}
	if err := os.Symlink(plugin, filepath.Join(connectors, "conduit-connector-hubspot")); err != nil {
		return fmt.Errorf("link the plugin: %w", err)
	}

	token, baseURL := os.Getenv("HUBSPOT_ACCESS_TOKEN"), os.Getenv("HUBSPOT_BASE_URL")
	if token == "" {
		srv, err := hubspottest.NewServer()
		if err != nil {
			return fmt.Errorf("start the simulator: %w", err)
		}
		defer srv.Close()
		if _, err := srv.Seed("contacts", 1000, nil); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		go srv.Mutate(ctx, []string{"contacts"}, 5, nil)
		token, baseURL = srv.Token, srv.URL
		fmt.Fprintf(out, "HubSpot simulator at %s: 1,000 contacts, 5 changes a second\n", srv.URL)
	} else if baseURL == "" {
		baseURL = hubspot.DefaultBaseURL
		fmt.Fprintln(out, "Reading contacts from your HubSpot account")
	}

	output := filepath.Join(work, "contacts.jsonl")
	// Not ctx: a cancelled context would kill Conduit; it gets SIGINT below.
	conduit := exec.CommandContext(context.WithoutCancel(ctx), "bin/conduit", "run",
		"--api.enabled=false",
		"--connectors.path", connectors,
		"--pipelines.path", "examples/hubspot-to-file.yaml",
		"--db.type", "inmemory",
		"--log.level", "warn",
		"--pipelines.exit-on-degraded",
	)
	conduit.Env = append(os.Environ(),
		"HUBSPOT_ACCESS_TOKEN="+token, "HUBSPOT_BASE_URL="+baseURL,
		"HUBSPOT_POLLING_PERIOD=1s", "HUBSPOT_DELETES_POLLING_PERIOD=10s",
		"OUTPUT_FILE="+output,
	)
	logFile, err := os.Create(filepath.Join(work, "conduit.log"))
	if err != nil {
		return fmt.Errorf("conduit log: %w", err)
	}
	defer logFile.Close()
	conduit.Stdout, conduit.Stderr = logFile, logFile
	if err := conduit.Start(); err != nil {
		return fmt.Errorf("start Conduit (make demo builds bin/conduit): %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- conduit.Wait() }()
	fmt.Fprintln(out, "Conduit is running examples/hubspot-to-file.yaml; Ctrl-C stops the demo")

	err = show(ctx, out, output, exited)
	_ = conduit.Process.Signal(os.Interrupt) // Conduit's graceful stop
	select {
	case err := <-exited:
		_ = err // its exit status after a stop says nothing new
	case <-time.After(20 * time.Second):
		_ = conduit.Process.Kill()
	}
	if err != nil {
		logTail, _ := os.ReadFile(logFile.Name())
		return fmt.Errorf("%w; Conduit's log:\n%s", err, logTail)
	}
	fmt.Fprintln(out, "stopped")
	return nil
}

// show follows the output file and prints a few records a second and a
// running count.
func show(ctx context.Context, out io.Writer, path string, exited <-chan error) error {
	var (
		f       *os.File
		reader  *bufio.Reader
		counts  = map[opencdc.Operation]int{}
		total   int
		shown   int
		second  = time.Now()
		pending []byte
	)
	ticker := time.NewTicker(200 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-exited:
			return fmt.Errorf("conduit stopped: %w", err)
		case <-ticker.C:
		}
		if f == nil {
			var err error
			if f, err = os.Open(path); err != nil {
				continue // no record yet
			}
			defer f.Close()
			reader = bufio.NewReaderSize(f, 1<<20)
		}
		for {
			line, err := reader.ReadBytes('\n')
			pending = append(pending, line...)
			if errors.Is(err, io.EOF) {
				break // a partial line waits for its end
			}
			if err != nil {
				return fmt.Errorf("read %s: %w", path, err)
			}
			var r opencdc.Record
			if json.Unmarshal(pending, &r) == nil {
				total++
				counts[r.Operation]++
				key, _ := r.Key.(opencdc.StructuredData)
				p, _ := r.Payload.After.(opencdc.StructuredData)
				if r.Operation == opencdc.OperationDelete {
					p, _ = r.Payload.Before.(opencdc.StructuredData)
				}
				if shown < 3 {
					fmt.Fprintf(out, "  %-8s contact %-6v %v %v %v\n", r.Operation, key["id"], p["email"], p["firstname"], p["lastname"])
					shown++
				}
			}
			pending = pending[:0]
		}
		if time.Since(second) >= time.Second {
			fmt.Fprintf(out, "%d records: %d snapshot, %d create, %d update, %d delete\n",
				total, counts[opencdc.OperationSnapshot], counts[opencdc.OperationCreate],
				counts[opencdc.OperationUpdate], counts[opencdc.OperationDelete])
			second, shown = time.Now(), 0
		}
	}
}
