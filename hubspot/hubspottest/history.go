package hubspottest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"
)

// Property history (propertiesWithHistory), as the CRM objects spec
// serves it: the list (GET /crm/objects/{version}/{objectType}) and the
// read of one object take it as a query parameter, batch read
// (POST .../batch/read) as a body field, and search does not take it
// (PublicApiSpecs/CRM/Objects/Rollouts/424/2026-09/objects.json: the
// propertiesWithHistory parameters, BatchReadInputSimplePublicObjectId,
// PublicObjectSearchRequest, and ValueWithTimestamp for each value).

// historyMaxLimit is the most objects one request reads with
// propertiesWithHistory. The spec says only that asking for it "will
// reduce the maximum number of objects that can be read by a single
// request"; 50 is the number integrators found (docs/hubspot.md,
// "Property history"). That batch read takes no more is a guess.
const historyMaxLimit = 50

// historySourceType is the sourceType of the values the API wrote. Airbyte
// documents API, IMPORT and CRM_UI among them (docs/hubspot.md, "Property
// history"); sourceId, sourceLabel and updatedByUserId are left unset for
// a private app's writes: a guess, no document says what they hold then.
const historySourceType = "API"

// historyValue is one value a property held (ValueWithTimestamp).
type historyValue struct {
	value     string
	timestamp time.Time
	// sourceType, sourceID, sourceLabel and userID say who wrote it.
	sourceType, sourceID, sourceLabel string
	userID                            int64
}

type historyJSON struct {
	Value           string `json:"value"`
	Timestamp       string `json:"timestamp"`
	SourceType      string `json:"sourceType"`
	SourceID        string `json:"sourceId,omitempty"`
	SourceLabel     string `json:"sourceLabel,omitempty"`
	UpdatedByUserID int64  `json:"updatedByUserId,omitempty"`
}

// WithHistoryPagesLowered makes a list that asks for propertiesWithHistory
// with a limit above 50 answer a page of 50 objects, where by default it
// answers 400. The spec's words ("will reduce the maximum number of
// objects that can be read by a single request") read either way; a 400
// is what HubSpot/hubspot-api-python issue 143 shows for a page of 100.
func WithHistoryPagesLowered() Option {
	return func(c *config) { c.historyPagesLowered = true }
}

// remember appends the values a write gave to the record's history. A
// cleared value is kept as "" (a guess: the history shows the property
// emptied, as the properties API shows "" for it).
func (r *record) remember(now time.Time, props map[string]*string) {
	if r.history == nil {
		r.history = map[string][]historyValue{}
	}
	for _, name := range slices.Sorted(maps.Keys(props)) {
		v := ""
		if p := props[name]; p != nil {
			v = *p
		}
		r.history[name] = append(r.history[name], historyValue{value: v, timestamp: now, sourceType: historySourceType})
	}
}

// mergeHistory gives a merge's survivor the histories of what it
// absorbed, in time order: a guess (no document says whether a merged
// record's history keeps the absorbed record's values).
func mergeHistory(survivor *record, absorbed ...*record) {
	merged := map[string][]historyValue{}
	for _, r := range append([]*record{survivor}, absorbed...) {
		for name, vs := range r.history {
			merged[name] = append(merged[name], vs...)
		}
	}
	for name := range merged {
		slices.SortStableFunc(merged[name], func(a, b historyValue) int { return a.timestamp.Compare(b.timestamp) })
		merged[name] = slices.CompactFunc(merged[name], func(a, b historyValue) bool { return a == b })
	}
	survivor.history = merged
}

// renderHistory is the propertiesWithHistory of a record: for each
// property asked that has a history, its values, newest first (a guess
// on the order; the spec does not give one).
func renderHistory(r *record, asked []string) map[string][]historyJSON {
	if len(asked) == 0 {
		return nil
	}
	out := map[string][]historyJSON{}
	for _, name := range asked {
		vs := r.history[name]
		if len(vs) == 0 {
			continue
		}
		list := make([]historyJSON, 0, len(vs))
		for i := len(vs) - 1; i >= 0; i-- {
			v := vs[i]
			list = append(list, historyJSON{Value: v.value, Timestamp: formatTime(v.timestamp), SourceType: v.sourceType,
				SourceID: v.sourceID, SourceLabel: v.sourceLabel, UpdatedByUserID: v.userID})
		}
		out[name] = list
	}
	return out
}

// historyLimit checks a page or batch of n objects that asks for
// propertiesWithHistory, and returns the number to serve. The caller
// holds s.mu.
func (s *Server) historyLimit(n int, page bool) (int, *apiError) {
	s.historyReads = append(s.historyReads, n)
	if n <= historyMaxLimit {
		return n, nil
	}
	if page && s.historyPagesLowered {
		return historyMaxLimit, nil
	}
	return 0, &apiError{status: http.StatusBadRequest, category: categoryValidation,
		message: fmt.Sprintf("limit of %d is too large when requesting propertiesWithHistory: at most %d objects may be read per request", n, historyMaxLimit)}
}

// HistoryReads returns the number of objects each list page and batch
// read that asked for propertiesWithHistory asked for, since the start or
// ResetCalls, refused ones included: what tests check a reader's page
// sizes by.
func (s *Server) HistoryReads() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.historyReads)
}

// HistoryOf returns the values the simulator keeps of an object's
// property, oldest first: what tests compare a source's records with.
func (s *Server) HistoryOf(objectType, id, property string) []HistoryValue {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts, e := s.typeNamed(objectType)
	if e != nil {
		return nil
	}
	rec := ts.byIDString(id)
	if rec == nil {
		return nil
	}
	var out []HistoryValue
	for _, v := range rec.history[property] {
		out = append(out, HistoryValue{Value: v.value, Timestamp: v.timestamp, SourceType: v.sourceType})
	}
	return out
}

// HistoryValue is one value of a property's history.
type HistoryValue struct {
	Value      string
	Timestamp  time.Time
	SourceType string
}
