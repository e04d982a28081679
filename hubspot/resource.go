package hubspot

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Ops is the set of operations a resource supports.
type Ops uint16

// The operations a HubSpot resource may support.
const (
	OpList Ops = 1 << iota
	OpGet
	OpSearch
	OpCreate
	OpUpdate
	OpArchive
	OpListArchived
	OpBatch
	// OpUpsert is batch upsert on a property with unique values.
	OpUpsert
)

// Has reports whether every operation of want is in o.
func (o Ops) Has(want Ops) bool { return o&want == want }

// crudOps is what most CRM object types support: every call of HubSpot's
// objects API.
const crudOps = readOps | OpCreate | OpUpdate | OpArchive | OpUpsert

// readOps are the reads of the objects API: list (also of the archived),
// read, search and batch read.
const readOps = OpList | OpGet | OpSearch | OpListArchived | OpBatch

// Property names HubSpot uses for the created and last-modified times.
const (
	propCreateDate         = "createdate"
	propHSCreateDate       = "hs_createdate"
	propLastModifiedDate   = "lastmodifieddate"
	propHSLastModifiedDate = "hs_lastmodifieddate"
	ObjectIDProperty       = "hs_object_id" // the id as a property, for search filters and sorts
	// MergedIDsProperty lists, ;-separated, the ids of the objects merged
	// into an object; a merge archives nothing.
	MergedIDsProperty = "hs_merged_object_ids"

	ownersResourceName = "owners"
)

// Kind is the API family a resource belongs to, which decides the calls
// that read and write it.
type Kind int

// The kinds of resources.
const (
	// KindCRMObject is a CRM object type (/crm/objects/{version}/{type}, with
	// properties, search and batch calls) or the owners.
	KindCRMObject Kind = iota
	// KindCMSObject is a CMS resource served by CMSObjectsService from its
	// Resource.CMS spec (URL redirects, blog tags, posts and authors,
	// landing and site pages): JSON objects, not property bags.
	KindCMSObject
	// KindPipelines is the pipelines of an object type, or their stages
	// (pipelineresources.go): read whole from one list call each poll.
	KindPipelines
	// KindLists is the list definitions, or their members
	// (listresources.go): read from the lists search and each changed
	// list's memberships.
	KindLists
)

// IsCMS reports whether the kind is a CMS resource: JSON objects read from
// a list that filters and sorts by updatedAt, written one per call or in
// batches where the resource has batch calls.
func (k Kind) IsCMS() bool { return k == KindCMSObject }

// FeedbackSubmissionsResourceName is the name of the feedback submissions,
// a CRM object HubSpot's API only reads.
const FeedbackSubmissionsResourceName = "feedback_submissions"

// Resource describes one HubSpot resource the connector can read or write:
// where it lives, which properties carry its timestamps, what it supports.
type Resource struct {
	// Name is the object type as it appears in API paths ("contacts",
	// "line_items", "2-12345", "p1234567_cars").
	Name string
	// TypeID is HubSpot's object type id of a standard object ("0-1" for
	// contacts), which its paths take in place of the name.
	TypeID string
	// CreatedProperty and ModifiedProperty name the properties that hold the
	// creation and last-modification time; they are empty for owners.
	CreatedProperty  string
	ModifiedProperty string
	// DefaultProperties are the properties HubSpot returns when a request
	// names none (besides the created, modified and id properties).
	DefaultProperties []string
	// UniqueProperties are properties HubSpot keeps unique although its
	// properties API reports hasUniqueValue false for them: contacts'
	// email (HubSpot folds its case). Upserts may key on them, and a lost
	// create answer is checked through them.
	UniqueProperties []string
	// Ops is what the API supports for the resource.
	Ops Ops
	// IsOwners marks the owners resource, which lives outside the objects API.
	IsOwners bool
	// Merges says that objects of the type can be merged, which absorbs
	// one into another and lists its id in MergedIDsProperty.
	Merges bool
	// Kind is the resource's API family.
	Kind Kind
	// LegacyName is the earlier Conduit HubSpot connector's name of a
	// resource whose name is not its own ("cms.urlRedirects",
	// "crm.feedbackSubmissions"), also accepted.
	LegacyName string
	// Aliases are other names HubSpot's paths give the type ("payments",
	// the older API's name of commerce_payments), also accepted.
	Aliases []string
	// NaturalKey is the field HubSpot keeps unique among a non-CRM
	// resource's objects (a redirect's routePrefix), by which a create whose
	// answer was lost is looked up.
	NaturalKey string
	// CMS is the shape and calls of a KindCMSObject resource.
	CMS *CMSSpec
	// Pipelines says which pipelines, or stages, a KindPipelines resource
	// is.
	Pipelines *PipelineSpec
	// Lists says whether a KindLists resource is the lists or their
	// members.
	Lists *ListSpec
}

// DisplayName is the name to show a user: the earlier connector's name and
// the short one when the resource has both.
func (r Resource) DisplayName() string {
	if r.LegacyName != "" {
		return r.LegacyName + " (" + r.Name + ")"
	}
	return r.Name
}

// resourceTable is the one table of HubSpot resources; nothing else in the
// package switches on a resource name. It is built on each call so that no
// caller can change it for another. The type ids are HubSpot's
// (https://developers.hubspot.com/docs/guides/crm/using-object-apis, "Object
// type ID values").
func resourceTable() []Resource {
	return slices.Concat([]Resource{
		merging(withUnique(object("contacts", "0-1", propCreateDate, propLastModifiedDate, []string{"email", "firstname", "lastname"}), "email")),
		merging(object("companies", "0-2", propCreateDate, propHSLastModifiedDate, []string{"domain", "name"})),
		merging(object("deals", "0-3", propCreateDate, propHSLastModifiedDate, []string{"amount", "closedate", "dealname", "dealstage", "pipeline"})),
		merging(object("tickets", "0-5", propCreateDate, propHSLastModifiedDate, []string{"content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject"})),
		object("products", "0-7", propCreateDate, propHSLastModifiedDate, []string{"description", "name", "price"}),
		object("line_items", "0-8", propCreateDate, propHSLastModifiedDate, []string{"amount", "hs_product_id", "name", "price", "quantity"}),
		object("quotes", "0-14", propHSCreateDate, propHSLastModifiedDate, []string{"hs_expiration_date", "hs_public_url_key", "hs_status", "hs_title"}),
		object("calls", "0-48", propHSCreateDate, propHSLastModifiedDate, []string{"hs_timestamp"}),
		object("emails", "0-49", propHSCreateDate, propHSLastModifiedDate, []string{"hs_timestamp"}),
		object("meetings", "0-47", propHSCreateDate, propHSLastModifiedDate, []string{"hs_timestamp"}),
		object("notes", "0-46", propHSCreateDate, propHSLastModifiedDate, []string{"hs_timestamp"}),
		object("tasks", "0-27", propHSCreateDate, propHSLastModifiedDate, []string{"hs_timestamp"}),
		// https://developers.hubspot.com/docs/api/crm/feedback-submissions:
		// "This API is read-only" (list, read, search and batch read, no
		// writes); the default properties are hs_createdate,
		// hs_lastmodifieddate and hs_object_id. 0-19 is the type id
		// HubSpot's object type id table gives feedback submissions.
		readOnlyObject(object(FeedbackSubmissionsResourceName, "0-19", propHSCreateDate, propHSLastModifiedDate, nil), "crm.feedbackSubmissions"),
	}, libraryObjects(), []Resource{
		{Name: ownersResourceName, Ops: OpList | OpGet | OpListArchived, IsOwners: true},
		cmsObject(URLRedirectsResourceName, "cms.urlRedirects", urlRedirectSpec()),
		cmsObject(BlogTagsResourceName, "cms.blogs.tags", blogTagSpec()),
		cmsObject(BlogPostsResourceName, "cms.blogs.posts", blogPostSpec()),
		cmsObject(BlogAuthorsResourceName, "cms.blogs.authors", blogAuthorSpec()),
		cmsObject(LandingPagesResourceName, "cms.pages.landing", pageSpec("landing page", "landing-pages")),
		cmsObject(SitePagesResourceName, "cms.pages.site", pageSpec("site page", "site-pages")),
		cmsObject(HubDBTablesResourceName, "cms.hubdb.tables", hubdbTableSpec()),
	}, pipelineResources(), listResources())
}

// cmsObject is a row of a CMSObjectsService resource: list, get, create,
// update, delete, and the batch calls where the connector uses them; no
// search (cmsspecs.go).
func cmsObject(name, legacy string, spec *CMSSpec) Resource {
	r := Resource{Name: name, LegacyName: legacy, Kind: KindCMSObject, NaturalKey: spec.Key[0], CMS: spec,
		Ops: OpList | OpGet | OpCreate | OpUpdate | OpArchive | OpListArchived}
	if spec.Batch {
		r.Ops |= OpBatch
	}
	return r
}

// customObjectName matches the names HubSpot's paths take for a custom
// object: its type id ("2-12345"), or its fully qualified name
// p{portalId}_{name} ("p7878787_my_object", also written p_{name}). HubSpot's
// schema docs show both forms: a custom object's name holds letters, digits
// and underscores and starts with a letter
// (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/schemas/guide,
// https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/schemas/get-schema).
var customObjectName = regexp.MustCompile(`^(2-[0-9]+|p[0-9]*_[A-Za-z][A-Za-z0-9_]*)$`)

func object(name, typeID, created, modified string, defaults []string) Resource {
	return Resource{
		Name:              name,
		TypeID:            typeID,
		CreatedProperty:   created,
		ModifiedProperty:  modified,
		DefaultProperties: defaults,
		Ops:               crudOps,
	}
}

// readOnlyObject marks a CRM object type whose API only reads: it lists,
// reads, searches and batch-reads, and writes nothing; legacy is the
// earlier connector's name of it.
func readOnlyObject(r Resource, legacy string) Resource {
	r.Ops = readOps
	r.LegacyName = legacy
	return r
}

// ReadOnly reports whether HubSpot's API writes none of the resource's
// objects.
func (r Resource) ReadOnly() bool {
	return !r.Ops.Has(OpCreate) && !r.Ops.Has(OpUpdate) && !r.Ops.Has(OpArchive)
}

func withUnique(r Resource, props ...string) Resource {
	r.UniqueProperties = props
	return r
}

// FoldsCase reports whether HubSpot matches values of the unique property
// without regard to case, as it does for email.
func (r Resource) FoldsCase(property string) bool {
	return property == "email" && slices.Contains(r.UniqueProperties, property)
}

// merging marks a type whose objects can be merged: contacts, companies,
// deals and tickets (https://knowledge.hubspot.com/records/merge-records).
func merging(r Resource) Resource {
	r.Merges = true
	return r
}

// Properties returns the properties to ask for so that every read returns
// the same set: the defaults, the id, created and modified properties, and
// extra, without repeats.
func (r Resource) Properties(extra []string) []string {
	var out []string
	for _, p := range slices.Concat([]string{ObjectIDProperty, r.CreatedProperty, r.ModifiedProperty}, r.DefaultProperties, extra) {
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// Resources returns the resources with a fixed name, in table order. Custom
// objects are not listed: they are found by LookupResource.
func Resources() []Resource { return resourceTable() }

// LookupResource finds a resource by the name its API paths take
// ("contacts", "line_items"), a standard object's type id ("0-1"), or a
// custom object's type id ("2-12345") or fully qualified name
// ("p1234567_cars"). A standard type id gives the standard resource, with its
// own created and modified properties; an alias the name HubSpot's older API
// gave it ("payments"). A resource that is no CRM object is
// found by its short or its LegacyName ("url_redirects", "cms.urlRedirects").
// An unknown name is an *UnknownResourceError.
func LookupResource(name string) (Resource, error) {
	for _, r := range resourceTable() {
		if r.Name == name || (r.TypeID != "" && r.TypeID == name) || (r.LegacyName != "" && r.LegacyName == name) || slices.Contains(r.Aliases, name) {
			return r, nil
		}
	}
	if customObjectName.MatchString(name) {
		return object(name, "", propHSCreateDate, propHSLastModifiedDate, nil), nil
	}
	return Resource{}, &UnknownResourceError{Name: name}
}

// UnknownResourceError is a name that is no HubSpot resource.
type UnknownResourceError struct {
	Name string
	// Hint, when set, follows the name in the message, such as a
	// "did you mean" of the caller's.
	Hint string
}

func (e *UnknownResourceError) Error() string {
	hint := ""
	if e.Hint != "" {
		hint = " " + e.Hint
	}
	return fmt.Sprintf("unknown resource %q%s: want one of %s, a standard object type id like 0-1, "+
		"or a custom object's type id like 2-12345 or fully qualified name like p1234567_cars",
		e.Name, hint, strings.Join(ResourceNames(), ", "))
}

// ResourceNames lists the names of the fixed resources.
func ResourceNames() []string {
	table := resourceTable()
	names := make([]string, len(table))
	for i, r := range table {
		names[i] = r.Name
	}
	return names
}
