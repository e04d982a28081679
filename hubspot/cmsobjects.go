package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
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
}

// CMSSpec describes a CMS resource served by CMSObjectsService.
type CMSSpec struct {
	// Noun names one object in errors: "blog post"; Short is its short
	// form: "post".
	Noun, Short string
	// Path is the collection's path: "/cms/v3/blogs/posts".
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
}

// Field returns the documented field of a name.
func (s CMSSpec) Field(name string) (CMSField, bool) {
	i := slices.IndexFunc(s.Fields, func(f CMSField) bool { return f.Name == name })
	if i < 0 {
		return CMSField{}, false
	}
	return s.Fields[i], true
}

// cmsPrefix is the API version prefix of the CMS paths, kept apart from
// crmPrefix: HubSpot moves them to date-versioned paths
// (/cms/url-redirects/2026-03) on their own schedule.
const cmsPrefix = "/cms/v3"

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
// values.
func (o CMSObject) Matches(other CMSObject) bool {
	for name, want := range o {
		if !jsonEqual(want, other[name]) {
			return false
		}
	}
	return true
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil {
		return false
	}
	if len(b) == 0 {
		return x == nil
	}
	if json.Unmarshal(b, &y) != nil {
		return false
	}
	return fmt.Sprint(x) == fmt.Sprint(y)
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

func (s *CMSObjectsService) path(id string) string { return s.spec.Path + "/" + url.PathEscape(id) }

// List returns one page of objects.
func (s *CMSObjectsService) List(ctx context.Context, opts CMSListOptions) (*CMSObjectPage, error) {
	page, err := cmsList[CMSObject](ctx, s.client, s.spec.Path, opts)
	if err != nil {
		return nil, fmt.Errorf("list %ss: %w", s.spec.Noun, err)
	}
	return page, nil
}

// Get returns one object by id; a missing one is a 404 (IsNotFound).
func (s *CMSObjectsService) Get(ctx context.Context, id string) (*CMSObject, error) {
	o, err := cmsGet[CMSObject](ctx, s.client, s.path(id))
	if err != nil {
		return nil, fmt.Errorf("get %s %s: %w", s.spec.Noun, id, err)
	}
	return o, nil
}

// Create creates an object, never retried once it may have reached
// HubSpot: a lost answer is the caller's to resolve (FindByKey).
func (s *CMSObjectsService) Create(ctx context.Context, in CMSObject) (*CMSObject, error) {
	o, err := cmsCreate[CMSObject](ctx, s.client, s.spec.Path, in)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", s.spec.Noun, err)
	}
	return o, nil
}

// Update changes the fields in sets (PATCH), leaving the others.
func (s *CMSObjectsService) Update(ctx context.Context, id string, in CMSObject) (*CMSObject, error) {
	o, err := cmsUpdate[CMSObject](ctx, s.client, s.path(id), in)
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
	req, err := NewRequest(http.MethodPost, s.spec.Path+"/batch/"+op, nil, map[string]any{"inputs": inputs})
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
