package hubspot

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

const blogTagsPath = cmsPrefix + "/blogs/tags"

// BlogTagsService calls HubSpot's CMS blog tags API
// (https://developers.hubspot.com/docs/api/cms/blog-tags,
// https://developers.hubspot.com/docs/reference/api/cms/blogs/blog-tags):
// list with the created and updated filters, sort and property filters such
// as name__eq, get, create, update and delete. The API has batch calls too
// (https://developers.hubspot.com/docs/api-reference/latest/cms/blogs/tags/batch/delete-tags);
// this client makes one call per tag.
type BlogTagsService struct {
	client *Client
}

// BlogTag is a blog tag as HubSpot returns it; v3 has no description
// (https://developers.hubspot.com/docs/api/cms/blog-tags, "Changes in V3").
type BlogTag struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug,omitempty"`
	// Language is the tag's locale ("en", "fr-fr"), empty when none is set.
	Language string `json:"language,omitempty"`
	// TranslatedFromID is the id of the primary tag of the tag's
	// multi-language group, 0 when none.
	TranslatedFromID int64      `json:"translatedFromId,omitempty"`
	Created          time.Time  `json:"created"`
	Updated          time.Time  `json:"updated"`
	DeletedAt        *time.Time `json:"deletedAt,omitempty"`
}

// BlogTagInput is the body of a create or an update: a nil field is not
// sent. A create needs Name.
type BlogTagInput struct {
	Name             *string `json:"name,omitempty"`
	Slug             *string `json:"slug,omitempty"`
	Language         *string `json:"language,omitempty"`
	TranslatedFromID *int64  `json:"translatedFromId,omitempty"`
}

// Matches reports whether t holds every value in sets.
func (in BlogTagInput) Matches(t BlogTag) bool {
	str := func(p *string, v string) bool { return p == nil || *p == v }
	return str(in.Name, t.Name) && str(in.Slug, t.Slug) && str(in.Language, t.Language) &&
		(in.TranslatedFromID == nil || *in.TranslatedFromID == t.TranslatedFromID)
}

// BlogTagPage is one page of blog tags.
type BlogTagPage = CMSPage[BlogTag]

// List returns one page of blog tags.
func (s *BlogTagsService) List(ctx context.Context, opts CMSListOptions) (*BlogTagPage, error) {
	page, err := cmsList[BlogTag](ctx, s.client, blogTagsPath, opts)
	if err != nil {
		return nil, fmt.Errorf("list blog tags: %w", err)
	}
	return page, nil
}

// Get returns one tag by id; a missing one is a 404 (IsNotFound).
func (s *BlogTagsService) Get(ctx context.Context, id string) (*BlogTag, error) {
	t, err := cmsGet[BlogTag](ctx, s.client, blogTagPath(id))
	if err != nil {
		return nil, fmt.Errorf("get blog tag %s: %w", id, err)
	}
	return t, nil
}

// Create creates a tag, never retried once it may have reached HubSpot: a
// lost answer is the caller's to resolve (FindByName).
func (s *BlogTagsService) Create(ctx context.Context, in BlogTagInput) (*BlogTag, error) {
	t, err := cmsCreate[BlogTag](ctx, s.client, blogTagsPath, in)
	if err != nil {
		return nil, fmt.Errorf("create blog tag: %w", err)
	}
	return t, nil
}

// Update changes the fields in sets (PATCH), leaving the others.
func (s *BlogTagsService) Update(ctx context.Context, id string, in BlogTagInput) (*BlogTag, error) {
	t, err := cmsUpdate[BlogTag](ctx, s.client, blogTagPath(id), in)
	if err != nil {
		return nil, fmt.Errorf("update blog tag %s: %w", id, err)
	}
	return t, nil
}

// Delete deletes (archives) a tag (204).
func (s *BlogTagsService) Delete(ctx context.Context, id string) error {
	if err := cmsDelete(ctx, s.client, blogTagPath(id)); err != nil {
		return fmt.Errorf("delete blog tag %s: %w", id, err)
	}
	return nil
}

// FindByName returns the live tag of a name in a language ("" for none),
// created at or after since (any time when zero), or nil. The list filters
// by name with the documented name__eq.
func (s *BlogTagsService) FindByName(ctx context.Context, name, language string, since time.Time) (*BlogTag, error) {
	opts := CMSListOptions{Filters: url.Values{"name__eq": {name}}}
	found, err := findInList(ctx, s.List, opts, since, func(t BlogTag) bool { return t.Name == name && t.Language == language })
	if err != nil {
		return nil, fmt.Errorf("find the blog tag %q: %w", name, err)
	}
	return found, nil
}

func blogTagPath(id string) string { return blogTagsPath + "/" + url.PathEscape(id) }
