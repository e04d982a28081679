package hubspot

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The CMS resources whose objects are large JSON shapes (blog posts,
// authors, landing and site pages) are served by one service, driven by a
// CMSSpec per resource (cmsspecs.go): an object is its JSON fields as
// HubSpot sent them, typed by the spec where the connector needs a type.

// FieldKind is the JSON type of a documented field of a CMS object.
type FieldKind int

// The kinds of CMS fields.
const (
	// FieldText is a JSON string.
	FieldText FieldKind = iota
	// FieldInteger is a JSON number HubSpot documents as int32 or int64
	// (a redirect's redirectStyle, a tag's translatedFromId); the
	// documented shapes have no other numbers.
	FieldInteger
	// FieldBool is a JSON boolean.
	FieldBool
	// FieldTime is an ISO 8601 date-time string (or, where HubSpot
	// documents it so, a number of milliseconds since the epoch).
	FieldTime
	// FieldJSON is a nested object or array (a post's widgets,
	// layoutSections, tagIds): the connector keeps it as JSON text.
	FieldJSON
)

// CMSField is one documented field of a CMS object.
type CMSField struct {
	Name string
	Kind FieldKind
	// ReadOnly marks a field HubSpot generates (url, currentState): read,
	// never written.
	ReadOnly bool
	// Keep, for a FieldJSON list of objects (a HubDB table's columns), are
	// the fields of each object a write sends: the others (a column's id,
	// its times) are HubSpot's own, and another account's mean nothing in
	// this one. nil: the value is sent as it is.
	Keep []string
}

// CMSSpec describes a CMS resource served by CMSObjectsService.
type CMSSpec struct {
	// Noun names one object in errors: "blog post"; Short is its short
	// form: "post".
	Noun, Short string
	// API is the API that serves the resource, whose path at the client's
	// version (VersionTable) Path follows: "/posts" of APIBlogs is
	// /cms/blogs/2026-09/posts.
	API  API
	Path string
	// Fields are the documented fields besides id, created, updated and
	// DeletedField.
	Fields []CMSField
	// DeletedField holds the time an object was deleted: "archivedAt" or
	// "deletedAt".
	DeletedField string
	// Key are the fields whose values identify an object among the live
	// ones (a post's blog and slug): a create whose answer was lost is
	// looked up by them. The first is filtered on with <key>__eq where
	// KeyFilter says the list documents it.
	Key       []string
	KeyFilter bool
	// Required are the fields a create needs.
	Required []string
	// Batch says that the connector uses the resource's batch calls.
	Batch bool
	// Created and Updated name the creation and update times' fields:
	// "created" and "updated" when empty (HubDB's are createdAt and
	// updatedAt).
	Created, Updated string
	// Sorts are the fields the list sorts by, nil: any; List drops the
	// others from a request (HubDB's list does not sort by id).
	Sorts []string
	// UpdatedSort is the sort key of the update time the list documents
	// ("updatedAt"; authors' "updated"), "" when it documents none (URL
	// redirects).
	UpdatedSort string
	// Drafts says that an object has a draft and a published version (a
	// HubDB table): a create makes a draft, Update changes the draft
	// (PATCH {id}/draft), Publish copies it to the published version
	// (POST {id}/draft/publish); List reads the published versions and
	// ListDrafts the drafts ({path}/draft).
	Drafts bool
	// ByKey says that the paths take the object's Key (one field, unique
	// and fixed: a HubDB table's name) in place of its id: FindByKey reads
	// it in one request, and the destination addresses updates and
	// deletes by the key a payload holds, which holds across accounts.
	ByKey bool
	// Scope is the scope HubSpot wants for writes: "content" when empty.
	Scope string
}

// TimeFields are the names of the creation and update times' fields.
func (s CMSSpec) TimeFields() (created, updated string) {
	return cmp.Or(s.Created, "created"), cmp.Or(s.Updated, "updated")
}

// WriteScope is the scope HubSpot wants for writes.
func (s CMSSpec) WriteScope() string { return cmp.Or(s.Scope, "content") }

// Field returns the documented field of a name.
func (s CMSSpec) Field(name string) (CMSField, bool) {
	i := slices.IndexFunc(s.Fields, func(f CMSField) bool { return f.Name == name })
	if i < 0 {
		return CMSField{}, false
	}
	return s.Fields[i], true
}

// CMSObject is a CMS object as JSON fields, values as HubSpot wrote them.
type CMSObject map[string]json.RawMessage

// CMSObjectOf builds an object of Go values, each encoded as JSON.
func CMSObjectOf(fields map[string]any) (CMSObject, error) {
	out := make(CMSObject, len(fields))
	for name, v := range fields {
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", name, err)
		}
		out[name] = raw
	}
	return out, nil
}

// Text returns a string field's value, "" when absent or null.
func (o CMSObject) Text(name string) string {
	var s string
	if raw, ok := o[name]; ok {
		_ = json.Unmarshal(raw, &s) // a number or null leaves ""
	}
	return s
}

// ID is the object's id.
func (o CMSObject) ID() string {
	if s := o.Text("id"); s != "" {
		return s
	}
	return string(bytes.Trim(o["id"], `"`)) // an id sent as a number
}

// Time reads a time field, written as an ISO 8601 string or as epoch
// milliseconds; ok is false when it is absent or null.
func (o CMSObject) Time(name string) (t time.Time, ok bool, err error) {
	raw := bytes.TrimSpace(o[name])
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, false, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return time.Time{}, false, fmt.Errorf("%s: %w", name, err)
		}
		t, err = time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, false, fmt.Errorf("%s %q is not a time: %w", name, s, err)
		}
		return t, true, nil
	}
	ms, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("%s %s is not a time: %w", name, raw, err)
	}
	return time.UnixMilli(ms).UTC(), true, nil
}

// Matches reports whether other holds every value of o, compared as JSON
// values; a nested object holds another when it holds each of its fields
// (HubSpot adds its own: a HubDB column's id), a list when it holds each
// element in turn.
func (o CMSObject) Matches(other CMSObject) bool {
	for name, want := range o {
		var x, y any
		if json.Unmarshal(want, &x) != nil {
			return false
		}
		if raw := other[name]; len(raw) > 0 && json.Unmarshal(raw, &y) != nil {
			return false
		}
		if !jsonHolds(y, x) {
			return false
		}
	}
	return true
}

// jsonHolds reports whether the decoded JSON value got holds want.
func jsonHolds(got, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range w {
			if !jsonHolds(g[k], v) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !jsonHolds(g[i], w[i]) {
				return false
			}
		}
		return true
	}
	return fmt.Sprint(got) == fmt.Sprint(want)
}

// CMSObjectsService calls one CMS resource's API: list with the created and
// updated filters, sort and property filters, get, create, update (PATCH),
// delete, and the batch calls batch/create, batch/update and batch/archive
// (https://developers.hubspot.com/docs/api/cms/blog-post,
// https://developers.hubspot.com/docs/api-reference/latest/cms/blogs/posts/batch/delete-posts).
type CMSObjectsService struct {
	client *Client
	spec   CMSSpec
}

// CMSObjects returns the service of a CMS resource.
func (c *Client) CMSObjects(spec CMSSpec) *CMSObjectsService {
	return &CMSObjectsService{client: c, spec: spec}
}

// Spec is the resource the service calls.
func (s *CMSObjectsService) Spec() CMSSpec { return s.spec }

// CMSObjectPage is one page of a CMS list call.
type CMSObjectPage = CMSPage[CMSObject]

// base is the collection's path at the client's version.
func (s *CMSObjectsService) base() string { return s.client.prefixes[s.spec.API] + s.spec.Path }

func (s *CMSObjectsService) path(id string) string { return s.base() + "/" + url.PathEscape(id) }

// List returns one page of objects (of a Drafts resource, the published
// versions).
func (s *CMSObjectsService) List(ctx context.Context, opts CMSListOptions) (*CMSObjectPage, error) {
	return s.list(ctx, s.base(), "", opts)
}

// ListDrafts returns one page of a Drafts resource's drafts.
func (s *CMSObjectsService) ListDrafts(ctx context.Context, opts CMSListOptions) (*CMSObjectPage, error) {
	return s.list(ctx, s.base()+"/draft", " drafts", opts)
}

func (s *CMSObjectsService) list(ctx context.Context, path, what string, opts CMSListOptions) (*CMSObjectPage, error) {
	if s.spec.Sorts != nil {
		opts.Sort = slices.DeleteFunc(slices.Clone(opts.Sort), func(k string) bool {
			return !slices.Contains(s.spec.Sorts, strings.TrimPrefix(k, "-"))
		})
	}
	page, err := cmsList[CMSObject](ctx, s.client, path, opts)
	if err != nil {
		return nil, fmt.Errorf("list %ss%s: %w", s.spec.Noun, what, err)
	}
	return page, nil
}

// Get returns one object by id (or key, ByKey; of a Drafts resource, the
// published version); a missing one is a 404 (IsNotFound).
func (s *CMSObjectsService) Get(ctx context.Context, id string) (*CMSObject, error) {
	o, err := cmsGet[CMSObject](ctx, s.client, s.path(id))
	if err != nil {
		return nil, fmt.Errorf("get %s %s: %w", s.spec.Noun, id, err)
	}
	return o, nil
}

// GetDraft returns a Drafts resource's draft by id (or key); a missing
// one is a 404 (IsNotFound).
func (s *CMSObjectsService) GetDraft(ctx context.Context, id string) (*CMSObject, error) {
	o, err := cmsGet[CMSObject](ctx, s.client, s.path(id)+"/draft")
	if err != nil {
		return nil, fmt.Errorf("get the draft of %s %s: %w", s.spec.Noun, id, err)
	}
	return o, nil
}

// Publish copies a Drafts resource's draft to its published version;
// publishing again is harmless, so it is retried as any request.
func (s *CMSObjectsService) Publish(ctx context.Context, id string) (*CMSObject, error) {
	req, err := NewRequest(http.MethodPost, s.path(id)+"/draft/publish", nil, nil)
	if err != nil {
		return nil, err
	}
	var out CMSObject
	if err := s.client.Do(ctx, req, &out); err != nil {
		return nil, fmt.Errorf("publish %s %s: %w", s.spec.Noun, id, err)
	}
	return &out, nil
}

// Create creates an object, never retried once it may have reached
// HubSpot: a lost answer is the caller's to resolve (FindByKey).
func (s *CMSObjectsService) Create(ctx context.Context, in CMSObject) (*CMSObject, error) {
	o, err := cmsCreate[CMSObject](ctx, s.client, s.base(), in)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", s.spec.Noun, err)
	}
	return o, nil
}

// Update changes the fields in sets (PATCH), leaving the others; of a
// Drafts resource, in the draft.
func (s *CMSObjectsService) Update(ctx context.Context, id string, in CMSObject) (*CMSObject, error) {
	path := s.path(id)
	if s.spec.Drafts {
		path += "/draft" // the draft changes; Publish makes it live
	}
	o, err := cmsUpdate[CMSObject](ctx, s.client, path, in)
	if err != nil {
		return nil, fmt.Errorf("update %s %s: %w", s.spec.Noun, id, err)
	}
	return o, nil
}

// Delete deletes (archives) an object (204).
func (s *CMSObjectsService) Delete(ctx context.Context, id string) error {
	if err := cmsDelete(ctx, s.client, s.path(id)); err != nil {
		return fmt.Errorf("delete %s %s: %w", s.spec.Noun, id, err)
	}
	return nil
}

// cmsBatchResponse is the answer of a CMS batch call; errors come with a
// 207 when some inputs failed.
type cmsBatchResponse struct {
	Status  string            `json:"status"`
	Results []CMSObject       `json:"results"`
	Errors  []json.RawMessage `json:"errors,omitempty"`
}

// CMSBatchError is a batch call HubSpot answered with errors for some inputs
// (207): what it wrote of the others is unknown to the caller.
type CMSBatchError struct {
	Op     string
	Errors []json.RawMessage
}

func (e *CMSBatchError) Error() string {
	return fmt.Sprintf("batch %s: HubSpot reported %d errors, the first: %s", e.Op, len(e.Errors), e.Errors[0])
}

func (s *CMSObjectsService) batch(ctx context.Context, op string, inputs any, create bool) ([]CMSObject, error) {
	req, err := NewRequest(http.MethodPost, s.base()+"/batch/"+op, nil, map[string]any{"inputs": inputs})
	if err != nil {
		return nil, err
	}
	req.Create = create
	var out cmsBatchResponse
	if err := s.client.Do(ctx, req, &out); err != nil {
		return nil, fmt.Errorf("batch %s %ss: %w", op, s.spec.Noun, err)
	}
	if len(out.Errors) > 0 {
		return nil, fmt.Errorf("batch %s %ss: %w", op, s.spec.Noun, &CMSBatchError{Op: op, Errors: out.Errors})
	}
	return out.Results, nil
}

// BatchCreate creates up to MaxBatchInputs objects in one call, never
// retried once it may have reached HubSpot. The results need not come in
// the inputs' order: match them by Key.
func (s *CMSObjectsService) BatchCreate(ctx context.Context, ins []CMSObject) ([]CMSObject, error) {
	return s.batch(ctx, "create", ins, true)
}

// BatchUpdate changes up to MaxBatchInputs objects, each input holding its
// id and the fields to change.
func (s *CMSObjectsService) BatchUpdate(ctx context.Context, ins []CMSObject) ([]CMSObject, error) {
	return s.batch(ctx, "update", ins, false)
}

// BatchArchive deletes up to MaxBatchInputs objects by id (204).
func (s *CMSObjectsService) BatchArchive(ctx context.Context, ids []string) error {
	_, err := s.batch(ctx, "archive", ids, false)
	return err
}

// KeyOf returns the values of the spec's Key in o, "" for an absent one.
func (s CMSSpec) KeyOf(o CMSObject) []string {
	out := make([]string, len(s.Key))
	for i, k := range s.Key {
		out[i] = o.Text(k)
	}
	return out
}

// FindByKey returns the live object whose Key fields hold key, created at
// or after since (any time when zero), or nil.
func (s *CMSObjectsService) FindByKey(ctx context.Context, key []string, since time.Time) (*CMSObject, error) {
	if s.spec.ByKey && len(key) == 1 {
		return s.getByKey(ctx, key[0])
	}
	var opts CMSListOptions
	if s.spec.KeyFilter && len(key) > 0 {
		opts.Filters = url.Values{s.spec.Key[0] + "__eq": {key[0]}}
	}
	found, err := findInList(ctx, s.List, opts, since, func(o CMSObject) bool { return slices.Equal(s.spec.KeyOf(o), key) })
	if err != nil {
		return nil, fmt.Errorf("find the %s of %v: %w", s.spec.Noun, key, err)
	}
	return found, nil
}

// getByKey is FindByKey of a ByKey resource: one read of the path of the
// key (the draft of a Drafts resource, which every live object has).
func (s *CMSObjectsService) getByKey(ctx context.Context, key string) (*CMSObject, error) {
	get := s.Get
	if s.spec.Drafts {
		get = s.GetDraft
	}
	o, err := get(ctx, key)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find the %s %q: %w", s.spec.Noun, key, err)
	}
	return o, nil
}
