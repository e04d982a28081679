package hubspot

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Limits of the CRM object endpoints.
const (
	MaxListLimit   = 100
	MaxSearchLimit = 200
	// MaxBatchInputs is the most inputs one batch call takes; the client
	// splits larger inputs into several calls.
	MaxBatchInputs = 100
	// MaxSearchResults is how deep search pages: an after past it is a 400.
	MaxSearchResults = 10000

	maxFilterGroups     = 5
	maxFiltersPerGroup  = 6
	maxFiltersPerSearch = 18
)

// ObjectsService calls the CRM object endpoints (/crm/objects/{version}/{type}).
type ObjectsService struct {
	client *Client
}

// objectsPath builds /crm/objects/{version}/{objectType}/{parts...},
// escaping each segment.
func (c *Client) objectsPath(objectType string, parts ...string) string {
	return c.path(APIObjects, append([]string{objectType}, parts...)...)
}

// ListOptions select a page of objects.
type ListOptions struct {
	// Limit is the page size, 1 to 100; 0 means 100 (HubSpot's own default
	// is 10, so the client always sends one).
	Limit      int
	After      string
	Properties []string
	// Columns, in place of Properties, are the properties asked for, whose
	// values each object holds by column (Object.Values).
	Columns *Columns
	// Archived lists archived objects instead, with their archivedAt.
	Archived bool
	// Associations names the types whose linked ids each object shows
	// (Object.Associations).
	Associations []string
	// PropertiesWithHistory names the properties whose histories each
	// object shows (Object.PropertiesWithHistory); the page then holds at
	// most MaxHistoryLimit objects, its size with Limit 0.
	PropertiesWithHistory []string
}

// List returns one page of objects, ordered by id.
//
// Properties too many to name in a URL (HubSpot answers 414 past about
// 15,000 characters) are read with a batch read, whose POST body has room
// for them: see listWide.
func (s *ObjectsService) List(ctx context.Context, objectType string, opts ListOptions) (*ObjectPage, error) {
	limit, err := historyLimit(opts.Limit, opts.PropertiesWithHistory)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", objectType, err)
	}
	q, err := pageQuery(limit, opts.After, opts.Archived)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", objectType, err)
	}
	setProperties(q, opts.Columns.or(opts.Properties))
	setHistory(q, opts.PropertiesWithHistory)
	setAssociations(q, opts.Associations)
	req, err := NewRequest(http.MethodGet, s.client.objectsPath(objectType), q, nil)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", objectType, err)
	}
	req.Columns = opts.Columns
	if !s.client.urlFits(req) {
		return s.listWide(ctx, objectType, opts, q)
	}
	var page ObjectPage
	if err := s.client.Do(ctx, req, &page); err != nil {
		return nil, fmt.Errorf("list %s: %w", objectType, err)
	}
	return &page, nil
}

// listWide lists a page whose properties do not fit in a URL. The list call
// names only the id property: it gives the page's ids, in order, and its
// cursor. One batch read then reads those objects with every property.
//
// Splitting the names over several list calls of the same page would cost a
// call per slice and stitch each object together from slices read at
// different moments: an object written between two calls would mix two
// versions. The batch read reads each object once, all properties together,
// and costs one call per page whatever the number of properties.
//
// An object that is gone by the time of the batch read (archived, restored
// for an archived page, or merged into another) is left out of the page: it
// is no longer there to read as listed, and the cursor still moves past it.
// Its delete shows in the archived list, a merge's survivor in its own place.
func (s *ObjectsService) listWide(ctx context.Context, objectType string, opts ListOptions, q url.Values) (*ObjectPage, error) {
	// The ids alone: the batch read reads the properties and histories.
	q.Set("properties", ObjectIDProperty)
	q.Del("propertiesWithHistory")
	var ids ObjectPage
	if err := s.client.get(ctx, s.client.objectsPath(objectType), q, &ids); err != nil {
		return nil, fmt.Errorf("list %s: %w", objectType, err)
	}
	page := &ObjectPage{Results: []Object{}, Paging: ids.Paging}
	if len(ids.Results) == 0 {
		return page, nil
	}
	want := make([]string, len(ids.Results))
	for i, o := range ids.Results {
		want[i] = o.ID
	}
	res, err := s.BatchRead(ctx, objectType, BatchReadRequest{IDs: want, Properties: opts.Properties, Columns: opts.Columns,
		Archived: opts.Archived, PropertiesWithHistory: opts.PropertiesWithHistory})
	if err != nil {
		return nil, fmt.Errorf("list %s: read the page's properties: %w", objectType, err)
	}
	byID := make(map[string]Object, len(res.Results))
	for _, o := range res.Results {
		byID[o.ID] = o
	}
	for _, listed := range ids.Results {
		if o, ok := byID[listed.ID]; ok {
			o.Associations = listed.Associations // the list call's, which batch read has not
			page.Results = append(page.Results, o)
		}
	}
	return page, nil
}

func setProperties(q url.Values, props []string) {
	if len(props) > 0 {
		q.Set("properties", strings.Join(props, ","))
	}
}

// GetOptions select what Get returns.
type GetOptions struct {
	Properties []string
	// IDProperty makes id a value of this unique property (such as email)
	// instead of the object id.
	IDProperty string
	Archived   bool
	// Associations names the types whose linked ids the object shows.
	Associations []string
	// PropertiesWithHistory names the properties whose histories the
	// object shows.
	PropertiesWithHistory []string
}

// Get returns one object; a missing one is an *ErrorResponse with status 404.
// Properties too many to name in a URL are read with a batch read of the
// one object instead, whose POST body has room for them.
func (s *ObjectsService) Get(ctx context.Context, objectType, id string, opts GetOptions) (*Object, error) {
	q := url.Values{}
	setProperties(q, opts.Properties)
	if opts.IDProperty != "" {
		q.Set("idProperty", opts.IDProperty)
	}
	if opts.Archived {
		q.Set("archived", "true")
	}
	setAssociations(q, opts.Associations)
	setHistory(q, opts.PropertiesWithHistory)
	req, err := NewRequest(http.MethodGet, s.client.objectsPath(objectType, id), q, nil)
	if err != nil {
		return nil, fmt.Errorf("get %s %s: %w", objectType, id, err)
	}
	if !s.client.urlFits(req) {
		return s.getWide(ctx, objectType, id, opts, req)
	}
	var obj Object
	if err := s.client.Do(ctx, req, &obj); err != nil {
		return nil, fmt.Errorf("get %s %s: %w", objectType, id, err)
	}
	return &obj, nil
}

// getWide is Get by a batch read. A missing object, which the batch read
// reports among its errors, is a 404 as Get's own call would answer.
func (s *ObjectsService) getWide(ctx context.Context, objectType, id string, opts GetOptions, req *Request) (*Object, error) {
	res, err := s.BatchRead(ctx, objectType, BatchReadRequest{IDs: []string{id}, Properties: opts.Properties, IDProperty: opts.IDProperty,
		Archived: opts.Archived, PropertiesWithHistory: opts.PropertiesWithHistory})
	if err != nil {
		return nil, fmt.Errorf("get %s %s: %w", objectType, id, err)
	}
	if len(res.Results) > 0 {
		obj := &res.Results[0]
		if len(opts.Associations) > 0 {
			// Batch read shows no associations: one narrow read does.
			narrow, err := s.Get(ctx, objectType, id, GetOptions{Properties: []string{ObjectIDProperty}, IDProperty: opts.IDProperty, Archived: opts.Archived, Associations: opts.Associations})
			if err != nil {
				return nil, err
			}
			obj.Associations = narrow.Associations
		}
		return obj, nil
	}
	notFound := &ErrorResponse{StatusCode: http.StatusNotFound, Method: req.Method, Path: req.Path, Status: "error",
		Category: "OBJECT_NOT_FOUND", Message: fmt.Sprintf("no %s with id %s", objectType, id)}
	if len(res.Errors) > 0 {
		notFound.Message, notFound.Category = res.Errors[0].Message, cmp.Or(res.Errors[0].Category, notFound.Category)
	}
	return nil, fmt.Errorf("get %s %s: %w", objectType, id, notFound)
}

type propertiesBody struct {
	Properties Properties `json:"properties"`
}

// Create creates one object. It is never retried once it may have reached
// HubSpot: a retry could create the object twice.
func (s *ObjectsService) Create(ctx context.Context, objectType string, props Properties) (*Object, error) {
	req, err := NewRequest(http.MethodPost, s.client.objectsPath(objectType), nil, propertiesBody{props})
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", objectType, err)
	}
	req.Create = true
	var obj Object
	if err := s.client.Do(ctx, req, &obj); err != nil {
		return nil, fmt.Errorf("create %s: %w", objectType, err)
	}
	return &obj, nil
}

// Update sets the given properties of one object; a nil value clears one.
func (s *ObjectsService) Update(ctx context.Context, objectType, id string, props Properties) (*Object, error) {
	req, err := NewRequest(http.MethodPatch, s.client.objectsPath(objectType, id), nil, propertiesBody{props})
	if err != nil {
		return nil, fmt.Errorf("update %s %s: %w", objectType, id, err)
	}
	var obj Object
	if err := s.client.Do(ctx, req, &obj); err != nil {
		return nil, fmt.Errorf("update %s %s: %w", objectType, id, err)
	}
	return &obj, nil
}

// Archive moves one object to the recycle bin (HubSpot answers 204 for an
// already archived id too).
func (s *ObjectsService) Archive(ctx context.Context, objectType, id string) error {
	req, err := NewRequest(http.MethodDelete, s.client.objectsPath(objectType, id), nil, nil)
	if err != nil {
		return fmt.Errorf("archive %s %s: %w", objectType, id, err)
	}
	if err := s.client.Do(ctx, req, nil); err != nil {
		return fmt.Errorf("archive %s %s: %w", objectType, id, err)
	}
	return nil
}

// Operator is how a search filter compares a property with its value.
// Its names say Operator so that they are not taken for the operations of
// a resource (OpList, OpGet, ...).
type Operator string

// Search operators.
const (
	OperatorEQ               Operator = "EQ"
	OperatorNEQ              Operator = "NEQ"
	OperatorLT               Operator = "LT"
	OperatorLTE              Operator = "LTE"
	OperatorGT               Operator = "GT"
	OperatorGTE              Operator = "GTE"
	OperatorBetween          Operator = "BETWEEN"
	OperatorIn               Operator = "IN"
	OperatorNotIn            Operator = "NOT_IN"
	OperatorHasProperty      Operator = "HAS_PROPERTY"
	OperatorNotHasProperty   Operator = "NOT_HAS_PROPERTY"
	OperatorContainsToken    Operator = "CONTAINS_TOKEN"
	OperatorNotContainsToken Operator = "NOT_CONTAINS_TOKEN"
)

// SortDirection is the order of a search's sort.
type SortDirection string

// Sort directions.
const (
	Ascending  SortDirection = "ASCENDING"
	Descending SortDirection = "DESCENDING"
)

// SearchRequest is the body of a search call. Filter groups are ORed, the
// filters of a group ANDed.
type SearchRequest struct {
	FilterGroups []FilterGroup `json:"filterGroups,omitempty"`
	Sorts        []Sort        `json:"sorts,omitempty"`
	Query        string        `json:"query,omitempty"`
	Properties   []string      `json:"properties,omitempty"`
	Limit        int           `json:"limit"`
	After        string        `json:"after,omitempty"`
	// Columns, in place of Properties, are the properties asked for, whose
	// values each object holds by column (Object.Values).
	Columns *Columns `json:"-"`
}

// FilterGroup is a set of filters that must all match.
type FilterGroup struct {
	Filters []Filter `json:"filters"`
}

// Filter compares one property. Dates are compared as epoch milliseconds.
type Filter struct {
	PropertyName string   `json:"propertyName"`
	Operator     Operator `json:"operator"`
	Value        string   `json:"value,omitempty"`
	HighValue    string   `json:"highValue,omitempty"`
	Values       []string `json:"values,omitempty"`
}

// Sort orders search results by one property.
type Sort struct {
	PropertyName string        `json:"propertyName"`
	Direction    SortDirection `json:"direction"`
}

// validate checks the limits HubSpot enforces, so that a bad search fails
// here with a clear message rather than as a 400.
func (r SearchRequest) validate() error {
	if r.Limit < 1 || r.Limit > MaxSearchLimit {
		return fmt.Errorf("limit %d: want 1 to %d", r.Limit, MaxSearchLimit)
	}
	if len(r.Sorts) > 1 {
		return fmt.Errorf("%d sorts: search takes one", len(r.Sorts))
	}
	if len(r.FilterGroups) > maxFilterGroups {
		return fmt.Errorf("%d filter groups: search takes at most %d", len(r.FilterGroups), maxFilterGroups)
	}
	total := 0
	for _, g := range r.FilterGroups {
		if len(g.Filters) > maxFiltersPerGroup {
			return fmt.Errorf("%d filters in one group: search takes at most %d", len(g.Filters), maxFiltersPerGroup)
		}
		total += len(g.Filters)
	}
	if total > maxFiltersPerSearch {
		return fmt.Errorf("%d filters: search takes at most %d in all", total, maxFiltersPerSearch)
	}
	if r.After != "" {
		after, err := strconv.Atoi(r.After)
		if err == nil && after >= MaxSearchResults {
			return fmt.Errorf("after %d: search pages no further than %d results; move the filter instead", after, MaxSearchResults)
		}
	}
	return nil
}

// Search returns one page of objects matching the request. Search has its
// own rate limit, its results lag behind writes, and it pages no further than
// 10,000 results.
func (s *ObjectsService) Search(ctx context.Context, objectType string, sr SearchRequest) (*SearchPage, error) {
	if err := sr.validate(); err != nil {
		return nil, fmt.Errorf("search %s: %w", objectType, err)
	}
	req, err := NewRequest(http.MethodPost, s.client.objectsPath(objectType, "search"), nil, sr)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", objectType, err)
	}
	req.Search = true
	req.Columns = sr.Columns
	var page SearchPage
	if err := s.client.Do(ctx, req, &page); err != nil {
		return nil, fmt.Errorf("search %s: %w", objectType, err)
	}
	return &page, nil
}

// BatchInput is one input of a batch create, update or upsert. Create uses
// Properties (and ObjectWriteTraceID); update uses ID and Properties; upsert
// uses IDProperty, ID (the unique value) and Properties.
type BatchInput struct {
	ID                 string     `json:"id,omitempty"`
	IDProperty         string     `json:"idProperty,omitempty"`
	Properties         Properties `json:"properties"`
	ObjectWriteTraceID string     `json:"objectWriteTraceId,omitempty"`
	// Associations link a created object to existing ones in the same
	// call (create only).
	Associations []CreateAssociation `json:"associations,omitempty"`
}

// BatchReadRequest selects objects by id (or by a unique property's value).
type BatchReadRequest struct {
	IDs        []string
	Properties []string
	// Columns, in place of Properties, are the properties asked for, whose
	// values each object holds by column (Object.Values).
	Columns    *Columns
	IDProperty string
	Archived   bool
	// PropertiesWithHistory names the properties whose histories each
	// object shows; the read then goes MaxHistoryLimit ids a call.
	PropertiesWithHistory []string
}

type idInput struct {
	ID string `json:"id"`
}

type batchReadBody struct {
	Properties            []string  `json:"properties"`
	PropertiesWithHistory []string  `json:"propertiesWithHistory,omitempty"`
	IDProperty            string    `json:"idProperty,omitempty"`
	Inputs                []idInput `json:"inputs"`
}

type batchBody[T any] struct {
	Inputs []T `json:"inputs"`
}

func idInputs(ids []string) []idInput {
	in := make([]idInput, len(ids))
	for i, id := range ids {
		in[i] = idInput{ID: id}
	}
	return in
}

// BatchRead reads objects by id, up to 100 per call (MaxHistoryLimit with
// history). Missing ids come back as errors of the result, not as an
// error.
func (s *ObjectsService) BatchRead(ctx context.Context, objectType string, r BatchReadRequest) (*BatchResult, error) {
	var q url.Values
	if r.Archived {
		q = url.Values{"archived": {"true"}}
	}
	props := r.Columns.or(r.Properties)
	if props == nil {
		props = []string{}
	}
	return s.batchOf(ctx, "read", objectType, len(r.IDs), batchSize(r.PropertiesWithHistory), func(lo, hi int) (*Request, error) {
		req, err := NewRequest(http.MethodPost, s.client.objectsPath(objectType, "batch", "read"), q,
			batchReadBody{Properties: props, PropertiesWithHistory: r.PropertiesWithHistory, IDProperty: r.IDProperty, Inputs: idInputs(r.IDs[lo:hi])})
		if req != nil {
			req.Columns = r.Columns
		}
		return req, err
	})
}

// BatchCreate creates objects, up to 100 per call. Like Create, a call that
// may have reached HubSpot is never retried.
func (s *ObjectsService) BatchCreate(ctx context.Context, objectType string, inputs []BatchInput) (*BatchResult, error) {
	return s.batch(ctx, "create", objectType, len(inputs), func(lo, hi int) (*Request, error) {
		req, err := NewRequest(http.MethodPost, s.client.objectsPath(objectType, "batch", "create"), nil, batchBody[BatchInput]{inputs[lo:hi]})
		if req != nil {
			req.Create = true
		}
		return req, err
	})
}

// BatchUpdate updates objects by id, up to 100 per call.
func (s *ObjectsService) BatchUpdate(ctx context.Context, objectType string, inputs []BatchInput) (*BatchResult, error) {
	return s.batch(ctx, "update", objectType, len(inputs), func(lo, hi int) (*Request, error) {
		return NewRequest(http.MethodPost, s.client.objectsPath(objectType, "batch", "update"), nil, batchBody[BatchInput]{inputs[lo:hi]})
	})
}

// BatchUpsert creates or updates objects keyed on a unique property, up to
// 100 per call. Sending the same inputs twice is safe, so it is retried.
func (s *ObjectsService) BatchUpsert(ctx context.Context, objectType string, inputs []BatchInput) (*BatchResult, error) {
	return s.batch(ctx, "upsert", objectType, len(inputs), func(lo, hi int) (*Request, error) {
		return NewRequest(http.MethodPost, s.client.objectsPath(objectType, "batch", "upsert"), nil, batchBody[BatchInput]{inputs[lo:hi]})
	})
}

// BatchArchive archives objects by id, up to 100 per call.
func (s *ObjectsService) BatchArchive(ctx context.Context, objectType string, ids []string) error {
	_, err := s.batch(ctx, "archive", objectType, len(ids), func(lo, hi int) (*Request, error) {
		return NewRequest(http.MethodPost, s.client.objectsPath(objectType, "batch", "archive"), nil, batchBody[idInput]{idInputs(ids[lo:hi])})
	})
	return err
}

// batch sends n inputs in calls of at most MaxBatchInputs and merges the
// results. When a call fails, the result holds what the calls before it
// returned, and the error says which inputs were not written.
func (s *ObjectsService) batch(ctx context.Context, op, objectType string, n int, build func(lo, hi int) (*Request, error)) (*BatchResult, error) {
	return s.batchOf(ctx, op, objectType, n, MaxBatchInputs, build)
}

// batchOf is batch in calls of at most size inputs.
func (s *ObjectsService) batchOf(ctx context.Context, op, objectType string, n, size int, build func(lo, hi int) (*Request, error)) (*BatchResult, error) {
	merged := &BatchResult{Status: "COMPLETE"}
	if n == 0 {
		return merged, nil
	}
	var built error
	first, err := inBatches(n, size, func(lo, hi int) error {
		req, err := build(lo, hi)
		if err != nil {
			built = err
			return err
		}
		var res BatchResult
		if err := s.client.Do(ctx, req, &res); err != nil {
			return err
		}
		merged.merge(&res, lo == 0)
		return nil
	})
	switch {
	case built != nil:
		return merged, fmt.Errorf("batch %s %s: %w", op, objectType, built)
	case err != nil:
		return merged, &BatchError{Op: op, ObjectType: objectType, First: first, Err: err}
	}
	return merged, nil
}

func (r *BatchResult) merge(next *BatchResult, first bool) {
	r.Results = append(r.Results, next.Results...)
	r.Errors = append(r.Errors, next.Errors...)
	r.NumErrors += next.NumErrors
	if first {
		r.RequestedAt, r.StartedAt = next.RequestedAt, next.StartedAt
	}
	r.CompletedAt = next.CompletedAt
	if next.Status != "" && next.Status != "COMPLETE" {
		r.Status = next.Status
	}
}

// BatchError is a batch call that failed as a whole. Inputs before First
// were written by earlier calls; First and everything after it were not (or,
// for a create whose answer was lost, may have been).
type BatchError struct {
	Op         string
	ObjectType string
	First      int
	Err        error
}

func (e *BatchError) Error() string {
	return fmt.Sprintf("batch %s %s from input %d: %v", e.Op, e.ObjectType, e.First, e.Err)
}

func (e *BatchError) Unwrap() error { return e.Err }
