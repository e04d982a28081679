package hubspottest_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// assocRead is a v4 batch read answer.
type assocRead struct {
	Results []struct {
		From struct {
			ID string `json:"id"`
		} `json:"from"`
		To []struct {
			ToObjectID       json.Number `json:"toObjectId"`
			AssociationTypes []struct {
				Category string  `json:"category"`
				TypeID   int     `json:"typeId"`
				Label    *string `json:"label"`
			} `json:"associationTypes"`
		} `json:"to"`
		Paging *struct {
			Next struct {
				After string `json:"after"`
			} `json:"next"`
		} `json:"paging"`
	} `json:"results"`
	Errors []struct {
		Category    string              `json:"category"`
		SubCategory string              `json:"subCategory"`
		Message     string              `json:"message"`
		Context     map[string][]string `json:"context"`
	} `json:"errors"`
}

func readAssoc(t *testing.T, r response) assocRead {
	t.Helper()
	var v assocRead
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("status %d, body %q: %v", r.status, r.body, err)
	}
	return v
}

// seedCRM makes two contacts, a company and a deal.
func seedCRM(t *testing.T, srv *hubspottest.Server) (contacts []string, company, deal string) {
	t.Helper()
	contacts, err := srv.Seed("contacts", 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	companies, err := srv.Seed("companies", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	deals, err := srv.Seed("deals", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	return contacts, companies[0], deals[0]
}

func TestAssociationsDefaultReadBothWaysAndArchive(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	contacts, company, _ := seedCRM(t, srv)

	body := fmt.Sprintf(`{"inputs":[{"from":{"id":%q},"to":{"id":%q}},{"from":{"id":%q},"to":{"id":%q}}]}`, contacts[0], company, contacts[1], company)
	res := call(t, srv, "POST", "/crm/v4/associations/contacts/companies/batch/associate/default", body)
	is.Equal(res.status, 200)
	again := call(t, srv, "POST", "/crm/v4/associations/contacts/companies/batch/associate/default", body)
	is.Equal(again.status, 200) // linking again changes nothing

	// From the company's side: both contacts, with company_to_contact's
	// unlabeled type 280.
	read := readAssoc(t, call(t, srv, "POST", "/crm/v4/associations/companies/contacts/batch/read", fmt.Sprintf(`{"inputs":[{"id":%q}]}`, company)))
	is.Equal(len(read.Results), 1)
	is.Equal(len(read.Results[0].To), 2)
	for i, to := range read.Results[0].To {
		is.Equal(to.ToObjectID.String(), contacts[i])
		is.Equal(len(to.AssociationTypes), 1)
		is.Equal(to.AssociationTypes[0].TypeID, 280)
		is.Equal(to.AssociationTypes[0].Category, "HUBSPOT_DEFINED")
		is.True(to.AssociationTypes[0].Label == nil)
	}

	is.Equal(len(srv.LinkChanges()), 2) // the second call changed nothing

	// Archive one pair from the contact's side: gone both ways.
	is.Equal(call(t, srv, "POST", "/crm/v4/associations/contacts/companies/batch/archive",
		fmt.Sprintf(`{"inputs":[{"from":{"id":%q},"to":[{"id":%q}]}]}`, contacts[0], company)).status, 204)
	links, err := srv.Links("companies", company, "contacts")
	is.NoErr(err)
	is.Equal(len(links), 1)
	is.Equal(links[0].ToID, contacts[1])
	changes := srv.LinkChanges()
	is.Equal(len(changes), 3)
	is.Equal(changes[2], hubspottest.LinkChange{FromType: "contacts", FromID: contacts[0], ToType: "companies", ToID: company,
		Kind: hubspottest.LinkRemoved, At: changes[2].At})

	// A contact with nothing linked, and an unknown id, are errors of the
	// result: 207 with NO_ASSOCIATIONS_FOUND.
	r := call(t, srv, "POST", "/crm/v4/associations/contacts/companies/batch/read", fmt.Sprintf(`{"inputs":[{"id":%q},{"id":%q},{"id":"999"}]}`, contacts[0], contacts[1]))
	is.Equal(r.status, 207)
	got := readAssoc(t, r)
	is.Equal(len(got.Results), 1)
	is.Equal(got.Results[0].From.ID, contacts[1])
	is.Equal(got.Results[0].To[0].AssociationTypes[0].TypeID, 279)
	is.Equal(len(got.Errors), 2)
	for _, e := range got.Errors {
		is.Equal(e.Category, "OBJECT_NOT_FOUND")
		is.Equal(e.SubCategory, "crm.associations.NO_ASSOCIATIONS_FOUND")
	}
	is.Equal(got.Errors[0].Context["fromObjectId"], []string{contacts[0]})
	is.Equal(got.Errors[0].Message, "No company is associated with contact "+contacts[0]+".")
}

func TestAssociationsCreateWithLabelsAndLabelsArchive(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	contacts, company, _ := seedCRM(t, srv)
	manager, employer, err := srv.DefineAssociationLabel("contacts", "companies", "Manager", "Managed company")
	is.NoErr(err)

	// The labels listing: HubSpot's types and the account's.
	var labels struct {
		Results []struct {
			Category string  `json:"category"`
			TypeID   int     `json:"typeId"`
			Label    *string `json:"label"`
		} `json:"results"`
	}
	is.NoErr(json.Unmarshal(call(t, srv, "GET", "/crm/v4/associations/contacts/companies/labels", "").body, &labels))
	var listed []string
	for _, l := range labels.Results {
		name := "null"
		if l.Label != nil {
			name = *l.Label
		}
		listed = append(listed, fmt.Sprintf("%s/%d/%s", l.Category, l.TypeID, name))
	}
	is.Equal(listed, []string{"HUBSPOT_DEFINED/1/Primary", "HUBSPOT_DEFINED/279/null", fmt.Sprintf("USER_DEFINED/%d/Manager", manager)})

	create := fmt.Sprintf(`{"inputs":[
		{"from":{"id":%q},"to":{"id":%q},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":%d},{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}]},
		{"from":{"id":%q},"to":{"id":"999"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}]},
		{"from":{"id":%q},"to":{"id":%q},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":3}]}]}`,
		contacts[0], company, manager, contacts[1], contacts[1], company)
	r := call(t, srv, "POST", "/crm/v4/associations/contacts/companies/batch/create", create)
	is.Equal(r.status, 207) // one good input, a missing company, a deal's type id
	v := r.json(t)
	is.Equal(len(v["results"].([]any)), 1)
	is.Equal(len(v["errors"].([]any)), 2)
	first := v["results"].([]any)[0].(map[string]any)
	is.Equal(first["fromObjectTypeId"], "0-1")
	is.Equal(first["labels"], []any{"Primary", "Manager"})

	// The link carries the unlabeled type with the labels, each way.
	links, err := srv.Links("contacts", contacts[0], "companies")
	is.NoErr(err)
	is.Equal(len(links), 1)
	is.Equal(links[0].TypeIDs, []int{1, 279, manager})
	back, err := srv.Links("companies", company, "contacts")
	is.NoErr(err)
	is.Equal(back[0].TypeIDs, []int{2, 280, employer})
	is.Equal(back[0].Labels, []string{"Primary", "Managed company"})

	// Removing a label keeps the link; removing the unlabeled type removes
	// every type.
	labelsArchive := func(typeID int) int {
		return call(t, srv, "POST", "/crm/v4/associations/contacts/companies/batch/labels/archive",
			fmt.Sprintf(`{"inputs":[{"from":{"id":%q},"to":{"id":%q},"types":[{"associationCategory":"","associationTypeId":%d}]}]}`, contacts[0], company, typeID)).status
	}
	is.Equal(labelsArchive(manager), 204)
	links, _ = srv.Links("contacts", contacts[0], "companies")
	is.Equal(links[0].TypeIDs, []int{1, 279})
	is.Equal(labelsArchive(279), 204)
	links, _ = srv.Links("contacts", contacts[0], "companies")
	is.Equal(len(links), 0)
}

func TestAssociationsReadPagesTo(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithoutRateLimits())
	deals, err := srv.Seed("deals", 1, nil)
	is.NoErr(err)
	contacts, err := srv.Seed("contacts", 1203, nil)
	is.NoErr(err)
	for _, c := range contacts {
		is.NoErr(srv.Associate("deals", deals[0], "contacts", c))
	}
	var seen []string
	after := ""
	for calls := 0; ; calls++ {
		is.True(calls < 5)
		r := readAssoc(t, call(t, srv, "POST", "/crm/v4/associations/deals/contacts/batch/read",
			fmt.Sprintf(`{"inputs":[{"id":%q,"after":%q}]}`, deals[0], after)))
		is.Equal(len(r.Results), 1)
		for _, to := range r.Results[0].To {
			seen = append(seen, to.ToObjectID.String())
		}
		if r.Results[0].Paging == nil {
			break
		}
		is.Equal(len(r.Results[0].To), 500)
		after = r.Results[0].Paging.Next.After
	}
	is.Equal(seen, contacts)
}

func TestAssociationsInputLimits(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithoutRateLimits())
	inputs := func(n int, one string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(one, i+1)
		}
		return `{"inputs":[` + strings.Join(parts, ",") + `]}`
	}
	for _, tc := range []struct {
		path, one string
		ok, over  int
	}{
		{"batch/read", `{"id":"%d"}`, 1000, 1001},
		{"batch/associate/default", `{"from":{"id":"%d"},"to":{"id":"1"}}`, 100, 101},
		{"batch/archive", `{"from":{"id":"%d"},"to":[{"id":"1"}]}`, 100, 101},
	} {
		path := "/crm/v4/associations/contacts/companies/" + tc.path
		is.True(call(t, srv, "POST", path, inputs(tc.ok, tc.one)).status < 300)
		is.Equal(call(t, srv, "POST", path, inputs(tc.over, tc.one)).status, 400)
	}
	is.Equal(call(t, srv, "POST", "/crm/v4/associations/contacts/planets/batch/read", `{"inputs":[]}`).status, 400)
}

func TestInlineAssociationsOnListAndRead(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithoutRateLimits())
	contacts, company, deal := seedCRM(t, srv)
	_, primary := srv.AssociationTypeID("contacts", "companies")
	is.NoErr(srv.Associate("contacts", contacts[0], "companies", company, primary))
	is.NoErr(srv.Associate("deals", deal, "contacts", contacts[0]))

	got := call(t, srv, "GET", "/crm/v3/objects/contacts/"+contacts[0]+"?associations=companies,deals", "").json(t)
	assoc := got["associations"].(map[string]any)
	is.Equal(assoc["companies"], map[string]any{"results": []any{
		map[string]any{"id": company, "type": "contact_to_company"},
		map[string]any{"id": company, "type": "contact_to_company_unlabeled"},
	}})
	is.Equal(assoc["deals"], map[string]any{"results": []any{map[string]any{"id": deal, "type": "contact_to_deal"}}})

	// The list: the second contact has no links, so no associations.
	list := results(t, call(t, srv, "GET", "/crm/v3/objects/contacts?limit=10&associations=companies", ""))
	is.Equal(len(list), 2)
	is.True(list[0]["associations"] != nil)
	is.True(list[1]["associations"] == nil)
	is.Equal(call(t, srv, "GET", "/crm/v3/objects/contacts?associations=planets", "").status, 400)

	// Past 100 results a type pages, and shows the first 100.
	many, err := srv.Seed("deals", 150, nil)
	is.NoErr(err)
	for _, d := range many {
		is.NoErr(srv.Associate("contacts", contacts[1], "deals", d))
	}
	got = call(t, srv, "GET", "/crm/v3/objects/contacts/"+contacts[1]+"?associations=deals", "").json(t)
	deals := got["associations"].(map[string]any)["deals"].(map[string]any)
	is.Equal(len(deals["results"].([]any)), 100)
	is.True(deals["paging"] != nil)

	// Archived objects' links are not shown; search shows none.
	is.NoErr(srv.Archive("companies", company))
	got = call(t, srv, "GET", "/crm/v3/objects/contacts/"+contacts[0]+"?associations=companies", "").json(t)
	is.True(got["associations"] == nil)
}

func TestMergeMovesLinksToTheSurvivor(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	contacts, company, deal := seedCRM(t, srv)
	is.NoErr(srv.Associate("contacts", contacts[0], "companies", company))
	is.NoErr(srv.Associate("contacts", contacts[1], "deals", deal))
	is.NoErr(srv.Associate("contacts", contacts[0], "contacts", contacts[1]))

	survivor, err := srv.Merge("contacts", contacts[0], contacts[1])
	is.NoErr(err)
	for _, tc := range []struct{ toType, toID string }{{"companies", company}, {"deals", deal}} {
		links, err := srv.Links("contacts", survivor, tc.toType)
		is.NoErr(err)
		is.Equal(len(links), 1)
		is.Equal(links[0].ToID, tc.toID)
	}
	self, err := srv.Links("contacts", survivor, "contacts")
	is.NoErr(err)
	is.Equal(len(self), 0) // the link between the merged contacts goes
	back, err := srv.Links("deals", deal, "contacts")
	is.NoErr(err)
	is.Equal(len(back), 1)
	is.Equal(back[0].ToID, survivor)
	all, err := srv.AllLinks("contacts", "deals")
	is.NoErr(err)
	is.Equal(all, map[string][]hubspottest.Link{survivor: {{ToID: deal, TypeIDs: []int{4}}}})
}

// TestLinkChangeAndLastModified runs both models of what a link change
// does to the objects at its ends.
func TestLinkChangeAndLastModified(t *testing.T) {
	for _, tc := range []struct {
		name  string
		bumps bool
	}{
		{"links alone do not bump (default)", false},
		{"links bump both ends", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			is := is.New(t)
			clock := hubspottest.NewManualClock(start)
			srv := newServer(t, hubspottest.WithClock(clock), hubspottest.WithAssociationsBumpModified(tc.bumps))
			contacts, company, _ := seedCRM(t, srv)
			clock.Advance(time.Minute)
			linkedAt := start.Add(time.Minute)
			modified := func(typ, id, prop string) string {
				got := call(t, srv, "GET", "/crm/v3/objects/"+typ+"/"+id+"?properties="+prop, "").json(t)
				return props(got)[prop].(string)
			}
			searchSince := func(typ, prop string, since time.Time) int {
				body := fmt.Sprintf(`{"filterGroups":[{"filters":[{"propertyName":%q,"operator":"GTE","value":"%d"}]}]}`, prop, since.UnixMilli())
				return len(results(t, call(t, srv, "POST", "/crm/v3/objects/"+typ+"/search", body)))
			}

			is.Equal(call(t, srv, "POST", "/crm/v4/associations/contacts/companies/batch/associate/default",
				fmt.Sprintf(`{"inputs":[{"from":{"id":%q},"to":{"id":%q}}]}`, contacts[0], company)).status, 200)
			want := start
			if tc.bumps {
				want = linkedAt
			}
			is.Equal(modified("contacts", contacts[0], "lastmodifieddate"), want.Format("2006-01-02T15:04:05.000Z"))
			is.Equal(modified("companies", company, "hs_lastmodifieddate"), want.Format("2006-01-02T15:04:05.000Z"))
			is.Equal(modified("contacts", contacts[1], "lastmodifieddate"), start.Format("2006-01-02T15:04:05.000Z")) // not linked
			wantFound := 0
			if tc.bumps {
				wantFound = 1
			}
			is.Equal(searchSince("contacts", "lastmodifieddate", linkedAt), wantFound)
			is.Equal(searchSince("companies", "hs_lastmodifieddate", linkedAt), wantFound)

			// Removing the link: the same.
			clock.Advance(time.Minute)
			is.NoErr(srv.Unassociate("companies", company, "contacts", contacts[0]))
			if tc.bumps {
				want = linkedAt.Add(time.Minute)
			}
			is.Equal(modified("contacts", contacts[0], "lastmodifieddate"), want.Format("2006-01-02T15:04:05.000Z"))
		})
	}
}

func TestAssociationsArchivedEndsAndBadLabels(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	contacts, company, deal := seedCRM(t, srv)
	is.NoErr(srv.Associate("deals", deal, "contacts", contacts[0]))
	is.NoErr(srv.Associate("deals", deal, "contacts", contacts[1]))
	is.NoErr(srv.Associate("deals", deal, "companies", company))

	// An archived contact's link is not read, from either side.
	is.NoErr(srv.Archive("contacts", contacts[0]))
	read := readAssoc(t, call(t, srv, "POST", "/crm/v4/associations/deals/contacts/batch/read", fmt.Sprintf(`{"inputs":[{"id":%q}]}`, deal)))
	is.Equal(len(read.Results[0].To), 1)
	is.Equal(read.Results[0].To[0].ToObjectID.String(), contacts[1])
	r := call(t, srv, "POST", "/crm/v4/associations/contacts/deals/batch/read", fmt.Sprintf(`{"inputs":[{"id":%q}]}`, contacts[0]))
	is.Equal(r.status, 207)
	// Linking an archived object fails the input.
	r = call(t, srv, "POST", "/crm/v4/associations/deals/contacts/batch/associate/default", fmt.Sprintf(`{"inputs":[{"from":{"id":%q},"to":{"id":%q}}]}`, deal, contacts[0]))
	is.Equal(r.status, 207)

	// Labels archive with a type id of another pair fails its input and
	// removes nothing.
	r = call(t, srv, "POST", "/crm/v4/associations/deals/companies/batch/labels/archive",
		fmt.Sprintf(`{"inputs":[{"from":{"id":%q},"to":{"id":%q},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":3}]}]}`, deal, company))
	is.Equal(r.status, 207)
	links, err := srv.Links("deals", deal, "companies")
	is.NoErr(err)
	is.Equal(len(links), 1)
}

func TestAssociationCallsCountAgainstTheRateLimit(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(start)
	srv := newServer(t, hubspottest.WithClock(clock), hubspottest.WithRateLimit(2, 10*time.Second))
	is.Equal(call(t, srv, "GET", "/crm/v4/associations/contacts/companies/labels", "").status, 200)
	is.Equal(call(t, srv, "POST", "/crm/v4/associations/contacts/companies/batch/read", `{"inputs":[]}`).status, 200)
	is.Equal(call(t, srv, "POST", "/crm/v4/associations/contacts/companies/batch/archive", `{"inputs":[]}`).status, 429)
	clock.Advance(10 * time.Second)
	is.Equal(call(t, srv, "POST", "/crm/v4/associations/contacts/companies/batch/archive", `{"inputs":[]}`).status, 204)
	is.Equal(srv.Calls()["POST /crm/v4/associations/contacts/companies/batch/archive"], 2)
}

func TestCreateWithAssociations(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	contacts, company, _ := seedCRM(t, srv)
	link := func(id string, typeID int) string {
		return fmt.Sprintf(`{"to":{"id":%q},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":%d}]}`, id, typeID)
	}

	// One create, linked to a contact (deal_to_contact 3) and a company
	// (deal_to_company 341).
	r := call(t, srv, "POST", "/crm/v3/objects/deals", `{"properties":{"dealname":"Linked"},"associations":[`+link(contacts[0], 3)+","+link(company, 341)+`]}`)
	is.Equal(r.status, 201)
	id := r.json(t)["id"].(string)
	for _, tc := range []struct{ toType, toID string }{{"contacts", contacts[0]}, {"companies", company}} {
		links, err := srv.Links("deals", id, tc.toType)
		is.NoErr(err)
		is.Equal(len(links), 1)
		is.Equal(links[0].ToID, tc.toID)
	}

	// A link to no object, or with another type's id, creates nothing.
	before := len(srv.Objects("deals"))
	for _, bad := range []string{link("999", 3), link(contacts[0], 279)} {
		r := call(t, srv, "POST", "/crm/v3/objects/deals", `{"properties":{"dealname":"Bad"},"associations":[`+bad+`]}`)
		is.Equal(r.status, 400)
	}
	is.Equal(len(srv.Objects("deals")), before)

	// Batch create: each input with its links; a bad one fails alone
	// (deals), a contact batch as a whole (contacts are all or nothing).
	r = call(t, srv, "POST", "/crm/v3/objects/deals/batch/create", `{"inputs":[
		{"properties":{"dealname":"B1"},"associations":[`+link(contacts[1], 3)+`]},
		{"properties":{"dealname":"B2"},"associations":[`+link("999", 3)+`]}]}`)
	is.Equal(r.status, 207)
	back, err := srv.Links("contacts", contacts[1], "deals")
	is.NoErr(err)
	is.Equal(len(back), 1)
	r = call(t, srv, "POST", "/crm/v3/objects/contacts/batch/create", `{"inputs":[
		{"properties":{"email":"c1@example.com"},"associations":[`+link(company, 279)+`]},
		{"properties":{"email":"c2@example.com"},"associations":[`+link(company, 3)+`]}]}`)
	is.Equal(r.status, 400)
	is.Equal(len(srv.LiveIDs("contacts")), 2)
}
