// Package chaos holds what the chaos tests of the source and the
// destination share: which seeds they run with, and how long.
//
// make test runs each chaos test with a fixed list of seeds plus every seed
// that ever failed one of them (seeds.txt), so that it is deterministic and
// a failure once found stays found. make chaos explores: it picks a new
// seed and passes it in CHAOS_SEED.
package chaos

import (
	_ "embed" // seeds.txt
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// seedsFile is the committed list of seeds; see its header.
//
//go:embed seeds.txt
var seedsFile string

// Case is one run of a chaos test: a random seed, and the number of
// restarts or rounds (a seed replays exactly only with its number of runs).
type Case struct {
	Seed uint64
	Runs int
}

// Run runs the chaos test f once per case, each as the subtest
// "seed=<seed>", and logs how to replay it. short is the test's number of
// runs when neither seeds.txt nor CHAOS_RUNS says otherwise. Called
// within a subtest, the seeds are the top-level test's.
func Run(t *testing.T, short int, f func(t *testing.T, c Case)) {
	t.Helper()
	top := strings.SplitN(t.Name(), "/", 2)[0]
	cases, err := Cases(top, short, os.Getenv("CHAOS_SEED"), os.Getenv("CHAOS_RUNS"), seedsFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run("seed="+strconv.FormatUint(c.Seed, 10), func(t *testing.T) {
			t.Logf("seed %d, %d runs (replay with CHAOS_SEED=%d CHAOS_RUNS=%d go test -run '^%s$')",
				c.Seed, c.Runs, c.Seed, c.Runs, top)
			f(t, c)
		})
	}
}

// Cases returns the runs of the named test. With envSeed (CHAOS_SEED) set,
// that seed alone; otherwise every line of the seeds file for the test or
// for all tests ("*"). envRuns (CHAOS_RUNS) overrides the number of runs.
func Cases(test string, short int, envSeed, envRuns, seeds string) ([]Case, error) {
	runs := 0 // the seed's own, else short
	if envRuns != "" {
		n, err := strconv.Atoi(envRuns)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("CHAOS_RUNS=%q: want a positive whole number", envRuns)
		}
		runs = n
	}
	orShort := func(n int) int {
		switch {
		case runs > 0:
			return runs
		case n > 0:
			return n
		default:
			return short
		}
	}
	if envSeed != "" {
		seed, err := strconv.ParseUint(envSeed, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("CHAOS_SEED=%q: %w", envSeed, err)
		}
		return []Case{{Seed: seed, Runs: orShort(0)}}, nil
	}
	var cases []Case
	for i, line := range strings.Split(seeds, "\n") {
		line, _, _ = strings.Cut(line, "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 3 {
			return nil, fmt.Errorf("seeds.txt line %d: want test, seed and runs, got %q", i+1, line)
		}
		if fields[0] != "*" && fields[0] != test {
			continue
		}
		seed, err := strconv.ParseUint(fields[1], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("seeds.txt line %d: seed: %w", i+1, err)
		}
		n := 0
		if fields[2] != "-" {
			if n, err = strconv.Atoi(fields[2]); err != nil || n < 1 {
				return nil, fmt.Errorf("seeds.txt line %d: runs %q: want a positive whole number or -", i+1, fields[2])
			}
		}
		cases = append(cases, Case{Seed: seed, Runs: orShort(n)})
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("seeds.txt has no seed for %s", test)
	}
	return cases, nil
}
