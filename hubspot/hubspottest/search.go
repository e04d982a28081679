package hubspottest

import (
	"fmt"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Search limits HubSpot enforces.
const (
	searchMaxGroups          = 5
	searchMaxFiltersPerGroup = 6
	searchMaxFilters         = 18
)

type searchFilter struct {
	PropertyName string   `json:"propertyName"`
	Operator     string   `json:"operator"`
	Value        *string  `json:"value"`
	HighValue    *string  `json:"highValue"`
	Values       []string `json:"values"`
}

type searchRequest struct {
	FilterGroups []struct {
		Filters []searchFilter `json:"filters"`
	} `json:"filterGroups"`
	Sorts []struct {
		PropertyName string `json:"propertyName"`
		Direction    string `json:"direction"`
	} `json:"sorts"`
	Query      string   `json:"query"`
	Properties []string `json:"properties"`
	Limit      *int     `json:"limit"`
	After      string   `json:"after"`
}

// hit is one search candidate: a record as the index sees it.
type hit struct {
	id   int64
	view indexed
}

// search serves POST /crm/v3/objects/{type}/search over the search index,
// which lags behind writes by the server's index lag.
func (s *Server) search(r *http.Request) (int, any, *apiError) {
	ts, e := s.typeOf(r)
	if e != nil {
		return 0, nil, e
	}
	if e := s.checkSearchBodySize(r); e != nil {
		return 0, nil, e
	}
	var req searchRequest
	if e := decodeBody(r, &req); e != nil {
		return 0, nil, e
	}
	limit, offset, e := checkSearch(ts.t, &req)
	if e != nil {
		return 0, nil, e
	}
	now := s.now()
	wants := wantedValues{}
	match := func(view indexed) (bool, *apiError) { return matches(ts.t, req, view, wants) }
	var window []hit
	var total int
	if len(req.Sorts) == 1 && req.Sorts[0].PropertyName != "hs_object_id" {
		window, total, e = sortedWindow(ts, now, match, req.Sorts[0].PropertyName, strings.EqualFold(req.Sorts[0].Direction, "DESCENDING"), offset, limit)
	} else {
		desc := len(req.Sorts) == 1 && strings.EqualFold(req.Sorts[0].Direction, "DESCENDING")
		window, total, e = idWindow(ts, now, match, desc, offset, limit)
	}
	if e != nil {
		return 0, nil, e
	}
	out := pageJSON[objectJSON]{Total: &total, Results: []objectJSON{}}
	end := min(offset+limit, total)
	if s.short > 0 && end-offset > 1 && s.pageRng.Float64() < s.short {
		// A short page: fewer results than asked for, the rest offered by
		// paging.next.
		end = offset + 1 + s.pageRng.IntN(end-offset-1)
	}
	fields := fieldsOf(ts.t, req.Properties)
	for _, h := range window[:max(0, end-offset)] {
		out.Results = append(out.Results, render(h.view.props, h.id, h.view.createdAt, h.view.updatedAt, nil, fields))
	}
	if end < total {
		// HubSpot offers the next page even where it will refuse to serve
		// it (past 10,000 results).
		out.Paging = &pagingJSON{Next: nextJSON{After: strconv.Itoa(end)}}
	}
	return http.StatusOK, out, nil
}

// checkSearch enforces the documented limits and returns the page size and
// offset.
func checkSearch(t *objectType, req *searchRequest) (int, int, *apiError) {
	limit := searchDefaultLimit
	if req.Limit != nil {
		limit = *req.Limit
	}
	if limit < 1 || limit > searchMaxLimit {
		return 0, 0, badRequest(fmt.Sprintf("limit must be between 1 and %d, got %d", searchMaxLimit, limit))
	}
	offset := 0
	if req.After != "" {
		n, err := strconv.Atoi(req.After)
		if err != nil || n < 0 {
			return 0, 0, badRequest(fmt.Sprintf("after must be a number returned by a previous page, got %q", req.After))
		}
		offset = n
	}
	if offset >= searchMaxResults {
		return 0, 0, badRequest(fmt.Sprintf("Search can page through at most %d results; after=%d is past it", searchMaxResults, offset))
	}
	if len(req.Sorts) > 1 {
		return 0, 0, badRequest("Only one sort is allowed per search")
	}
	for _, srt := range req.Sorts {
		if _, ok := t.byName[srt.PropertyName]; !ok {
			return 0, 0, badRequest(fmt.Sprintf("Cannot sort by unknown property %q", srt.PropertyName))
		}
	}
	if len(req.FilterGroups) > searchMaxGroups {
		return 0, 0, badRequest(fmt.Sprintf("Too many filter groups: %d, at most %d are allowed", len(req.FilterGroups), searchMaxGroups))
	}
	total := 0
	for _, g := range req.FilterGroups {
		if len(g.Filters) > searchMaxFiltersPerGroup {
			return 0, 0, badRequest(fmt.Sprintf("Too many filters in a group: %d, at most %d are allowed", len(g.Filters), searchMaxFiltersPerGroup))
		}
		total += len(g.Filters)
		for _, f := range g.Filters {
			if _, ok := t.byName[f.PropertyName]; !ok {
				return 0, 0, badRequest(fmt.Sprintf("There was a problem with the request: property %q does not exist", f.PropertyName))
			}
		}
	}
	if total > searchMaxFilters {
		return 0, 0, badRequest(fmt.Sprintf("Too many filters: %d, at most %d are allowed", total, searchMaxFilters))
	}
	return limit, offset, nil
}

// matches applies the filter groups (ORed; the filters of a group ANDed)
// and the free-text query.
func matches(t *objectType, req searchRequest, view indexed, wants wantedValues) (bool, *apiError) {
	if q := strings.TrimSpace(req.Query); q != "" && !queryMatches(q, view.props) {
		return false, nil
	}
	if len(req.FilterGroups) == 0 {
		return true, nil
	}
	for _, g := range req.FilterGroups {
		all := true
		for _, f := range g.Filters {
			ok, e := filterMatches(t, t.byName[f.PropertyName], f, view, wants)
			if e != nil {
				return false, e
			}
			if !ok {
				all = false
				break
			}
		}
		if all {
			return true, nil
		}
	}
	return false, nil
}

func queryMatches(q string, props values) bool {
	q = strings.ToLower(q)
	for _, v := range props.all() {
		if strings.Contains(strings.ToLower(v), q) {
			return true
		}
	}
	return false
}

func filterMatches(t *objectType, p PropertyDef, f searchFilter, view indexed, wants wantedValues) (bool, *apiError) {
	key, keyed := view.keys.of(t, p)
	v, has := key.raw, key.present
	if !keyed {
		v, has = view.props.get(p.Name)
	}
	stored := func() parsedValue {
		if keyed {
			return key.parsed
		}
		a, _ := parseValue(p.Type, v)
		return a
	}
	has = has && v != ""
	need := func(x *string) (string, *apiError) {
		if x == nil {
			return "", badRequest(fmt.Sprintf("Operator %s on %q needs a value", f.Operator, p.Name))
		}
		return *x, nil
	}
	cmpTo := func(x *string) (int, *apiError) {
		want, e := need(x)
		if e != nil {
			return 0, e
		}
		c, err := wants.compare(p.Type, stored, want)
		if err != nil {
			return 0, badRequest(fmt.Sprintf("Filter on %q: %v", p.Name, err))
		}
		return c, nil
	}
	switch strings.ToUpper(f.Operator) {
	case "HAS_PROPERTY":
		return has, nil
	case "NOT_HAS_PROPERTY":
		return !has, nil
	case "EQ", "NEQ":
		eq := false
		if has {
			c, e := cmpTo(f.Value)
			if e != nil {
				return false, e
			}
			eq = c == 0
		} else if _, e := need(f.Value); e != nil {
			return false, e
		}
		return eq == (strings.ToUpper(f.Operator) == "EQ"), nil
	case "LT", "LTE", "GT", "GTE":
		if !has {
			_, e := need(f.Value)
			return false, e
		}
		c, e := cmpTo(f.Value)
		if e != nil {
			return false, e
		}
		switch strings.ToUpper(f.Operator) {
		case "LT":
			return c < 0, nil
		case "LTE":
			return c <= 0, nil
		case "GT":
			return c > 0, nil
		default:
			return c >= 0, nil
		}
	case "BETWEEN":
		if !has {
			return false, nil
		}
		lo, e := cmpTo(f.Value)
		if e != nil {
			return false, e
		}
		hi, e := cmpTo(f.HighValue)
		if e != nil {
			return false, e
		}
		return lo >= 0 && hi <= 0, nil
	case "IN", "NOT_IN":
		in := false
		for _, want := range f.Values {
			if c, err := wants.compare(p.Type, stored, want); has && err == nil && c == 0 {
				in = true
				break
			}
		}
		return in == (strings.ToUpper(f.Operator) == "IN"), nil
	case "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN":
		want, e := need(f.Value)
		if e != nil {
			return false, e
		}
		found := has && containsToken(v, want)
		return found == (strings.ToUpper(f.Operator) == "CONTAINS_TOKEN"), nil
	default:
		return false, badRequest(fmt.Sprintf("Unknown operator %q", f.Operator))
	}
}

// containsToken matches a word of v, or the whole of v when the wanted
// token has * wildcards.
func containsToken(v, token string) bool {
	v, token = strings.ToLower(v), strings.ToLower(token)
	if strings.Contains(token, "*") {
		ok, _ := path.Match(token, v)
		return ok
	}
	for _, w := range strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if w == token {
			return true
		}
	}
	return false
}

// idWindow scans the index in id order (descending if desc), the order of
// a search sorted by hs_object_id or by nothing, and returns the hits from
// offset on, at most limit of them, and how many hits there are in all:
// a large search keeps one page of hits, not every hit.
func idWindow(ts *typeStore, now time.Time, match func(indexed) (bool, *apiError), desc bool, offset, limit int) ([]hit, int, *apiError) {
	var window []hit
	total := 0
	for i := range ts.recs {
		rec := ts.recs[i]
		if desc {
			rec = ts.recs[len(ts.recs)-1-i]
		}
		id := rec.id
		view, ok := rec.searchView(now)
		if !ok {
			continue
		}
		ok, e := match(view)
		if e != nil {
			return nil, 0, e
		}
		if !ok {
			continue
		}
		if total >= offset && total < offset+limit {
			window = append(window, hit{id: id, view: view})
		}
		total++
	}
	return window, total, nil
}

// sortedWindow is idWindow for a search sorted by any other property: it
// orders every hit by it; objects without a value come last, and ties keep
// id order.
func sortedWindow(ts *typeStore, now time.Time, match func(indexed) (bool, *apiError), name string, desc bool, offset, limit int) ([]hit, int, *apiError) {
	hits, total, e := idWindow(ts, now, match, false, 0, len(ts.ids))
	if e != nil {
		return nil, 0, e
	}
	typ := ts.t.byName[name].Type
	slices.SortStableFunc(hits, func(a, b hit) int {
		av, aok := a.view.props.get(name)
		bv, bok := b.view.props.get(name)
		switch {
		case !aok && !bok:
			return 0
		case !aok:
			return 1
		case !bok:
			return -1
		}
		c, _ := compareValues(typ, av, bv)
		if desc {
			c = -c
		}
		return c
	})
	return hits[min(offset, total):min(offset+limit, total)], total, nil
}
