package hubspot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

const testToken = "pat-na1-11111111-2222-3333-4444-555555555555"

// newFakeClock returns a clock that never sleeps: After moves time forward
// by the wait at once and records it, for the tests that check the waits.
func newFakeClock() *hubspottest.ManualClock {
	return hubspottest.NewAutoClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
}

// seenRequest is what a test server received.
type seenRequest struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   string
}

// reply is one canned answer of a test server.
type reply struct {
	status int
	header map[string]string
	body   string
}

// script is a test server that answers with the given replies in turn (the
// last one repeats) and records what it received.
type script struct {
	mu      sync.Mutex
	replies []reply
	seen    []seenRequest
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.seen = append(s.seen, seenRequest{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), string(body)})
	rep := s.replies[min(len(s.seen), len(s.replies))-1]
	s.mu.Unlock()
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
	}
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

func (s *script) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.seen...)
}

// newScripted starts a server with the replies and a client for it that
// uses a fake clock, so retries cost no time.
func newScripted(t *testing.T, replies []reply, opts ...hubspot.Option) (*hubspot.Client, *script, *hubspottest.ManualClock) {
	t.Helper()
	s := &script{replies: replies}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	clock := newFakeClock()
	base := []hubspot.Option{hubspot.WithBaseURL(srv.URL), hubspot.WithClock(clock)}
	c, err := hubspot.NewClient(testToken, append(base, opts...)...)
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	return c, s, clock
}

// assertNoToken fails the test if err's message holds the access token.
func assertNoToken(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), testToken) {
		t.Fatalf("error message holds the access token: %v", err)
	}
}

// jsonEqual compares two JSON texts by value.
func jsonEqual(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("request body %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q is not JSON: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Fatalf("request body\n got %s\nwant %s", gb, wb)
	}
}

const contactJSON = `{"id":"512","properties":{"email":"a@b.c","firstname":null,"lastname":"","createdate":"2026-01-02T03:04:05.678Z","lastmodifieddate":"2026-01-03T03:04:05.678Z","hs_object_id":"512"},"createdAt":"2026-01-02T03:04:05.678Z","updatedAt":"2026-01-03T03:04:05.678Z","archived":false}`

func TestObjectsDecoding(t *testing.T) {
	is := is.New(t)
	c, _, _ := newScripted(t, []reply{{status: 200, body: contactJSON}})
	obj, err := c.Objects.Get(context.Background(), "contacts", "512", hubspot.GetOptions{})
	is.NoErr(err)
	is.Equal(obj.ID, "512")
	email, ok := obj.Properties.Get("email")
	is.True(ok)
	is.Equal(email, "a@b.c")
	// null and "" stay apart
	fn, present := obj.Properties["firstname"]
	is.True(present)
	is.True(fn == nil)
	ln := obj.Properties["lastname"]
	is.True(ln != nil && *ln == "")
	is.Equal(obj.CreatedAt, time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC))
	is.Equal(obj.UpdatedAt, time.Date(2026, 1, 3, 3, 4, 5, 678e6, time.UTC))
	is.True(!obj.Archived)
	is.True(obj.ArchivedAt == nil)
}

// specPrefixes expands a test's path to what HubSpot's spec of each API
// gives at a version (github.com/HubSpot/HubSpot-public-api-spec-collection,
// PublicApiSpecs/<area>/<api>/Rollouts/<n>/<version>/). It is written out
// apart from hubspot.VersionTable, so that a wrong row there fails here.
func specPrefixes(v hubspot.APIVersion) *strings.Replacer {
	if v == hubspot.VersionLegacy {
		return strings.NewReplacer("{objects}", "/crm/v3/objects", "{properties}", "/crm/v3/properties",
			"{associations}", "/crm/v4/associations", "{owners}", "/crm/v3/owners",
			"{schemas}", "/crm-object-schemas/v3/schemas", "{blogs}", "/cms/v3/blogs",
			"{url-redirects}", "/cms/v3/url-redirects", "{pages}", "/cms/v3/pages", "{hubdb}", "/cms/v3/hubdb",
			"{account-info}", "/account-info/v3")
	}
	d := string(v)
	// Pages and HubDB have no 2026-09 in the spec collection: 2026-03 serves.
	return strings.NewReplacer("{objects}", "/crm/objects/"+d, "{properties}", "/crm/properties/"+d,
		"{associations}", "/crm/associations/"+d, "{owners}", "/crm/owners/"+d,
		"{schemas}", "/crm-object-schemas/"+d+"/schemas", "{blogs}", "/cms/blogs/"+d,
		"{url-redirects}", "/cms/url-redirects/"+d, "{pages}", "/cms/pages/2026-03", "{hubdb}", "/cms/hubdb/2026-03",
		"{account-info}", "/account-info/"+d)
}

// hubdbTables is the client's service of HubDB tables.
func hubdbTables(c *hubspot.Client) *hubspot.CMSObjectsService {
	r, err := hubspot.LookupResource(hubspot.HubDBTablesResourceName)
	if err != nil {
		panic(err)
	}
	return c.CMSObjects(*r.CMS)
}

// TestRequests checks the exact request of every call, at each API
// version, against what HubSpot documents, and the decoding of a
// real-shaped answer.
// accountDetailsJSON is the example answer of HubSpot's spec of the
// account details (PublicApiSpecs/Account/Account Info/Rollouts/144923/v3/accountInfo.json).
const accountDetailsJSON = `{"additionalCurrencies":["NZD","AUD","EUR"],"companyCurrency":"USD","createdAt":1648840584303,"dataHostingLocation":"eu1","portalId":12345678,"portalName":"Acme Inc","timeZone":"US/Eastern","uiDomain":"app-eu1.hubspot.com","utcOffset":"-04:00","utcOffsetMilliseconds":-14400000}`

func TestRequests(t *testing.T) {
	ctx := context.Background()
	page := `{"results":[` + contactJSON + `],"paging":{"next":{"after":"513","link":"https://api.hubapi.com/crm/objects/2026-09/contacts?after=513"}}}`
	batch := `{"status":"COMPLETE","results":[` + contactJSON + `],"startedAt":"2026-01-02T03:04:05.000Z","completedAt":"2026-01-02T03:04:05.100Z"}`
	tests := []struct {
		name      string
		call      func(*hubspot.Client) (any, error)
		reply     reply
		method    string
		path      string
		query     string
		body      string // "" for no body
		checkResp func(*is.I, any)
	}{{
		name: "list",
		call: func(c *hubspot.Client) (any, error) {
			return c.Objects.List(ctx, "contacts", hubspot.ListOptions{Limit: 50, After: "512", Properties: []string{"email", "phone"}})
		},
		reply:  reply{status: 200, body: page},
		method: "GET", path: "{objects}/contacts", query: "after=512&limit=50&properties=email%2Cphone",
		checkResp: func(is *is.I, v any) {
			p := v.(*hubspot.ObjectPage)
			is.Equal(len(p.Results), 1)
			is.Equal(p.NextAfter(), "513")
		},
	}, {
		name: "list sends a limit when none is given, and archived",
		call: func(c *hubspot.Client) (any, error) {
			return c.Objects.List(ctx, "line_items", hubspot.ListOptions{Archived: true})
		},
		reply:  reply{status: 200, body: `{"results":[]}`},
		method: "GET", path: "{objects}/line_items", query: "archived=true&limit=100",
		checkResp: func(is *is.I, v any) { is.Equal(v.(*hubspot.ObjectPage).NextAfter(), "") },
	}, {
		name: "get by id property, escaped",
		call: func(c *hubspot.Client) (any, error) {
			return c.Objects.Get(ctx, "contacts", "a b/c@d.e", hubspot.GetOptions{IDProperty: "email", Properties: []string{"email"}})
		},
		reply:  reply{status: 200, body: contactJSON},
		method: "GET", path: "{objects}/contacts/a%20b%2Fc@d.e", query: "idProperty=email&properties=email",
	}, {
		name: "create",
		call: func(c *hubspot.Client) (any, error) {
			return c.Objects.Create(ctx, "contacts", hubspot.Properties{"email": hubspot.String("a@b.c"), "phone": nil})
		},
		reply:  reply{status: 201, body: contactJSON},
		method: "POST", path: "{objects}/contacts",
		body:      `{"properties":{"email":"a@b.c","phone":null}}`,
		checkResp: func(is *is.I, v any) { is.Equal(v.(*hubspot.Object).ID, "512") },
	}, {
		name: "update",
		call: func(c *hubspot.Client) (any, error) {
			return c.Objects.Update(ctx, "deals", "77", hubspot.Properties{"amount": hubspot.String("10")})
		},
		reply:  reply{status: 200, body: contactJSON},
		method: "PATCH", path: "{objects}/deals/77",
		body: `{"properties":{"amount":"10"}}`,
	}, {
		name: "archive",
		call: func(c *hubspot.Client) (any, error) {
			return nil, c.Objects.Archive(ctx, "2-12345", "9")
		},
		reply:  reply{status: 204},
		method: "DELETE", path: "{objects}/2-12345/9",
	}, {
		name: "search",
		call: func(c *hubspot.Client) (any, error) {
			return c.Objects.Search(ctx, "companies", hubspot.SearchRequest{
				FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{{PropertyName: "hs_lastmodifieddate", Operator: hubspot.OperatorGTE, Value: "1767323045678"}}}},
				Sorts:        []hubspot.Sort{{PropertyName: "hs_lastmodifieddate", Direction: hubspot.Ascending}},
				Properties:   []string{"name"},
				Limit:        200,
				After:        "200",
			})
		},
		reply:  reply{status: 200, body: `{"total":1234,"results":[` + contactJSON + `],"paging":{"next":{"after":"400"}}}`},
		method: "POST", path: "{objects}/companies/search",
		body: `{"filterGroups":[{"filters":[{"propertyName":"hs_lastmodifieddate","operator":"GTE","value":"1767323045678"}]}],"sorts":[{"propertyName":"hs_lastmodifieddate","direction":"ASCENDING"}],"properties":["name"],"limit":200,"after":"200"}`,
		checkResp: func(is *is.I, v any) {
			p := v.(*hubspot.SearchPage)
			is.Equal(p.Total, 1234)
			is.Equal(p.NextAfter(), "400")
		},
	}, {
		name: "batch read",
		call: func(c *hubspot.Client) (any, error) {
			return c.Objects.BatchRead(ctx, "contacts", hubspot.BatchReadRequest{IDs: []string{"a@b.c"}, IDProperty: "email", Properties: []string{"email"}})
		},
		reply:  reply{status: 200, body: batch},
		method: "POST", path: "{objects}/contacts/batch/read",
		body: `{"properties":["email"],"idProperty":"email","inputs":[{"id":"a@b.c"}]}`,
		checkResp: func(is *is.I, v any) {
			r := v.(*hubspot.BatchResult)
			is.Equal(r.Status, "COMPLETE")
			is.Equal(len(r.Results), 1)
		},
	}, {
		name: "batch create",
		call: func(c *hubspot.Client) (any, error) {
			return c.Objects.BatchCreate(ctx, "contacts", []hubspot.BatchInput{{Properties: hubspot.Properties{"email": hubspot.String("a@b.c")}, ObjectWriteTraceID: "t1"}})
		},
		reply:  reply{status: 201, body: batch},
		method: "POST", path: "{objects}/contacts/batch/create",
		body: `{"inputs":[{"properties":{"email":"a@b.c"},"objectWriteTraceId":"t1"}]}`,
	}, {
		name: "batch update",
		call: func(c *hubspot.Client) (any, error) {
			return c.Objects.BatchUpdate(ctx, "contacts", []hubspot.BatchInput{{ID: "1", Properties: hubspot.Properties{"phone": nil}}})
		},
		reply:  reply{status: 200, body: batch},
		method: "POST", path: "{objects}/contacts/batch/update",
		body: `{"inputs":[{"id":"1","properties":{"phone":null}}]}`,
	}, {
		name: "batch upsert",
		call: func(c *hubspot.Client) (any, error) {
			return c.Objects.BatchUpsert(ctx, "contacts", []hubspot.BatchInput{{IDProperty: "email", ID: "a@b.c", Properties: hubspot.Properties{"firstname": hubspot.String("A")}}})
		},
		reply:  reply{status: 200, body: `{"status":"COMPLETE","results":[{"id":"512","properties":{},"createdAt":"2026-01-02T03:04:05.678Z","updatedAt":"2026-01-02T03:04:05.678Z","archived":false,"new":true}]}`},
		method: "POST", path: "{objects}/contacts/batch/upsert",
		body: `{"inputs":[{"id":"a@b.c","idProperty":"email","properties":{"firstname":"A"}}]}`,
		checkResp: func(is *is.I, v any) {
			r := v.(*hubspot.BatchResult)
			is.True(r.Results[0].New != nil && *r.Results[0].New)
		},
	}, {
		name: "batch archive",
		call: func(c *hubspot.Client) (any, error) {
			return nil, c.Objects.BatchArchive(ctx, "tickets", []string{"1", "2"})
		},
		reply:  reply{status: 204},
		method: "POST", path: "{objects}/tickets/batch/archive",
		body: `{"inputs":[{"id":"1"},{"id":"2"}]}`,
	}, {
		name: "properties",
		call: func(c *hubspot.Client) (any, error) {
			return c.Properties.List(ctx, "contacts")
		},
		reply: reply{status: 200, body: `{"results":[{"name":"email","label":"Email","type":"string","fieldType":"text","calculated":false,"modificationMetadata":{"readOnlyValue":false,"archivable":true},"hasUniqueValue":true},` +
			`{"name":"createdate","label":"Create Date","type":"datetime","fieldType":"date","calculated":false,"modificationMetadata":{"readOnlyValue":true,"archivable":false},"hasUniqueValue":false}]}`},
		method: "GET", path: "{properties}/contacts",
		checkResp: func(is *is.I, v any) {
			ps := v.([]hubspot.Property)
			is.Equal(len(ps), 2)
			is.True(!ps[0].ReadOnly())
			is.True(ps[0].HasUniqueValue)
			is.True(ps[1].ReadOnly())
			is.Equal(ps[1].Type, "datetime")
		},
	}, {
		name: "owners",
		call: func(c *hubspot.Client) (any, error) {
			return c.Owners.List(ctx, hubspot.OwnerListOptions{Limit: 10, After: "5"})
		},
		reply:  reply{status: 200, body: `{"results":[{"id":"41629779","email":"o@x.io","type":"PERSON","firstName":"O","lastName":"W","userId":9586504,"createdAt":"2019-12-25T13:01:35.228Z","updatedAt":"2023-08-22T13:40:26.790Z","archived":false}]}`},
		method: "GET", path: "{owners}", query: "after=5&limit=10",
		checkResp: func(is *is.I, v any) {
			p := v.(*hubspot.OwnerPage)
			is.Equal(p.Results[0].ID, "41629779")
			is.Equal(p.Results[0].UserID, int64(9586504))
		},
	}, {
		name: "owner",
		call: func(c *hubspot.Client) (any, error) {
			return c.Owners.Get(ctx, "41629779")
		},
		reply:  reply{status: 200, body: `{"id":"41629779","email":"o@x.io","firstName":"O","lastName":"W","createdAt":"2019-12-25T13:01:35.228Z","updatedAt":"2023-08-22T13:40:26.790Z","archived":false}`},
		method: "GET", path: "{owners}/41629779",
		checkResp: func(is *is.I, v any) { is.Equal(v.(*hubspot.Owner).Email, "o@x.io") },
	}, {
		name:   "custom object schemas",
		call:   func(c *hubspot.Client) (any, error) { return c.Schemas.List(ctx) },
		reply:  reply{status: 200, body: `{"results":[{"name":"cars","objectTypeId":"2-12345","fullyQualifiedName":"p1234567_cars"}]}`},
		method: "GET", path: "{schemas}",
		checkResp: func(is *is.I, v any) { is.Equal(v.([]hubspot.ObjectSchema)[0].ObjectTypeID, "2-12345") },
	}, {
		name: "associations batch read",
		call: func(c *hubspot.Client) (any, error) {
			return c.Associations.BatchRead(ctx, "deals", "contacts", []string{"7"})
		},
		reply:  reply{status: 200, body: `{"status":"COMPLETE","results":[{"from":{"id":"7"},"to":[{"toObjectId":9,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":3,"label":null}]}]}]}`},
		method: "POST", path: "{associations}/deals/contacts/batch/read",
		body:      `{"inputs":[{"id":"7"}]}`,
		checkResp: func(is *is.I, v any) { is.Equal(v.(*hubspot.AssociationsRead).Links["7"][0].ToID, "9") },
	}, {
		name: "associate default",
		call: func(c *hubspot.Client) (any, error) {
			return c.Associations.AssociateDefault(ctx, "deals", "contacts", []hubspot.AssociationPair{{FromID: "7", ToID: "9"}})
		},
		reply:  reply{status: 200, body: `{"status":"COMPLETE","results":[]}`},
		method: "POST", path: "{associations}/deals/contacts/batch/associate/default",
		body: `{"inputs":[{"from":{"id":"7"},"to":{"id":"9"}}]}`,
	}, {
		name: "associations create",
		call: func(c *hubspot.Client) (any, error) {
			return c.Associations.Create(ctx, "deals", "contacts", []hubspot.AssociationInput{{FromID: "7", ToID: "9",
				Types: []hubspot.AssociationSpec{{Category: "USER_DEFINED", TypeID: 36}}}})
		},
		reply:  reply{status: 201, body: `{"status":"COMPLETE","results":[]}`},
		method: "POST", path: "{associations}/deals/contacts/batch/create",
		body: `{"inputs":[{"from":{"id":"7"},"to":{"id":"9"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":36}]}]}`,
	}, {
		name: "association labels archive",
		call: func(c *hubspot.Client) (any, error) {
			return c.Associations.ArchiveLabels(ctx, "deals", "contacts", []hubspot.AssociationInput{{FromID: "7", ToID: "9",
				Types: []hubspot.AssociationSpec{{Category: "USER_DEFINED", TypeID: 36}}}})
		},
		reply:  reply{status: 204},
		method: "POST", path: "{associations}/deals/contacts/batch/labels/archive",
		body: `{"inputs":[{"from":{"id":"7"},"to":{"id":"9"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":36}]}]}`,
	}, {
		name: "associations archive",
		call: func(c *hubspot.Client) (any, error) {
			return c.Associations.Archive(ctx, "deals", "contacts", []hubspot.AssociationPair{{FromID: "7", ToID: "9"}})
		},
		reply:  reply{status: 204},
		method: "POST", path: "{associations}/deals/contacts/batch/archive",
		body: `{"inputs":[{"from":{"id":"7"},"to":[{"id":"9"}]}]}`,
	}, {
		name:   "association labels",
		call:   func(c *hubspot.Client) (any, error) { return c.Associations.Labels(ctx, "deals", "contacts") },
		reply:  reply{status: 200, body: `{"results":[{"category":"USER_DEFINED","typeId":36,"label":"Decision maker"}]}`},
		method: "GET", path: "{associations}/deals/contacts/labels",
		checkResp: func(is *is.I, v any) { is.Equal(v.([]hubspot.AssociationType)[0].TypeID, 36) },
	}, {
		name: "blog posts list",
		call: func(c *hubspot.Client) (any, error) {
			return c.BlogPosts.List(ctx, hubspot.CMSListOptions{Limit: 20, After: "x", UpdatedAfter: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
		},
		reply:  reply{status: 200, body: `{"total":1,"results":[{"id":"184993428800","updated":"2026-01-03T00:00:00Z"}]}`},
		method: "GET", path: "{blogs}/posts", query: "after=x&limit=20&updatedAfter=2026-01-02T03%3A04%3A05Z",
	}, {
		name:   "blog author get",
		call:   func(c *hubspot.Client) (any, error) { return c.BlogAuthors.Get(ctx, "184993428900") },
		reply:  reply{status: 200, body: `{"id":"184993428900","fullName":"A"}`},
		method: "GET", path: "{blogs}/authors/184993428900",
	}, {
		name: "blog tags batch create",
		call: func(c *hubspot.Client) (any, error) {
			return c.BlogTags.BatchCreate(ctx, []hubspot.CMSObject{{"name": json.RawMessage(`"go"`)}})
		},
		reply:  reply{status: 201, body: `{"status":"COMPLETE","results":[{"id":"184993428780","name":"go"}]}`},
		method: "POST", path: "{blogs}/tags/batch/create",
		body: `{"inputs":[{"name":"go"}]}`,
	}, {
		name:   "blog tags batch archive",
		call:   func(c *hubspot.Client) (any, error) { return nil, c.BlogTags.BatchArchive(ctx, []string{"1", "2"}) },
		reply:  reply{status: 204},
		method: "POST", path: "{blogs}/tags/batch/archive",
		body: `{"inputs":["1","2"]}`,
	}, {
		name: "URL redirect create",
		call: func(c *hubspot.Client) (any, error) {
			return c.URLRedirects.Create(ctx, hubspot.CMSObject{"routePrefix": json.RawMessage(`"/a"`), "destination": json.RawMessage(`"/b"`), "redirectStyle": json.RawMessage(`301`)})
		},
		reply:  reply{status: 201, body: `{"id":"1","routePrefix":"/a","destination":"/b","redirectStyle":301}`},
		method: "POST", path: "{url-redirects}",
		body: `{"routePrefix":"/a","destination":"/b","redirectStyle":301}`,
	}, {
		name: "URL redirect update",
		call: func(c *hubspot.Client) (any, error) {
			return c.URLRedirects.Update(ctx, "1", hubspot.CMSObject{"destination": json.RawMessage(`"/c"`)})
		},
		reply:  reply{status: 200, body: `{"id":"1","routePrefix":"/a","destination":"/c","redirectStyle":301}`},
		method: "PATCH", path: "{url-redirects}/1",
		body: `{"destination":"/c"}`,
	}, {
		name:   "site page delete",
		call:   func(c *hubspot.Client) (any, error) { return nil, c.SitePages.Delete(ctx, "184993429100") },
		reply:  reply{status: 204},
		method: "DELETE", path: "{pages}/site-pages/184993429100",
	}, {
		name: "landing pages list",
		call: func(c *hubspot.Client) (any, error) {
			return c.LandingPages.List(ctx, hubspot.CMSListOptions{Archived: true})
		},
		reply:  reply{status: 200, body: `{"total":0,"results":[]}`},
		method: "GET", path: "{pages}/landing-pages", query: "archived=true&limit=100",
	}, {
		name: "HubDB drafts list",
		call: func(c *hubspot.Client) (any, error) {
			return hubdbTables(c).ListDrafts(ctx, hubspot.CMSListOptions{Limit: 5})
		},
		reply:  reply{status: 200, body: `{"total":0,"results":[]}`},
		method: "GET", path: "{hubdb}/tables/draft", query: "limit=5",
	}, {
		name: "HubDB draft update",
		call: func(c *hubspot.Client) (any, error) {
			return hubdbTables(c).Update(ctx, "cars", hubspot.CMSObject{"label": json.RawMessage(`"Cars"`)})
		},
		reply:  reply{status: 200, body: `{"id":"5746871","name":"cars","label":"Cars"}`},
		method: "PATCH", path: "{hubdb}/tables/cars/draft",
		body: `{"label":"Cars"}`,
	}, {
		name:   "account details",
		call:   func(c *hubspot.Client) (any, error) { return c.Account.Details(ctx) },
		reply:  reply{status: 200, body: accountDetailsJSON},
		method: "GET", path: "{account-info}/details",
		checkResp: func(is *is.I, v any) {
			d := v.(*hubspot.AccountDetails)
			is.Equal(d.PortalID, int64(12345678))
			is.Equal(d.TimeZone, "US/Eastern")
			is.Equal(d.UTCOffsetMilliseconds, int64(-14400000))
			is.Equal(d.DataHostingLocation, "eu1")
		},
	}, {
		name:   "HubDB publish",
		call:   func(c *hubspot.Client) (any, error) { return hubdbTables(c).Publish(ctx, "cars") },
		reply:  reply{status: 200, body: `{"id":"5746871","name":"cars"}`},
		method: "POST", path: "{hubdb}/tables/cars/draft/publish",
	}}
	for _, v := range hubspot.APIVersions() {
		for _, tt := range tests {
			t.Run(string(v)+"/"+tt.name, func(t *testing.T) {
				is := is.New(t)
				c, s, _ := newScripted(t, []reply{tt.reply}, hubspot.WithAPIVersion(v))
				got, err := tt.call(c)
				is.NoErr(err)
				seen := s.requests()
				is.Equal(len(seen), 1)
				r := seen[0]
				is.Equal(r.Method, tt.method)
				is.Equal(r.Path, specPrefixes(v).Replace(tt.path))
				is.Equal(r.RawQuery, tt.query)
				is.Equal(r.Header.Get("Authorization"), "Bearer "+testToken)
				if tt.body == "" {
					is.Equal(r.Body, "")
				} else {
					is.Equal(r.Header.Get("Content-Type"), "application/json")
					jsonEqual(t, r.Body, tt.body)
				}
				if tt.checkResp != nil {
					tt.checkResp(is, got)
				}
			})
		}
	}
}

// TestListWideProperties: a list whose properties do not fit in a URL lists
// the page's ids, then reads them with one batch read. The page keeps the
// list's ids, order and cursor: an object gone by the batch read (here 2) is
// left out, one the list did not name (here 9, a merge's survivor) is not
// added.
func TestListWideProperties(t *testing.T) {
	is := is.New(t)
	obj := func(id string) string {
		return `{"id":"` + id + `","properties":{"hs_object_id":"` + id + `"},"createdAt":"2026-01-02T03:04:05.678Z","updatedAt":"2026-01-02T03:04:05.678Z","archived":false}`
	}
	c, s, _ := newScripted(t, []reply{
		{status: 200, body: `{"results":[` + obj("1") + `,` + obj("2") + `,` + obj("3") + `],"paging":{"next":{"after":"4"}}}`},
		{status: 207, body: `{"status":"COMPLETE","results":[` + obj("3") + `,` + obj("9") + `,` + obj("1") + `],"numErrors":1,` +
			`"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"not found","context":{"ids":["2"]}}],"startedAt":"2026-01-02T03:04:05.678Z","completedAt":"2026-01-02T03:04:05.678Z"}`},
	}, hubspot.WithoutRateLimit())
	names := make([]string, 1000)
	for i := range names {
		names[i] = fmt.Sprintf("property_%03d", i)
	}
	page, err := c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{Limit: 3, After: "1", Properties: names})
	is.NoErr(err)
	is.Equal(len(page.Results), 2)
	is.Equal(page.Results[0].ID, "1")
	is.Equal(page.Results[1].ID, "3")
	is.Equal(page.NextAfter(), "4")
	reqs := s.requests()
	is.Equal(len(reqs), 2)
	is.Equal(reqs[0].Method, "GET")
	is.Equal(reqs[0].RawQuery, "after=1&limit=3&properties=hs_object_id")
	is.Equal(reqs[1].Path, "/crm/objects/2026-09/contacts/batch/read")
	var body struct {
		Properties []string `json:"properties"`
		Inputs     []struct {
			ID string `json:"id"`
		} `json:"inputs"`
	}
	is.NoErr(json.Unmarshal([]byte(reqs[1].Body), &body))
	is.Equal(body.Properties, names)
	is.Equal(len(body.Inputs), 3)
}

func TestBatchPartialFailure(t *testing.T) {
	is := is.New(t)
	body := `{"status":"COMPLETE","results":[` + contactJSON + `],"numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid","context":{"ids":["7"],"propertyName":["createdate"]},"errors":[{"message":"Property \"createdate\" is read-only","code":"READ_ONLY_VALUE","context":{"propertyName":["createdate"]}}]}],"startedAt":"2026-01-02T03:04:05.000Z","completedAt":"2026-01-02T03:04:05.100Z"}`
	c, _, _ := newScripted(t, []reply{{status: 207, body: body}})
	res, err := c.Objects.BatchUpdate(context.Background(), "contacts", []hubspot.BatchInput{{ID: "512"}, {ID: "7"}})
	is.NoErr(err) // a 207 is a result, not an error
	is.Equal(len(res.Results), 1)
	is.Equal(res.NumErrors, 1)
	is.Equal(len(res.Errors), 1)
	is.Equal(res.Errors[0].Category, "VALIDATION_ERROR")
	is.Equal(res.Errors[0].IDs(), []string{"7"})
	is.Equal(res.Errors[0].PropertyNames(), []string{"createdate"})
	is.Equal(res.Errors[0].Errors[0].Code, "READ_ONLY_VALUE")
}

func TestBatchSplitsLargeInputs(t *testing.T) {
	is := is.New(t)
	c, s, _ := newScripted(t, []reply{{status: 204}})
	ids := make([]string, 250)
	for i := range ids {
		ids[i] = "1"
	}
	is.NoErr(c.Objects.BatchArchive(context.Background(), "contacts", ids))
	seen := s.requests()
	is.Equal(len(seen), 3)
	for i, want := range []int{100, 100, 50} {
		var body struct{ Inputs []any }
		is.NoErr(json.Unmarshal([]byte(seen[i].Body), &body))
		is.Equal(len(body.Inputs), want)
	}
}

func TestBatchFailureSaysWhereItStopped(t *testing.T) {
	is := is.New(t)
	ok := `{"status":"COMPLETE","results":[` + contactJSON + `]}`
	c, _, _ := newScripted(t, []reply{{status: 201, body: ok}, {status: 400, body: `{"status":"error","message":"bad","category":"VALIDATION_ERROR"}`}})
	res, err := c.Objects.BatchCreate(context.Background(), "contacts", make([]hubspot.BatchInput, 150))
	is.True(err != nil)
	var be *hubspot.BatchError
	is.True(errors.As(err, &be))
	is.Equal(be.First, 100)
	is.Equal(hubspot.StatusCode(err), 400)
	is.Equal(len(res.Results), 1) // what the first call returned
}

func TestRetries(t *testing.T) {
	rateLimited := reply{status: 429, header: map[string]string{"Retry-After": "3"},
		body: `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"c-1","policyName":"TEN_SECONDLY_ROLLING"}`}
	unavailable := reply{status: 503, body: `{"status":"error","message":"Service Unavailable","correlationId":"c-2","category":"SERVICE_UNAVAILABLE"}`}
	badRequest := reply{status: 400, body: `{"status":"error","message":"Property values were not valid","correlationId":"c-3","category":"VALIDATION_ERROR","errors":[{"message":"Property \"createdate\" is read-only","code":"READ_ONLY_VALUE","context":{"propertyName":["createdate"]}}]}`}
	html := reply{status: 502, header: map[string]string{"Content-Type": "text/html"}, body: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"}
	created := reply{status: 201, body: contactJSON}
	ok := reply{status: 200, body: contactJSON}

	get := func(c *hubspot.Client) error {
		_, err := c.Objects.Get(context.Background(), "contacts", "512", hubspot.GetOptions{})
		return err
	}
	create := func(c *hubspot.Client) error {
		_, err := c.Objects.Create(context.Background(), "contacts", hubspot.Properties{"email": hubspot.String("a@b.c")})
		return err
	}
	batchCreate := func(c *hubspot.Client) error {
		_, err := c.Objects.BatchCreate(context.Background(), "contacts", []hubspot.BatchInput{{Properties: hubspot.Properties{}}})
		return err
	}

	tests := []struct {
		name       string
		replies    []reply
		call       func(*hubspot.Client) error
		maxRetries int
		attempts   int
		status     int // 0: success
		waits      []time.Duration
		message    string
	}{
		{name: "429 then success honours Retry-After", replies: []reply{rateLimited, ok}, call: get, maxRetries: 4, attempts: 2, waits: []time.Duration{3 * time.Second}},
		{name: "429 on a create is retried", replies: []reply{rateLimited, created}, call: create, maxRetries: 4, attempts: 2, waits: []time.Duration{3 * time.Second}},
		{name: "5xx retried up to maxRetries", replies: []reply{unavailable}, call: get, maxRetries: 3, attempts: 4, status: 503, message: "Service Unavailable"},
		{name: "5xx then success", replies: []reply{unavailable, unavailable, ok}, call: get, maxRetries: 4, attempts: 3},
		{name: "create that got a 503 is not retried", replies: []reply{unavailable, created}, call: create, maxRetries: 4, attempts: 1, status: 503},
		{name: "batch create that got a 503 is not retried", replies: []reply{unavailable, created}, call: batchCreate, maxRetries: 4, attempts: 1, status: 503},
		{name: "400 is not retried", replies: []reply{badRequest, ok}, call: get, maxRetries: 4, attempts: 1, status: 400, message: `Property "createdate" is read-only`},
		{name: "HTML error page", replies: []reply{html}, call: get, maxRetries: 1, attempts: 2, status: 502, message: "502 Bad Gateway"},
		{name: "no retries configured", replies: []reply{unavailable, ok}, call: get, maxRetries: 0, attempts: 1, status: 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			c, s, clock := newScripted(t, tt.replies, hubspot.WithMaxRetries(tt.maxRetries), hubspot.WithoutRateLimit())
			err := tt.call(c)
			assertNoToken(t, err)
			is.Equal(len(s.requests()), tt.attempts)
			is.Equal(hubspot.StatusCode(err), tt.status)
			if tt.status != 0 {
				var er *hubspot.ErrorResponse
				is.True(errors.As(err, &er))
				is.True(strings.Contains(err.Error(), tt.message))
			}
			waits := clock.Waits()
			is.Equal(len(waits), tt.attempts-1) // one wait before each retry
			if tt.waits != nil {
				is.Equal(waits, tt.waits)
			}
		})
	}
}

func TestErrorResponseFields(t *testing.T) {
	is := is.New(t)
	c, _, _ := newScripted(t, []reply{{status: 409, body: `{"status":"error","message":"Contact already exists. Existing ID: 512","correlationId":"aeb5f871-7f07-4993-9211-075dc63e7cbf","category":"CONFLICT"}`}})
	_, err := c.Objects.Create(context.Background(), "contacts", hubspot.Properties{})
	var er *hubspot.ErrorResponse
	is.True(errors.As(err, &er))
	is.Equal(er.StatusCode, 409)
	is.Equal(er.Category, "CONFLICT")
	is.Equal(er.CorrelationID, "aeb5f871-7f07-4993-9211-075dc63e7cbf")
	is.Equal(er.Method, "POST")
	is.Equal(er.Path, "/crm/objects/2026-09/contacts")
	is.True(strings.Contains(err.Error(), "create contacts"))
	is.True(strings.Contains(err.Error(), "aeb5f871"))
}

// TestErrorsNameThePath: every error names the request as HubSpot's
// documentation writes it, the path starting with "/", whether HubSpot
// answered with an error or the call failed otherwise.
func TestErrorsNameThePath(t *testing.T) {
	tests := []struct {
		name  string
		reply reply
		call  func(context.Context, *hubspot.Client) error
		want  string
	}{
		{
			name:  "error response",
			reply: reply{status: 409, body: `{"status":"error","message":"exists","category":"CONFLICT"}`},
			call: func(ctx context.Context, c *hubspot.Client) error {
				_, err := c.Objects.Create(ctx, "contacts", hubspot.Properties{})
				return err
			},
			want: "hubspot: POST /crm/objects/2026-09/contacts: 409",
		},
		{
			name:  "undecodable search",
			reply: reply{status: 200, body: `<html>`},
			call: func(ctx context.Context, c *hubspot.Client) error {
				_, err := c.Objects.Search(ctx, "contacts", hubspot.SearchRequest{Limit: 1})
				return err
			},
			want: "hubspot: POST /crm/objects/2026-09/contacts/search: status 200",
		},
		{
			name:  "owners",
			reply: reply{status: 403, body: `{"status":"error","message":"no scope","category":"MISSING_SCOPES"}`},
			call: func(ctx context.Context, c *hubspot.Client) error {
				_, err := c.Owners.List(ctx, hubspot.OwnerListOptions{Limit: 1})
				return err
			},
			want: "hubspot: GET /crm/owners/2026-09: 403",
		},
		{
			name:  "properties",
			reply: reply{status: 404, body: `{"status":"error","message":"unknown","category":"OBJECT_NOT_FOUND"}`},
			call: func(ctx context.Context, c *hubspot.Client) error {
				_, err := c.Properties.List(ctx, "contacts")
				return err
			},
			want: "hubspot: GET /crm/properties/2026-09/contacts: 404",
		},
		{
			name:  "request built without the slash",
			reply: reply{status: 404, body: `{"status":"error","message":"unknown","category":"OBJECT_NOT_FOUND"}`},
			call: func(ctx context.Context, c *hubspot.Client) error {
				req, err := hubspot.NewRequest(http.MethodGet, "crm/v3/objects/deals", nil, nil)
				if err != nil {
					return err
				}
				return c.Do(ctx, req, nil)
			},
			want: "hubspot: GET /crm/v3/objects/deals: 404",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := newScripted(t, []reply{tt.reply}, hubspot.WithMaxRetries(0))
			err := tt.call(context.Background(), c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestTokenNeverInErrors(t *testing.T) {
	is := is.New(t)
	// A server that echoes the Authorization header back in its message.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		msg, _ := json.Marshal(r.Header.Get("Authorization"))
		_, _ = io.WriteString(w, `{"status":"error","message":"bad token `+strings.Trim(string(msg), `"`)+`","category":"INVALID_AUTHENTICATION","errors":[{"message":"token `+testToken+`"}]}`)
	}))
	defer srv.Close()
	c, err := hubspot.NewClient(testToken, hubspot.WithBaseURL(srv.URL))
	is.NoErr(err)
	_, err = c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{})
	is.Equal(hubspot.StatusCode(err), 401)
	assertNoToken(t, err)
	var er *hubspot.ErrorResponse
	is.True(errors.As(err, &er))
	is.True(!strings.Contains(er.Message, testToken))
	is.True(!strings.Contains(er.Errors[0].Message, testToken))
	is.True(strings.Contains(er.Message, "[REDACTED]"))

	// A refused connection names the host, not the token.
	srv.Close()
	c, err = hubspot.NewClient(testToken, hubspot.WithBaseURL(srv.URL), hubspot.WithMaxRetries(0))
	is.NoErr(err)
	_, err = c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{})
	is.True(err != nil)
	assertNoToken(t, err)
}

func TestCancelDuringBackoff(t *testing.T) {
	is := is.New(t)
	s := &script{replies: []reply{{status: 503, body: `{}`}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	// A real clock and an hour of backoff: only cancellation can end the wait.
	c, err := hubspot.NewClient(testToken, hubspot.WithBaseURL(srv.URL), hubspot.WithBackoff(time.Hour, time.Hour))
	is.NoErr(err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Objects.Get(ctx, "contacts", "1", hubspot.GetOptions{})
		done <- err
	}()
	for len(s.requests()) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		is.True(errors.Is(err, context.Canceled))
		is.Equal(len(s.requests()), 1)
	case <-time.After(10 * time.Second):
		t.Fatal("Get did not return after its context was cancelled")
	}
}

// TestRateLimitWindow sends requests through a 10-per-10-seconds limit on a
// fake clock and checks every 10-second window the server saw.
func TestRateLimitWindow(t *testing.T) {
	tests := []struct {
		name   string
		limit  hubspot.RateLimit
		search bool
	}{
		{"general", hubspot.RateLimit{Requests: 10, Per: 10 * time.Second}, false},
		{"search", hubspot.RateLimit{Requests: 4, Per: time.Second}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			clock := newFakeClock()
			var mu sync.Mutex
			var at []time.Time
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				mu.Lock()
				at = append(at, clock.Now())
				mu.Unlock()
				_, _ = io.WriteString(w, `{"results":[]}`)
			}))
			defer srv.Close()
			opt := hubspot.WithRateLimit(tt.limit)
			if tt.search {
				opt = hubspot.WithSearchRateLimit(tt.limit)
			}
			c, err := hubspot.NewClient(testToken, hubspot.WithBaseURL(srv.URL), hubspot.WithClock(clock), opt)
			is.NoErr(err)
			const n = 55
			for range n {
				if tt.search {
					_, err = c.Objects.Search(context.Background(), "contacts", hubspot.SearchRequest{Limit: 1})
				} else {
					_, err = c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{})
				}
				is.NoErr(err)
			}
			is.Equal(len(at), n)
			k := tt.limit.Requests
			for i := k; i < n; i++ {
				if gap := at[i].Sub(at[i-k]); gap < tt.limit.Per {
					t.Fatalf("requests %d to %d came within %s, limit is %d per %s", i-k, i, gap, k, tt.limit.Per)
				}
			}
			// The limiter did pace: n requests need (n-1)/k full windows.
			is.True(at[n-1].Sub(at[0]) >= time.Duration((n-1)/k)*tt.limit.Per)
		})
	}
}

func TestBaseURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://api.hubapi.com", true},
		{"https://api.hubapi.com/", true},
		{"http://127.0.0.1:8080", true},
		{"http://localhost:8080", true},
		{"http://[::1]:8080", true},
		{"http://api.hubapi.com", false},
		{"http://10.0.0.1", false},
		{"ftp://api.hubapi.com", false},
		{"api.hubapi.com", false},
		{"https://user:pass@api.hubapi.com", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			is := is.New(t)
			_, err := hubspot.ParseBaseURL(tt.url)
			is.Equal(err == nil, tt.ok)
		})
	}
}

func TestSearchLimitsCheckedBeforeSending(t *testing.T) {
	c, s, _ := newScripted(t, []reply{{status: 200, body: `{"total":0,"results":[]}`}})
	groups := func(n, filters int) []hubspot.FilterGroup {
		g := make([]hubspot.FilterGroup, n)
		for i := range g {
			g[i].Filters = make([]hubspot.Filter, filters)
		}
		return g
	}
	tests := []struct {
		name string
		req  hubspot.SearchRequest
		want string
	}{
		{"limit", hubspot.SearchRequest{Limit: 201}, "limit 201"},
		{"sorts", hubspot.SearchRequest{Limit: 1, Sorts: make([]hubspot.Sort, 2)}, "2 sorts"},
		{"groups", hubspot.SearchRequest{Limit: 1, FilterGroups: groups(6, 1)}, "6 filter groups"},
		{"filters per group", hubspot.SearchRequest{Limit: 1, FilterGroups: groups(1, 7)}, "7 filters in one group"},
		{"filters in all", hubspot.SearchRequest{Limit: 1, FilterGroups: groups(4, 5)}, "20 filters"},
		{"past 10,000", hubspot.SearchRequest{Limit: 100, After: "10000"}, "after 10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			_, err := c.Objects.Search(context.Background(), "contacts", tt.req)
			is.True(err != nil)
			is.True(strings.Contains(err.Error(), tt.want))
		})
	}
	if n := len(s.requests()); n != 0 {
		t.Fatalf("%d invalid searches were sent", n)
	}
}

func TestResources(t *testing.T) {
	tests := []struct {
		name, want, created, modified string
		owners                        bool
	}{
		{"contacts", "contacts", "createdate", "lastmodifieddate", false},
		{"companies", "companies", "createdate", "hs_lastmodifieddate", false},
		{"line_items", "line_items", "createdate", "hs_lastmodifieddate", false},
		{"quotes", "quotes", "hs_createdate", "hs_lastmodifieddate", false},
		{"2-12345", "2-12345", "hs_createdate", "hs_lastmodifieddate", false},
		// A custom object's fully qualified name, p{portalId}_{name}, or p_{name}.
		{"p1234567_cars", "p1234567_cars", "hs_createdate", "hs_lastmodifieddate", false},
		{"p_cars", "p_cars", "hs_createdate", "hs_lastmodifieddate", false},
		{"p7878787_my_object2", "p7878787_my_object2", "hs_createdate", "hs_lastmodifieddate", false},
		// Standard object type ids give the standard resource.
		{"0-1", "contacts", "createdate", "lastmodifieddate", false},
		{"0-2", "companies", "createdate", "hs_lastmodifieddate", false},
		{"0-3", "deals", "createdate", "hs_lastmodifieddate", false},
		{"0-5", "tickets", "createdate", "hs_lastmodifieddate", false},
		{"0-7", "products", "createdate", "hs_lastmodifieddate", false},
		{"0-8", "line_items", "createdate", "hs_lastmodifieddate", false},
		{"0-14", "quotes", "hs_createdate", "hs_lastmodifieddate", false},
		{"0-48", "calls", "hs_createdate", "hs_lastmodifieddate", false},
		{"0-49", "emails", "hs_createdate", "hs_lastmodifieddate", false},
		{"0-47", "meetings", "hs_createdate", "hs_lastmodifieddate", false},
		{"0-46", "notes", "hs_createdate", "hs_lastmodifieddate", false},
		{"0-27", "tasks", "hs_createdate", "hs_lastmodifieddate", false},
		{"owners", "owners", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			r, err := hubspot.LookupResource(tt.name)
			is.NoErr(err)
			is.Equal(r.Name, tt.want)
			is.Equal(r.CreatedProperty, tt.created)
			is.Equal(r.ModifiedProperty, tt.modified)
			is.Equal(r.IsOwners, tt.owners)
			is.Equal(r.Ops.Has(hubspot.OpSearch|hubspot.OpCreate), !tt.owners)
		})
	}
	for _, bad := range []string{"", "contact", "cms.hubdb.rows", "2-", "2-abc", "crm.",
		"0-", "0-4", "0-999", "p_", "p1234567_", "p_1cars", "q1234567_cars", "p12x_cars", "p1234567_cars-x"} {
		_, err := hubspot.LookupResource(bad)
		if err == nil || !strings.Contains(err.Error(), "contacts") {
			t.Errorf("LookupResource(%q) = %v, want an error that lists the resources", bad, err)
		}
	}
}
