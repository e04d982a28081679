package hubspottest

import (
	"testing"

	"github.com/matryer/is"
)

// TestStoredMillisAsInstantMillis: the fast reading of stored times gives
// what instantMillis gives, and leaves to it what it does not read.
func TestStoredMillisAsInstantMillis(t *testing.T) {
	tests := []struct {
		v    string
		fast bool
	}{
		{"2026-03-04T05:06:07.089Z", true},
		{"1970-01-01T00:00:00.000Z", true},
		{"2024-02-29T23:59:59.999Z", true},
		{"2026-03-04", true},
		{"2024-02-29", true},
		{"2026-02-29", false},
		{"2026-02-29T00:00:00.000Z", false},
		{"2026-13-01T00:00:00.000Z", false},
		{"2026-04-31", false},
		{"2026-03-04T24:00:00.000Z", false},
		{"2026-03-04T05:60:00.000Z", false},
		{"2026-03-04T05:06:07.08xZ", false},
		{"2026-03-04T05:06:07+01:00", false},
		{"2026-03-04T05:06:07.089+0", false},
		{"1772604367089", false},
		{"yesterday", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.v, func(t *testing.T) {
			is := is.New(t)
			got, ok := storedMillis(tt.v)
			is.Equal(ok, tt.fast)
			if ok {
				want, err := instantMillis(tt.v)
				is.NoErr(err)
				is.Equal(got, want)
			}
		})
	}
}
