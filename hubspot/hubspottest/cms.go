package hubspottest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// What the CMS list calls (URL redirects, blog tags, and the document
// store's posts, authors and pages, and HubDB tables, hubdb.go) share: the documented created and
// updated filters, sort, limit and after
// (https://developers.hubspot.com/docs/api/cms/url-redirects,
// https://developers.hubspot.com/docs/api/cms/blog-tags,
// https://developers.hubspot.com/docs/api/cms/blog-post).

const (
	cmsDefLimit    = 10
	cmsMaxLimit    = 100
	cmsTimeFormats = "an ISO 8601 date-time such as 2024-01-01T00:00:00Z"
)

// cmsObject is a CMS object of the simulator's: its id and times.
type cmsObject interface {
	cmsID() string
	cmsTimes() (created, updated time.Time)
	cmsArchived() bool
}

// cmsFilter is one of the list call's documented date filters.
type cmsFilter struct {
	field string // created or updated
	op    string // After, At, Before
	at    time.Time
}

func (f cmsFilter) keep(o cmsObject) bool {
	t, updated := o.cmsTimes()
	if f.field == "updated" {
		t = updated
	}
	switch f.op {
	case "After":
		return t.After(f.at)
	case "Before":
		return t.Before(f.at)
	default:
		return t.Equal(f.at)
	}
}

func cmsFilters(r *http.Request) ([]cmsFilter, *apiError) {
	var out []cmsFilter
	for _, field := range []string{"created", "updated"} {
		for _, op := range []string{"After", "At", "Before"} {
			v := r.URL.Query().Get(field + op)
			if v == "" {
				continue
			}
			at, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return nil, badRequest(fmt.Sprintf("%s%s must be %s, got %q", field, op, cmsTimeFormats, v))
			}
			out = append(out, cmsFilter{field: field, op: op, at: at})
		}
	}
	return out, nil
}

// cmsOrder reads the sort parameter into a comparison: each key taken
// (sorting, cmssort.go) with a leading "-" for descending; ties, and no
// sort, go by creation time and then id (CMSSortAnyField: by id alone).
func cmsOrder[T cmsObject](r *http.Request, noun string, sorting cmsSorting, fields map[string]func(a, b T) int) (func(a, b T) int, *apiError) {
	byID := func(a, b T) int {
		x, _ := strconv.ParseInt(a.cmsID(), 10, 64)
		y, _ := strconv.ParseInt(b.cmsID(), 10, 64)
		return cmp.Compare(x, y)
	}
	byCreated := func(a, b T) int { x, _ := a.cmsTimes(); y, _ := b.cmsTimes(); return x.Compare(y) }
	var cmps []func(a, b T) int
	for _, k := range queryList(r, "sort") {
		name, desc := strings.CutPrefix(k, "-")
		if sorting.mode == CMSSortIgnored ||
			(sorting.mode == CMSSortDocumented && !slices.Contains(sorting.documented, name)) {
			continue // not a sort this API documents: ignored without a word
		}
		var c func(a, b T) int
		switch name {
		case "createdAt", "created":
			c = byCreated
		case "updatedAt", "updated":
			c = func(a, b T) int { _, x := a.cmsTimes(); _, y := b.cmsTimes(); return x.Compare(y) }
		case "id":
			c = byID
		default:
			if c = fields[name]; c == nil {
				if sorting.mode == CMSSortDocumented {
					continue // a documented key the simulator has no data for (createdBy)
				}
				return nil, badRequest(fmt.Sprintf("cannot sort %s by %q", noun, k))
			}
		}
		if desc {
			asc := c
			c = func(a, b T) int { return -asc(a, b) }
		}
		cmps = append(cmps, c)
	}
	if sorting.mode != CMSSortAnyField {
		cmps = append(cmps, byCreated) // "createdAt will be used by default"
	}
	cmps = append(cmps, byID)
	return func(a, b T) int {
		for _, c := range cmps {
			if n := c(a, b); n != 0 {
				return n
			}
		}
		return 0
	}, nil
}

// cmsList serves a CMS list call over objs (in creation order): the
// documented response holds total, results and paging. keep, when set,
// applies the resource's own filters.
func cmsList[T cmsObject, J any](r *http.Request, noun string, sorting cmsSorting, objs []T, fields map[string]func(a, b T) int,
	keep func(T) bool, toJSON func(T) J,
) (int, any, *apiError) {
	limit, offset, archived, e := pageParams(r, cmsDefLimit, cmsMaxLimit)
	if e != nil {
		return 0, nil, e
	}
	filters, e := cmsFilters(r)
	if e != nil {
		return 0, nil, e
	}
	order, e := cmsOrder(r, noun, sorting, fields)
	if e != nil {
		return 0, nil, e
	}
	var all []T
	for _, o := range objs {
		if o.cmsArchived() != archived || slices.ContainsFunc(filters, func(f cmsFilter) bool { return !f.keep(o) }) ||
			(keep != nil && !keep(o)) {
			continue
		}
		all = append(all, o)
	}
	slices.SortStableFunc(all, order)
	total := len(all)
	out := pageJSON[J]{Total: &total, Results: []J{}}
	start := min(int(offset), len(all))
	end := min(start+limit, len(all))
	for _, o := range all[start:end] {
		out.Results = append(out.Results, toJSON(o))
	}
	if end < len(all) {
		out.Paging = nextPage(r, strconv.Itoa(end))
	}
	return http.StatusOK, out, nil
}

// cmsLive is the live object of the path's id, or a 404.
func cmsLive[T cmsObject](byID map[string]T, r *http.Request, noun string) (T, *apiError) {
	id := r.PathValue("id")
	o, ok := byID[id]
	if !ok || o.cmsArchived() {
		var zero T
		return zero, notFound(fmt.Sprintf("%s %s not found", noun, id))
	}
	return o, nil
}

// allOf keeps what every one of keeps keeps.
func allOf[T any](keeps []func(T) bool) func(T) bool {
	return func(o T) bool {
		for _, k := range keeps {
			if !k(o) {
				return false
			}
		}
		return true
	}
}
