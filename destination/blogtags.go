package destination

import (
	"context"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// The blog tags resource (cms.blogs.tags): a record's payload is the tag's
// JSON fields (name, slug, language, translatedFromId), written as every
// CMS resource's (cms.go), one call per record. HubSpot documents batch
// calls for tags
// (https://developers.hubspot.com/docs/api-reference/latest/cms/blogs/tags/batch/delete-tags);
// they are not used yet.
//
// The natural key of a lost create's look-up is the tag's name in its
// language. https://developers.hubspot.com/docs/api/cms/blog-tags does not
// say HubSpot keeps names unique; the list filters by name (name__eq), and
// the simulator refuses a name taken in a language (a guess).

// BlogTagWriter is what the destination needs of hubspot.BlogTagsService.
type BlogTagWriter interface {
	List(ctx context.Context, opts hubspot.CMSListOptions) (*hubspot.BlogTagPage, error)
	Create(ctx context.Context, in hubspot.BlogTagInput) (*hubspot.BlogTag, error)
	Update(ctx context.Context, id string, in hubspot.BlogTagInput) (*hubspot.BlogTag, error)
	Delete(ctx context.Context, id string) error
	FindByName(ctx context.Context, name, language string, since time.Time) (*hubspot.BlogTag, error)
}

var _ BlogTagWriter = (*hubspot.BlogTagsService)(nil)

// blogTagComputed are the fields HubSpot sets itself.
var blogTagComputed = []string{"id", "created", "updated", "deletedAt", "createdAt", "updatedAt"}

func blogTagInput(payload opencdc.Data) (hubspot.BlogTagInput, error) {
	var in hubspot.BlogTagInput
	err := readFields(payload, "a blog tag", blogTagComputed, fieldSet{
		order: []string{"name", "slug", "language", "translatedFromId"},
		strs:  map[string]**string{"name": &in.Name, "slug": &in.Slug, "language": &in.Language},
		longs: map[string]**int64{"translatedFromId": &in.TranslatedFromID},
	})
	return in, err
}

func blogTagsWriter(w BlogTagWriter) cmsWriter {
	return cmsResource[hubspot.BlogTagInput, hubspot.BlogTag]{
		name: "blog tag", short: "tag", keyField: "name",
		keyOf:      func(in hubspot.BlogTagInput) string { return deref(in.Name) },
		input:      blogTagInput,
		id:         func(t hubspot.BlogTag) string { return t.ID },
		matches:    func(in hubspot.BlogTagInput, t hubspot.BlogTag) bool { return in.Matches(t) },
		createCall: w.Create, updateCall: w.Update, deleteCall: w.Delete,
		find: func(ctx context.Context, in hubspot.BlogTagInput, since time.Time) (*hubspot.BlogTag, error) {
			return w.FindByName(ctx, *in.Name, deref(in.Language), since)
		},
	}
}

// openBlogTags is Open for the blog tags.
func (d *Destination) openBlogTags(ctx context.Context, res hubspot.Resource, tags BlogTagWriter) error {
	return d.openCMS(ctx, res, blogTagsWriter(tags), func(ctx context.Context, o hubspot.CMSListOptions) error {
		_, err := tags.List(ctx, o)
		return err
	})
}
