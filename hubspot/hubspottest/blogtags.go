package hubspottest

import (
	"fmt"
	"time"
)

// Blog tags, as HubSpot's CMS blog tags API v3 documents them:
// https://developers.hubspot.com/docs/api/cms/blog-tags (list with its
// created and updated filters, sort, after, limit and archived; property
// filters such as name__eq; get, create, update, delete) and
// https://developers.hubspot.com/docs/api-reference/2026-03/cms/blogs/tags/batch/create-tags
// (the object's fields: id, name, slug, language, translatedFromId,
// created, updated, deletedAt). v3 has no description. They are served by
// the document store (cmsdocs.go); this file gives tests the tags as a
// type.
//
// What the docs leave open, and this simulator guesses:
//   - a second live tag with the name of one in the same language is
//     refused with 409 CONFLICT (HubSpot's UI offers the existing tag; the
//     API's answer is not documented);
//   - a tag created without a slug gets one from its name: lower case,
//     each run of other characters than letters and digits a "-";
//   - the property filters served are on name, slug and id; others are
//     refused with 400;
//   - deleting sets deletedAt (and updated only WithArchiveMovesUpdated),
//     lists the tag with archived=true, and frees its name.

// BlogTag is a blog tag as tests see it.
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

// AddBlogTag creates a tag as the API's create does, and returns its id;
// t's ID, times and Archived are ignored.
func (s *Server) AddBlogTag(t BlogTag) (string, error) {
	fields := map[string]any{"name": t.Name, "language": t.Language}
	if t.Slug != "" {
		fields["slug"] = t.Slug
	}
	if t.TranslatedFromID != 0 {
		fields["translatedFromId"] = t.TranslatedFromID
	}
	id, err := s.AddCMS(BlogTags, fields)
	if err != nil {
		return "", fmt.Errorf("add blog tag: %w", err)
	}
	return id, nil
}

// BlogTags returns every tag, deleted ones too, in creation order.
func (s *Server) BlogTags() []BlogTag {
	docs := s.CMSDocs(BlogTags)
	out := make([]BlogTag, len(docs))
	for i, d := range docs {
		from, _ := d.Fields["translatedFromId"].(float64)
		out[i] = BlogTag{ID: d.ID, Name: d.Text("name"), Slug: d.Text("slug"), Language: d.Text("language"),
			TranslatedFromID: int64(from), Created: d.Created, Updated: d.Updated, DeletedAt: d.Deleted, Archived: d.Archived}
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
