// Package conduittest gives the end-to-end tests the real Conduit they run
// the connector in: the repository's bin/conduit, which `make conduit` (and
// `make test`) builds from tools/conduit.
//
// A plain `go test ./...` without bin/conduit skips those tests with a
// message that names the command that runs them; `make test` sets
// EnvRequired, under which a missing bin/conduit fails them, so the full
// suite never passes without them.
package conduittest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// EnvRequired is the environment variable under which ("1") a missing
// bin/conduit fails a test instead of skipping it. make test sets it.
const EnvRequired = "HUBSPOT_E2E_REQUIRED"

// Binary returns the absolute path of the repository's bin/conduit. Without
// one it skips t, with a message that names the command that runs the test,
// or fails it under EnvRequired=1.
func Binary(t testing.TB) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
		return ""
	}
	bin := filepath.Join(root, "bin", "conduit")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	if os.Getenv(EnvRequired) == "1" {
		t.Fatalf("bin/conduit not found at %s, and %s=1 (make test) requires the end-to-end tests: `make conduit` builds %s",
			bin, EnvRequired, version(root))
		return ""
	}
	skipped.Add(1)
	t.Skipf("bin/conduit not found: run `make conduit` (or make test) to build %s and run the end-to-end tests", version(root))
	return ""
}

// moduleRoot is the nearest folder above the working directory (a test's
// package folder) with a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find bin/conduit: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find bin/conduit: no go.mod above the working directory")
		}
		dir = parent
	}
}

// version names the Conduit that tools/conduit/go.mod pins, which make
// conduit builds.
func version(root string) string {
	b, _ := os.ReadFile(filepath.Join(root, "tools", "conduit", "go.mod"))
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "github.com/conduitio/conduit" {
			return "Conduit " + f[1]
		}
	}
	return "Conduit"
}
