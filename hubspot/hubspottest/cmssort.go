package hubspottest

// How the CMS lists take their sort parameter, and what an archive does
// to an object's updated time: where HubSpot's documents are silent, the
// simulator takes the worst case by default and keeps the behaviour it
// had before behind an option.
//
// The documented sorts differ per API, and none lists id:
//   - pages and HubDB tables: "Valid fields are `name`, `createdAt`,
//     `updatedAt`, `createdBy`, `updatedBy`. `createdAt` will be used by
//     default." (the sort parameter of GET /cms/pages/2026-03/landing-pages
//     and GET /cms/hubdb/2026-03/tables, PublicApiSpecs/CMS/Pages and
//     PublicApiSpecs/CMS/Hubdb in HubSpot's spec collection);
//   - posts and tags: the same fields, in the API reference pages
//     (https://developers.hubspot.com/docs/api-reference/latest/cms/blogs/posts/get-posts,
//     https://developers.hubspot.com/docs/api-reference/latest/cms/blogs/tags/get-tags);
//   - authors: name, created and updated
//     (https://developers.hubspot.com/docs/api-reference/latest/cms/blogs/authors/get-authors);
//   - URL redirects: none (the spec's sort parameter has no description).
//
// What a list does with a key it does not document is not said. HubSpot's
// older blog API ignored such keys without a word
// (HubspotCommunity/hubspot-ruby#34): the default here.

// CMSSort is how the CMS lists take their sort parameter.
type CMSSort int

const (
	// CMSSortDocumented sorts by the keys the resource's API documents and
	// ignores the others; with none, in creation order (the default).
	CMSSortDocumented CMSSort = iota
	// CMSSortIgnored ignores every sort key: results come in creation
	// order, as from an API that takes no sort at all.
	CMSSortIgnored
	// CMSSortAnyField sorts by createdAt, updatedAt, id and the resource's
	// text fields, refuses other keys with 400 and orders by id without a
	// sort: the simulator's behaviour before it modelled the documented
	// sort keys alone.
	CMSSortAnyField
)

// WithCMSSort sets how the CMS lists take their sort parameter.
func WithCMSSort(mode CMSSort) Option { return func(c *config) { c.cmsSort = mode } }

// WithArchiveMovesUpdated makes deleting a CMS object (or HubDB table) set
// its updated time to the time of the delete, as the simulator once did.
// No document says an archive moves updated: by default it does
// not, and the deletion time (archivedAt, deletedAt) alone tells when.
func WithArchiveMovesUpdated() Option { return func(c *config) { c.archiveMovesUpdated = true } }

// The documented sort keys (without a leading "-").
var (
	contentSorts = []string{"name", "createdAt", "updatedAt", "createdBy", "updatedBy"}
	authorSorts  = []string{"name", "created", "updated"}
)

// cmsSorting is what a list's sort parameter may do: the server's mode
// and the keys the resource's API documents.
type cmsSorting struct {
	mode       CMSSort
	documented []string
}
