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
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// conduitProc is a running Conduit in a process group of its own, with its
// plugins: a terminal's Ctrl-C reaches the demo only, and the demo forwards
// one SIGINT. Conduit v0.14.0 stops gracefully, stopping its plugins, on the
// first SIGINT, but exits at once on a second one, leaving them running.
type conduitProc struct {
	cmd *exec.Cmd
	// done is closed when Conduit has exited, with its status in waitErr.
	done    chan struct{}
	waitErr error
	// events has what the log says of the pipeline.
	events chan event
	// logDone is closed when Conduit's output has been read to its end.
	logDone chan struct{}
}

// startConduit runs Conduit with a JSON log, which the demo reads for the
// pipeline's failures (and copies to log), and its database in work, so
// that a restart resumes. The demo restarts Conduit after a failure, not
// Conduit the pipeline: Conduit v0.14.0 can take a failure for a user's
// stop (its cleanup reads the pipeline's error before the failed node has
// reported it) and then neither restarts the pipeline nor exits.
func startConduit(ctx context.Context, p paths, work string, log io.Writer, env []string) (*conduitProc, error) {
	// Not ctx: its end would kill Conduit, which stop signals instead.
	cmd := exec.CommandContext(context.WithoutCancel(ctx), p.conduit, "run",
		"--api.enabled=false",
		"--connectors.path", filepath.Join(work, "connectors"),
		// An empty folder: Conduit warns of a missing one.
		"--processors.path", filepath.Join(work, "processors"),
		"--pipelines.path", p.pipeline,
		"--db.type", "sqlite", "--db.sqlite.path", filepath.Join(work, "db", "conduit.db"),
		"--log.level", "info",
		"--log.format", "json",
		"--pipelines.exit-on-degraded",
		"--pipelines.error-recovery.max-retries", "0",
	)
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("conduit output: %w", err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	err = cmd.Start()
	w.Close() // Conduit holds its own copy
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("start Conduit (make demo builds bin/conduit): %w", err)
	}
	c := &conduitProc{
		cmd:     cmd,
		done:    make(chan struct{}),
		events:  make(chan event, 64),
		logDone: make(chan struct{}),
	}
	go func() {
		c.waitErr = cmd.Wait()
		close(c.done)
	}()
	go func() {
		defer close(c.logDone)
		defer r.Close()
		watchLog(io.TeeReader(r, log), c.events)
	}()
	return c, nil
}

// stop asks Conduit to stop, once, waits for it up to stopWait, and then
// kills whatever is left of its process group: a plugin Conduit did not
// stop must not outlive the demo.
func (c *conduitProc) stop() {
	pgid := c.cmd.Process.Pid
	_ = c.cmd.Process.Signal(syscall.SIGINT) // an exited Conduit: nothing to do
	select {
	case <-c.done:
	case <-time.After(stopWait):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-c.done
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	// The group is gone once the kernel has ended its last process; until
	// then kill(2) still finds it. Bounded, so a stuck process cannot hold
	// the demo.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	<-c.logDone
}

// logEntry is what the demo reads of a line of Conduit's JSON log
// (zerolog: pkg/foundation/log in Conduit v0.14.0).
type logEntry struct {
	Level   string `json:"level"`
	Message string `json:"message"`
	Error   string `json:"error"`
	NodeID  string `json:"node_id"`
}

// event is what happened to the pipeline, by Conduit's log.
type event struct {
	// failed: a node failed with err; stopped: the pipeline stopped;
	// error: Conduit logged another error, err.
	kind string
	err  string
}

// watchLog sends the pipeline's failures and stop, and Conduit's other
// errors (a pipeline it cannot provision, say). A failure's
// error is made readable. The nodes that stop because another failed
// report "context canceled": they are not the cause. It returns at the end
// of the log.
func watchLog(r io.Reader, events chan<- event) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Bytes()
		// Conduit writes a warning without a newline before its first
		// JSON line when its API is off.
		i := strings.IndexByte(string(line), '{')
		if i < 0 {
			continue
		}
		var e logEntry
		if json.Unmarshal(line[i:], &e) != nil {
			continue
		}
		var ev event
		switch {
		case e.Message == "node stopped" && e.Error != "" && !strings.HasSuffix(e.Error, "context canceled"):
			ev = event{kind: "failed", err: readable(e.Error)}
		case e.Message == "pipeline stopped":
			ev = event{kind: "stopped"}
		case e.Level == "error" && e.Message != "node stopped" && e.Error != "" && !strings.HasSuffix(e.Error, "context canceled"):
			ev = event{kind: "error", err: readable(e.Error)}
		default:
			continue
		}
		select {
		case events <- ev:
		default: // the demo is stopping and no longer reads
		}
	}
}

// conduitWrapping matches what Conduit v0.14.0 puts around a connector's
// error (pkg/lifecycle, pkg/connector, gRPC's status): the reader wants the
// connector's own words.
var conduitWrapping = regexp.MustCompile(`^(?:(?:node \S+ stopped with error|could not open source connector(?: plugin)?|` +
	`could not open destination connector(?: plugin)?|could not run (?:source|destination) connector plugin|` +
	`could not configure (?:source|destination) connector plugin|error reading from source|` +
	`source stream was stopped unexpectedly|error writing to destination|error writing record|error receiving ack): |` +
	`rpc error: code = \w+ desc = )`)

// readable strips Conduit's wrapping from a connector's error and keeps it
// to one line.
func readable(err string) string {
	for {
		loc := conduitWrapping.FindStringIndex(err)
		if loc == nil {
			break
		}
		err = err[loc[1]:]
	}
	return strings.Join(strings.Fields(err), " ")
}

// refusal matches, in a connector's error, HubSpot's refusal of the sign-in
// or of a scope: the connector's own wording of a refused token or OAuth
// app (config.ExplainSignIn: "HubSpot refused ..."), or a 401 or 403
// answer as hubspot.ErrorResponse words it ("hubspot: GET /path: 403 ...").
// Across Conduit's plugin boundary only the text of an error passes.
var refusal = regexp.MustCompile(`HubSpot refused |hubspot: [A-Z]+ \S+: 40[13] `)

// refused reports whether a failure is one no restart can mend: HubSpot
// refused the token or a scope, and answers so again until the user
// changes the configuration or the app's scopes.
func refused(failure string) bool { return refusal.MatchString(failure) }
