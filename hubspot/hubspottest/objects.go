package hubspottest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// Page sizes and batch size HubSpot allows.
const (
	listDefaultLimit   = 10
	listMaxLimit       = 100
	batchMaxInputs     = 100
	searchDefaultLimit = 10
	searchMaxLimit     = 200
	searchMaxResults   = 10000
)

// typeOf finds the type a path names: by name ("contacts", "2-12345"), by a
// standard type's id ("0-1") or by a custom type's fully qualified name.
func (s *Server) typeOf(r *http.Request) (*typeStore, *apiError) {
	return s.typeNamed(r.PathValue("type"))
}

// typeNamed is typeOf for a name given any other way.
func (s *Server) typeNamed(name string) (*typeStore, *apiError) {
	ts := s.types[name]
	if ts == nil {
		ts = s.types[s.typeNames[name]]
	}
	if ts == nil {
		return nil, unknownType(name)
	}
	return ts, nil
}

// list serves GET /crm/v3/objects/{type}: by id, from the after cursor on.
func (s *Server) list(r *http.Request) (int, any, *apiError) {
	ts, e := s.typeOf(r)
	if e != nil {
		return 0, nil, e
	}
	limit, after, archived, e := pageParams(r, listDefaultLimit, listMaxLimit)
	if e != nil {
		return 0, nil, e
	}
	asked := queryList(r, "properties")
	withHistory := queryList(r, "propertiesWithHistory")
	if len(withHistory) > 0 {
		if limit, e = s.historyLimit(limit, true); e != nil {
			return 0, nil, e
		}
	}
	linked, e := s.inlineTypes(r)
	if e != nil {
		return 0, nil, e
	}
	if lazy, ok := s.lazy[ts.t.name]; ok && lazy.n > 0 && !archived {
		return http.StatusOK, s.lazyPage(r, ts.t, lazy, after, limit, asked), nil
	}
	recs, next := ts.page(after, limit, archived)
	out := pageJSON[objectJSON]{Results: make([]objectJSON, 0, len(recs))}
	fields := fieldsOf(ts.t, asked)
	for _, rec := range recs {
		obj := s.withInline(r, ts, rec, renderRecord(rec, fields), linked)
		obj.PropertiesWithHistory = renderHistory(rec, withHistory)
		out.Results = append(out.Results, obj)
	}
	if next != "" {
		out.Paging = nextPage(r, next)
	}
	return http.StatusOK, out, nil
}

// get serves GET /crm/v3/objects/{type}/{id}.
func (s *Server) get(r *http.Request) (int, any, *apiError) {
	ts, e := s.typeOf(r)
	if e != nil {
		return 0, nil, e
	}
	archived, e := queryArchived(r)
	if e != nil {
		return 0, nil, e
	}
	id := r.PathValue("id")
	rec, e := ts.lookup(r.URL.Query().Get("idProperty"), id)
	if e != nil {
		return 0, nil, e
	}
	if rec == nil || rec.archived != archived {
		return 0, nil, notFound(fmt.Sprintf("Object not found. objectId are usually numeric. id: %s", id))
	}
	linked, e := s.inlineTypes(r)
	if e != nil {
		return 0, nil, e
	}
	obj := s.withInline(r, ts, rec, renderRecord(rec, fieldsOf(ts.t, queryList(r, "properties"))), linked)
	obj.PropertiesWithHistory = renderHistory(rec, queryList(r, "propertiesWithHistory"))
	return http.StatusOK, obj, nil
}

// propertyValues is a properties object of a request body. HubSpot takes
// numbers and booleans too and stores them as strings. A JSON null is
// accepted and changes nothing; "" clears a value (docs/hubspot.md,
// "Writing values").
type propertyValues map[string]json.RawMessage

func (p propertyValues) strings() (map[string]*string, *apiError) {
	out := make(map[string]*string, len(p))
	for name, raw := range p {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, badRequest(fmt.Sprintf("Invalid input JSON for property %q", name))
		}
		switch v := v.(type) {
		case nil:
			// Accepted, and ignored: the old value stays.
		case string:
			out[name] = &v
		case bool:
			s := strconv.FormatBool(v)
			out[name] = &s
		case float64:
			s := string(raw) // keep the number as written
			out[name] = &s
		default:
			return nil, validationError(fmt.Sprintf("Property %q: value must be a string, number, boolean or null", name), "INVALID_PROPERTY_VALUE", name)
		}
	}
	return out, nil
}

type writeBody struct {
	Properties propertyValues `json:"properties"`
	// Associations link a created object (associations_create.go).
	Associations []createLink `json:"associations"`
}

// writtenNames is what a create or update answer shows: the type's
// defaults and what was written.
func writtenNames(t *objectType, props map[string]*string) []string {
	names := slices.Clone(t.defaults)
	for n := range props {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// typeAllowing is the type the path names, or the refusal of a call
// the type's API does not offer: feedback submissions write nothing
// (https://developers.hubspot.com/docs/api/crm/feedback-submissions: the
// API "is read-only"), partner clients and services only update (their
// specs have no create or archive paths; hubspot.Resources() holds each
// type's calls). HubSpot documents no answer to such a call: the 405 and
// its message are a guess.
func (s *Server) typeAllowing(r *http.Request, want hubspot.Ops) (*typeStore, *apiError) {
	ts, e := s.typeOf(r)
	if e != nil {
		return nil, e
	}
	if !ts.t.ops.Has(want) {
		what := "read-only"
		if ts.t.ops.Has(hubspot.OpCreate) || ts.t.ops.Has(hubspot.OpUpdate) || ts.t.ops.Has(hubspot.OpArchive) {
			what = "not written this way through the API"
		}
		return nil, &apiError{status: http.StatusMethodNotAllowed, category: "METHOD_NOT_ALLOWED",
			message: fmt.Sprintf("%s are %s: %s %s is not allowed", ts.t.name, what, r.Method, r.URL.Path)}
	}
	return ts, nil
}

// writeRequest reads the type, the properties and the links of a create
// or update (want).
func (s *Server) writeRequest(r *http.Request, want hubspot.Ops) (*typeStore, map[string]*string, []createLink, *apiError) {
	ts, e := s.typeAllowing(r, want)
	if e != nil {
		return nil, nil, nil, e
	}
	var body writeBody
	if e := decodeBody(r, &body); e != nil {
		return nil, nil, nil, e
	}
	props, e := body.Properties.strings()
	if e != nil {
		return nil, nil, nil, e
	}
	return ts, props, body.Associations, nil
}

// create serves POST /crm/v3/objects/{type}.
func (s *Server) create(r *http.Request) (int, any, *apiError) {
	ts, props, links, e := s.writeRequest(r, hubspot.OpCreate)
	if e != nil {
		return 0, nil, e
	}
	if e := s.checkRulesLocked(requestVersion(r), ts, true, props, nil); e != nil {
		return 0, nil, e
	}
	rec, e := s.createLinkedLocked(ts, props, links)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusCreated, renderRecord(rec, fieldsOf(ts.t, writtenNames(ts.t, props))), nil
}

// update serves PATCH /crm/v3/objects/{type}/{id}.
func (s *Server) update(r *http.Request) (int, any, *apiError) {
	ts, props, _, e := s.writeRequest(r, hubspot.OpUpdate)
	if e != nil {
		return 0, nil, e
	}
	idProperty, id := r.URL.Query().Get("idProperty"), r.PathValue("id")
	if e := s.checkInputRulesLocked(requestVersion(r), ts, "update", batchInput{ID: id, IDProperty: idProperty}, props); e != nil {
		return 0, nil, e
	}
	rec, e := s.updateLocked(ts.t.name, idProperty, id, props)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, renderRecord(rec, fieldsOf(ts.t, writtenNames(ts.t, props))), nil
}

type mergeBody struct {
	PrimaryObjectID string `json:"primaryObjectId"`
	ObjectIDToMerge string `json:"objectIdToMerge"`
}

// merge serves POST /crm/v3/objects/{type}/merge
// (https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/companies/merge-companies):
// {"primaryObjectId":"..","objectIdToMerge":".."} answers 200 with the
// object that holds both.
func (s *Server) merge(r *http.Request) (int, any, *apiError) {
	ts, e := s.typeAllowing(r, hubspot.OpUpdate)
	if e != nil {
		return 0, nil, e
	}
	var body mergeBody
	if e := decodeBody(r, &body); e != nil {
		return 0, nil, e
	}
	if body.PrimaryObjectID == "" || body.ObjectIDToMerge == "" {
		return 0, nil, badRequest("primaryObjectId and objectIdToMerge are required")
	}
	rec, e := s.mergeLocked(ts.t.name, body.PrimaryObjectID, body.ObjectIDToMerge)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, renderRecord(rec, fieldsOf(ts.t, nil)), nil
}

// archive serves DELETE /crm/v3/objects/{type}/{id}.
func (s *Server) archive(r *http.Request) (int, any, *apiError) {
	ts, e := s.typeAllowing(r, hubspot.OpArchive)
	if e != nil {
		return 0, nil, e
	}
	s.archiveLocked(ts, r.PathValue("id"))
	return http.StatusNoContent, nil, nil
}

// batchInput is one input of any batch call.
type batchInput struct {
	ID                 string         `json:"id"`
	IDProperty         string         `json:"idProperty"`
	Properties         propertyValues `json:"properties"`
	ObjectWriteTraceID string         `json:"objectWriteTraceId"`
	Associations       []createLink   `json:"associations"`
}

type batchRequest struct {
	Inputs     []batchInput `json:"inputs"`
	Properties []string     `json:"properties"`
	IDProperty string       `json:"idProperty"`
	// PropertiesWithHistory, of a batch read, asks for those properties'
	// histories too.
	PropertiesWithHistory []string `json:"propertiesWithHistory"`
}

// batch serves POST /crm/v3/objects/{type}/batch/{read,create,update,upsert,archive}.
func (s *Server) batch(r *http.Request) (int, any, *apiError) {
	op := r.PathValue("op")
	want, ok := map[string]hubspot.Ops{"read": hubspot.OpBatch, "create": hubspot.OpCreate, "update": hubspot.OpUpdate,
		"upsert": hubspot.OpUpsert, "archive": hubspot.OpArchive}[op]
	if !ok {
		return 0, nil, notFound(fmt.Sprintf("No route for POST %s", r.URL.Path))
	}
	ts, e := s.typeAllowing(r, want)
	if e != nil {
		return 0, nil, e
	}
	var req batchRequest
	if e := decodeBody(r, &req); e != nil {
		return 0, nil, e
	}
	if len(req.Inputs) > batchMaxInputs {
		return 0, nil, validationError(fmt.Sprintf("Batch input limit exceeded: %d inputs, at most %d are allowed", len(req.Inputs), batchMaxInputs), "TOO_MANY_INPUTS", "")
	}
	if op != "create" {
		if e := duplicateIDs(req.Inputs); e != nil {
			return 0, nil, e
		}
	}
	started := s.now()
	res := batchJSON{Status: "COMPLETE", Results: []objectJSON{}}
	fail := func(e *apiError, ctx map[string][]string) {
		res.Errors = append(res.Errors, e.batchError(ctx))
	}
	switch op {
	case "read":
		archived, e := queryArchived(r)
		if e != nil {
			return 0, nil, e
		}
		if len(req.PropertiesWithHistory) > 0 {
			if _, e := s.historyLimit(len(req.Inputs), false); e != nil {
				return 0, nil, e
			}
		}
		var missing []string
		fields := fieldsOf(ts.t, req.Properties)
		for _, in := range req.Inputs {
			rec, e := ts.lookup(req.IDProperty, in.ID)
			if e != nil {
				return 0, nil, e
			}
			if rec == nil || rec.archived != archived {
				missing = append(missing, in.ID)
				continue
			}
			obj := renderRecord(rec, fields)
			obj.PropertiesWithHistory = renderHistory(rec, req.PropertiesWithHistory)
			res.Results = append(res.Results, obj)
		}
		if len(missing) > 0 {
			fail(notFound(fmt.Sprintf("Could not get some %s objects, they may be deleted or not exist. Check that ids are valid.", ts.t.name)), ctxMap("ids", missing...))
		}
	case "archive":
		for _, in := range req.Inputs {
			s.archiveLocked(ts, in.ID)
		}
		return http.StatusNoContent, nil, nil
	default:
		if op != "update" && ts.t.name == "contacts" && !s.rollout.partialContactBatches {
			if e := s.checkBatchLocked(requestVersion(r), ts, op, req.Inputs); e != nil {
				return 0, nil, e
			}
		}
		for _, in := range req.Inputs {
			obj, e := s.batchWrite(requestVersion(r), ts, op, in)
			if e != nil {
				fail(e, s.inputContext(op, in))
				continue
			}
			res.Results = append(res.Results, obj)
		}
	}
	// HubSpot does not keep the order of the inputs.
	s.rng.Shuffle(len(res.Results), func(i, j int) { res.Results[i], res.Results[j] = res.Results[j], res.Results[i] })
	res.NumErrors = len(res.Errors)
	res.StartedAt, res.CompletedAt = formatTime(started), formatTime(s.now())
	switch {
	case len(res.Errors) > 0:
		return http.StatusMultiStatus, res, nil
	case op == "create":
		return http.StatusCreated, res, nil
	default:
		return http.StatusOK, res, nil
	}
}

// batchWrite carries out one input of a batch create, update or upsert
// that came in at an API version.
func (s *Server) batchWrite(version string, ts *typeStore, op string, in batchInput) (objectJSON, *apiError) {
	props, e := in.Properties.strings()
	if e != nil {
		return objectJSON{}, e
	}
	if e := s.checkInputRulesLocked(version, ts, op, in, props); e != nil {
		return objectJSON{}, e
	}
	var rec *record
	created := false
	switch op {
	case "create":
		rec, e = s.createLinkedLocked(ts, props, in.Associations)
		created = true
	case "update":
		rec, e = s.updateLocked(ts.t.name, in.IDProperty, in.ID, props)
	case "upsert":
		rec, created, e = s.upsertLocked(ts, in, props)
	}
	if e != nil {
		return objectJSON{}, e
	}
	out := renderRecord(rec, fieldsOf(ts.t, writtenNames(ts.t, props)))
	if !s.rollout.noTraceIDs {
		out.ObjectWriteTraceID = in.ObjectWriteTraceID
	}
	if op == "upsert" {
		out.New = &created
	}
	return out, nil
}

// checkBatchLocked finds the first input of an all-or-nothing batch that
// HubSpot would refuse, before anything is written: its error, stripped of
// what names the input, is the answer to the whole call.
func (s *Server) checkBatchLocked(version string, ts *typeStore, op string, inputs []batchInput) *apiError {
	claimed := map[string]map[string]bool{} // unique property -> folded values this batch writes
	for _, in := range inputs {
		props, e := in.Properties.strings()
		if e != nil {
			return e
		}
		var self *record
		if op == "upsert" {
			if in.IDProperty == "" {
				return validationError("idProperty is required for upsert", "MISSING_ID_PROPERTY", "")
			}
			if self, e = ts.lookup(in.IDProperty, in.ID); e != nil {
				return e
			}
			if self != nil && self.archived {
				self = nil
			}
			if self == nil {
				id := in.ID
				props[in.IDProperty] = &id
			}
		}
		checked, e := ts.checkWrite(props, self)
		if e != nil {
			return e // about the input's values: it names no input
		}
		if e := s.checkRulesLocked(version, ts, self == nil, props, self); e != nil {
			return e
		}
		if op == "create" {
			if e := s.checkLinks(ts, in.Associations); e != nil {
				return e
			}
		}
		for name := range ts.unique {
			v := checked[name]
			if v == nil || *v == "" {
				continue
			}
			if claimed[name] == nil {
				claimed[name] = map[string]bool{}
			}
			if claimed[name][fold(*v)] {
				return &apiError{status: http.StatusConflict, category: "CONFLICT",
					message: fmt.Sprintf("Duplicate %s %q in batch input", name, *v),
					context: map[string][]string{"propertyName": {name}}}
			}
			claimed[name][fold(*v)] = true
		}
	}
	return nil
}

// upsertLocked updates the live object whose unique idProperty has the
// input's id, or creates it with that value.
func (s *Server) upsertLocked(ts *typeStore, in batchInput, props map[string]*string) (*record, bool, *apiError) {
	if in.IDProperty == "" {
		return nil, false, validationError("idProperty is required for upsert", "MISSING_ID_PROPERTY", "")
	}
	existing, e := ts.lookup(in.IDProperty, in.ID)
	if e != nil {
		return nil, false, e
	}
	if existing != nil && !existing.archived {
		rec, e := s.updateLocked(ts.t.name, "", idString(existing.id), props)
		return rec, false, e
	}
	withID := make(map[string]*string, len(props)+1)
	for k, v := range props {
		withID[k] = v
	}
	id := in.ID
	withID[in.IDProperty] = &id
	rec, e := s.createLocked(ts.t.name, withID)
	return rec, true, e
}

func (s *Server) inputContext(op string, in batchInput) map[string][]string {
	ctx := map[string][]string{}
	if op != "create" && in.ID != "" {
		ctx["ids"] = []string{in.ID}
	}
	if in.ObjectWriteTraceID != "" && !s.rollout.noTraceIDs {
		ctx["objectWriteTraceId"] = []string{in.ObjectWriteTraceID}
	}
	return ctx
}

// duplicateIDs refuses a batch that names one object twice, as HubSpot does.
func duplicateIDs(inputs []batchInput) *apiError {
	seen := map[string]bool{}
	var dups []string
	for _, in := range inputs {
		key := fold(in.ID)
		if seen[key] && !slices.Contains(dups, in.ID) {
			dups = append(dups, in.ID)
		}
		seen[key] = true
	}
	if len(dups) == 0 {
		return nil
	}
	e := validationError(fmt.Sprintf("Duplicate IDs found in batch input: %v. IDs must be unique", dups), "DUPLICATE_ID", "")
	e.context = ctxMap("ids", dups...)
	return e
}

// lazyPage serves a list page of objects made as they are listed.
func (s *Server) lazyPage(r *http.Request, t *objectType, lazy lazyObjects, after int64, limit int, asked []string) pageJSON[objectJSON] {
	n := lazy.n
	created := s.startedAt.Add(-time.Hour)
	out := pageJSON[objectJSON]{Results: make([]objectJSON, 0, limit)}
	fields := fieldsOf(t, asked)
	id := max(after, 1)
	for ; id <= int64(n) && len(out.Results) < limit; id++ {
		props := map[string]string{}
		if s.catalog.full && !s.catalog.sparse {
			names := asked
			if len(names) == 0 {
				names = t.defaults
			}
			props = catalogValues(t, int(id), names, s.catalog)
		}
		maps.Copy(props, lazy.props(int(id)))
		props[t.created] = formatTime(created)
		props[t.modified] = formatTime(created)
		props["hs_object_id"] = idString(id)
		out.Results = append(out.Results, render(t.slots.fromMap(props), id, created, created, nil, fields))
	}
	if id <= int64(n) {
		out.Paging = nextPage(r, idString(id))
	}
	return out
}
