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
// is what https://github.com/HubSpot/hubspot-api-python/issues/143 shows
// for a page of 100 (docs/hubspot.md, "Property history").
func WithHistoryPagesLowered() Option {
	return func(c *config) { c.historyPagesLowered = true }
}

// historyWrite is one write of a record as its history keeps it: the
// properties the write gave and the record's properties after it. apply
// never changes a stored version (values; it writes a new one), so the
// history shares the record's versions instead of copying their values: a
// copy per property held a seeded contact of 600 properties twice, and
// put 100,000 of them past 17 GiB in the end-to-end bench.
type historyWrite struct {
	at      time.Time
	names   []string // sorted; writes of the same names share one slice
	version values   // the record's properties after the write
}

// remember appends a write to the record's history: the values of props
// are read from version, the record's properties once written. A cleared
// value reads "" (a guess: the history shows the property emptied, as
// the properties API shows "" for it).
func (s *typeStore) remember(r *record, now time.Time, props map[string]*string, version values) {
	r.history = append(r.history, historyWrite{at: now, names: s.writtenNames(props), version: version})
}

// writtenNames is the sorted names of props, the slice of the previous
// write when it names the same properties (seeding writes thousands of
// objects of the same properties).
func (s *typeStore) writtenNames(props map[string]*string) []string {
	if len(props) == len(s.lastWritten) && allIn(s.lastWritten, props) {
		return s.lastWritten
	}
	s.lastWritten = slices.Sorted(maps.Keys(props))
	return s.lastWritten
}

func allIn(names []string, props map[string]*string) bool {
	for _, n := range names {
		if _, ok := props[n]; !ok {
			return false
		}
	}
	return true
}

// historyOf is the values a property of the record held, oldest first,
// each once: a write in the same millisecond that repeats the value before
// it shows once (a guess: HubSpot's docs do not say whether writing a
// property's value again adds to its history).
func (r *record) historyOf(name string) []historyValue {
	var out []historyValue
	for _, w := range r.history {
		if _, ok := slices.BinarySearch(w.names, name); !ok {
			continue
		}
		value, _ := w.version.get(name)
		v := historyValue{value: value, timestamp: w.at, sourceType: historySourceType}
		if len(out) > 0 && out[len(out)-1] == v {
			continue
		}
		out = append(out, v)
	}
	return out
}

// mergeHistory gives a merge's survivor the histories of what it
// absorbed, in time order: a guess (no document says whether a merged
// record's history keeps the absorbed record's values).
func mergeHistory(survivor *record, absorbed ...*record) {
	var merged []historyWrite
	for _, r := range append([]*record{survivor}, absorbed...) {
		merged = append(merged, r.history...)
	}
	slices.SortStableFunc(merged, func(a, b historyWrite) int { return a.at.Compare(b.at) })
	survivor.history = merged
}

// renderHistory is the propertiesWithHistory of a record: for each
// property asked that has a history, its values, newest first (a guess
// on the order; the spec does not give one); a property asked that has
// none is left out (a guess too).
func renderHistory(r *record, asked []string) map[string][]historyJSON {
	if len(asked) == 0 {
		return nil
	}
	out := map[string][]historyJSON{}
	for _, name := range asked {
		vs := r.historyOf(name)
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
// propertiesWithHistory, and returns the number to serve: past 50, a 400
// as https://github.com/HubSpot/hubspot-api-python/issues/143 shows for a
// page of 100 (docs/hubspot.md); the message's words are a guess. The
// caller holds s.mu.
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
	for _, v := range rec.historyOf(property) {
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
