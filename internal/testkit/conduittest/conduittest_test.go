package conduittest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matryer/is"
)

// recorder is a testing.TB that records a skip or a failure instead of
// ending the test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (*recorder) Helper() {}

func (r *recorder) Skipf(format string, args ...any) { r.skipped = fmt.Sprintf(format, args...) }

func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func (r *recorder) Fatal(args ...any) { r.failed = fmt.Sprint(args...) }

func TestBinary(t *testing.T) {
	is := is.New(t)
	root := t.TempDir()
	is.NoErr(os.MkdirAll(filepath.Join(root, "tools", "conduit"), 0o755))
	is.NoErr(os.MkdirAll(filepath.Join(root, "e2e"), 0o755))
	is.NoErr(os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example\n"), 0o600))
	is.NoErr(os.WriteFile(filepath.Join(root, "tools", "conduit", "go.mod"),
		[]byte("module tools\n\nrequire (\n\tgithub.com/conduitio/conduit v0.14.0 // indirect\n)\n"), 0o600))
	t.Chdir(filepath.Join(root, "e2e"))

	bin := filepath.Join(root, "bin", "conduit")

	tests := []struct {
		name     string
		required string // EnvRequired
		present  bool   // bin/conduit exists
		want     string // Binary's result
		skipped  string // the skip message
		failed   string // what the failure says, in part
	}{
		{name: "missing: skipped, naming the command",
			skipped: "bin/conduit not found: run `make conduit` (or make test) to build Conduit v0.14.0 and run the end-to-end tests"},
		{name: "missing under make test: failed", required: "1",
			failed: EnvRequired + "=1 (make test) requires the end-to-end tests: `make conduit` builds Conduit v0.14.0"},
		{name: "present", required: "1", present: true, want: bin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			t.Setenv(EnvRequired, tt.required)
			if tt.present {
				is.NoErr(os.MkdirAll(filepath.Dir(bin), 0o755))
				is.NoErr(os.WriteFile(bin, nil, 0o700)) //nolint:gosec // stands for the binary
			}
			r := &recorder{TB: t}
			is.Equal(Binary(r), tt.want)
			is.Equal(r.skipped, tt.skipped)
			is.Equal(r.failed == "", tt.failed == "")
			is.True(strings.Contains(r.failed, tt.failed))
		})
	}
}

// TestMainTellsTheSkips runs go test ./... as a user does, without -v, on
// testdata/skips, whose TestMain calls Main: the output names how many
// tests were skipped and how to run them.
func TestMainTellsTheSkips(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{name: "package list, without -v", args: []string{"test", "-count=1", "./testdata/skips"}},
		{name: "package list, -v", args: []string{"test", "-count=1", "-v", "./testdata/skips"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			cmd := exec.Command("go", tt.args...)
			cmd.Env = append(os.Environ(), EnvRequired+"=")
			out, err := cmd.CombinedOutput()
			is.NoErr(err) // skips pass
			want := "skips: 2 end-to-end tests skipped, bin/conduit not found: `make conduit` builds Conduit, then go test runs them (make test runs every test)\n"
			is.Equal(strings.Count(string(out), want), 1) // once, whatever -v
		})
	}
}
