package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/conduitio/conduit-commons/opencdc"
)

// whatToCheck ends the demo's message when the pipeline keeps failing.
const whatToCheck = "check the access token (HUBSPOT_ACCESS_TOKEN), its scopes " +
	"(crm.objects.contacts.read), and the network to HubSpot (HUBSPOT_BASE_URL)"

// show follows the output file and prints a few records a second and a
// running count, and each failure of the pipeline. It returns when ctx ends
// (nil), when Conduit exits, or when the pipeline has failed after
// maxRestarts restarts. afterSnapshot runs once the snapshot has all the
// seeded contacts.
func show(ctx context.Context, out io.Writer, path string, c *conduitProc, afterSnapshot func()) error {
	var (
		f        *os.File
		reader   *bufio.Reader
		counts   = map[opencdc.Operation]int{}
		total    int
		shown    int
		second   = time.Now()
		pending  []byte
		failed   int
		restarts int
		lastErr  string
		giveUp   <-chan time.Time // set when the pipeline has stopped
		snapshot = false
	)
	ticker := time.NewTicker(200 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-c.done:
			<-c.logDone // the failure that ended it may still be in the log
			for len(c.events) > 0 {
				if ev := <-c.events; ev.kind == "failed" {
					lastErr = ev.err
				}
			}
			if lastErr != "" {
				return fmt.Errorf("conduit exited: %s\n%s", lastErr, whatToCheck)
			}
			return fmt.Errorf("conduit exited (%v); its log says why", c.waitErr)
		case <-giveUp:
			return gaveUp(failed, restarts, lastErr)
		case ev := <-c.events:
			switch ev.kind {
			case "failed":
				failed++
				lastErr = ev.err
				fmt.Fprintf(out, "pipeline failed: %s\n", ev.err)
				if failed > maxRestarts {
					return gaveUp(failed, restarts, lastErr)
				}
			case "restarting":
				restarts++
				fmt.Fprintf(out, "Conduit restarts the pipeline (%d of %d)\n", restarts, maxRestarts)
			case "stopped":
				// Conduit will not restart it. The failure that stopped it
				// may be logged just after the stop.
				giveUp = time.After(time.Second)
			}
			continue
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
		if !snapshot && counts[opencdc.OperationSnapshot] >= seeded {
			snapshot = true
			afterSnapshot()
		}
		if time.Since(second) >= time.Second && (total > 0 || failed == 0) {
			fmt.Fprintf(out, "%d records: %d snapshot, %d create, %d update, %d delete\n",
				total, counts[opencdc.OperationSnapshot], counts[opencdc.OperationCreate],
				counts[opencdc.OperationUpdate], counts[opencdc.OperationDelete])
			second, shown = time.Now(), 0
		}
	}
}

// gaveUp is the demo's error when the pipeline keeps failing.
func gaveUp(failed, restarts int, lastErr string) error {
	if lastErr == "" {
		lastErr = "the pipeline stopped; Conduit's log says why"
	}
	return fmt.Errorf("the pipeline failed %d times (%d restarts): %s\n%s", failed, restarts, lastErr, whatToCheck)
}
