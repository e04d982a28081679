package hubspot

import (
	"math"
	"testing"
	"time"

	"github.com/matryer/is"
)

// TestAdaptivePace steps one pace at HubSpot's 5 searches a second
// through 429s and time: each 429 halves it, at most once a second; it
// climbs by 5/300 a second, to 5 and no higher; it never falls below a
// fiftieth of 5; and it spaces requests 1/pace apart.
func TestAdaptivePace(t *testing.T) {
	t0 := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	sec := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	type step struct {
		at      float64 // seconds after t0
		slow    bool    // a 429 answered then
		slowed  bool    // whether it halved the pace
		want    float64 // the pace then, after the 429 if any
		wantGap time.Duration
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"unslowed", []step{
			{at: 0, want: 5, wantGap: 200 * time.Millisecond},
			{at: 3600, want: 5, wantGap: 200 * time.Millisecond},
		}},
		{"halves, then climbs back to the limit", []step{
			{at: 0, slow: true, slowed: true, want: 2.5, wantGap: 400 * time.Millisecond},
			{at: 60, want: 2.5 + 1},
			{at: 120, want: 2.5 + 2, wantGap: 222222222}, // 1/4.5 s
			{at: 150, want: 5},
			{at: 600, want: 5},
		}},
		{"429s within a second halve once", []step{
			{at: 0, slow: true, slowed: true, want: 2.5},
			{at: 0.3, slow: true, slowed: false, want: 2.5 + 0.3/60},
			{at: 0.999, slow: true, slowed: false, want: 2.5 + 0.999/60},
			{at: 1, slow: true, slowed: true, want: (2.5 + 1.0/60) / 2},
		}},
		{"halves what it climbed back to", []step{
			{at: 0, slow: true, slowed: true, want: 2.5},
			{at: 30, slow: true, slowed: true, want: 1.5},
			{at: 90, want: 2.5},
		}},
		{"floor", []step{
			{at: 0, slow: true, slowed: true, want: 2.5},
			{at: 1, slow: true, slowed: true, want: (2.5 + 1.0/60) / 2},
			{at: 2, slow: true, slowed: true},
			{at: 3, slow: true, slowed: true},
			{at: 4, slow: true, slowed: true},
			{at: 5, slow: true, slowed: true},
			{at: 6, slow: true, slowed: true, want: 0.1, wantGap: 10 * time.Second},
			{at: 7, slow: true, slowed: true, want: 0.1},
			{at: 13, want: 0.2},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			p := newAdaptivePace(DefaultSearchRateLimit())
			for _, s := range tt.steps {
				now := sec(s.at)
				if s.slow {
					is.Equal(p.slow(now), s.slowed)
				}
				if s.want != 0 && math.Abs(p.at(now)-s.want) > 1e-9 {
					t.Fatalf("at %vs: pace %v, want %v", s.at, p.at(now), s.want)
				}
				if s.wantGap != 0 {
					// The gap after a request sent now.
					p.sent(now)
					is.Equal(p.wait(now), s.wantGap)
					is.Equal(p.wait(now.Add(s.wantGap)), time.Duration(0))
				}
			}
		})
	}
}

// TestPacedLimiterShare: the pace's ceiling is the client's share of the
// search limit, as the window's is.
func TestPacedLimiterShare(t *testing.T) {
	is := is.New(t)
	l := newPacedLimiter(realClock{}, DefaultSearchRateLimit(), 0.4)
	is.Equal(l.Pace(), 2.0)
	pace, slowed := l.Slow()
	is.True(slowed)
	is.True(math.Abs(pace-1) < 1e-3)
	is.Equal(newWindowLimiter(realClock{}, DefaultRateLimit(), 1, true).pace, (*adaptivePace)(nil))
}
