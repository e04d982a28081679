// Package skips is a test package for TestMainTellsTheSkips: two tests
// that need bin/conduit and one that does not, run from a module with no
// bin/conduit.
package skips

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/conduittest"
)

func TestMain(m *testing.M) {
	// A module root without bin/conduit: Binary looks from the working
	// directory up.
	dir, err := os.MkdirTemp("", "skips-")
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example\n"), 0o600)
	}
	if err == nil {
		err = os.Chdir(dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := conduittest.Main(m)
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func TestNeedsConduitOne(t *testing.T) { conduittest.Binary(t) }

func TestNeedsConduitTwo(t *testing.T) { conduittest.Binary(t) }

func TestNeedsNothing(t *testing.T) {}
