package hubspottest

import (
	"context"
	"math/rand/v2"
	"time"
)

// Mutate makes perSecond changes a second to objects of the given types
// until ctx ends: about a third creates, half updates, the rest archives.
// Failed changes go to onError (which may be nil).
func (s *Server) Mutate(ctx context.Context, types []string, perSecond float64, onError func(error)) {
	if len(types) == 0 || perSecond <= 0 {
		return
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	ticker := time.NewTicker(time.Duration(float64(time.Second) / perSecond))
	defer ticker.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		typ := types[rng.IntN(len(types))]
		live := s.liveIDs(typ)
		var err error
		switch roll := rng.IntN(100); {
		case roll < 35 || len(live) == 0:
			_, err = s.Create(typ, SampleProperties(typ, 1_000_000+n))
		case roll < 85:
			props := SampleProperties(typ, 2_000_000+n)
			delete(props, "email") // emails stay unique
			err = s.Update(typ, live[rng.IntN(len(live))], props)
		default:
			err = s.Archive(typ, live[rng.IntN(len(live))])
		}
		if err != nil && onError != nil {
			onError(err)
		}
	}
}

func (s *Server) liveIDs(objectType string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.types[objectType]
	if ts == nil {
		return nil
	}
	var ids []string
	for _, id := range ts.ids {
		if r := ts.byID[id]; !r.archived && r.mergedInto == 0 {
			ids = append(ids, idString(id))
		}
	}
	return ids
}
