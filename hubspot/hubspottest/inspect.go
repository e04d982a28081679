package hubspottest

import (
	"maps"
	"slices"
	"testing"
)

// ObjectTypes lists the object types the server knows.
func (s *Server) ObjectTypes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.types))
}

// Objects returns every object of a type, archived ones too, by id.
func (s *Server) Objects(objectType string) []Object {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.types[objectType]
	if ts == nil {
		return nil
	}
	out := make([]Object, 0, len(ts.ids))
	for _, id := range ts.ids {
		out = append(out, ts.byID[id].public(objectType))
	}
	return out
}

// Object returns one object by id, archived or not.
func (s *Server) Object(objectType, id string) (Object, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.types[objectType]
	if ts == nil {
		return Object{}, false
	}
	r := ts.byIDString(id)
	if r == nil {
		return Object{}, false
	}
	return r.public(objectType), true
}

// Changes returns the change log of a type ("" for every type), oldest
// first.
func (s *Server) Changes(objectType string) []Change {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Change
	for _, c := range s.changes {
		if objectType == "" || c.Type == objectType {
			c.Properties = c.props.toMap()
			out = append(out, c.Change)
		}
	}
	return out
}

// Calls returns how many requests each endpoint received, keyed like
// "POST /crm/v3/objects/contacts/batch/create" or
// "GET /crm/v3/objects/contacts/{id}". Every request counts, refused ones
// (401, 429, injected faults) too.
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

// TotalCalls returns the number of requests the server received.
func (s *Server) TotalCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		n += c
	}
	return n
}

// ResetCalls sets every call count, and the counts of 429s and searches,
// to zero.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.calls)
	s.historyReads = nil
	s.refused = 0
	s.requests.searches, s.requests.searchRefused = 0, 0
}

// SearchLimitCounts returns how many searches met the search limit (with
// the limit on), refused ones included, and how many of them it refused
// with a SECONDLY 429.
func (s *Server) SearchLimitCounts() (searches, refused int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests.searches, s.requests.searchRefused
}

// RateLimited returns how many requests the server refused with a 429 for
// its rate limits (injected faults not counted).
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// LiveIDs returns the ids of the objects of a type that are neither
// archived nor merged into another, by id.
func (s *Server) LiveIDs(objectType string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	if ts := s.types[objectType]; ts != nil {
		for _, id := range ts.ids {
			if r := ts.byID[id]; !r.archived && r.mergedInto == 0 {
				ids = append(ids, idString(id))
			}
		}
	}
	return ids
}

// SpendDailyQuota counts n requests against the account's daily quota of
// the current day, as the account's other integrations spend it: the daily
// limit is the account's, shared by every app (docs/hubspot.md, "Rate limits"), so a
// connector finds part of it gone.
func (s *Server) SpendDailyQuota(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.todaysRequestsLocked().dayCount += n
}

// MustSeed is Seed with generated properties for tests: it fails tb if
// the objects cannot be made.
func (s *Server) MustSeed(tb testing.TB, objectType string, n int) []string {
	tb.Helper()
	ids, err := s.Seed(objectType, n, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}
