package hubspottest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Blog tags (blogtags.go), blog posts, blog authors, landing pages and site
// pages: CMS objects of many JSON fields, served by one store of
// documents, as HubSpot's v3 APIs document them:
//   - https://developers.hubspot.com/docs/api/cms/blog-post and
//     https://developers.hubspot.com/docs/reference/api/cms/blogs/blog-posts
//     (list with createdAfter/At/Before, updatedAfter/At/Before, sort,
//     after, limit, archived and property filters such as slug__eq and
//     state=DRAFT; get, create, update with PATCH, delete; batch/create,
//     batch/update, batch/archive, batch/read);
//   - https://developers.hubspot.com/docs/api-reference/latest/cms/blogs/authors/guide;
//   - https://developers.hubspot.com/docs/api-reference/latest/cms/pages/guide
//     (landing-pages and site-pages, one shape).
//
// The object models: posts' archivedAt is an int64 of epoch milliseconds,
// pages' an ISO 8601 date-time, authors' deletion time is deletedAt
// (https://developers.hubspot.com/docs/api-reference/legacy/cms/blogs/posts/get-posts,
// https://developers.hubspot.com/docs/api-reference/cms-pages-v3/landing-pages/post-cms-v3-pages-landing-pages-batch-create,
// https://developers.hubspot.com/docs/api-reference/legacy/cms/blogs/authors/batch/create-authors).
// The batch archive's body is {"inputs": ["id", ...]}, its answer 204
// (https://developers.hubspot.com/docs/api-reference/latest/cms/blogs/posts/batch/delete-posts).
//
// What the docs leave open, and this simulator guesses:
//   - the fields are stored as sent (JSON values), the generated ones (id,
//     created, updated, the deletion time, url, currentState,
//     currentlyPublished) ignored in a body;
//   - a post's or page's state is DRAFT unless one is sent; currentState
//     follows it and currentlyPublished is state == PUBLISHED. The draft
//     endpoints (/draft, /draft/push-live, /schedule) are not simulated:
//     the connector does not call them;
//   - a post needs name and contentGroupId, a page name, an author
//     fullName; a missing slug is made from the name;
//   - a second live post with the slug of one in its blog (contentGroupId),
//     a page with the slug of one on its domain, and an author with the
//     full name of one in its language, are refused with 409 CONFLICT;
//   - property filters: <field>__eq (or the bare field name), __ne,
//     __contains, __icontains, __in and __nin, on any top-level field;
//   - a batch call checks every input first and writes all or none: a bad
//     input refuses the whole batch (400, 404 or 409), naming it;
//   - the list's limit defaults to 10 and is at most 100; sort takes the
//     keys each API documents and ignores the others (cmssort.go);
//   - deleting sets the deletion time, and updated only
//     WithArchiveMovesUpdated.

var slugRun = regexp.MustCompile(`[^a-z0-9]+`)

// slugOf makes a slug of a name: lower case, each run of other characters
// than letters and digits a "-" (a guess).
func slugOf(name string) string {
	return strings.Trim(slugRun.ReplaceAllString(strings.ToLower(name), "-"), "-")
}

// CMSType is a CMS resource the document store serves.
type CMSType string

// The document-store CMS resources.
const (
	URLRedirects CMSType = "URL redirects"
	BlogTags     CMSType = "blog tags"
	BlogPosts    CMSType = "blog posts"
	BlogAuthors  CMSType = "blog authors"
	LandingPages CMSType = "landing pages"
	SitePages    CMSType = "site pages"
)

// cmsKind is what the docs say of one resource.
type cmsKind struct {
	typ CMSType
	// api names the API that serves the kind (routes: "blogs",
	// "url-redirects", "pages"), path its path within it ("/posts").
	api      string
	path     string
	noun     string
	firstID  int64
	deleted  string // the deletion time's field
	millis   bool   // the deletion time is epoch milliseconds
	required []string
	unique   []string // the fields a live object holds alone, together
	slugFrom string   // the field a missing slug is made from ("" none)
	states   bool     // posts and pages: state, currentState, currentlyPublished
	// filters are the fields the list filters by; nil: any.
	filters []string
	// defaults are the values of fields a create leaves out.
	defaults map[string]any
	// validate checks what the resource's docs require beyond required
	// fields; nil: nothing.
	validate func(*CMSDoc) *apiError
	// batch says that the resource has batch calls.
	batch bool
	// sorts are the sort keys the resource's API documents (cmssort.go).
	sorts []string
}

func cmsKinds() []cmsKind {
	page := func(typ CMSType, path, noun string, first int64) cmsKind {
		return cmsKind{typ: typ, api: "pages", path: path, noun: noun, firstID: first, deleted: "archivedAt", batch: true,
			required: []string{"name"}, unique: []string{"domain", "slug"}, slugFrom: "name", states: true, sorts: contentSorts}
	}
	return []cmsKind{
		redirectKind(),
		// Blog tags (blogtags.go): the list filters by name, slug and id.
		{typ: BlogTags, api: "blogs", path: "/tags", noun: "blog tag", firstID: 184993428780, deleted: "deletedAt", batch: true,
			required: []string{"name"}, unique: []string{"name", "language"}, slugFrom: "name", filters: []string{"name", "slug", "id"}, sorts: contentSorts},
		{typ: BlogPosts, api: "blogs", path: "/posts", noun: "blog post", firstID: 184993428800, deleted: "archivedAt", millis: true,
			batch: true, required: []string{"name", "contentGroupId"}, unique: []string{"contentGroupId", "slug"}, slugFrom: "name", states: true, sorts: contentSorts},
		{typ: BlogAuthors, api: "blogs", path: "/authors", noun: "blog author", firstID: 184993428900, deleted: "deletedAt", batch: true,
			required: []string{"fullName"}, unique: []string{"fullName", "language"}, slugFrom: "fullName", sorts: authorSorts},
		page(LandingPages, "/landing-pages", "landing page", 184993429000),
		page(SitePages, "/site-pages", "site page", 184993429100),
	}
}

// generated are the fields the server sets, ignored in bodies.
var generated = []string{"id", "created", "updated", "createdAt", "updatedAt", "archivedAt", "deletedAt", "url", "currentState", "currentlyPublished"}

// CMSDoc is the simulator's ground truth for one CMS object.
type CMSDoc struct {
	ID string
	// Fields are the object's JSON fields as sent, but the generated ones.
	Fields   map[string]any
	Created  time.Time
	Updated  time.Time
	Deleted  time.Time // zero while live
	Archived bool
}

// Text is a string field's value, "" when absent or not a string.
func (d *CMSDoc) Text(name string) string {
	s, _ := d.Fields[name].(string)
	return s
}

func (d *CMSDoc) cmsID() string                    { return d.ID }
func (d *CMSDoc) cmsTimes() (time.Time, time.Time) { return d.Created, d.Updated }
func (d *CMSDoc) cmsArchived() bool                { return d.Archived }

type docStore struct {
	kind cmsKind
	// created and updated name the times' fields on the wire.
	created, updated string
	byID             map[string]*CMSDoc
	order            []string
	nextID           int64
}

// docs returns the store of a type; callers hold s.mu.
func (s *Server) docs(t CMSType) *docStore {
	if st := s.cmsDocs[t]; st != nil {
		return st
	}
	for _, k := range cmsKinds() {
		if k.typ == t {
			if s.cmsDocs == nil {
				s.cmsDocs = map[CMSType]*docStore{}
			}
			st := &docStore{kind: k, byID: map[string]*CMSDoc{}, nextID: k.firstID, created: "created", updated: "updated"}
			if t == URLRedirects && s.redirectTimesAt {
				st.created, st.updated = "createdAt", "updatedAt"
			}
			s.cmsDocs[t] = st
			return st
		}
	}
	panic(fmt.Sprintf("hubspottest: no CMS type %q", t))
}

func (st *docStore) all() []*CMSDoc {
	out := make([]*CMSDoc, len(st.order))
	for i, id := range st.order {
		out[i] = st.byID[id]
	}
	return out
}

// json is the object on the wire: its fields, id, times and the generated
// fields.
func (st *docStore) json(d *CMSDoc) map[string]any {
	out := maps.Clone(d.Fields)
	out["id"], out[st.created], out[st.updated] = d.ID, formatTime(d.Created), formatTime(d.Updated)
	if d.Archived && st.kind.deleted != "" {
		out[st.kind.deleted] = formatTime(d.Deleted)
		if st.kind.millis {
			out[st.kind.deleted] = d.Deleted.UnixMilli()
		}
	}
	if st.kind.states {
		out["currentState"] = d.Fields["state"]
		out["currentlyPublished"] = d.Fields["state"] == "PUBLISHED"
	}
	return out
}

// apply sets a body's fields on d, but the generated ones.
func apply(d *CMSDoc, body map[string]any) {
	for name, v := range body {
		if !slices.Contains(generated, name) {
			d.Fields[name] = v
		}
	}
}

// check validates d as it would be stored, with others (a batch's earlier
// inputs) stored too.
func (st *docStore) check(d *CMSDoc, others []*CMSDoc) *apiError {
	for _, name := range st.kind.required {
		if s, ok := d.Fields[name].(string); !ok || strings.TrimSpace(s) == "" {
			return validationError(fmt.Sprintf("%s is required and must be a non-empty string", name), "REQUIRED_FIELD", name)
		}
	}
	if st.kind.validate != nil {
		if e := st.kind.validate(d); e != nil {
			return e
		}
	}
	if v, ok := d.Fields["slug"]; ok {
		if _, isText := v.(string); !isText {
			return validationError("slug must be a string", "INVALID_VALUE", "slug")
		}
	}
	key := func(o *CMSDoc) []string {
		out := make([]string, len(st.kind.unique))
		for i, f := range st.kind.unique {
			out[i] = o.Text(f)
		}
		return out
	}
	want := key(d)
	for _, o := range slices.Concat(st.all(), others) {
		if !o.Archived && o != d && (d.ID == "" || o.ID != d.ID) && slices.Equal(key(o), want) {
			return &apiError{status: http.StatusConflict, category: categoryConflict,
				message: fmt.Sprintf("A %s with %s %q already exists (id %s)", st.kind.noun,
					strings.Join(st.kind.unique, " and "), strings.Join(want, " "), o.ID),
				context: ctxMap(st.kind.unique[len(st.kind.unique)-1], want[len(want)-1])}
		}
	}
	return nil
}

// build makes a new object of body, checked against the store and others,
// without storing it.
func (st *docStore) build(body map[string]any, others []*CMSDoc) (*CMSDoc, *apiError) {
	d := &CMSDoc{Fields: maps.Clone(st.kind.defaults)}
	if d.Fields == nil {
		d.Fields = map[string]any{}
	}
	apply(d, body)
	if st.kind.states && d.Text("state") == "" {
		d.Fields["state"] = "DRAFT"
	}
	if from := st.kind.slugFrom; from != "" && d.Text("slug") == "" {
		if name := d.Text(from); name != "" {
			d.Fields["slug"] = slugOf(name)
		}
	}
	if e := st.check(d, others); e != nil {
		return nil, e
	}
	return d, nil
}

// store gives d its id and times and stores it.
func (st *docStore) store(d *CMSDoc, now time.Time) {
	d.ID = idString(st.nextID)
	st.nextID++
	d.Created, d.Updated = now, now
	st.byID[d.ID] = d
	st.order = append(st.order, d.ID)
}

// AddCMS creates an object as the API's create does and returns its id.
func (s *Server) AddCMS(t CMSType, fields map[string]any) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.docs(t)
	// As a body decodes: Go values become JSON values.
	b, err := json.Marshal(fields)
	if err != nil {
		return "", fmt.Errorf("hubspottest: add: %w", err)
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		return "", fmt.Errorf("hubspottest: add: %w", err)
	}
	d, e := st.build(body, nil)
	if e != nil {
		return "", fmt.Errorf("hubspottest: add %s: %s", st.kind.noun, e.message)
	}
	st.store(d, s.now())
	return d.ID, nil
}

// UpdateCMS changes the fields of a live object as the API's update
// (PATCH) does.
func (s *Server) UpdateCMS(t CMSType, id string, fields map[string]any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.docs(t)
	d, ok := st.byID[id]
	if !ok || d.Archived {
		return fmt.Errorf("hubspottest: update: no live %s %s", st.kind.noun, id)
	}
	b, err := json.Marshal(fields)
	if err != nil {
		return fmt.Errorf("hubspottest: update: %w", err)
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		return fmt.Errorf("hubspottest: update: %w", err)
	}
	next, e := st.patched(d, body, nil)
	if e != nil {
		return fmt.Errorf("hubspottest: update %s: %s", st.kind.noun, e.message)
	}
	next.Updated = s.now()
	*d = *next
	return nil
}

// CMSDocs returns every object of a type, deleted ones too, in creation
// order.
func (s *Server) CMSDocs(t CMSType) []CMSDoc {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CMSDoc
	for _, d := range s.docs(t).all() {
		c := *d
		c.Fields = maps.Clone(d.Fields)
		out = append(out, c)
	}
	return out
}

// LiveCMSDocs returns the live objects of a type by their unique fields'
// values, joined with "/" (a post's "contentGroupId/slug").
func (s *Server) LiveCMSDocs(t CMSType) map[string]CMSDoc {
	s.mu.Lock()
	unique := s.docs(t).kind.unique
	s.mu.Unlock()
	out := map[string]CMSDoc{}
	for _, d := range s.CMSDocs(t) {
		if d.Archived {
			continue
		}
		var k []string
		for _, f := range unique {
			k = append(k, d.Text(f))
		}
		out[strings.Join(k, "/")] = d
	}
	return out
}
