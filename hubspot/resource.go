package hubspot

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
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
)

// Has reports whether every operation of want is in o.
func (o Ops) Has(want Ops) bool { return o&want == want }

// crudOps is what every CRM object type supports.
const crudOps = OpList | OpGet | OpSearch | OpCreate | OpUpdate | OpArchive | OpListArchived | OpBatch

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

	legacyResourceNamePrefix = "crm."
	ownersResourceName       = "owners"
)

// Resource describes one HubSpot resource the connector can read or write:
// where it lives, which properties carry its timestamps, what it supports.
type Resource struct {
	// Name is the object type as it appears in API paths ("contacts",
	// "line_items", "2-12345", "p1234567_cars").
	Name string
	// TypeID is HubSpot's object type id of a standard object ("0-1" for
	// contacts), which its paths take in place of the name.
	TypeID string
	// Aliases are other spellings users may configure, such as the existing
	// Conduit connector's "crm.lineItems".
	Aliases []string
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
	// IsOwners marks the owners resource, which lives outside /crm/v3/objects.
	IsOwners bool
	// Merges says that objects of the type can be merged, which absorbs
	// one into another and lists its id in MergedIDsProperty.
	Merges bool
}

// resourceTable is the one table of HubSpot resources; nothing else in the
// package switches on a resource name. It is built on each call so that no
// caller can change it for another. The type ids are HubSpot's
// (https://developers.hubspot.com/docs/guides/crm/using-object-apis, "Object
// type ID values").
func resourceTable() []Resource {
	return []Resource{
		merging(withUnique(object("contacts", "0-1", propCreateDate, propLastModifiedDate, []string{"email", "firstname", "lastname"}), "email")),
		merging(object("companies", "0-2", propCreateDate, propHSLastModifiedDate, []string{"domain", "name"})),
		merging(object("deals", "0-3", propCreateDate, propHSLastModifiedDate, []string{"amount", "closedate", "dealname", "dealstage", "pipeline"})),
		merging(object("tickets", "0-5", propCreateDate, propHSLastModifiedDate, []string{"content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject"})),
		object("products", "0-7", propCreateDate, propHSLastModifiedDate, []string{"description", "name", "price"}),
		object("line_items", "0-8", propCreateDate, propHSLastModifiedDate, []string{"amount", "hs_product_id", "name", "price", "quantity"}, "crm.lineItems", "lineItems", "line-items"),
		object("quotes", "0-14", propHSCreateDate, propHSLastModifiedDate, []string{"hs_expiration_date", "hs_public_url_key", "hs_status", "hs_title"}),
		object("calls", "0-48", propHSCreateDate, propHSLastModifiedDate, []string{"hs_timestamp"}),
		object("emails", "0-49", propHSCreateDate, propHSLastModifiedDate, []string{"hs_timestamp"}),
		object("meetings", "0-47", propHSCreateDate, propHSLastModifiedDate, []string{"hs_timestamp"}),
		object("notes", "0-46", propHSCreateDate, propHSLastModifiedDate, []string{"hs_timestamp"}),
		object("tasks", "0-27", propHSCreateDate, propHSLastModifiedDate, []string{"hs_timestamp"}),
		{Name: ownersResourceName, Ops: OpList | OpGet, IsOwners: true},
	}
}

// customObjectName matches the names HubSpot's paths take for a custom
// object: its type id ("2-12345"), or its fully qualified name
// p{portalId}_{name} ("p7878787_my_object", also written p_{name}). HubSpot's
// schema docs show both forms: a custom object's name holds letters, digits
// and underscores and starts with a letter
// (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/schemas/guide,
// https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/schemas/get-schema).
var customObjectName = regexp.MustCompile(`^(2-[0-9]+|p[0-9]*_[A-Za-z][A-Za-z0-9_]*)$`)

func object(name, typeID, created, modified string, defaults []string, aliases ...string) Resource {
	return Resource{
		Name:              name,
		TypeID:            typeID,
		Aliases:           aliases,
		CreatedProperty:   created,
		ModifiedProperty:  modified,
		DefaultProperties: defaults,
		Ops:               crudOps,
	}
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

// LookupResource finds a resource by its name, an alias, the existing Conduit
// connector's "crm."-prefixed spelling, a standard object's type id ("0-1"),
// or a custom object's type id ("2-12345") or fully qualified name
// ("p1234567_cars"). A standard type id gives the standard resource, with its
// own created and modified properties.
func LookupResource(name string) (Resource, error) {
	trimmed := strings.TrimSpace(name)
	bare := strings.TrimPrefix(trimmed, legacyResourceNamePrefix)
	for _, r := range resourceTable() {
		if r.Name == bare || (r.TypeID != "" && r.TypeID == bare) || slices.Contains(r.Aliases, trimmed) || slices.Contains(r.Aliases, bare) {
			return r, nil
		}
	}
	if customObjectName.MatchString(bare) {
		return object(bare, "", propHSCreateDate, propHSLastModifiedDate, nil), nil
	}
	hint := ""
	if near := nearResourceNames(bare); len(near) > 0 {
		hint = fmt.Sprintf(" (did you mean %s?)", strings.Join(near, " or "))
	}
	return Resource{}, fmt.Errorf("unknown resource %q%s: want one of %s, a standard object type id like 0-1, "+
		"or a custom object's type id like 2-12345 or fully qualified name like p1234567_cars",
		name, hint, strings.Join(ResourceNames(), ", "))
}

// nearResourceNames returns, quoted and in table order, the names of the
// resources whose name or an alias is one edit from name, or equal to it but
// for case: the typos a user makes, such as "contact" for "contacts".
func nearResourceNames(name string) []string {
	name = strings.ToLower(name)
	if name == "" {
		return nil
	}
	var out []string
	for _, r := range resourceTable() {
		for _, cand := range append([]string{r.Name}, r.Aliases...) {
			cand = strings.ToLower(strings.TrimPrefix(cand, legacyResourceNamePrefix))
			if editDistance(name, cand) <= 1 {
				out = append(out, strconv.Quote(r.Name))
				break
			}
		}
	}
	return out
}

// editDistance is the Levenshtein distance between a and b: the fewest
// single-rune insertions, deletions and substitutions that turn a into b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
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
