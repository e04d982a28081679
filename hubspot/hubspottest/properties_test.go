package hubspottest_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

type optionDef struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	DisplayOrder *int   `json:"displayOrder"`
	Hidden       *bool  `json:"hidden"`
}

type propertyDef struct {
	Name                 string      `json:"name"`
	Label                string      `json:"label"`
	Description          string      `json:"description"`
	Type                 string      `json:"type"`
	FieldType            string      `json:"fieldType"`
	GroupName            string      `json:"groupName"`
	Options              []optionDef `json:"options"`
	HasUniqueValue       bool        `json:"hasUniqueValue"`
	Archived             bool        `json:"archived"`
	ArchivedAt           string      `json:"archivedAt"`
	ModificationMetadata struct {
		ReadOnlyValue bool `json:"readOnlyValue"`
	} `json:"modificationMetadata"`
}

// propertyDefs lists a type's properties over HTTP.
func propertyDefs(t *testing.T, srv *hubspottest.Server, objectType string, archived bool) []propertyDef {
	t.Helper()
	r := call(t, srv, "GET", fmt.Sprintf("/crm/v3/properties/%s?archived=%t", objectType, archived), "")
	if r.status != 200 {
		t.Fatalf("list %s properties: %d %s", objectType, r.status, r.body)
	}
	var v struct{ Results []propertyDef }
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatal(err)
	}
	return v.Results
}

func names(defs []propertyDef) []string {
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = d.Name
	}
	return out
}

// fieldTypes are HubSpot's valid field types by type
// (https://developers.hubspot.com/docs/api/crm/properties), with html,
// phonenumber and the calculation_* ones HubSpot's own properties show.
var fieldTypes = map[string][]string{
	"bool":         {"booleancheckbox", "calculation_equation"},
	"enumeration":  {"booleancheckbox", "checkbox", "radio", "select", "calculation_equation"},
	"date":         {"date"},
	"datetime":     {"date", "calculation_equation", "calculation_rollup"},
	"string":       {"file", "text", "textarea", "html", "phonenumber", "calculation_equation"},
	"number":       {"number", "calculation_equation", "calculation_rollup", "calculation_score"},
	"phone_number": {"phonenumber"},
}

func TestFullCatalogSizesAndTypes(t *testing.T) {
	is := is.New(t)
	small := newServer(t)
	is.True(len(propertyDefs(t, small, "contacts", false)) < 30) // the default set stays small

	srv := newServer(t, hubspottest.WithFullPropertyCatalog())
	for _, c := range []struct {
		typ      string
		min, max int
	}{
		{"contacts", 600, 620}, {"companies", 250, 270}, {"deals", 200, 215}, {"tickets", 150, 165},
		{"products", 75, 85}, {"notes", 75, 85}, {"quotes", 75, 85},
	} {
		defs := propertyDefs(t, srv, c.typ, false)
		if len(defs) < c.min || len(defs) > c.max {
			t.Fatalf("%s: %d properties, want %d to %d", c.typ, len(defs), c.min, c.max)
		}
		seen := map[string]bool{}
		kinds := map[string]bool{}
		for _, d := range defs {
			if seen[d.Name] {
				t.Fatalf("%s: %s listed twice", c.typ, d.Name)
			}
			seen[d.Name] = true
			if !slices.Contains(fieldTypes[d.Type], d.FieldType) {
				t.Fatalf("%s.%s: type %q with fieldType %q", c.typ, d.Name, d.Type, d.FieldType)
			}
			kinds[d.Type+"/"+d.FieldType] = true
			if d.Type == "enumeration" && d.Name != "hubspot_owner_id" && d.Name != "hs_merged_object_ids" { // their values are owners and ids
				is.True(len(d.Options) > 0)
				for i, o := range d.Options {
					is.True(o.Label != "" && o.Value != "")
					is.True(o.DisplayOrder != nil && *o.DisplayOrder == i)
					is.True(o.Hidden != nil && !*o.Hidden)
				}
			}
			is.True(d.Label != "" && d.GroupName != "")
		}
		// Every type with each of its field types in HubSpot's table.
		for _, k := range []string{
			"string/text", "string/textarea", "string/html", "string/file", "string/phonenumber",
			"number/number", "number/calculation_score", "number/calculation_rollup", "bool/booleancheckbox",
			"bool/calculation_equation", "datetime/date", "datetime/calculation_rollup", "date/date",
			"enumeration/select", "enumeration/radio", "enumeration/checkbox", "enumeration/booleancheckbox",
			"phone_number/phonenumber",
		} {
			if !kinds[k] {
				t.Fatalf("%s: no %s property", c.typ, k)
			}
		}
	}
	contacts := names(propertyDefs(t, srv, "contacts", false))
	for _, n := range []string{
		"email", "firstname", "lastname", "phone", "lifecyclestage", "hs_lead_status", "num_notes",
		"hs_analytics_num_page_views", "notes_last_contacted", "hs_email_optout", "date_of_birth",
		"createdate", "lastmodifieddate", "hs_object_id", "hubspot_owner_id",
	} {
		is.True(slices.Contains(contacts, n))
	}
	// The same options give the same catalogue.
	is.Equal(names(propertyDefs(t, newServer(t, hubspottest.WithFullPropertyCatalog()), "contacts", false)), contacts)
}

// batchReadAll reads objects by id with every named property in the body.
func batchReadAll(t *testing.T, srv *hubspottest.Server, objectType string, ids, properties []string) []map[string]any {
	t.Helper()
	inputs := make([]map[string]string, len(ids))
	for i, id := range ids {
		inputs[i] = map[string]string{"id": id}
	}
	body, err := json.Marshal(map[string]any{"properties": properties, "inputs": inputs})
	if err != nil {
		t.Fatal(err)
	}
	r := call(t, srv, "POST", "/crm/v3/objects/"+objectType+"/batch/read", string(body))
	if r.status != 200 {
		t.Fatalf("batch read: %d %s", r.status, r.body)
	}
	return results(t, r)
}

func TestCreateAndArchivePropertyOverHTTP(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	def := `{"name":"favourite_colours","label":"Favourite colours","type":"enumeration","fieldType":"checkbox","groupName":"contactinformation","description":"Pick any",
		"options":[{"label":"Red","value":"red","displayOrder":0,"hidden":false},{"label":"Blue","value":"blue","displayOrder":1,"hidden":false}]}`
	r := call(t, srv, "POST", "/crm/v3/properties/contacts", def)
	is.Equal(r.status, 201)
	var created propertyDef
	is.NoErr(json.Unmarshal(r.body, &created))
	is.Equal(created.Name, "favourite_colours")
	is.Equal(created.FieldType, "checkbox")
	is.Equal(created.Description, "Pick any")
	is.Equal(created.Label, "Favourite colours")
	is.Equal(len(created.Options), 2)
	is.True(!created.Archived)
	is.Equal(call(t, srv, "GET", "/crm/v3/properties/contacts/favourite_colours", "").status, 200)

	// A second one of the name is a conflict.
	r = call(t, srv, "POST", "/crm/v3/properties/contacts", def)
	is.Equal(r.status, 409)
	is.Equal(r.json(t)["category"], "CONFLICT")

	// Objects take values of it, checked against its options.
	r = call(t, srv, "POST", "/crm/v3/objects/contacts", `{"properties":{"email":"c@example.com","favourite_colours":"red;blue"}}`)
	is.Equal(r.status, 201)
	id := r.json(t)["id"].(string)
	is.Equal(call(t, srv, "PATCH", "/crm/v3/objects/contacts/"+id, `{"properties":{"favourite_colours":"green"}}`).status, 400)
	p := props(call(t, srv, "GET", "/crm/v3/objects/contacts/"+id+"?properties=favourite_colours", "").json(t))
	is.Equal(p["favourite_colours"], "red;blue")

	// Archived: gone from the list, reads and writes, listed as archived.
	is.Equal(call(t, srv, "DELETE", "/crm/v3/properties/contacts/favourite_colours", "").status, 204)
	is.Equal(call(t, srv, "DELETE", "/crm/v3/properties/contacts/favourite_colours", "").status, 204) // again
	is.True(!slices.Contains(names(propertyDefs(t, srv, "contacts", false)), "favourite_colours"))
	archived := propertyDefs(t, srv, "contacts", true)
	is.Equal(names(archived), []string{"favourite_colours"})
	is.True(archived[0].Archived && archived[0].ArchivedAt != "")
	is.Equal(call(t, srv, "GET", "/crm/v3/properties/contacts/favourite_colours", "").status, 404)
	is.Equal(call(t, srv, "GET", "/crm/v3/properties/contacts/favourite_colours?archived=true", "").status, 200)
	p = props(call(t, srv, "GET", "/crm/v3/objects/contacts/"+id+"?properties=favourite_colours,email", "").json(t))
	_, has := p["favourite_colours"]
	is.True(!has)
	is.Equal(p["email"], "c@example.com")
	objects := batchReadAll(t, srv, "contacts", []string{id}, []string{"favourite_colours"})
	_, has = props(objects[0])["favourite_colours"]
	is.True(!has)
	is.Equal(call(t, srv, "PATCH", "/crm/v3/objects/contacts/"+id, `{"properties":{"favourite_colours":"red"}}`).status, 400)
	is.Equal(call(t, srv, "POST", "/crm/v3/properties/contacts", def).status, 409) // the name is in the bin

	// HubSpot's own read-only properties cannot be archived.
	is.Equal(call(t, srv, "DELETE", "/crm/v3/properties/contacts/createdate", "").status, 400)
}

func TestCreatePropertyRefused(t *testing.T) {
	srv := newServer(t)
	for _, c := range []struct{ name, body string }{
		{"no name", `{"label":"X","type":"string","fieldType":"text","groupName":"contactinformation"}`},
		{"no group", `{"name":"x","label":"X","type":"string","fieldType":"text"}`},
		{"no label", `{"name":"x","type":"string","fieldType":"text","groupName":"contactinformation"}`},
		{"bad name", `{"name":"Bad Name","label":"X","type":"string","fieldType":"text","groupName":"contactinformation"}`},
		{"unknown type", `{"name":"x","label":"X","type":"money","fieldType":"text","groupName":"contactinformation"}`},
		{"field type of another type", `{"name":"x","label":"X","type":"bool","fieldType":"text","groupName":"contactinformation"}`},
		{"option without a value", `{"name":"x","label":"X","type":"enumeration","fieldType":"select","groupName":"contactinformation","options":[{"label":"A"}]}`},
		{"not JSON", `{"name":`},
	} {
		t.Run(c.name, func(t *testing.T) {
			is := is.New(t)
			r := call(t, srv, "POST", "/crm/v3/properties/contacts", c.body)
			is.Equal(r.status, 400)
			body := r.json(t)
			is.Equal(body["status"], "error")
			is.Equal(body["category"], "VALIDATION_ERROR")
			is.True(body["correlationId"] != "")
			is.True(body["message"] != "")
		})
	}
	is := is.New(t)
	is.Equal(len(propertyDefs(t, srv, "contacts", false)), len(propertyDefs(t, newServer(t), "contacts", false)))
	is.Equal(call(t, srv, "POST", "/crm/v3/properties/nosuchtype", `{}`).status, 400)
}

func TestPropertyHelpers(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	is.NoErr(srv.AddProperty("companies", hubspottest.PropertyDef{Name: "vat_number", Type: hubspottest.TypeString, Unique: true}))
	is.True(srv.AddProperty("companies", hubspottest.PropertyDef{Name: "vat_number", Type: hubspottest.TypeString}) != nil)
	is.True(srv.AddProperty("companies", hubspottest.PropertyDef{Name: "x", Type: "money"}) != nil)
	is.True(srv.AddProperty("nosuchtype", hubspottest.PropertyDef{Name: "x", Type: hubspottest.TypeString}) != nil)

	// Listed with HubSpot's usual field type and group, unique.
	var vat propertyDef
	is.NoErr(json.Unmarshal(call(t, srv, "GET", "/crm/v3/properties/companies/vat_number", "").body, &vat))
	is.Equal(vat.FieldType, "text")
	is.Equal(vat.GroupName, "companyinformation")
	is.True(vat.HasUniqueValue)

	// A unique property serves as idProperty until it is archived.
	id, err := srv.Create("companies", map[string]string{"name": "Acme", "vat_number": "NO123"})
	is.NoErr(err)
	r := call(t, srv, "GET", "/crm/v3/objects/companies/NO123?idProperty=vat_number", "")
	is.Equal(r.status, 200)
	is.Equal(r.json(t)["id"], id)
	is.NoErr(srv.ArchiveProperty("companies", "vat_number"))
	is.Equal(call(t, srv, "GET", "/crm/v3/objects/companies/NO123?idProperty=vat_number", "").status, 400)
	archived := srv.Properties("companies", true)
	is.Equal(len(archived), 1)
	is.True(archived[0].Archived)
	is.True(!slices.ContainsFunc(srv.Properties("companies", false), func(p hubspottest.PropertyDef) bool { return p.Name == "vat_number" }))
	is.True(srv.ArchiveProperty("companies", "createdate") != nil)

	// At most 10 unique properties a type.
	for i := range 10 {
		is.NoErr(srv.AddProperty("deals", hubspottest.PropertyDef{Name: fmt.Sprintf("key_%d", i), Type: hubspottest.TypeString, Unique: true}))
	}
	is.True(srv.AddProperty("deals", hubspottest.PropertyDef{Name: "key_10", Type: hubspottest.TypeString, Unique: true}) != nil)
	is.NoErr(srv.AddProperty("deals", hubspottest.PropertyDef{Name: "key_10", Type: hubspottest.TypeString}))

	// A select takes only its options; the catalogue's lifecyclestage too.
	is.NoErr(srv.AddProperty("deals", hubspottest.PropertyDef{Name: "size", Type: hubspottest.TypeEnumeration, FieldType: "radio",
		Options: []hubspottest.PropertyOption{{Label: "Small", Value: "s"}, {Label: "Large", Value: "l", DisplayOrder: 1}}}))
	_, err = srv.Create("deals", map[string]string{"dealname": "D", "size": "s"})
	is.NoErr(err)
	_, err = srv.Create("deals", map[string]string{"dealname": "D", "size": "s;l"})
	is.True(err != nil)
	full := newServer(t, hubspottest.WithFullPropertyCatalog())
	_, err = full.Create("contacts", map[string]string{"email": "a@b.c", "lifecyclestage": "lead"})
	is.NoErr(err)
	_, err = full.Create("contacts", map[string]string{"email": "b@b.c", "lifecyclestage": "Lead!"})
	is.True(err != nil)
}

// TestSparseValues: with WithSparseValues the full catalogue's names are
// listed, but a seeded object holds the default set's values and the
// caller's only; without it, the catalogue's values fill it.
func TestSparseValues(t *testing.T) {
	is := is.New(t)
	for _, tt := range []struct {
		name     string
		opts     []hubspottest.Option
		min, max int // values a seeded contact holds
	}{
		{"full", []hubspottest.Option{hubspottest.WithFullPropertyCatalog()}, 300, 620},
		{"sparse", []hubspottest.Option{hubspottest.WithFullPropertyCatalog(), hubspottest.WithSparseValues()}, 1, 30},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.opts...)
			is.True(len(propertyDefs(t, srv, "contacts", false)) >= 600)
			ids, err := srv.Seed("contacts", 1, func(int) map[string]string { return map[string]string{"firstname": "Ada"} })
			is.NoErr(err)
			o, ok := srv.Object("contacts", ids[0])
			is.True(ok)
			is.Equal(o.Properties["firstname"], "Ada")
			if n := len(o.Properties); n < tt.min || n > tt.max {
				t.Fatalf("a seeded contact holds %d values, want %d to %d", n, tt.min, tt.max)
			}
		})
	}
}
