package source

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// The mocks are of the interfaces the source's tests mock, no more (reflect
// mode names them); PropertyLister's is MockSourcePropertyLister, apart from
// the destination's interface of the same name.
//go:generate go tool -modfile=../tools/go.mod mockgen -destination=../mock/source.go -package=mock -mock_names=PropertyLister=MockSourcePropertyLister github.com/conduit-connectors/conduit-connector-hubspot/source ObjectReader,OwnerReader,PropertyLister

// ObjectReader is what the source needs of hubspot.ObjectsService: listing
// for the snapshot and for deletes, search for changes.
type ObjectReader interface {
	List(ctx context.Context, objectType string, opts hubspot.ListOptions) (*hubspot.ObjectPage, error)
	Search(ctx context.Context, objectType string, sr hubspot.SearchRequest) (*hubspot.SearchPage, error)
	// BatchRead reads objects by id: the link scan's objects whose links
	// changed.
	BatchRead(ctx context.Context, objectType string, r hubspot.BatchReadRequest) (*hubspot.BatchResult, error)
}

// OwnerReader is what the source needs of hubspot.OwnersService.
type OwnerReader interface {
	List(ctx context.Context, opts hubspot.OwnerListOptions) (*hubspot.OwnerPage, error)
}

// CMSObjectReader is what the source needs of hubspot.CMSObjectsService
// (URL redirects, blog tags, posts and authors, landing and site pages):
// the list, with its updatedAt filters and sort, live or deleted.
type CMSObjectReader interface {
	List(ctx context.Context, opts hubspot.CMSListOptions) (*hubspot.CMSObjectPage, error)
}

// SchemaLister is what the source needs of hubspot.SchemasService: the
// account's custom object types, for resources *.
type SchemaLister interface {
	List(ctx context.Context) ([]hubspot.ObjectSchema, error)
}

var (
	_ SchemaLister    = (*hubspot.SchemasService)(nil)
	_ CMSObjectReader = (*hubspot.CMSObjectsService)(nil)
	_ ObjectReader    = (*hubspot.ObjectsService)(nil)
	_ OwnerReader     = (*hubspot.OwnersService)(nil)
)

// services are the parts of the HubSpot client the source calls.
type services struct {
	objects    ObjectReader
	owners     OwnerReader
	properties PropertyLister
	schemas    SchemaLister
	assoc      AssociationReader
	pipelines  PipelineReader
	lists      ListReader
	// cmsObjects returns the reader of a KindCMSObject resource: with
	// drafts, of a Drafts resource's drafts (hubdbDrafts).
	cmsObjects func(spec hubspot.CMSSpec, drafts bool) CMSObjectReader
	// serverTime is HubSpot's clock as its last answer dated it (nil or
	// false: not known).
	serverTime func() (time.Time, bool)
}

// servicesOf returns the services of a client.
func servicesOf(c *hubspot.Client) services {
	return services{objects: c.Objects, owners: c.Owners, properties: c.Properties, schemas: c.Schemas, assoc: c.Associations,
		serverTime: c.ServerTime, pipelines: c.Pipelines, lists: c.Lists,
		cmsObjects: func(spec hubspot.CMSSpec, drafts bool) CMSObjectReader {
			svc := c.CMSObjects(spec)
			if drafts && spec.Drafts {
				return draftReader{svc}
			}
			return svc
		}}
}

// draftReader lists a Drafts resource's drafts (a HubDB table's, where
// each edit shows as it is made) in place of its published versions.
type draftReader struct{ svc *hubspot.CMSObjectsService }

func (d draftReader) List(ctx context.Context, opts hubspot.CMSListOptions) (*hubspot.CMSObjectPage, error) {
	return d.svc.ListDrafts(ctx, opts)
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
	// cmsObjects reads a KindCMSObject resource.
	cmsObjects CMSObjectReader
	// links are the types whose links each object's payload carries
	// (links.go), read with assoc.
	links []string
	assoc AssociationReader
	// emitted tells the search results emitted already, which the change
	// scan drops: their links are not read.
	emitted func(item) bool
	now     func() time.Time
	// timeless are the CMS objects that came without an update time,
	// logged once each (failTimeless).
	timeless map[string]bool
	// slim says that HubSpot refused a search for its size: the
	// resource's searches are slim for the rest of the run
	// (slimsearch.go). Atomic: the snapshot's search runs on a fetch's
	// goroutine.
	slim atomic.Bool
}

// properties are the names a read asks for.
func (h *hub) columns() *hubspot.Columns {
	if h.catalog == nil {
		return nil
	}
	return h.catalog.columns
}

// listPage is a page of the list, live objects (or owners) in id order,
// with the properties props. It reads nothing of the hub that changes, so
// a fetch may run it on its own goroutine.
func (h *hub) listPage(ctx context.Context, after string, cols *hubspot.Columns) (page, error) {
	if h.resource.IsOwners {
		items, next, err := h.ownersPage(ctx, after, false)
		return page{items: items, next: next}, err
	}
	return h.objectsPage(ctx, after, cols, false)
}

// listArchived returns a page of the resource's archived objects (or
// owners), all of them: no document says that an archive moves a CMS
// object's updated time, so the list is not filtered by it, and its order
// is not asked for.
func (h *hub) listArchived(ctx context.Context, after string) ([]item, string, error) {
	if h.resource.IsOwners {
		return h.ownersPage(ctx, after, true)
	}
	if h.resource.Kind.IsCMS() {
		items, next, _, err := h.cmsPage(ctx, hubspot.CMSListOptions{Limit: hubspot.MaxListLimit, After: after, Archived: true})
		return items, next, err
	}
	return h.taken(h.objectsPage(ctx, after, h.columns(), true))
}

// cmsPage returns a page of the CMS resource's objects and the cursor of
// the next.
func (h *hub) cmsPage(ctx context.Context, opts hubspot.CMSListOptions) ([]item, string, int, error) {
	page, err := h.cmsObjects.List(ctx, opts)
	if err != nil {
		return nil, "", 0, err
	}
	items := make([]item, 0, len(page.Results))
	for _, o := range page.Results {
		it, err := cmsObjectItem(*h.resource.CMS, o, opts.Archived)
		var timeless *noUpdatedError
		if errors.As(err, &timeless) {
			h.failTimeless(ctx, timeless)
			continue
		}
		if err != nil {
			return nil, "", 0, err
		}
		items = append(items, it)
	}
	return items, page.NextAfter(), page.Total, nil
}

// failTimeless fails the record of an object that came without an update
// time, and not the pipeline: it is left out, with an error logged once
// a run for each such object, naming it and the fields.
func (h *hub) failTimeless(ctx context.Context, e *noUpdatedError) {
	if h.timeless == nil {
		h.timeless = map[string]bool{}
	}
	if h.timeless[e.id] {
		return
	}
	h.timeless[e.id] = true
	sdk.Logger(ctx).Error().Str("resource", h.resource.Name).Str("id", e.id).Strs("fields", e.fields).Err(e).
		Msg("hubspot source: an object came without an update time; its record is left out, the others are read")
}

// cmsFields are the documented fields of the CMS resource, which type the
// payload and make its schema.
func (h *hub) cmsFields() []hubspot.Property {
	return cmsObjectFields(*h.resource.CMS)
}

// search returns a page of search results and the cursor of the next.
func (h *hub) search(ctx context.Context, req hubspot.SearchRequest) ([]item, string, error) {
	items, next, err := h.taken(h.searchPage(ctx, req))
	if err == nil {
		// The look-back reads again what was emitted: no links for those.
		err = h.linkedUnless(ctx, items, h.emitted)
	}
	return items, next, err
}

// searchPage is search's answer: in the slim form once HubSpot refused a
// search for its size (slimsearch.go). It reads nothing of the hub that
// changes but the atomic slim, so a fetch may run it on its own
// goroutine.
func (h *hub) searchPage(ctx context.Context, req hubspot.SearchRequest) (page, error) {
	if h.slim.Load() {
		return h.slimSearchPage(ctx, req)
	}
	p, err := h.objects.Search(ctx, h.resource.Name, req)
	if err != nil {
		if req.MayBeTooLarge(err) {
			return h.fallBack(ctx, req, err)
		}
		return page{}, err
	}
	items, err := h.objectItems(p.Results)
	return page{items: items, next: p.NextAfter()}, err
}

// objectsPage is a list page of objects with the properties props, like
// searchPage safe on a fetch's goroutine.
func (h *hub) objectsPage(ctx context.Context, after string, cols *hubspot.Columns, archived bool) (page, error) {
	limit := h.pageSize
	if archived {
		limit = hubspot.MaxListLimit // deletes are read whole: use the largest page
	}
	p, err := h.objects.List(ctx, h.resource.Name, hubspot.ListOptions{
		Limit: limit, After: after, Columns: cols, Archived: archived,
	})
	if err != nil {
		return page{}, err
	}
	items, err := h.objectItems(p.Results)
	if err == nil && !archived {
		err = h.linked(ctx, items)
	}
	return page{items: items, next: p.NextAfter()}, err
}

// taken returns a page that was read as its items and next cursor. The
// catalog learns of properties it lacks from the records built of them
// (shape.fill), on Read's goroutine.
func (h *hub) taken(p page, err error) ([]item, string, error) {
	if err != nil {
		return nil, "", err
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

// ownersPage returns a page of the live owners, or of the archived ones,
// which are read whole: in the largest pages.
func (h *hub) ownersPage(ctx context.Context, after string, archived bool) ([]item, string, error) {
	limit := h.pageSize
	if archived {
		limit = hubspot.MaxListLimit
	}
	page, err := h.owners.List(ctx, hubspot.OwnerListOptions{Limit: limit, After: after, Archived: archived})
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
