package source_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestNoSilentStall: whatever HubSpot does, ReadN makes progress or returns
// an error after maxRetries retries; it never waits for ever.
func TestNoSilentStall(t *testing.T) {
	const maxRetries = 2
	tests := []struct {
		name   string
		fault  hubspottest.Fault
		fails  bool // the fault outlasts the retries
		status int
	}{
		{"5xx storm", hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 503, Times: 100}, true, 503},
		{"429 storm", hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 429, Times: 100}, true, 429},
		{"resets", hubspottest.Fault{Kind: hubspottest.FaultReset, Times: 100}, true, 0},
		{"truncated bodies", hubspottest.Fault{Kind: hubspottest.FaultTruncate, Times: 100}, true, 200},
		{"HTML 502 pages", hubspottest.Fault{Kind: hubspottest.FaultHTML, Times: 100}, true, 502},
		{"one 5xx", hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 500, Times: 1}, false, 0},
		{"slow answers", hubspottest.Fault{Kind: hubspottest.FaultDelay, Delay: 100 * time.Millisecond, Times: 3}, false, 0},
	}
	for _, tt := range tests {
		for _, phase := range []string{"snapshot", "cdc"} {
			t.Run(tt.name+" in "+phase, func(t *testing.T) {
				is := is.New(t)
				e := newEnv(t)
				_, err := e.srv.Seed("contacts", 5, nil)
				is.NoErr(err)
				settings := map[string]string{"maxRetries": "2", "snapshot": "true"}
				if phase == "cdc" {
					settings["snapshot"] = "false"
				}
				src := openSource(t, e, settings, nil)
				if phase == "cdc" {
					e.tick()
					is.NoErr(e.srv.Update("contacts", "1", map[string]string{"city": "x"}))
				}
				e.srv.ResetCalls()
				e.srv.InjectFault(tt.fault)
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				recs, err := src.ReadN(ctx, 10)
				is.True(ctx.Err() == nil) // an answer, not a stall until the deadline
				if !tt.fails {
					is.NoErr(err)
					is.True(len(recs) > 0)
					return
				}
				is.True(err != nil)
				calls := e.srv.TotalCalls()
				// The snapshot reads from both ends at once (the list and
				// the search from the top), each with the first try and
				// maxRetries retries; the other end may not have used all
				// of them yet when one fails.
				ends := 2
				if phase == "cdc" {
					ends = 1
				}
				if tt.fault.Kind == hubspottest.FaultReset {
					// Go's transport itself sends a GET again once when a
					// kept-alive connection was reset.
					is.True(calls >= maxRetries+1 && calls <= 2*ends*(maxRetries+1))
				} else {
					is.True(calls >= maxRetries+1 && calls <= ends*(maxRetries+1))
				}
				if tt.status != 0 {
					is.True(containsStatus(err, tt.status))
				}
			})
		}
	}
}

// containsStatus reports whether the error message names the HTTP status.
func containsStatus(err error, status int) bool {
	return err != nil && strings.Contains(err.Error(), strconv.Itoa(status))
}

// TestTwoFailedPollsInARow: a poll that fails returns its error; the next
// poll after it fails again the same way, and the one after that works.
func TestTwoFailedPollsInARow(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	src := openSource(t, e, map[string]string{"maxRetries": "1", "snapshot": "false"}, nil)
	e.tick()
	_, err := e.srv.Create("contacts", map[string]string{"email": "late@example.com"})
	is.NoErr(err)
	e.srv.InjectFault(hubspottest.Fault{Path: "/crm/objects/2026-09/contacts/search", Kind: hubspottest.FaultStatus, Status: 503, Times: 4})
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_, err := src.ReadN(ctx, 10)
		is.True(ctx.Err() == nil)
		is.True(err != nil)
		cancel()
	}
	recs := readCount(t, src, 1)
	is.Equal(recordID(t, recs[0]), "1")
}
