package simdata_test

import (
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/simdata"
	"github.com/matryer/is"
)

func TestSeedLinksRepeatsItsSeed(t *testing.T) {
	linked := func(seed uint64) map[string][]hubspottest.Link {
		t.Helper()
		srv, err := hubspottest.NewServer(hubspottest.WithoutRateLimits())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		srv.MustSeed(t, "deals", 30)
		srv.MustSeed(t, "contacts", 10)
		n, err := simdata.SeedLinks(srv, "deals", "contacts", 2, seed)
		if err != nil || n != 60 {
			t.Fatalf("SeedLinks: %d links, %v", n, err)
		}
		all, err := srv.AllLinks("deals", "contacts")
		if err != nil {
			t.Fatal(err)
		}
		return all
	}
	is := is.New(t)
	first := linked(3)
	is.Equal(first, linked(3))
	is.True(len(first) == 30) // every deal has a contact
	other := linked(4)
	differs := false
	for id, links := range first {
		differs = differs || len(links) != len(other[id]) || links[0].ToID != other[id][0].ToID
	}
	is.True(differs) // the seed chooses
}
