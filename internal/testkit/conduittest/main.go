package conduittest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// skipped counts the tests Binary skipped in this test binary, for Main:
// testing.M tells a TestMain nothing of its tests' skips.
var skipped atomic.Int64 //nolint:gochecknoglobals // one count per test binary, read by Main

// Main runs a test package's tests (call it from TestMain) and, when
// Binary skipped some, says so in one line that go test shows without -v:
// how many, and the command that runs them. It returns m.Run's code.
func Main(m *testing.M) int {
	code := m.Run()
	if n := skipped.Load(); n > 0 {
		root, _ := moduleRoot()
		pkg := strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")
		tell(fmt.Sprintf("%s: %d end-to-end tests skipped, bin/conduit not found: `make conduit` builds %s, then go test runs them (make test runs every test)",
			pkg, n, version(root)))
	}
	return code
}

// tell writes line where the user sees it. go test ./... keeps a passing
// package's output (its stdout and stderr) to itself unless -v, so when
// go test runs this binary the line goes to go test's own stderr, which
// Linux opens for its children at /proc/<pid>/fd/2; a binary run alone
// writes to its stderr.
func tell(line string) {
	if !testing.Verbose() {
		ppid := os.Getppid()
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", ppid))
		if err == nil && strings.TrimSpace(string(comm)) == "go" {
			// O_APPEND: where go test's stderr is a file, the line goes at
			// its end instead of over what go wrote.
			f, err := os.OpenFile(fmt.Sprintf("/proc/%d/fd/2", ppid), os.O_WRONLY|os.O_APPEND, 0)
			if err == nil {
				_, err = fmt.Fprintln(f, line)
				_ = f.Close()
				if err == nil {
					return
				}
			}
		}
	}
	fmt.Fprintln(os.Stderr, line)
}
