package chaos

import (
	"testing"

	"github.com/matryer/is"
)

func TestCases(t *testing.T) {
	const seeds = `# a comment
*        1   -
TestA    42  7   # failed once
TestB    43  -
`
	tests := []struct {
		name             string
		test             string
		envSeed, envRuns string
		want             []Case
		wantErr          bool
	}{
		{name: "the fixed seeds and the test's own", test: "TestA", want: []Case{{1, 10}, {42, 7}}},
		{name: "another test's seed is not run", test: "TestB", want: []Case{{1, 10}, {43, 10}}},
		{name: "CHAOS_RUNS overrides every seed's runs", test: "TestA", envRuns: "3", want: []Case{{1, 3}, {42, 3}}},
		{name: "CHAOS_SEED alone", test: "TestA", envSeed: "99", want: []Case{{99, 10}}},
		{name: "CHAOS_SEED and CHAOS_RUNS", test: "TestA", envSeed: "99", envRuns: "1000", want: []Case{{99, 1000}}},
		{name: "bad CHAOS_SEED", test: "TestA", envSeed: "x", wantErr: true},
		{name: "bad CHAOS_RUNS", test: "TestA", envRuns: "0", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			got, err := Cases(tt.test, 10, tt.envSeed, tt.envRuns, seeds)
			if tt.wantErr {
				is.True(err != nil)
				return
			}
			is.NoErr(err)
			is.Equal(got, tt.want)
		})
	}
}

func TestCasesRejectsABadFile(t *testing.T) {
	for _, seeds := range []string{"TestA 1", "TestA x -", "TestA 1 0", "TestB 1 -"} {
		if _, err := Cases("TestA", 10, "", "", seeds); err == nil {
			t.Errorf("%q: no error", seeds)
		}
	}
}

// TestSeedsFile: the committed list parses, and every chaos test has seeds.
func TestSeedsFile(t *testing.T) {
	for _, test := range []string{"TestSourceChaos", "TestRestartAtRandomAckedPositions", "TestDestinationChaos", "TestDestinationChaosWithoutIDProperty"} {
		cases, err := Cases(test, 10, "", "", seedsFile)
		if err != nil || len(cases) < 3 {
			t.Errorf("%s: %d cases, %v", test, len(cases), err)
		}
	}
}
