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
func watch(ctx context.Context, out io.Writer, v poller, c *conduitProc) (string, error) {
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

// poller shows an example's progress, polled a few times a second.
type poller interface {
	poll() error
	close()
}

// viewer follows the output file and prints a few records a second and a
// running count.
type viewer struct {
	out  io.Writer
	path string
	// snapshot is how many records the snapshot has.
	snapshot int
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

func newViewer(out io.Writer, path string, snapshot int, afterSnapshot func()) *viewer {
	return &viewer{
		out: out, path: path, snapshot: snapshot, afterSnapshot: afterSnapshot,
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
	if !v.started && v.counts[opencdc.OperationSnapshot] >= v.snapshot {
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

// counter prints what count says of the destination, each second when it
// changed; then runs after, once, when ready holds (the snapshot is in).
type counter struct {
	out   io.Writer
	count func() (string, error)
	after func()
	ready func() bool

	last    string
	at      time.Time
	started bool
}

func newCounter(out io.Writer, count func() (string, error)) *counter {
	return &counter{out: out, count: count}
}

// then sets what runs once ready holds.
func (c *counter) then(after func(), ready func() bool) *counter {
	c.after, c.ready = after, ready
	return c
}

func (c *counter) poll() error {
	if time.Since(c.at) < time.Second {
		return nil
	}
	c.at = time.Now()
	line, err := c.count()
	if err != nil {
		return err
	}
	if line != c.last {
		fmt.Fprintln(c.out, line)
		c.last = line
	}
	if !c.started && c.after != nil && c.ready() {
		c.started = true
		c.after()
	}
	return nil
}

func (*counter) close() {}
