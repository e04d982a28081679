package simdata

import (
	"fmt"
	"math/rand/v2"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
)

// SeedLinks links each live object of fromType to perObject live objects
// of toType, chosen by seed, with the pair's default association type. A
// pair linked twice is linked once, so an object may end with fewer. It
// returns how many links it made.
func SeedLinks(srv *hubspottest.Server, fromType, toType string, perObject int, seed uint64) (int, error) {
	targets := srv.LiveIDs(toType)
	if perObject <= 0 || len(targets) == 0 {
		return 0, nil
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	n := 0
	for _, from := range srv.LiveIDs(fromType) {
		for range perObject {
			if err := srv.Associate(fromType, from, toType, targets[rng.IntN(len(targets))]); err != nil {
				return n, fmt.Errorf("link %s %s to %s: %w", fromType, from, toType, err)
			}
			n++
		}
	}
	return n, nil
}
