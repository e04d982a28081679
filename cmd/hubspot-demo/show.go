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

// watch shows the records and the pipeline's failure while one Conduit
// runs. It returns the failure, one readable line, when the pipeline has
// failed or Conduit exited, and "" when ctx ends (Ctrl-C).
func watch(ctx context.Context, out io.Writer, v *viewer, c *conduitProc) (string, error) {
	ticker := time.NewTicker(200 * time.Millisecond)
	defer ticker.Stop()
	var (
		stopped <-chan time.Time // set when the pipeline has stopped
		logged  string           // Conduit's last other error
	)
	for {
		select {
		case <-ctx.Done():
			return "", nil
		case <-c.done:
			<-c.logDone // the failure that ended it may still be in the log
			for len(c.events) > 0 {
				if ev := <-c.events; ev.kind == "failed" {
					fmt.Fprintf(out, "pipeline failed: %s\n", ev.err)
					return ev.err, nil
				}
			}
			if logged != "" {
				return logged, nil
			}
			return fmt.Sprintf("Conduit exited (%v); its log says why", c.waitErr), nil
		case <-stopped:
			return "the pipeline stopped; Conduit's log says why", nil
		case ev := <-c.events:
			switch ev.kind {
			case "failed":
				fmt.Fprintf(out, "pipeline failed: %s\n", ev.err)
				return ev.err, nil
			case "stopped":
				// The failure that stopped it may be logged just after.
				stopped = time.After(time.Second)
			case "error":
				if ev.err != logged { // Conduit may log one error twice
					fmt.Fprintf(out, "Conduit: %s\n", ev.err)
					logged = ev.err
				}
			}
		case <-ticker.C:
			if err := v.poll(); err != nil {
				return "", err
			}
		}
	}
}

// viewer follows the output file and prints a few records a second and a
// running count.
type viewer struct {
	out  io.Writer
	path string
	// afterSnapshot runs once the snapshot has all the seeded contacts.
	afterSnapshot func()

	f       *os.File
	reader  *bufio.Reader
	pending []byte // a line still being written
	counts  map[opencdc.Operation]int
	total   int
	shown   int
	second  time.Time
	started bool // afterSnapshot ran
}

func newViewer(out io.Writer, path string, afterSnapshot func()) *viewer {
	return &viewer{
		out: out, path: path, afterSnapshot: afterSnapshot,
		counts: map[opencdc.Operation]int{}, second: time.Now(),
	}
}

// poll prints what the file has gained.
func (v *viewer) poll() error {
	if v.f == nil {
		f, err := os.Open(v.path)
		if err != nil {
			return nil //nolint:nilerr // no record yet
		}
		v.f, v.reader = f, bufio.NewReaderSize(f, 1<<20)
	}
	for {
		line, err := v.reader.ReadBytes('\n')
		v.pending = append(v.pending, line...)
		if errors.Is(err, io.EOF) {
			break // a partial line waits for its end
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", v.path, err)
		}
		var r opencdc.Record
		if json.Unmarshal(v.pending, &r) == nil {
			v.total++
			v.counts[r.Operation]++
			key, _ := r.Key.(opencdc.StructuredData)
			p, _ := r.Payload.After.(opencdc.StructuredData)
			if r.Operation == opencdc.OperationDelete {
				p, _ = r.Payload.Before.(opencdc.StructuredData)
			}
			if v.shown < 3 {
				fmt.Fprintf(v.out, "  %-8s contact %-6v %v %v %v\n", r.Operation, key["id"], p["email"], p["firstname"], p["lastname"])
				v.shown++
			}
		}
		v.pending = v.pending[:0]
	}
	if !v.started && v.counts[opencdc.OperationSnapshot] >= seeded {
		v.started = true
		v.afterSnapshot()
	}
	if time.Since(v.second) >= time.Second && v.total > 0 {
		fmt.Fprintf(v.out, "%d records: %d snapshot, %d create, %d update, %d delete\n",
			v.total, v.counts[opencdc.OperationSnapshot], v.counts[opencdc.OperationCreate],
			v.counts[opencdc.OperationUpdate], v.counts[opencdc.OperationDelete])
		v.second, v.shown = time.Now(), 0
	}
	return nil
}

// close closes the file.
func (v *viewer) close() {
	if v.f != nil {
		_ = v.f.Close()
	}
}
