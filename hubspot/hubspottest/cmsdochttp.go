package hubspottest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The endpoints of the document-store CMS resources (cmsdocs.go).

// listParams are the list call's parameters that are no property filter.
var listParams = []string{"limit", "after", "archived", "sort", "property",
	"createdAfter", "createdAt", "createdBefore", "updatedAfter", "updatedAt", "updatedBefore"}

// docFilter reads the property filters: name__op=value, or name=value for
// eq.
func docFilter(r *http.Request, fields []string) (func(*CMSDoc) bool, *apiError) {
	var keeps []func(*CMSDoc) bool
	for param, vs := range r.URL.Query() {
		if slices.Contains(listParams, param) {
			continue
		}
		name, op, found := strings.Cut(param, "__")
		if !found {
			op = "eq"
		}
		if fields != nil && !slices.Contains(fields, name) {
			return nil, badRequest(fmt.Sprintf("the simulator does not filter by %q", name))
		}
		v := vs[0]
		in := strings.Split(v, ",")
		var keep func(string) bool
		switch op {
		case "eq":
			keep = func(s string) bool { return s == v }
		case "ne":
			keep = func(s string) bool { return s != v }
		case "contains":
			keep = func(s string) bool { return strings.Contains(s, v) }
		case "icontains":
			keep = func(s string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(v)) }
		case "in":
			keep = func(s string) bool { return slices.Contains(in, s) }
		case "nin":
			keep = func(s string) bool { return !slices.Contains(in, s) }
		default:
			return nil, badRequest(fmt.Sprintf("the simulator does not filter with %q", param))
		}
		keeps = append(keeps, func(d *CMSDoc) bool {
			if name == "id" {
				return keep(d.ID)
			}
			return keep(fmt.Sprint(d.Fields[name]))
		})
	}
	return allOf(keeps), nil
}

func byText(name string) func(a, b *CMSDoc) int {
	return func(a, b *CMSDoc) int { return strings.Compare(a.Text(name), b.Text(name)) }
}

// docHandlers serves one document-store resource.
type docHandlers struct {
	s   *Server
	typ CMSType
}

func (h docHandlers) list(r *http.Request) (int, any, *apiError) {
	st := h.s.docs(h.typ)
	keep, e := docFilter(r, st.kind.filters)
	if e != nil {
		return 0, nil, e
	}
	return cmsList(r, st.kind.noun+"s", cmsSorting{h.s.cmsSort, st.kind.sorts}, st.all(), map[string]func(a, b *CMSDoc) int{
		"name": byText("name"), "slug": byText("slug"), "fullName": byText("fullName"),
		"routePrefix": byText("routePrefix"), "destination": byText("destination"),
	}, keep, st.json)
}

func (h docHandlers) get(r *http.Request) (int, any, *apiError) {
	st := h.s.docs(h.typ)
	d, e := cmsLive(st.byID, r, st.kind.noun)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, st.json(d), nil
}

func (h docHandlers) create(r *http.Request) (int, any, *apiError) {
	var body map[string]any
	if e := decodeBody(r, &body); e != nil {
		return 0, nil, e
	}
	st := h.s.docs(h.typ)
	d, e := st.build(body, nil)
	if e != nil {
		return 0, nil, e
	}
	st.store(d, h.s.now())
	return http.StatusCreated, st.json(d), nil
}

// patched is d with body applied and checked against the store and others,
// not stored.
func (st *docStore) patched(d *CMSDoc, body map[string]any, others []*CMSDoc) (*CMSDoc, *apiError) {
	next := *d
	next.Fields = make(map[string]any, len(d.Fields))
	for k, v := range d.Fields {
		next.Fields[k] = v
	}
	apply(&next, body)
	if e := st.check(&next, others); e != nil {
		return nil, e
	}
	return &next, nil
}

func (h docHandlers) update(r *http.Request) (int, any, *apiError) {
	st := h.s.docs(h.typ)
	d, e := cmsLive(st.byID, r, st.kind.noun)
	if e != nil {
		return 0, nil, e
	}
	var body map[string]any
	if e := decodeBody(r, &body); e != nil {
		return 0, nil, e
	}
	next, e := st.patched(d, body, nil)
	if e != nil {
		return 0, nil, e
	}
	next.Updated = h.s.now()
	*d = *next
	return http.StatusOK, st.json(d), nil
}

// archive deletes d at now; its updated time moves only
// WithArchiveMovesUpdated.
func (st *docStore) archive(d *CMSDoc, now time.Time, movesUpdated bool) {
	d.Archived, d.Deleted = true, now
	if movesUpdated {
		d.Updated = now
	}
}

func (h docHandlers) delete(r *http.Request) (int, any, *apiError) {
	st := h.s.docs(h.typ)
	d, e := cmsLive(st.byID, r, st.kind.noun)
	if e != nil {
		return 0, nil, e
	}
	st.archive(d, h.s.now(), h.s.archiveMovesUpdated)
	return http.StatusNoContent, nil, nil
}

// docBatchJSON is a batch call's answer.
type docBatchJSON struct {
	Status      string           `json:"status"`
	Results     []map[string]any `json:"results"`
	StartedAt   string           `json:"startedAt"`
	CompletedAt string           `json:"completedAt"`
}

// batchInputError names the batch input a refusal is about.
func batchInputError(i int, e *apiError) *apiError {
	out := *e
	out.message = fmt.Sprintf("inputs[%d]: %s", i, e.message)
	return &out
}

// batch serves POST {path}/batch/{op}: create, update, archive and read,
// all or nothing.
func (h docHandlers) batch(r *http.Request) (int, any, *apiError) {
	st := h.s.docs(h.typ)
	op := r.PathValue("op")
	var body struct {
		Inputs []any `json:"inputs"`
	}
	if e := decodeBody(r, &body); e != nil {
		return 0, nil, e
	}
	if len(body.Inputs) > cmsMaxLimit {
		return 0, nil, badRequest(fmt.Sprintf("a batch takes at most %d inputs, got %d", cmsMaxLimit, len(body.Inputs)))
	}
	now := h.s.now()
	var done []*CMSDoc
	for i, in := range body.Inputs {
		d, e := st.batchInput(op, in, done)
		if e != nil {
			return 0, nil, batchInputError(i, e)
		}
		done = append(done, d)
	}
	out := docBatchJSON{Status: "COMPLETE", Results: []map[string]any{}, StartedAt: formatTime(now), CompletedAt: formatTime(now)}
	for _, d := range done {
		switch op {
		case "create":
			st.store(d, now)
		case "update":
			d.Updated = now
			*st.byID[d.ID] = *d
		case "archive":
			st.archive(d, now, h.s.archiveMovesUpdated)
			continue
		}
		out.Results = append(out.Results, st.json(d))
	}
	switch op {
	case "archive":
		return http.StatusNoContent, nil, nil
	case "create":
		return http.StatusCreated, out, nil
	}
	return http.StatusOK, out, nil
}

// batchInput checks one input of a batch op: the object it makes (create),
// changes (update) or names (archive, read).
func (st *docStore) batchInput(op string, in any, done []*CMSDoc) (*CMSDoc, *apiError) {
	switch op {
	case "create", "update":
		body, ok := in.(map[string]any)
		if !ok {
			return nil, badRequest("each input must be an object")
		}
		if op == "create" {
			return st.build(body, done)
		}
		id, _ := body["id"].(string)
		d, ok := st.byID[id]
		if !ok || d.Archived || slices.ContainsFunc(done, func(o *CMSDoc) bool { return o.ID == id }) {
			return nil, notFound(fmt.Sprintf("%s %q not found, or named twice", st.kind.noun, id))
		}
		return st.patched(d, body, done)
	case "archive", "read":
		id, _ := in.(string)
		d, ok := st.byID[id]
		if !ok || d.Archived {
			return nil, notFound(fmt.Sprintf("%s %q not found", st.kind.noun, id))
		}
		return d, nil
	}
	return nil, notFound(fmt.Sprintf("no batch call %q", op))
}
