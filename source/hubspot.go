package source

import (
	"context"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

//go:generate go tool -modfile=../tools/go.mod mockgen -source=hubspot.go -destination=../mock/source.go -package=mock

// ObjectReader is what the source needs of hubspot.ObjectsService: listing
// for the snapshot and for deletes, search for changes.
type ObjectReader interface {
	List(ctx context.Context, objectType string, opts hubspot.ListOptions) (*hubspot.ObjectPage, error)
	Search(ctx context.Context, objectType string, sr hubspot.SearchRequest) (*hubspot.SearchPage, error)
}

// OwnerReader is what the source needs of hubspot.OwnersService.
type OwnerReader interface {
	List(ctx context.Context, opts hubspot.OwnerListOptions) (*hubspot.OwnerPage, error)
}

// RedirectReader is what the source needs of hubspot.URLRedirectsService:
// the list, with its updatedAt filters and sort, live or deleted.
type RedirectReader interface {
	List(ctx context.Context, opts hubspot.URLRedirectListOptions) (*hubspot.URLRedirectPage, error)
}

// BlogTagReader is what the source needs of hubspot.BlogTagsService: the
// list, with its updatedAt filters and sort, live or deleted.
type BlogTagReader interface {
	List(ctx context.Context, opts hubspot.CMSListOptions) (*hubspot.BlogTagPage, error)
}

var (
	_ BlogTagReader  = (*hubspot.BlogTagsService)(nil)
	_ ObjectReader   = (*hubspot.ObjectsService)(nil)
	_ OwnerReader    = (*hubspot.OwnersService)(nil)
	_ RedirectReader = (*hubspot.URLRedirectsService)(nil)
)

// services are the parts of the HubSpot client the source calls.
type services struct {
	objects    ObjectReader
	owners     OwnerReader
	redirects  RedirectReader
	blogTags   BlogTagReader
	properties PropertyLister
}

// servicesOf returns the services of a client.
func servicesOf(c *hubspot.Client) services {
	return services{objects: c.Objects, owners: c.Owners, redirects: c.URLRedirects, blogTags: c.BlogTags, properties: c.Properties}
}

// hub is how the scans reach HubSpot: the resource, the properties read
// (nil for owners, which have none) and the page size, the clients, and the
// clock that the scans' bounds and schedules are measured by.
type hub struct {
	resource hubspot.Resource
	catalog  *catalog
	pageSize int
	objects  ObjectReader
	owners   OwnerReader
	redirect RedirectReader
	blogTags BlogTagReader
	now      func() time.Time
}

// properties are the names a read asks for.
func (h *hub) properties() []string {
	if h.catalog == nil {
		return nil
	}
	return h.catalog.names
}

// listPage is a page of the list, live objects (or owners) in id order,
// with the properties props. It reads nothing of the hub that changes, so
// a fetch may run it on its own goroutine; taken notes what it holds.
func (h *hub) listPage(ctx context.Context, after string, props []string) (page, error) {
	if h.resource.IsOwners {
		items, next, err := h.ownersPage(ctx, after)
		return page{items: items, next: next}, err
	}
	return h.objectsPage(ctx, after, props, false)
}

// listArchived returns a page of the resource's archived objects, of
// those archived after since where the list can filter by it (the CMS
// resources; CRM objects return them all).
func (h *hub) listArchived(ctx context.Context, after string, since time.Time) ([]item, string, error) {
	if h.resource.Kind.IsCMS() {
		// A deleted object's updated time is when it was deleted; sorted
		// by it, the deletes made while a pass pages come last.
		return h.cmsPage(ctx, hubspot.CMSListOptions{
			Limit: hubspot.MaxListLimit, After: after, Archived: true,
			UpdatedAfter: since, Sort: []string{"updatedAt", "id"},
		})
	}
	return h.taken(h.objectsPage(ctx, after, h.properties(), true))
}

// cmsPage returns a page of the CMS resource's objects and the cursor of
// the next.
func (h *hub) cmsPage(ctx context.Context, opts hubspot.CMSListOptions) ([]item, string, error) {
	if h.resource.Kind == hubspot.KindBlogTags {
		page, err := h.blogTags.List(ctx, opts)
		return cmsItems(page, err, opts.Archived, blogTagItem)
	}
	page, err := h.redirect.List(ctx, opts)
	return cmsItems(page, err, opts.Archived, redirectItem)
}

// cmsItems turns a page of CMS objects into items.
func cmsItems[T any](page *hubspot.CMSPage[T], err error, archived bool, toItem func(T, bool) (item, error)) ([]item, string, error) {
	if err != nil {
		return nil, "", err
	}
	items := make([]item, len(page.Results))
	for i, o := range page.Results {
		it, err := toItem(o, archived)
		if err != nil {
			return nil, "", err
		}
		items[i] = it
	}
	return items, page.NextAfter(), nil
}

// cmsFields are the documented fields of the CMS resource, which type the
// payload and make its schema.
func (h *hub) cmsFields() []hubspot.Property {
	if h.resource.Kind == hubspot.KindBlogTags {
		return blogTagFields()
	}
	return redirectFields()
}

// search returns a page of search results and the cursor of the next.
func (h *hub) search(ctx context.Context, req hubspot.SearchRequest) ([]item, string, error) {
	return h.taken(h.searchPage(ctx, req))
}

// searchPage is search's answer. It reads nothing of the hub that changes,
// so a fetch may run it on its own goroutine; taken notes what it holds.
func (h *hub) searchPage(ctx context.Context, req hubspot.SearchRequest) (page, error) {
	p, err := h.objects.Search(ctx, h.resource.Name, req)
	if err != nil {
		return page{}, err
	}
	items, err := h.objectItems(p.Results)
	return page{items: items, next: p.NextAfter()}, err
}

// objectsPage is a list page of objects with the properties props, like
// searchPage safe on a fetch's goroutine.
func (h *hub) objectsPage(ctx context.Context, after string, props []string, archived bool) (page, error) {
	limit := h.pageSize
	if archived {
		limit = hubspot.MaxListLimit // deletes are read whole: use the largest page
	}
	p, err := h.objects.List(ctx, h.resource.Name, hubspot.ListOptions{
		Limit: limit, After: after, Properties: props, Archived: archived,
	})
	if err != nil {
		return page{}, err
	}
	items, err := h.objectItems(p.Results)
	return page{items: items, next: p.NextAfter()}, err
}

// taken returns a page that was read as its items and next cursor, after
// the catalog noted the properties it holds (on Read's goroutine).
func (h *hub) taken(p page, err error) ([]item, string, error) {
	if err != nil {
		return nil, "", err
	}
	for _, it := range p.items {
		h.catalog.note(it.props)
	}
	return p.items, p.next, nil
}

// objectItems turns objects into items.
func (h *hub) objectItems(objs []hubspot.Object) ([]item, error) {
	items := make([]item, len(objs))
	for i, o := range objs {
		it, err := objectItem(h.resource, o)
		if err != nil {
			return nil, err
		}
		items[i] = it
	}
	return items, nil
}

func (h *hub) ownersPage(ctx context.Context, after string) ([]item, string, error) {
	page, err := h.owners.List(ctx, hubspot.OwnerListOptions{Limit: h.pageSize, After: after})
	if err != nil {
		return nil, "", err
	}
	items := make([]item, len(page.Results))
	for i, o := range page.Results {
		it, err := ownerItem(o)
		if err != nil {
			return nil, "", err
		}
		items[i] = it
	}
	return items, page.NextAfter(), nil
}
