package hubspottest

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Blog tags, as HubSpot's CMS blog tags API v3 documents them:
// https://developers.hubspot.com/docs/api/cms/blog-tags (list with its
// created and updated filters, sort, after, limit and archived; property
// filters such as name__eq; get, create, update, delete) and
// https://developers.hubspot.com/docs/api-reference/2026-03/cms/blogs/tags/batch/create-tags
// (the object's fields: id, name, slug, language, translatedFromId,
// created, updated, deletedAt). v3 has no description.
//
// What the docs leave open, and this simulator guesses:
//   - a second live tag with the name of one in the same language is
//     refused with 409 CONFLICT (HubSpot's UI offers the existing tag; the
//     API's answer is not documented);
//   - a tag created without a slug gets one from its name: lower case,
//     each run of other characters than letters and digits a "-";
//   - the list's limit defaults to 10 and is at most 100; sort takes
//     createdAt, updatedAt, name, slug or id; the default is by id;
//   - the property filters served are name__eq, name__contains, slug__eq
//     and id__eq; others are refused with 400;
//   - deleting sets deletedAt and updated, lists the tag with
//     archived=true, and frees its name.
//
// The batch calls (batch/create, batch/update, batch/archive, batch/read)
// are not simulated: the connector does not make them.

const (
	blogTagsPath   = "/cms/v3/blogs/tags"
	blogTagFirstID = 184993428780 // the docs' example id
)

// BlogTag is the simulator's ground truth for one blog tag.
type BlogTag struct {
	ID               string
	Name             string
	Slug             string
	Language         string
	TranslatedFromID int64
	Created          time.Time
	Updated          time.Time
	DeletedAt        time.Time // zero while live
	Archived         bool
}

type blogTagStore struct {
	byID   map[string]*BlogTag
	order  []string
	nextID int64
}

type blogTagJSON struct {
	ID               string  `json:"id"`
	Name             string  `json:"name"`
	Slug             string  `json:"slug"`
	Language         string  `json:"language,omitempty"`
	TranslatedFromID int64   `json:"translatedFromId,omitempty"`
	Created          string  `json:"created"`
	Updated          string  `json:"updated"`
	DeletedAt        *string `json:"deletedAt,omitempty"`
}

// blogTagInput is a create or update body; id, created, updated and
// deletedAt, which the docs' bodies show, are ignored.
type blogTagInput struct {
	Name             *string `json:"name"`
	Slug             *string `json:"slug"`
	Language         *string `json:"language"`
	TranslatedFromID *int64  `json:"translatedFromId"`
}

func (t *BlogTag) json() blogTagJSON {
	out := blogTagJSON{ID: t.ID, Name: t.Name, Slug: t.Slug, Language: t.Language, TranslatedFromID: t.TranslatedFromID,
		Created: formatTime(t.Created), Updated: formatTime(t.Updated)}
	if !t.DeletedAt.IsZero() {
		d := formatTime(t.DeletedAt)
		out.DeletedAt = &d
	}
	return out
}

func (in blogTagInput) apply(t *BlogTag) {
	for dst, v := range map[*string]*string{&t.Name: in.Name, &t.Slug: in.Slug, &t.Language: in.Language} {
		if v != nil {
			*dst = *v
		}
	}
	if in.TranslatedFromID != nil {
		t.TranslatedFromID = *in.TranslatedFromID
	}
}

var slugRun = regexp.MustCompile(`[^a-z0-9]+`)

func slugOf(name string) string {
	return strings.Trim(slugRun.ReplaceAllString(strings.ToLower(name), "-"), "-")
}

// tagTaken is the live tag other than id with name in language. Callers
// hold s.mu.
func (s *Server) tagTaken(name, language, id string) *BlogTag {
	for _, tid := range s.blogTags.order {
		t := s.blogTags.byID[tid]
		if !t.Archived && t.ID != id && t.Name == name && t.Language == language {
			return t
		}
	}
	return nil
}

// checkTag validates a tag as it would be stored: a name the docs require,
// not taken in its language.
func (s *Server) checkTag(t *BlogTag) *apiError {
	if strings.TrimSpace(t.Name) == "" {
		return validationError("name must not be empty", "REQUIRED_FIELD", "name")
	}
	if taken := s.tagTaken(t.Name, t.Language, t.ID); taken != nil {
		return &apiError{status: http.StatusConflict, category: categoryConflict,
			message: fmt.Sprintf("A blog tag named %q already exists (id %s)", taken.Name, taken.ID),
			context: ctxMap("name", taken.Name)}
	}
	return nil
}

// createTagLocked stores a new tag; callers hold s.mu.
func (s *Server) createTagLocked(in blogTagInput) (*BlogTag, *apiError) {
	t := &BlogTag{}
	in.apply(t)
	if e := s.checkTag(t); e != nil {
		return nil, e
	}
	if t.Slug == "" {
		t.Slug = slugOf(t.Name)
	}
	if s.blogTags.byID == nil {
		s.blogTags.byID = map[string]*BlogTag{}
		s.blogTags.nextID = blogTagFirstID
	}
	t.ID = idString(s.blogTags.nextID)
	s.blogTags.nextID++
	t.Created = s.now()
	t.Updated = t.Created
	s.blogTags.byID[t.ID] = t
	s.blogTags.order = append(s.blogTags.order, t.ID)
	return t, nil
}

// AddBlogTag creates a tag as the API's create does, and returns its id;
// t's ID, times and Archived are ignored.
func (s *Server) AddBlogTag(t BlogTag) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := blogTagInput{Name: &t.Name, Language: &t.Language, TranslatedFromID: &t.TranslatedFromID}
	if t.Slug != "" {
		in.Slug = &t.Slug
	}
	got, e := s.createTagLocked(in)
	if e != nil {
		return "", fmt.Errorf("hubspottest: add blog tag: %s", e.message)
	}
	return got.ID, nil
}

// BlogTags returns every tag, deleted ones too, in creation order.
func (s *Server) BlogTags() []BlogTag {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]BlogTag, 0, len(s.blogTags.order))
	for _, id := range s.blogTags.order {
		out = append(out, *s.blogTags.byID[id])
	}
	return out
}

// LiveBlogTags returns the tags that are not deleted, by name (and
// language, after a "/", when it is set).
func (s *Server) LiveBlogTags() map[string]BlogTag {
	out := map[string]BlogTag{}
	for _, t := range s.BlogTags() {
		if t.Archived {
			continue
		}
		k := t.Name
		if t.Language != "" {
			k += "/" + t.Language
		}
		out[k] = t
	}
	return out
}

// tagPropertyFilter reads the property filters the simulator serves.
func tagPropertyFilter(r *http.Request) (func(*BlogTag) bool, *apiError) {
	var keeps []func(*BlogTag) bool
	for name, vs := range r.URL.Query() {
		if !strings.Contains(name, "__") {
			continue
		}
		v := vs[0]
		switch name {
		case "name__eq":
			keeps = append(keeps, func(t *BlogTag) bool { return t.Name == v })
		case "name__contains":
			keeps = append(keeps, func(t *BlogTag) bool { return strings.Contains(t.Name, v) })
		case "slug__eq":
			keeps = append(keeps, func(t *BlogTag) bool { return t.Slug == v })
		case "id__eq":
			keeps = append(keeps, func(t *BlogTag) bool { return t.ID == v })
		default:
			return nil, badRequest(fmt.Sprintf("the simulator does not filter blog tags by %q", name))
		}
	}
	return allOf(keeps), nil
}

// listBlogTags serves GET /cms/v3/blogs/tags.
func (s *Server) listBlogTags(r *http.Request) (int, any, *apiError) {
	keep, e := tagPropertyFilter(r)
	if e != nil {
		return 0, nil, e
	}
	objs := make([]*BlogTag, len(s.blogTags.order))
	for i, id := range s.blogTags.order {
		objs[i] = s.blogTags.byID[id]
	}
	return cmsList(r, "blog tags", objs, map[string]func(a, b *BlogTag) int{
		"name": func(a, b *BlogTag) int { return strings.Compare(a.Name, b.Name) },
		"slug": func(a, b *BlogTag) int { return strings.Compare(a.Slug, b.Slug) },
	}, keep, (*BlogTag).json)
}

// liveBlogTag is the live tag of the path's id, or a 404.
func (s *Server) liveBlogTag(r *http.Request) (*BlogTag, *apiError) {
	return cmsLive(s.blogTags.byID, r, "blog tag")
}

// getBlogTag serves GET /cms/v3/blogs/tags/{id}.
func (s *Server) getBlogTag(r *http.Request) (int, any, *apiError) {
	t, e := s.liveBlogTag(r)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, t.json(), nil
}

// createBlogTag serves POST /cms/v3/blogs/tags: 201 and the tag.
func (s *Server) createBlogTag(r *http.Request) (int, any, *apiError) {
	var in blogTagInput
	if e := decodeBody(r, &in); e != nil {
		return 0, nil, e
	}
	t, e := s.createTagLocked(in)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusCreated, t.json(), nil
}

// updateBlogTag serves PATCH /cms/v3/blogs/tags/{id}.
func (s *Server) updateBlogTag(r *http.Request) (int, any, *apiError) {
	t, e := s.liveBlogTag(r)
	if e != nil {
		return 0, nil, e
	}
	var in blogTagInput
	if e := decodeBody(r, &in); e != nil {
		return 0, nil, e
	}
	next := *t
	in.apply(&next)
	if e := s.checkTag(&next); e != nil {
		return 0, nil, e
	}
	next.Updated = s.now()
	*t = next
	return http.StatusOK, t.json(), nil
}

// deleteBlogTag serves DELETE /cms/v3/blogs/tags/{id}: 204.
func (s *Server) deleteBlogTag(r *http.Request) (int, any, *apiError) {
	t, e := s.liveBlogTag(r)
	if e != nil {
		return 0, nil, e
	}
	t.Archived = true
	t.Updated = s.now()
	t.DeletedAt = t.Updated
	return http.StatusNoContent, nil, nil
}
