// Package simdata makes the steady changes that the commands showing the
// connector at work (hubspot-sim, hubspot-demo) run in a simulator. It goes
// through the simulator's public API only, as a test would, so that the
// simulator holds no demo data of its own.
package simdata

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
)

// Mutate makes perSecond changes a second to objects of the given types
// until ctx ends: about a third creates, half updates, the rest archives.
// seed fixes which changes are made, so that a run can be repeated. Failed
// changes go to onError (which may be nil).
func Mutate(ctx context.Context, srv *hubspottest.Server, types []string, perSecond float64, seed uint64, onError func(error)) {
	if len(types) == 0 || perSecond <= 0 {
		return
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	ticker := time.NewTicker(time.Duration(float64(time.Second) / perSecond))
	defer ticker.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		typ := types[rng.IntN(len(types))]
		live := srv.LiveIDs(typ)
		var err error
		switch roll := rng.IntN(100); {
		case roll < 35 || len(live) == 0:
			_, err = srv.Create(typ, hubspottest.SampleProperties(typ, 1_000_000+n))
		case roll < 85:
			props := hubspottest.SampleProperties(typ, 2_000_000+n)
			delete(props, "email") // emails stay unique
			err = srv.Update(typ, live[rng.IntN(len(live))], props)
		default:
			err = srv.Archive(typ, live[rng.IntN(len(live))])
		}
		if err != nil && onError != nil {
			onError(err)
		}
	}
}
