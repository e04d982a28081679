package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/syncbuf"
)

// conduitProc is a running Conduit, in a process group of its own with
// its plugin.
type conduitProc struct {
	cmd  *exec.Cmd
	out  *syncbuf.Buffer
	done chan error
}

// startConduitProc runs Conduit with the pipelines file, its database in
// work, its API off, and exiting when the pipeline degrades.
// With a profile path, Conduit writes a CPU profile of its run there.
// extra are more flags, space-separated.
func startConduitProc(ctx context.Context, bin, work, pipeline, profile, extra string) (*conduitProc, error) {
	args := []string{"run",
		"--api.enabled=false",
		"--connectors.path", filepath.Join(work, "connectors"),
		"--pipelines.path", pipeline,
		"--db.type", "sqlite", "--db.sqlite.path", filepath.Join(work, "conduit.db"),
		"--pipelines.exit-on-degraded",
		"--pipelines.error-recovery.max-retries", "0",
		"--log.level", "warn",
	}
	if profile != "" {
		args = append(args, "--dev.cpuprofile", profile)
	}
	args = append(args, strings.Fields(extra)...)
	// Not ctx: its end would kill Conduit, which stop signals instead.
	cmd := exec.CommandContext(context.WithoutCancel(ctx), bin, args...)
	cmd.Dir = work
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c := &conduitProc{cmd: cmd, out: &syncbuf.Buffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = c.out, c.out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start Conduit: %w", err)
	}
	go func() { c.done <- cmd.Wait() }()
	return c, nil
}

// plugin reads the plugin process's figures.
func (c *conduitProc) plugin() (procStat, error) {
	pid, ok := childNamed(c.cmd.Process.Pid, "conduit-connector-hubspot")
	if !ok {
		return procStat{}, errors.New("no plugin process under Conduit")
	}
	return readProc(pid)
}

// tail is the end of Conduit's output.
func (c *conduitProc) tail() string {
	s := c.out.String()
	if len(s) > 4000 {
		s = s[len(s)-4000:]
	}
	return s
}

// stop asks Conduit to stop (SIGINT: it stops its plugins), and kills
// what is left of its process group after 30 s.
func (c *conduitProc) stop() {
	pgid := c.cmd.Process.Pid
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-c.done:
		c.done <- err
	case <-time.After(30 * time.Second):
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// fileSink is a file of OpenCDC JSON records, one a line.
type fileSink struct{ counter *lineCounter }

func (fileSink) name() string { return "file" }

func (s fileSink) start(work string, _ []hubspot.Property) error {
	s.counter.path = filepath.Join(work, "contacts.jsonl")
	return nil
}

func (s fileSink) destination(batch string) string {
	return fmt.Sprintf(`      - id: file
        type: destination
        plugin: builtin:file
        settings:
          path: %s
%s`, s.counter.path, batch)
}

func (s fileSink) count() (int, error) { return s.counter.count() }

func (fileSink) stop() {}

// lineCounter counts a growing file's lines, reading only what was
// appended since it last looked.
type lineCounter struct {
	path  string
	read  int64
	lines int
	buf   []byte
}

func (l *lineCounter) count() (int, error) {
	f, err := os.Open(l.path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("count records: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(l.read, io.SeekStart); err != nil {
		return 0, fmt.Errorf("count records: %w", err)
	}
	if l.buf == nil {
		l.buf = make([]byte, 1<<20)
	}
	for {
		n, err := f.Read(l.buf)
		l.read += int64(n)
		l.lines += bytes.Count(l.buf[:n], []byte{'\n'})
		if errors.Is(err, io.EOF) || n == 0 {
			return l.lines, nil
		}
		if err != nil {
			return 0, fmt.Errorf("count records: %w", err)
		}
	}
}
