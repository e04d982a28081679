package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/conduitio/conduit-connector-protocol/pconnector"
	"github.com/conduitio/conduit-connector-protocol/pconnutils"
	"github.com/matryer/is"
)

// TestPluginExitsWithItsParent starts the plugin as Conduit does, from a
// parent (a shell) that then exits without stopping it, as a killed Conduit
// does; the plugin must not stay behind.
func TestPluginExitsWithItsParent(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		// running reads /proc: without it every process would look gone.
		t.Skipf("this test needs /proc to see processes: %v", err)
	}
	is := is.New(t)
	plugin := filepath.Join(t.TempDir(), "conduit-connector-hubspot")
	build := exec.Command("go", "build", "-o", plugin, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	is.NoErr(build.Run())

	// The shell starts the plugin, says its pid, and exits when its stdin
	// closes: after the plugin's handshake, so that the plugin started
	// under it.
	sh := exec.Command("sh", "-c", `"$0" & echo $!; read -r x || true`, plugin)
	sh.Env = append(os.Environ(),
		pconnector.HandshakeConfig.MagicCookieKey+"="+pconnector.HandshakeConfig.MagicCookieValue,
		pconnutils.EnvConduitConnectorToken+"=test-token",
		pconnector.EnvConduitConnectorID+"=test-connector",
		pconnutils.EnvConduitConnectorUtilitiesGRPCTarget+"=127.0.0.1:1",
		"TMPDIR="+t.TempDir(), // go-plugin's socket, which an exit leaves
	)
	stdin, err := sh.StdinPipe()
	is.NoErr(err)
	stdout, err := sh.StdoutPipe()
	is.NoErr(err)
	sh.Stderr = os.Stderr
	is.NoErr(sh.Start())
	lines := bufio.NewScanner(stdout)
	is.True(lines.Scan()) // the plugin's pid
	pid, err := strconv.Atoi(strings.TrimSpace(lines.Text()))
	is.NoErr(err)
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	is.True(lines.Scan()) // go-plugin's handshake: the plugin serves
	t.Logf("plugin %d: %s", pid, lines.Text())
	is.True(strings.Contains(lines.Text(), "|grpc|"))

	is.NoErr(stdin.Close())
	is.NoErr(sh.Wait()) // the parent is gone; the plugin is reparented

	// A bound on a hang, not a speed check: the plugin looks once a second.
	deadline := time.Now().Add(30 * time.Second)
	for running(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("plugin %d still runs 30 s after its parent exited", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// running says whether pid runs: it exists and is not a zombie.
func running(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(f) > 0 && f[0] != "Z"
}
