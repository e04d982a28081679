package hubspottest

import (
	"fmt"
	"net/http"
	"strconv"
)

// The associations endpoints of labels and paging (v4 among the numbered
// paths)
// (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/batch/get-associations
// and its sibling pages; docs/associations.md). They count against the
// general rate budget, as every call but search does.

const (
	// assocReadMaxInputs: "any batch read requests submitted to the
	// Associations API may not exceed 1000 IDs per request body"
	// (https://developers.hubspot.com/changelog/bug-fix-batch-read-limit-for-hubspot-associations-api).
	assocReadMaxInputs = 1000
	// assocWriteMaxInputs bounds the other batch calls. HubSpot's pages
	// name no limit for them; 100, the objects' batch limit, is a guess on
	// the strict side, so that a client that sends more fails here first.
	assocWriteMaxInputs = 100
	// assocReadPageSize is how many linked objects one batch read result
	// holds before it pages on with after: a guess, the 500 of v4's
	// per-object GET page.
	assocReadPageSize = 500
)

func (s *Server) associationRoutes(m versionedMux) {
	const base = "/{from}/{to}"
	m.handle("POST", base+"/batch/read", false, assocBatch(s, assocReadMaxInputs, http.StatusOK, s.assocRead))
	m.handle("POST", base+"/batch/associate/default", false, assocBatch(s, assocWriteMaxInputs, http.StatusOK, s.assocDefault))
	m.handle("POST", base+"/batch/create", false, assocBatch(s, assocWriteMaxInputs, http.StatusCreated, s.assocCreate))
	m.handle("POST", base+"/batch/archive", false, assocBatch(s, assocWriteMaxInputs, http.StatusNoContent, s.assocArchive))
	m.handle("POST", base+"/batch/labels/archive", false, assocBatch(s, assocWriteMaxInputs, http.StatusNoContent, s.assocLabelsArchive))
	m.handle("GET", base+"/labels", false, s.assocLabels)
}

type idRef struct {
	ID string `json:"id"`
}

type typeSpec struct {
	Category string `json:"associationCategory"`
	TypeID   int    `json:"associationTypeId"`
}

// assocInput is one input of batch read ({id, after}), associate default
// ({from, to}), create and labels archive ({from, to, types}). Archive's
// to is a list: archiveInput.
type assocInput struct {
	ID    string     `json:"id"`
	After string     `json:"after"`
	From  idRef      `json:"from"`
	To    idRef      `json:"to"`
	Types []typeSpec `json:"types"`
}

type archiveInput struct {
	From idRef   `json:"from"`
	To   []idRef `json:"to"`
}

// assocTypeJSON is an association type as batch read and labels show it.
type assocTypeJSON struct {
	Category string  `json:"category"`
	TypeID   int     `json:"typeId"`
	Label    *string `json:"label"`
}

type assocToJSON struct {
	// ToObjectID is a number, as the associations spec's toObjectId is
	// (docs/associations.md, "v4 endpoints").
	ToObjectID       int64           `json:"toObjectId"`
	AssociationTypes []assocTypeJSON `json:"associationTypes"`
}

type assocReadResultJSON struct {
	From   idRef         `json:"from"`
	To     []assocToJSON `json:"to"`
	Paging *pagingJSON   `json:"paging,omitempty"`
}

// assocErrorJSON is a per-input error of an associations call, which may
// name a subCategory (NO_ASSOCIATIONS_FOUND).
type assocErrorJSON struct {
	batchErrorBody
	SubCategory string `json:"subCategory,omitempty"`
}

type assocBatchJSON = batchResultJSON[any, assocErrorJSON]

// batchOf is a batch body of some input shape.
type batchOf[T any] struct {
	Inputs []T `json:"inputs"`
}

// assocCall is what one batch call is about: its two types and the
// answer it builds, one input at a time.
type assocCall struct {
	from, to *typeStore
	res      *assocBatchJSON
}

func (c assocCall) fail(e assocErrorJSON) { c.res.Errors = append(c.res.Errors, e) }

// inputError is an error of the result about one input's pair (the shape
// is a guess: HubSpot's pages do not show one).
func inputError(category, message, fromID, toID string) assocErrorJSON {
	return assocErrorJSON{batchErrorBody: batchErrorBody{Status: "error", Category: category, Message: message,
		Context: map[string][]string{"fromObjectId": {fromID}, "toObjectId": {toID}}}}
}

// assocBatch serves a batch call: it reads the two types of the path and
// the inputs, runs each, and answers ok, or 207 when some inputs failed.
func assocBatch[T any](s *Server, maxInputs, ok int, each func(c assocCall, in T) *apiError) handlerFunc {
	return func(r *http.Request) (int, any, *apiError) {
		from, to, e := s.pathTypes(r)
		if e != nil {
			return 0, nil, e
		}
		var req batchOf[T]
		if e := decodeBody(r, &req); e != nil {
			return 0, nil, e
		}
		if len(req.Inputs) > maxInputs {
			return 0, nil, validationError(fmt.Sprintf("Batch input limit exceeded: %d inputs, at most %d are allowed", len(req.Inputs), maxInputs), "TOO_MANY_INPUTS", "")
		}
		started := s.now()
		res := assocBatchJSON{Status: "COMPLETE", Results: []any{}}
		for _, in := range req.Inputs {
			if e := each(assocCall{from: from, to: to, res: &res}, in); e != nil {
				return 0, nil, e
			}
		}
		res.NumErrors = len(res.Errors)
		res.StartedAt, res.CompletedAt = formatTime(started), formatTime(s.now())
		switch {
		case len(res.Errors) > 0:
			return http.StatusMultiStatus, res, nil
		case ok == http.StatusNoContent:
			return ok, nil, nil
		}
		return ok, res, nil
	}
}

// pathTypes are the {from} and {to} types of an associations path.
func (s *Server) pathTypes(r *http.Request) (*typeStore, *typeStore, *apiError) {
	from, e := s.typeNamed(r.PathValue("from"))
	if e != nil {
		return nil, nil, e
	}
	to, e := s.typeNamed(r.PathValue("to"))
	if e != nil {
		return nil, nil, e
	}
	return from, to, nil
}

// liveEnd finds a live object of a type by id: neither archived nor
// merged into another.
func (s *Server) liveEnd(ts *typeStore, id string) (assocEnd, bool) {
	r := ts.byIDString(id)
	if r == nil || r.archived || r.mergedInto != 0 {
		return assocEnd{}, false
	}
	return assocEnd{typ: ts.t.name, id: r.id}, true
}

// endOf is the end an id names, live or not, so that an archived
// object's links can be removed too.
func (s *Server) endOf(ts *typeStore, id string) (assocEnd, bool) {
	r := ts.byIDString(id)
	if r == nil {
		return assocEnd{}, false
	}
	return assocEnd{typ: ts.t.name, id: r.id}, true
}

// visibleLinks are the links from an end to a type whose other end is
// live: an archived object's links are not shown (a guess: HubSpot's docs
// do not say what a recycle-binned object's links do; they are kept, so
// that they would come back with it).
func (s *Server) visibleLinks(from assocEnd, toType string) []assocLink {
	ts := s.types[toType]
	var out []assocLink
	for _, l := range s.assoc.linked(from, toType) {
		if _, ok := s.liveEnd(ts, idString(l.to.id)); ok {
			out = append(out, l)
		}
	}
	return out
}

// assocRead is one input of POST .../batch/read: the linked objects of
// the other type, a page of assocReadPageSize at a time ("the 'after'
// field in a returned paging object can be added alongside the 'id' to
// retrieve the next page", the batch read reference). An id with nothing
// linked, or no live object, is an error of the result, as HubSpot
// answers it (207, OBJECT_NOT_FOUND with subCategory
// crm.associations.NO_ASSOCIATIONS_FOUND, "No company is associated with
// contact 1.": observed by integrations, docs/associations.md).
func (s *Server) assocRead(c assocCall, in assocInput) *apiError {
	start, e := assocAfter(in.After)
	if e != nil {
		return e
	}
	var links []assocLink
	if from, ok := s.liveEnd(c.from, in.ID); ok {
		links = s.visibleLinks(from, c.to.t.name)
	}
	if start >= len(links) {
		c.fail(noAssociations(c.from.t.name, c.to.t.name, in.ID))
		return nil
	}
	end := min(start+assocReadPageSize, len(links))
	out := assocReadResultJSON{From: idRef{ID: in.ID}, To: make([]assocToJSON, 0, end-start)}
	for _, l := range links[start:end] {
		out.To = append(out.To, assocToJSON{ToObjectID: l.to.id, AssociationTypes: s.assocTypes(l.typeIDs)})
	}
	if end < len(links) {
		out.Paging = &pagingJSON{Next: nextJSON{After: strconv.Itoa(end)}}
	}
	c.res.Results = append(c.res.Results, out)
	return nil
}

// assocAfter reads a batch read input's cursor: the offset the previous
// page ended at.
func assocAfter(after string) (int, *apiError) {
	if after == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(after)
	if err != nil || n < 0 {
		return 0, badRequest(fmt.Sprintf("after must be a cursor returned by a previous page, got %q", after))
	}
	return n, nil
}

func noAssociations(fromType, toType, id string) assocErrorJSON {
	return assocErrorJSON{SubCategory: "crm.associations.NO_ASSOCIATIONS_FOUND", batchErrorBody: batchErrorBody{
		Status: "error", Category: categoryNotFound,
		Message: fmt.Sprintf("No %s is associated with %s %s.", singularName(toType), singularName(fromType), id),
		Context: map[string][]string{"fromObjectId": {id}, "fromObjectType": {singularName(fromType)}, "toObjectType": {singularName(toType)}}}}
}

func (s *Server) assocTypes(ids []int) []assocTypeJSON {
	out := make([]assocTypeJSON, len(ids))
	for i, id := range ids {
		d := s.assoc.defs[id]
		out[i] = assocTypeJSON{Category: d.category, TypeID: d.typeID, Label: d.label}
	}
	return out
}

// livePair resolves the two live ends of a write's input, or fails the
// input naming both ids.
func (s *Server) livePair(c assocCall, fromID, toID string) (assocEnd, assocEnd, bool) {
	from, okFrom := s.liveEnd(c.from, fromID)
	to, okTo := s.liveEnd(c.to, toID)
	if okFrom && okTo {
		return from, to, true
	}
	missing := fmt.Sprintf("%s %s", singularName(c.from.t.name), fromID)
	if okFrom {
		missing = fmt.Sprintf("%s %s", singularName(c.to.t.name), toID)
	}
	c.fail(inputError(categoryNotFound, fmt.Sprintf("Could not associate %s %s with %s %s: %s does not exist",
		singularName(c.from.t.name), fromID, singularName(c.to.t.name), toID, missing), fromID, toID))
	return from, to, false
}

// assocDefault is one input of POST .../batch/associate/default: it links
// the pair with its unlabeled type ("create the default (most generic)
// association", HubSpot's client libraries' BatchApi.create_default), and
// answers with the type it used. Linking a pair again changes nothing.
func (s *Server) assocDefault(c assocCall, in assocInput) *apiError {
	from, to, ok := s.livePair(c, in.From.ID, in.To.ID)
	if !ok {
		return nil
	}
	id := s.assoc.unlabeled[[2]string{c.from.t.name, c.to.t.name}]
	s.linkLocked(from, to, id)
	c.res.Results = append(c.res.Results, map[string]any{"from": in.From, "to": in.To,
		"associationSpec": typeSpec{Category: categoryHubSpotDefined, TypeID: id}})
	return nil
}

// assocCreate is one input of POST .../batch/create: it links the pair
// with the types it names (labels, Primary or the unlabeled type), and
// answers with the pair's labels. A type id that is not one from this
// type to the other fails the input (a guess at the shape).
func (s *Server) assocCreate(c assocCall, in assocInput) *apiError {
	from, to, ok := s.livePair(c, in.From.ID, in.To.ID)
	if !ok {
		return nil
	}
	ids, ok := s.typeIDs(c, in)
	if !ok {
		return nil
	}
	s.linkLocked(from, to, ids...)
	var labels []string
	for _, l := range s.assoc.linked(from, c.to.t.name) {
		if l.to == to {
			labels = labelNames(l.typeIDs, s.assoc.defs)
		}
	}
	if labels == nil {
		labels = []string{}
	}
	c.res.Results = append(c.res.Results, map[string]any{
		"fromObjectTypeId": c.from.t.id, "fromObjectId": from.id,
		"toObjectTypeId": c.to.t.id, "toObjectId": to.id, "labels": labels})
	return nil
}

// typeIDs checks an input's types: at least one, each from this type to
// the other, in the category it names; a bad one fails the input.
func (s *Server) typeIDs(c assocCall, in assocInput) ([]int, bool) {
	message := "types is required: name at least one association type"
	ids := make([]int, 0, len(in.Types))
	for _, t := range in.Types {
		if err := s.assoc.checkType(c.from.t.name, c.to.t.name, t.Category, t.TypeID); err != nil {
			message = err.Error()
			ids = nil
			break
		}
		ids = append(ids, t.TypeID)
	}
	if len(ids) == 0 {
		c.fail(inputError(categoryValidation, message, in.From.ID, in.To.ID))
		return nil, false
	}
	return ids, true
}

// assocArchive is one input of POST .../batch/archive: it removes every
// type between the pair, both ways; unknown pairs are no error (as object
// archives answer 204 for them: a guess).
func (s *Server) assocArchive(c assocCall, in archiveInput) *apiError {
	from, ok := s.endOf(c.from, in.From.ID)
	if !ok {
		return nil
	}
	for _, t := range in.To {
		if to, ok := s.endOf(c.to, t.ID); ok {
			s.unlinkLocked(from, to)
		}
	}
	return nil
}

// assocLabelsArchive is one input of POST .../batch/labels/archive: it
// removes the named types from the pair; "deleting an unlabeled
// association will also delete all labeled associations between those two
// objects"
// (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/batch/delete-association-labels).
// Its answer is a batch result, 207 with errors for bad types.
func (s *Server) assocLabelsArchive(c assocCall, in assocInput) *apiError {
	ids, ok := s.typeIDs(c, in)
	if !ok {
		return nil
	}
	from, okFrom := s.endOf(c.from, in.From.ID)
	to, okTo := s.endOf(c.to, in.To.ID)
	if okFrom && okTo {
		s.unlinkLocked(from, to, ids...)
	}
	return nil
}

// assocLabels serves GET .../labels: every association type from one type
// to the other, HubSpot's and the account's
// (https://developers.hubspot.com/docs/api-reference/latest/crm/associations/overview:
// "retrieving the list of available association type IDs").
func (s *Server) assocLabels(r *http.Request) (int, any, *apiError) {
	from, to, e := s.pathTypes(r)
	if e != nil {
		return 0, nil, e
	}
	defs := s.assoc.labels(from.t.name, to.t.name)
	out := pageJSON[assocTypeJSON]{Results: make([]assocTypeJSON, len(defs))}
	for i, d := range defs {
		out.Results[i] = assocTypeJSON{Category: d.category, TypeID: d.typeID, Label: d.label}
	}
	return http.StatusOK, out, nil
}

// ---- changes of links; callers hold s.mu ----

// linkLocked links two live ends and, with WithAssociationsBumpModified,
// moves both ends' last-modified time.
func (s *Server) linkLocked(from, to assocEnd, typeIDs ...int) {
	if s.assoc.add(from, to, typeIDs...) {
		s.logLinkLocked(from, to, LinkAdded)
		s.touchLocked(from, to)
	}
}

func (s *Server) unlinkLocked(from, to assocEnd, typeIDs ...int) {
	if s.assoc.remove(from, to, typeIDs...) {
		s.logLinkLocked(from, to, LinkRemoved)
		s.touchLocked(from, to)
	}
}

func (s *Server) logLinkLocked(from, to assocEnd, kind string) {
	s.linkChanges = append(s.linkChanges, LinkChange{FromType: from.typ, FromID: idString(from.id),
		ToType: to.typ, ToID: idString(to.id), Kind: kind, At: s.now()})
}

// touchLocked is what a link change does to the objects at its ends: by
// default nothing, as peers find HubSpot does (docs/associations.md,
// "Last-modified"); with WithAssociationsBumpModified an update of each
// live end, search included.
func (s *Server) touchLocked(ends ...assocEnd) {
	if !s.assocBumps {
		return
	}
	now := s.now()
	for _, end := range ends {
		ts := s.types[end.typ]
		r := ts.byID[end.id]
		if r == nil || r.archived || r.mergedInto != 0 {
			continue
		}
		ts.apply(now, s.writeLag(), r, nil)
		s.logChange(ts.t.name, r, ChangeUpdate, now)
	}
}

// mergeLinksLocked moves the absorbed objects' links to the survivor.
func (s *Server) mergeLinksLocked(ts *typeStore, survivor *record, merged ...*record) {
	var absorbed []assocEnd
	for _, r := range merged {
		if r != survivor {
			absorbed = append(absorbed, assocEnd{typ: ts.t.name, id: r.id})
		}
	}
	s.touchLocked(s.assoc.moveTo(assocEnd{typ: ts.t.name, id: survivor.id}, absorbed...)...)
}

// labelNames are the labels among a link's types.
func labelNames(ids []int, defs map[int]*assocDef) []string {
	var out []string
	for _, id := range ids {
		if d := defs[id]; d != nil && d.label != nil {
			out = append(out, *d.label)
		}
	}
	return out
}
