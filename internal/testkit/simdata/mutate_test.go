package simdata_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/simdata"
	"github.com/matryer/is"
)

// mutated runs Mutate with seed on a simulator with 20 contacts for a
// moment and returns the kinds and ids of the changes it made.
func mutated(t *testing.T, seed uint64) []string {
	t.Helper()
	srv, err := hubspottest.NewServer(hubspottest.WithoutRateLimits())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	if _, err := srv.Seed("contacts", 20, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	simdata.Mutate(ctx, srv, []string{"contacts"}, 1000, seed, func(err error) { t.Errorf("mutate: %v", err) })
	var out []string
	for _, c := range srv.Changes("contacts")[20:] {
		out = append(out, c.Kind+" "+c.ID)
	}
	return out
}

func TestMutateRepeatsItsSeed(t *testing.T) {
	is := is.New(t)
	first, again, other := mutated(t, 7), mutated(t, 7), mutated(t, 8)
	n := min(len(first), len(again), len(other))
	is.True(n >= 20) // the ticker's pace varies; the choices do not
	is.Equal(first[:n], again[:n])
	is.True(!slices.Equal(first[:n], other[:n])) // the seed chooses

	kinds := map[string]int{}
	for _, c := range first {
		kind, _, _ := strings.Cut(c, " ")
		kinds[kind]++
	}
	// creates, updates and archives all happen
	is.True(kinds[hubspottest.ChangeCreate] > 0)
	is.True(kinds[hubspottest.ChangeUpdate] > 0)
	is.True(kinds[hubspottest.ChangeArchive] > 0)
}
