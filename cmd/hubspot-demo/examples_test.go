package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/conduittest"
	"github.com/matryer/is"
)

// TestEveryExampleHasASetup: make example runs every file of examples/,
// so each has a setup, and each setup a file.
func TestEveryExampleHasASetup(t *testing.T) {
	is := is.New(t)
	files, err := filepath.Glob("../../examples/*.yaml")
	is.NoErr(err)
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".yaml"))
	}
	var setups []string
	for name := range examples() {
		setups = append(setups, name)
	}
	slices.Sort(setups)
	slices.Sort(names)
	is.Equal(setups, names)
}

// TestEveryExampleHeaderSaysHowToRunIt: each example's header gives the
// command that runs it against the simulator, and the one for a real
// account with bin/conduit and --connectors.path.
func TestEveryExampleHeaderSaysHowToRunIt(t *testing.T) {
	files, err := filepath.Glob("../../examples/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		header, _, _ := strings.Cut(string(b), "\nversion:")
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		for _, want := range []string{"make example NAME=" + name + "\n", "bin/conduit run --connectors.path ", "--pipelines.path examples/" + name + ".yaml"} {
			if !strings.Contains(header, want) {
				t.Errorf("%s: the header lacks %q", f, want)
			}
		}
	}
}

// TestExampleOAuthPastARefresh runs make example NAME=hubspot-oauth-to-file's
// command with access tokens of 3 s: the simulator's changes, 5 a second
// after the snapshot, reach the file for longer than one token lives, so
// the source renewed its token; the demo counts the exchanges at the stop.
func TestExampleOAuthPastARefresh(t *testing.T) {
	is := is.New(t)
	d := startExample(t, conduittest.Binary(t), "hubspot-oauth-to-file", []string{"-token-lifetime", "3s"})
	counts := regexp.MustCompile(`(?m)^\d+ records: \d+ snapshot, (\d+) create, (\d+) update, (\d+) delete$`)
	// 25 changes at 5 a second: 5 s after the snapshot, past the first
	// token's 3 s.
	d.waitFor(t, "25 changes", func(out string) bool {
		for _, m := range counts.FindAllStringSubmatch(out, -1) {
			c, _ := strconv.Atoi(m[1])
			u, _ := strconv.Atoi(m[2])
			del, _ := strconv.Atoi(m[3])
			if c+u+del >= 25 {
				return true
			}
		}
		return false
	})
	is.NoErr(syscall.Kill(-d.cmd.Process.Pid, syscall.SIGINT)) // Ctrl-C
	code := d.wait(t, time.Minute)
	out := d.output(t)
	t.Logf("the demo's output:\n%s", out)
	is.Equal(code, 0)
	is.True(strings.Contains(out, "OAuth app example-client-"))
	m := regexp.MustCompile(`the simulator's token endpoint issued (\d+) access tokens`).FindStringSubmatch(out)
	is.True(m != nil) // the demo counts the exchanges
	n, _ := strconv.Atoi(m[1])
	is.True(n >= 2)                                    // the first, and at least one renewal
	is.True(!strings.Contains(out, "example-secret-")) // the secrets stay out of the output
}
