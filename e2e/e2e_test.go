// Package e2e runs the connector inside a real Conduit (bin/conduit, built
// by make from tools/conduit) with the example pipelines, against the
// HubSpot simulator. Without bin/conduit, go test skips these tests (make
// test fails them instead): internal/testkit/conduittest.
package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/conduittest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/syncbuf"
	"github.com/conduitio/conduit-commons/opencdc"
)

// connectorsDir holds the plugin, built once by TestMain.
var connectorsDir string //nolint:gochecknoglobals // set once by TestMain, read by the tests

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hubspot-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	connectorsDir = filepath.Join(dir, "connectors")
	build := exec.Command("go", "build", "-o", filepath.Join(connectorsDir, "conduit-connector-hubspot"), "../cmd/connector")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build the plugin:", err)
		os.Exit(1)
	}
	code := conduittest.Main(m)
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// conduit is a running Conduit.
type conduit struct {
	cmd  *exec.Cmd
	out  *syncbuf.Buffer
	done chan error
}

// startConduit runs Conduit with one example pipeline, its database in dir
// (so a second start resumes), its API off (no ports), and exiting when the
// pipeline degrades, so that a failing connector fails the test.
func startConduit(t *testing.T, dir, pipeline string, env map[string]string, flags ...string) *conduit {
	t.Helper()
	return startConduitFile(t, dir, filepath.Join("..", "examples", pipeline), env, flags...)
}

// startConduitFile is startConduit with the pipelines of a file other than
// an example, such as one of testdata.
func startConduitFile(t *testing.T, dir, pipelines string, env map[string]string, flags ...string) *conduit {
	t.Helper()
	bin := conduittest.Binary(t)
	pipelinePath, err := filepath.Abs(pipelines)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run",
		"--api.enabled=false",
		"--connectors.path", connectorsDir,
		"--pipelines.path", pipelinePath,
		"--db.type", "sqlite", "--db.sqlite.path", filepath.Join(dir, "conduit.db"),
		"--pipelines.exit-on-degraded",
		"--pipelines.error-recovery.max-retries", "0",
		"--log.level", "info",
	)
	cmd.Args = append(cmd.Args, flags...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	c := &conduit{cmd: cmd, out: &syncbuf.Buffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = c.out, c.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start Conduit: %v", err)
	}
	go func() { c.done <- cmd.Wait() }()
	t.Cleanup(func() { c.stop(t) })
	return c
}

// stop asks Conduit to stop and waits for it to exit. Conduit v0.14.0
// stops gracefully, saving its positions, on SIGINT only; SIGTERM ends it
// at once.
func (c *conduit) stop(t *testing.T) {
	t.Helper()
	if c.cmd.ProcessState != nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-c.done:
		_ = err // its exit status after a stop says nothing new
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		err := <-c.done
		t.Errorf("Conduit did not stop within 30 s of SIGINT (killed: %v)", err)
	}
}

// waitFor polls cond until it holds; it fails the test if Conduit exits
// first (a degraded pipeline) or after limit.
// The limit is a minute: a bound on a stall, not a speed check.
func (c *conduit) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	c.waitForWhy(t, what, time.Minute, func() (bool, string) { return cond(), "" })
}

// waitForWhy is waitFor with a condition that says what is still missing.
func (c *conduit) waitForWhy(t *testing.T, what string, limit time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ok, why := cond()
		if ok {
			return
		}
		select {
		case err := <-c.done:
			c.done <- err
			t.Fatalf("Conduit exited (%v) while waiting for %s; its output:\n%s", err, what, c.out.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %s (%s); Conduit's output:\n%s", what, limit, why, tail(c.out.String(), 4000))
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func newSim(t *testing.T, opts ...hubspottest.Option) *hubspottest.Server {
	t.Helper()
	srv, err := hubspottest.NewServer(append([]hubspottest.Option{hubspottest.WithIndexLag(500 * time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func sourceEnv(srv *hubspottest.Server, out string) map[string]string {
	return map[string]string{
		"HUBSPOT_ACCESS_TOKEN": srv.Token, "HUBSPOT_BASE_URL": srv.URL,
		"HUBSPOT_POLLING_PERIOD": "200ms", "HUBSPOT_DELETES_POLLING_PERIOD": "1s",
		"OUTPUT_FILE": out,
	}
}

// readRecords parses the file destination's output: one OpenCDC JSON
// record a line.
func readRecords(t *testing.T, path string) []opencdc.Record {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []opencdc.Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r opencdc.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			break // a line still being written
		}
		out = append(out, r)
	}
	return out
}

// matches replays the file's records and compares them with the
// simulator's ground truth: every live contact with its final email and
// names, and every contact archived after the start deleted.
func matches(srv *hubspottest.Server, recs []opencdc.Record, start time.Time) (bool, string) {
	state := map[string]opencdc.StructuredData{}
	deleted := map[string]bool{}
	for _, r := range recs {
		key, _ := r.Key.(opencdc.StructuredData)
		id, _ := key["id"].(string)
		switch r.Operation {
		case opencdc.OperationDelete:
			deleted[id] = true
			delete(state, id)
		default:
			if !deleted[id] {
				state[id], _ = r.Payload.After.(opencdc.StructuredData)
			}
		}
	}
	for _, o := range srv.Objects("contacts") {
		if o.Archived {
			if o.ArchivedAt.After(start) && !deleted[o.ID] {
				return false, "no delete of " + o.ID
			}
			continue
		}
		got, ok := state[o.ID]
		if !ok {
			return false, "missing " + o.ID
		}
		for _, p := range []string{"email", "firstname", "lastname"} {
			v, _ := got[p].(string) // null: unset
			if v != o.Properties[p] {
				return false, fmt.Sprintf("%s: %s is %v, want %q", o.ID, p, got[p], o.Properties[p])
			}
		}
	}
	return true, ""
}

// change makes a few creates, updates and deletes.
func change(t *testing.T, srv *hubspottest.Server, round int, ids []string) []string {
	t.Helper()
	for i := range 5 {
		id, err := srv.Create("contacts", map[string]string{"email": fmt.Sprintf("live%d-%d@example.com", round, i), "firstname": "Live"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for i := range 5 {
		if err := srv.Update("contacts", ids[(round*7+i*3)%len(ids)], map[string]string{"lastname": fmt.Sprintf("Round %d", round)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.Archive("contacts", ids[(round*11)%len(ids)]); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestHubSpotToFile(t *testing.T) {
	dir := t.TempDir()
	srv := newSim(t)
	ids, err := srv.Seed("contacts", 150, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out := filepath.Join(dir, "contacts.jsonl")
	c := startConduit(t, dir, "hubspot-to-file.yaml", sourceEnv(srv, out))
	c.waitFor(t, "the snapshot", func() bool { return len(readRecords(t, out)) >= 150 })
	for round := range 4 {
		ids = change(t, srv, round, ids)
		time.Sleep(300 * time.Millisecond)
	}
	c.waitForWhy(t, "every change in the file", time.Minute, func() (bool, string) {
		return matches(srv, readRecords(t, out), start)
	})

}

// TestOAuthToFile runs a pipeline that signs in as an OAuth app, with
// access tokens that live three seconds, so that the source renews them
// several times while it reads the snapshot and the changes.
func TestOAuthToFile(t *testing.T) {
	const id, secret, refresh = "e2e-client-id", "e2e-client-secret-7f3a", "na1-e2e-refresh-91c2"
	dir := t.TempDir()
	srv := newSim(t, hubspottest.WithOAuthApp(id, secret, refresh), hubspottest.WithAccessTokenLifetime(3*time.Second))
	ids, err := srv.Seed("contacts", 150, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out := filepath.Join(dir, "contacts.jsonl")
	env := sourceEnv(srv, out)
	delete(env, "HUBSPOT_ACCESS_TOKEN")
	env["HUBSPOT_CLIENT_ID"], env["HUBSPOT_CLIENT_SECRET"], env["HUBSPOT_REFRESH_TOKEN"] = id, secret, refresh
	c := startConduit(t, dir, "hubspot-oauth-to-file.yaml", env)
	c.waitFor(t, "the snapshot", func() bool { return len(readRecords(t, out)) >= 150 })
	for round := range 4 { // change picks its ids for up to 4 rounds
		ids = change(t, srv, round, ids)
		time.Sleep(1500 * time.Millisecond)
	}
	c.waitForWhy(t, "every change in the file", time.Minute, func() (bool, string) {
		return matches(srv, readRecords(t, out), start)
	})
	if n := srv.Calls()["POST /oauth/2026-03/token"]; n < 3 {
		t.Errorf("%d token exchanges in %s of 3-second tokens: the source did not renew them", n, time.Since(start).Round(time.Second))
	} else {
		t.Logf("%d token exchanges in %s", n, time.Since(start).Round(time.Second))
	}
	for _, s := range []string{secret, refresh, "sim-oauth-"} {
		if strings.Contains(c.out.String(), s) {
			t.Errorf("Conduit's output holds the secret %q", s)
		}
	}
}

func TestRestartInTheMiddle(t *testing.T) {
	dir := t.TempDir()
	srv := newSim(t)
	ids, err := srv.Seed("contacts", 300, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out := filepath.Join(dir, "contacts.jsonl")
	env := sourceEnv(srv, out)
	c := startConduit(t, dir, "hubspot-to-file.yaml", env)
	c.waitFor(t, "the first records", func() bool { return len(readRecords(t, out)) > 0 })
	ids = change(t, srv, 0, ids)
	c.stop(t) // stopped in the middle

	ids = change(t, srv, 1, ids) // while Conduit is down
	c = startConduit(t, dir, "hubspot-to-file.yaml", env)
	change(t, srv, 2, ids)
	c.waitForWhy(t, "every change after the restart", 20*time.Second, func() (bool, string) {
		ok, why := matches(srv, readRecords(t, out), start)
		return ok, why
	})
}

func TestFileToHubSpot(t *testing.T) {
	dir := t.TempDir()
	srv := newSim(t)
	in := filepath.Join(dir, "in.jsonl")
	var lines []string
	for i := range 250 {
		lines = append(lines, fmt.Sprintf(`{"email":"file%d@example.com","firstname":"File %d","annualrevenue":%d.5}`, i, i, i))
	}
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startConduit(t, dir, "file-to-hubspot.yaml", map[string]string{
		"HUBSPOT_ACCESS_TOKEN": srv.Token, "HUBSPOT_BASE_URL": srv.URL, "INPUT_FILE": in,
	})
	c.waitFor(t, "250 contacts in HubSpot", func() bool {
		objs := srv.Objects("contacts")
		if len(objs) != 250 {
			return false
		}
		for _, o := range objs {
			var i int
			if _, err := fmt.Sscanf(o.Properties["email"], "file%d@example.com", &i); err != nil ||
				o.Properties["firstname"] != fmt.Sprintf("File %d", i) || o.Properties["annualrevenue"] != fmt.Sprintf("%d.5", i) {
				return false
			}
		}
		return true
	})
	if n := srv.Calls()["POST /crm/objects/2026-09/contacts/batch/upsert"]; n > 10 {
		t.Errorf("%d upsert calls for 250 records: batching is off", n)
	}
	// The example starts without the SDK's warnings that suggest turning
	// its schema middleware off: the file sets them.
	if strings.Contains(c.out.String(), "sdk.schema.") {
		t.Errorf("Conduit's output suggests sdk.schema settings the example lacks:\n%s", tail(c.out.String(), 4000))
	}
}

func TestHubSpotToHubSpot(t *testing.T) {
	dir := t.TempDir()
	from, to := newSim(t), newSim(t)
	ids, err := from.Seed("contacts", 120, nil)
	if err != nil {
		t.Fatal(err)
	}
	env := sourceEnv(from, "")
	env["HUBSPOT_DEST_ACCESS_TOKEN"], env["HUBSPOT_DEST_BASE_URL"] = to.Token, to.URL
	c := startConduit(t, dir, "hubspot-to-hubspot.yaml", env)
	same := func() bool {
		want := map[string]string{}
		for _, o := range from.Objects("contacts") {
			if !o.Archived {
				want[o.Properties["email"]] = o.Properties["firstname"] + "/" + o.Properties["lastname"]
			}
		}
		got := map[string]string{}
		for _, o := range to.Objects("contacts") {
			if !o.Archived {
				got[o.Properties["email"]] = o.Properties["firstname"] + "/" + o.Properties["lastname"]
			}
		}
		return fmt.Sprint(want) == fmt.Sprint(got)
	}
	c.waitFor(t, "the snapshot in the second account", same)
	for round := range 3 {
		ids = change(t, from, round, ids)
	}
	c.waitFor(t, "the changes in the second account", same)

}

// TestBadRecordsToTheDLQ: records HubSpot rejects go to Conduit's DLQ,
// each with its own error, and only they: the others reach HubSpot.
func TestBadRecordsToTheDLQ(t *testing.T) {
	dir := t.TempDir()
	srv := newSim(t)
	in, dlq := filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "dlq.jsonl")
	bad := map[int]bool{7: true, 19: true}
	var lines []string
	for i := range 30 {
		optout := "false"
		if bad[i] {
			optout = fmt.Sprintf("maybe %d", i)
		}
		lines = append(lines, fmt.Sprintf(`{"email":"dlq%d@example.com","hs_email_optout":%q}`, i, optout))
	}
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startConduit(t, dir, "file-to-hubspot-dlq.yaml", map[string]string{
		"HUBSPOT_ACCESS_TOKEN": srv.Token, "HUBSPOT_BASE_URL": srv.URL, "INPUT_FILE": in, "DLQ_FILE": dlq,
	})
	c.waitForWhy(t, "28 contacts in HubSpot, 2 records in the DLQ", time.Minute, func() (bool, string) {
		n, dead := len(srv.Objects("contacts")), len(readRecords(t, dlq))
		return n == 28 && dead == 2, fmt.Sprintf("%d contacts, %d in the DLQ", n, dead)
	})
	// Each DLQ record carries its own error, which quotes its bad value.
	seen := map[int]bool{}
	for _, r := range readRecords(t, dlq) {
		msg := r.Metadata["conduit.dlq.nack.error"]
		var i int
		if at := strings.Index(msg, `"maybe `); at < 0 {
			t.Errorf("a DLQ record's error quotes no bad value: %q", msg)
		} else if _, err := fmt.Sscanf(msg[at:], `"maybe %d"`, &i); err != nil || !bad[i] || seen[i] {
			t.Errorf("a DLQ record's error is not a bad record's own: %q", msg)
		}
		seen[i] = true
	}
}
