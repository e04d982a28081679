// Package chaos holds what the chaos tests of the source and the
// destination share: how long they run and with which random seed.
package chaos

import (
	"os"
	"strconv"
	"testing"
	"time"
)

// Settings returns the number of restarts or rounds (CHAOS_RUNS, else
// short: make test runs the short version, make chaos sets 1000) and the
// random seed (CHAOS_SEED replays a run; else the clock's). The test logs
// the seed, so that a failure can be replayed.
func Settings(t testing.TB, short int) (int, uint64) {
	t.Helper()
	runs := short
	if s := os.Getenv("CHAOS_RUNS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("CHAOS_RUNS=%q: want a positive whole number", s)
		}
		runs = n
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("CHAOS_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("CHAOS_SEED=%q: %v", s, err)
		}
		seed = n
	}
	t.Logf("seed %d, %d runs (replay with CHAOS_SEED=%d CHAOS_RUNS=%d)", seed, runs, seed, runs)
	return runs, seed
}
