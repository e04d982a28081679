package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/conduittest"
	"github.com/matryer/is"
)

// binDir holds the demo and the plugin (connector), built once by TestMain.
var binDir string //nolint:gochecknoglobals // set once by TestMain, read by the tests

func TestMain(m *testing.M) {
	code, err := buildAndRun(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

func buildAndRun(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "hubspot-demo-test-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	binDir = dir
	build := exec.Command("go", "build", "-o", dir+"/", ".", "../connector")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return 1, fmt.Errorf("build the demo and the plugin: %w", err)
	}
	return conduittest.Main(m), nil
}

// demo is a running demo binary, in a process group of its own as a shell
// starts a foreground job.
type demo struct {
	cmd  *exec.Cmd
	out  string // the file of its output: a file, not a pipe, that nothing left over can hold open
	done chan struct{}
}

// output is what the demo printed so far.
func (d *demo) output(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(d.out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// startDemo runs the demo with conduit and the example pipeline of the
// repository. env adds to the test's environment, without its HubSpot
// settings (a token there would make the demo read a real account).
func startDemo(t *testing.T, conduit string, env ...string) *demo {
	t.Helper()
	return startExample(t, conduit, "hubspot-to-file", nil, env...)
}

// startExample is startDemo of an example (make example NAME=...), with
// the demo's args.
func startExample(t *testing.T, conduit, name string, args []string, env ...string) *demo {
	t.Helper()
	pipeline, err := filepath.Abs("../../examples/" + name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(binDir, "hubspot-demo"), append([]string{"-example", name,
		"-conduit", conduit, "-plugin", filepath.Join(binDir, "connector"), "-pipeline", pipeline}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HUBSPOT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// The demo's work folder, which it keeps, goes with the test's.
	cmd.Env = append(cmd.Env, "TMPDIR="+t.TempDir())
	cmd.Env = append(cmd.Env, env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := os.Create(filepath.Join(t.TempDir(), "demo.out"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close() // the demo has its own copy
	d := &demo{cmd: cmd, out: out.Name(), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the demo: %v", err)
	}
	go func() {
		_ = cmd.Wait()
		close(d.done)
	}()
	t.Cleanup(func() {
		select {
		case <-d.done:
		default:
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-d.done
		}
	})
	return d
}

// wait waits for the demo to exit, at most limit: a bound on a hang, not a
// speed check.
func (d *demo) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case <-d.done:
		return d.cmd.ProcessState.ExitCode()
	case <-time.After(limit):
		t.Fatalf("the demo did not exit within %s; its output:\n%s", limit, d.output(t))
		return 0
	}
}

// waitFor polls the demo's output until cond holds; it fails the test if
// the demo exits first, or after a minute: a bound on a stall, not a speed
// check.
func (d *demo) waitFor(t *testing.T, what string, cond func(out string) bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond(d.output(t)) {
		select {
		case <-d.done:
			t.Fatalf("the demo exited before %s; its output:\n%s", what, d.output(t))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within a minute; the demo's output:\n%s", what, d.output(t))
		}
	}
}

// fewContacts is a simulator with five contacts, for the demo to read
// with HUBSPOT_BASE_URL.
func fewContacts(t *testing.T) *hubspottest.Server {
	t.Helper()
	srv, err := hubspottest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	if _, err := srv.Seed("contacts", 5, nil); err != nil {
		t.Fatal(err)
	}
	return srv
}

// TestDemoStopsAtOnceOnARefusal: a refused token (401) or scope (403)
// fails every time, so the demo exits at once, without restarting Conduit,
// with HubSpot's words and what to check.
func TestDemoStopsAtOnceOnARefusal(t *testing.T) {
	tests := []struct {
		name  string
		token string // "": the simulator's
		fault *hubspottest.Fault
		want  string
	}{
		{name: "wrong token", token: "wrong-token", want: "401 INVALID_AUTHENTICATION"},
		{name: "missing scope", fault: &hubspottest.Fault{Method: http.MethodGet, Path: "/crm/objects/2026-09/contacts", Times: 1000,
			Kind: hubspottest.FaultStatus, Status: http.StatusForbidden}, want: "lacks the scope to read contacts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv := fewContacts(t)
			if tt.fault != nil {
				srv.InjectFault(*tt.fault)
			}
			token := cmp.Or(tt.token, srv.Token)
			d := startDemo(t, conduittest.Binary(t), "HUBSPOT_ACCESS_TOKEN="+token, "HUBSPOT_BASE_URL="+srv.URL)
			code := d.wait(t, 30*time.Second)
			out := d.output(t)
			t.Logf("the demo's output:\n%s", out)
			is.True(code != 0)                                       // a refusal fails the demo
			is.True(strings.Contains(out, tt.want))                  // HubSpot's message reaches the user
			is.True(strings.Contains(out, "check the access token")) // and what to check
			is.True(!strings.Contains(out, "restarting Conduit"))    // at once: no restart can mend it
		})
	}
}

// TestDemoRestartsOnWhatCanPass: a failure that may pass (HubSpot's 5xx,
// past the connector's retries) restarts Conduit, three times.
func TestDemoRestartsOnWhatCanPass(t *testing.T) {
	is := is.New(t)
	srv := fewContacts(t)
	srv.InjectFault(hubspottest.Fault{Method: http.MethodGet, Path: "/crm/objects/2026-09/contacts", Times: 100000,
		Kind: hubspottest.FaultStatus, Status: http.StatusBadGateway})
	d := startDemo(t, conduittest.Binary(t), "HUBSPOT_ACCESS_TOKEN="+srv.Token, "HUBSPOT_BASE_URL="+srv.URL)
	code := d.wait(t, 3*time.Minute)
	out := d.output(t)
	t.Logf("the demo's output:\n%s", out)
	is.True(code != 0)                             // a pipeline that keeps failing fails the demo
	is.True(strings.Contains(out, "502"))          // HubSpot's answer reaches the user
	is.True(strings.Contains(out, "(3 restarts)")) // after three restarts
}

func TestDemoCtrlCStopsEverything(t *testing.T) {
	is := is.New(t)
	d := startDemo(t, conduittest.Binary(t))
	pid := d.cmd.Process.Pid

	// Records flow: the snapshot's first lines are shown.
	d.waitFor(t, "records", func(out string) bool { return strings.Contains(out, "  snapshot contact") })
	started := descendants(t, pid)
	names := map[string]bool{}
	groups := map[int]bool{pid: true}
	for _, p := range started {
		names[p.comm] = true
		groups[p.pgid] = true
	}
	t.Logf("the demo (%d) started: %v", pid, started)
	is.True(names["conduit"])         // the scan sees Conduit
	is.True(names["conduit-connect"]) // and the plugin (comm keeps 15 characters)
	if len(groups) != 2 {             // not fatal: what outlives the demo says more
		t.Errorf("the demo and its children are in %d process groups, want 2: Conduit in one of its own", len(groups))
	}
	is.NoErr(syscall.Kill(-pid, syscall.SIGINT)) // what a terminal's Ctrl-C does

	code := d.wait(t, time.Minute)
	out := d.output(t)
	is.Equal(code, 0)                           // a stop is not a failure
	is.True(strings.Contains(out, "stopped\n")) // the demo says so
	is.True(strings.Contains(out, "records: ")) // and where the records are

	for _, p := range procs(t) {
		if p.state == "Z" {
			continue // ended; only its parent's wait is missing
		}
		for _, s := range started {
			if p.pid == s.pid && p.start == s.start {
				t.Errorf("%s (%d) outlived the demo", p.comm, p.pid)
			}
		}
		if groups[p.pgid] {
			t.Errorf("%s (%d) of the demo's process group %d outlived it", p.comm, p.pid, p.pgid)
		}
	}
	if t.Failed() {
		t.Logf("the demo's output:\n%s", out)
	}
}

// proc is a process, by /proc/<pid>/stat.
type proc struct {
	pid, ppid, pgid int
	state, comm     string
	start           uint64 // since boot: with the pid, it names one process
}

func (p proc) String() string { return fmt.Sprintf("%s(%d)", p.comm, p.pid) }

// procs lists the running processes.
func procs(t *testing.T) []proc {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var out []proc
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ESRCH) {
			continue // it ended while we looked
		}
		if err != nil {
			t.Fatal(err)
		}
		// pid (comm) state ppid pgrp ... starttime is field 22; comm may
		// hold spaces and parentheses, so the fields count from its end.
		s := string(b)
		open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		f := strings.Fields(s[closing+1:])
		if open < 0 || len(f) < 20 {
			t.Fatalf("/proc/%d/stat: %q", pid, s)
		}
		p := proc{pid: pid, comm: s[open+1 : closing], state: f[0]}
		p.ppid, _ = strconv.Atoi(f[1])
		p.pgid, _ = strconv.Atoi(f[2])
		p.start, _ = strconv.ParseUint(f[19], 10, 64)
		out = append(out, p)
	}
	return out
}

// descendants lists the processes whose parent chain leads to root.
func descendants(t *testing.T, root int) []proc {
	t.Helper()
	all := procs(t)
	parent := map[int]int{}
	for _, p := range all {
		parent[p.pid] = p.ppid
	}
	var out []proc
	for _, p := range all {
		for q := p.ppid; q > 1; q = parent[q] {
			if q == root {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// TestDemoSnapshotHasTheBannersContacts: the snapshot counts the contacts
// the banner names, and the records stay in the file the demo names.
// Conduit starts two seconds late, as its first start on a fresh machine
// does: the simulator's changes must wait for the snapshot, not for time.
func TestDemoSnapshotHasTheBannersContacts(t *testing.T) {
	is := is.New(t)
	slow := filepath.Join(t.TempDir(), "conduit")
	is.NoErr(os.WriteFile(slow, []byte("#!/bin/sh\nsleep 2\nexec '"+conduittest.Binary(t)+"' \"$@\"\n"), 0o755)) //nolint:gosec // a script to run
	d := startDemo(t, slow)
	counts := regexp.MustCompile(`(?m)^\d+ records: \d+ snapshot, (\d+) create, (\d+) update, (\d+) delete$`)
	changed := func(out string) bool {
		for _, m := range counts.FindAllStringSubmatch(out, -1) {
			if m[1] != "0" || m[2] != "0" || m[3] != "0" {
				return true
			}
		}
		return false
	}
	d.waitFor(t, "changes", changed) // they begin after the snapshot
	is.NoErr(syscall.Kill(-d.cmd.Process.Pid, syscall.SIGINT))
	is.Equal(d.wait(t, time.Minute), 0)
	out := d.output(t)
	is.True(strings.Contains(out, ": 1,000 contacts")) // the banner

	m := regexp.MustCompile(`(?m)^records: (.+)$`).FindStringSubmatch(out)
	is.True(m != nil)           // the demo names the file
	b, err := os.ReadFile(m[1]) // which it kept
	is.NoErr(err)
	snapshot := 0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var r struct {
			Operation string `json:"operation"`
		}
		is.NoErr(json.Unmarshal([]byte(line), &r))
		if r.Operation == "snapshot" {
			snapshot++
		}
	}
	is.Equal(snapshot, 1000) // as the banner says
}
