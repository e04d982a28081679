package hubspot

// The documented shapes of the CMS resources served by CMSObjectsService.
// The fields and their JSON types are those of HubSpot's v3 object models:
// the blog post
// (https://developers.hubspot.com/docs/api-reference/legacy/cms/blogs/posts/get-posts,
// https://developers.hubspot.com/docs/api/cms/blog-post), the landing and
// site page
// (https://developers.hubspot.com/docs/api-reference/cms-pages-v3/landing-pages/post-cms-v3-pages-landing-pages-batch-create,
// https://developers.hubspot.com/docs/api-reference/latest/cms/pages/guide)
// and the blog author
// (https://developers.hubspot.com/docs/api-reference/legacy/cms/blogs/authors/batch/create-authors,
// https://developers.hubspot.com/docs/api-reference/latest/cms/blogs/authors/guide).
// Nested objects and arrays (widgets, layoutSections, tagIds, ...) are
// FieldJSON: kept as JSON text.

// The short names of the CMS resources CMSObjectsService serves.
const (
	URLRedirectsResourceName = "url_redirects"
	BlogTagsResourceName     = "blog_tags"
	BlogPostsResourceName    = "blog_posts"
	BlogAuthorsResourceName  = "blog_authors"
	LandingPagesResourceName = "landing_pages"
	SitePagesResourceName    = "site_pages"
	HubDBTablesResourceName  = "hubdb_tables"
)

func text(name string) CMSField    { return CMSField{Name: name, Kind: FieldText} }
func integer(name string) CMSField { return CMSField{Name: name, Kind: FieldInteger} }
func boolean(name string) CMSField { return CMSField{Name: name, Kind: FieldBool} }
func nested(name string) CMSField  { return CMSField{Name: name, Kind: FieldJSON} }
func readOnly(f CMSField) CMSField { f.ReadOnly = true; return f }

// contentFields are the fields blog posts and pages share.
func contentFields() []CMSField {
	return []CMSField{
		text("abStatus"), text("abTestId"), boolean("archivedInDashboard"), nested("attachedStylesheets"),
		readOnly(text("authorName")), text("campaign"), integer("categoryId"), text("contentGroupId"),
		readOnly(text("contentTypeCategory")), readOnly(text("createdById")), readOnly(text("currentState")),
		readOnly(boolean("currentlyPublished")), text("domain"), text("dynamicPageDataSourceId"),
		integer("dynamicPageDataSourceType"), text("dynamicPageHubDbTableId"), boolean("enableDomainStylesheets"),
		boolean("enableLayoutStylesheets"), text("featuredImage"), text("featuredImageAltText"), text("folderId"),
		text("footerHtml"), text("headHtml"), text("htmlTitle"), boolean("includeDefaultCustomCss"), text("language"),
		nested("layoutSections"), text("linkRelCanonicalUrl"), text("mabExperimentId"), text("metaDescription"),
		text("name"), integer("pageExpiryDate"), boolean("pageExpiryEnabled"), integer("pageExpiryRedirectId"),
		text("pageExpiryRedirectUrl"), text("password"), nested("publicAccessRules"), boolean("publicAccessRulesEnabled"),
		{Name: "publishDate", Kind: FieldTime}, boolean("publishImmediately"), text("slug"), text("state"),
		nested("themeSettingsValues"), text("translatedFromId"), readOnly(nested("translations")),
		readOnly(text("updatedById")), readOnly(text("url")), boolean("useFeaturedImage"), nested("widgetContainers"),
		nested("widgets"),
	}
}

// blogPostSpec: /cms/blogs/{version}/posts. The list documents slug__eq among its
// filters (https://developers.hubspot.com/docs/reference/api/cms/blogs/blog-posts,
// "Filtering"). A post's URL is its blog's (contentGroupId) with its slug,
// so the natural key is the slug within the blog: a guess, the docs do not
// say HubSpot refuses a second post of a slug. archivedAt is documented as
// an int64 (epoch milliseconds).
func blogPostSpec() *CMSSpec {
	return &CMSSpec{
		Noun: "blog post", Short: "post", API: APIBlogs, Path: "/posts",
		Fields: append(contentFields(),
			text("blogAuthorId"), boolean("enableGoogleAmpOutputOverride"), text("postBody"), text("postSummary"),
			text("rssBody"), text("rssSummary"), nested("tagIds")),
		DeletedField: "archivedAt", Key: []string{"slug", "contentGroupId"}, KeyFilter: true,
		Required: []string{"name", "contentGroupId"}, Batch: true, UpdatedSort: "updatedAt",
	}
}

// pageSpec: /cms/pages/{version}/landing-pages and .../site-pages, one
// shape. A page's URL is its domain with its slug, the natural key (a
// guess, as for posts); the pages guide's filters are taken to be the
// posts' (slug__eq), also a guess.
func pageSpec(noun, path string) *CMSSpec {
	return &CMSSpec{
		Noun: noun, Short: "page", API: APIPages, Path: "/" + path,
		Fields: append(contentFields(),
			readOnly(boolean("pageRedirected")), text("subcategory"), text("templatePath")),
		DeletedField: "archivedAt", Key: []string{"slug", "domain"}, KeyFilter: true,
		Required: []string{"name"}, Batch: true, UpdatedSort: "updatedAt",
	}
}

// blogAuthorSpec: /cms/blogs/{version}/authors. The natural key is the full name
// in a language, as a tag's name (a guess: the docs do not say names are
// unique); the list is not documented to filter by it, so a look-up reads
// the authors created since the create.
func blogAuthorSpec() *CMSSpec {
	return &CMSSpec{
		Noun: "blog author", Short: "author", API: APIBlogs, Path: "/authors",
		Fields: []CMSField{
			text("avatar"), text("bio"), text("displayName"), text("email"), text("facebook"), text("fullName"),
			text("language"), text("linkedin"), text("name"), text("slug"), integer("translatedFromId"),
			text("twitter"), text("website"),
		},
		DeletedField: "deletedAt", Key: []string{"fullName", "language"},
		Required: []string{"fullName"}, Batch: true, UpdatedSort: "updated",
	}
}

// urlRedirectSpec: /cms/url-redirects/{version}
// (https://developers.hubspot.com/docs/api/cms/url-redirects, the object's
// fields in
// https://developers.hubspot.com/docs/api-reference/legacy/cms/url-redirects/update-url-redirect):
// no batch calls, no search, no deletion time (a delete's time is the
// updated one); HubSpot keeps routePrefix unique. The list has no filter
// on it, so a look-up reads the redirects created since the create.
func urlRedirectSpec() *CMSSpec {
	return &CMSSpec{
		Noun: "URL redirect", Short: "redirect", API: APIURLRedirects, Path: "",
		Fields: []CMSField{
			text("routePrefix"), text("destination"), integer("redirectStyle"), integer("precedence"),
			boolean("isOnlyAfterNotFound"), boolean("isMatchFullUrl"), boolean("isMatchQueryString"),
			boolean("isPattern"), boolean("isTrailingSlashOptional"), boolean("isProtocolAgnostic"),
		},
		Key: []string{"routePrefix"}, Required: []string{"routePrefix", "destination", "redirectStyle"},
	}
}

// blogTagSpec: /cms/blogs/{version}/tags
// (https://developers.hubspot.com/docs/api/cms/blog-tags, the fields in
// https://developers.hubspot.com/docs/api-reference/2026-03/cms/blogs/tags/batch/create-tags;
// v3 has no description). The natural key is the name in a language (a
// guess: the docs do not say names are unique), filtered with name__eq.
// The API has batch calls
// (https://developers.hubspot.com/docs/api-reference/latest/cms/blogs/tags/batch/delete-tags).
func blogTagSpec() *CMSSpec {
	return &CMSSpec{
		Noun: "blog tag", Short: "tag", API: APIBlogs, Path: "/tags",
		Fields:       []CMSField{text("name"), text("slug"), text("language"), integer("translatedFromId")},
		DeletedField: "deletedAt", Key: []string{"name", "language"}, KeyFilter: true, Required: []string{"name"},
		Batch: true, UpdatedSort: "updatedAt",
	}
}

// hubdbTableSpec: /cms/hubdb/{version}/tables, HubSpot's HubDB API
// (https://developers.hubspot.com/docs/api/cms/hubdb, the fields of
// HubDbTableV3 in
// https://developers.hubspot.com/docs/api-reference/cms-hubdb-v3/tables/get-cms-v3-hubdb-tables).
// A table has a draft and a published version: a create makes a draft
// ("Creates a new draft HubDB table"), an update changes the draft (PATCH
// /tables/{tableIdOrName}/draft), publishing copies the draft live (POST
// /tables/{tableIdOrName}/draft/publish,
// https://developers.hubspot.com/docs/api-reference/latest/cms/hubdb/tables/publish-table-draft);
// GET /tables lists the published versions, GET /tables/draft the
// drafts. Paths take a table's id or its name, which HubSpot keeps unique
// in an account and which cannot change once the table exists
// (https://knowledge.hubspot.com/website-and-landing-pages/create-and-hubdb-tables).
// The list sorts by name, createdAt, updatedAt, createdBy or updatedBy,
// not by id. Columns sent replace the table's ("If you do not include an
// already existing column in the request, it will be deleted"); a write
// sends of each column the fields of the spec's ColumnRequest but its id.
// No batch calls for tables; rows are not read or written.
func hubdbTableSpec() *CMSSpec {
	return &CMSSpec{
		Noun: "HubDB table", Short: "table", API: APIHubDB, Path: "/tables",
		Fields: []CMSField{
			text("name"), text("label"),
			{Name: "columns", Kind: FieldJSON, Keep: []string{"name", "label", "type", "options", "description",
				"foreignTableId", "foreignColumnId", "width"}},
			boolean("useForPages"), boolean("allowPublicApiAccess"), boolean("allowChildTables"),
			boolean("enableChildTablePages"), readOnly(boolean("published")),
			readOnly(CMSField{Name: "publishedAt", Kind: FieldTime}), readOnly(integer("rowCount")),
			readOnly(integer("columnCount")),
		},
		Created: "createdAt", Updated: "updatedAt", DeletedField: "deletedAt",
		Key: []string{"name"}, Required: []string{"name", "label"},
		Sorts: []string{"name", "createdAt", "updatedAt", "createdBy", "updatedBy"}, UpdatedSort: "updatedAt",
		Drafts: true, ByKey: true, Scope: "hubdb",
	}
}
