package hubspottest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// These tests speak plain HTTP to the simulator, as HubSpot's docs describe
// the API, without this project's client.

var start = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// httpClient opens a connection per request: Go's transport silently
// retries a GET whose reused connection was reset, which would hide the
// faults under test.
var httpClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

func newServer(t *testing.T, opts ...hubspottest.Option) *hubspottest.Server {
	t.Helper()
	srv, err := hubspottest.NewServer(append([]hubspottest.Option{hubspottest.WithRandomSeed(1)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("status %d, body %q is not a JSON object: %v", r.status, r.body, err)
	}
	return v
}

// call sends one request with the server's token.
func call(t *testing.T, srv *hubspottest.Server, method, path, body string) response {
	t.Helper()
	return callWithToken(t, srv, srv.Token, method, path, body)
}

func callWithToken(t *testing.T, srv *hubspottest.Server, token, method, path, body string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// results returns the objects of a list, search or batch answer.
func results(t *testing.T, r response) []map[string]any {
	t.Helper()
	var v struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	return v.Results
}

func nextAfter(t *testing.T, r response) string {
	t.Helper()
	var v struct {
		Paging *struct {
			Next struct {
				After string `json:"after"`
			} `json:"next"`
		} `json:"paging"`
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	if v.Paging == nil {
		return ""
	}
	return v.Paging.Next.After
}

func props(o map[string]any) map[string]any {
	p, _ := o["properties"].(map[string]any)
	return p
}

func TestListPagesThroughEveryObjectOnceInIDOrder(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithoutRateLimits())
	ids, err := srv.Seed("contacts", 1050, nil)
	is.NoErr(err)
	is.NoErr(srv.Archive("contacts", ids[500])) // archived objects are not listed

	var seen []int
	after, pages := "", 0
	for {
		r := call(t, srv, "GET", "/crm/v3/objects/contacts?limit=100&after="+after, "")
		is.Equal(r.status, 200)
		for _, o := range results(t, r) {
			id, err := strconv.Atoi(o["id"].(string))
			is.NoErr(err)
			seen = append(seen, id)
		}
		pages++
		if after = nextAfter(t, r); after == "" {
			break
		}
	}
	is.Equal(pages, 11)
	is.Equal(len(seen), 1049)
	is.True(slices.IsSorted(seen)) // numeric order: 9 before 10
	is.Equal(len(slices.Compact(slices.Clone(seen))), 1049)
	is.True(!slices.Contains(seen, 501))

	// Without a limit HubSpot answers with 10.
	r := call(t, srv, "GET", "/crm/v3/objects/contacts", "")
	is.Equal(len(results(t, r)), 10)
	// Over 100 is refused.
	is.Equal(call(t, srv, "GET", "/crm/v3/objects/contacts?limit=101", "").status, 400)

	// archived=true lists the archived one, with archivedAt.
	r = call(t, srv, "GET", "/crm/v3/objects/contacts?limit=100&archived=true", "")
	arch := results(t, r)
	is.Equal(len(arch), 1)
	is.Equal(arch[0]["id"], "501")
	is.Equal(arch[0]["archived"], true)
	is.True(arch[0]["archivedAt"] != nil)
}

func TestPropertiesReturned(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	id, err := srv.Create("contacts", map[string]string{"email": "a@b.c", "city": "Oslo"})
	is.NoErr(err)

	// Default properties only, unset ones as null.
	p := props(call(t, srv, "GET", "/crm/v3/objects/contacts/"+id, "").json(t))
	is.Equal(p["email"], "a@b.c")
	_, hasCity := p["city"]
	is.True(!hasCity)
	fn, hasFirst := p["firstname"]
	is.True(hasFirst && fn == nil)
	is.Equal(p["hs_object_id"], id)

	// Asked-for properties, plus the three HubSpot always adds; unknown
	// names are left out.
	p = props(call(t, srv, "GET", "/crm/v3/objects/contacts/"+id+"?properties=city,nosuchprop", "").json(t))
	is.Equal(p["city"], "Oslo")
	_, hasEmail := p["email"]
	is.True(!hasEmail)
	_, hasUnknown := p["nosuchprop"]
	is.True(!hasUnknown)
	for _, always := range []string{"createdate", "lastmodifieddate", "hs_object_id"} {
		_, ok := p[always]
		is.True(ok)
	}
}

func TestWritesKeepTimesInStepAndValuesAsStrings(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(start.Add(123456 * time.Microsecond))
	srv := newServer(t, hubspottest.WithClock(clock))
	r := call(t, srv, "POST", "/crm/v3/objects/deals", `{"properties":{"dealname":"D","amount":1200.50,"closedate":"1767323045678"}}`)
	is.Equal(r.status, 201)
	o := r.json(t)
	p := props(o)
	is.Equal(p["amount"], "1200.5") // numbers arrive as strings
	is.Equal(p["closedate"], "2026-01-02T03:04:05.678Z")
	is.Equal(o["createdAt"], "2026-03-04T05:06:07.123Z") // milliseconds
	is.Equal(p["createdate"], o["createdAt"])
	is.Equal(p["hs_lastmodifieddate"], o["updatedAt"])

	clock.Advance(2 * time.Second)
	r = call(t, srv, "PATCH", "/crm/v3/objects/deals/"+o["id"].(string), `{"properties":{"dealname":"E","amount":null,"closedate":""}}`)
	is.Equal(r.status, 200)
	u := r.json(t)
	is.Equal(u["updatedAt"], "2026-03-04T05:06:09.123Z")
	is.Equal(props(u)["hs_lastmodifieddate"], u["updatedAt"])
	is.Equal(u["createdAt"], o["createdAt"])
	is.Equal(props(u)["amount"], "1200.5") // null is accepted and changes nothing
	is.Equal(props(u)["closedate"], "")    // "" clears

	changes := srv.Changes("deals")
	is.Equal(len(changes), 2)
	is.Equal(changes[0].Kind, hubspottest.ChangeCreate)
	is.Equal(changes[1].Kind, hubspottest.ChangeUpdate)
	is.Equal(changes[1].At, start.Add(2*time.Second+123*time.Millisecond))
}

func TestWriteErrors(t *testing.T) {
	srv := newServer(t, hubspottest.WithoutRateLimits())
	existing, err := srv.Create("contacts", map[string]string{"email": "taken@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path, body string
		status                   int
		category                 string
		names                    []string // propertyName context
		code                     string   // first sub-error code
		messageNames             bool     // the message names the properties too
	}{
		{"read-only on create", "POST", "/crm/v3/objects/contacts", `{"properties":{"email":"x@example.com","createdate":"2020-01-01T00:00:00Z","hs_object_id":"5"}}`,
			400, "VALIDATION_ERROR", []string{"createdate", "hs_object_id"}, "READ_ONLY_VALUE", true},
		{"read-only on update", "PATCH", "/crm/v3/objects/contacts/" + existing, `{"properties":{"lastmodifieddate":"1"}}`,
			400, "VALIDATION_ERROR", []string{"lastmodifieddate"}, "READ_ONLY_VALUE", true},
		{"unknown property", "POST", "/crm/v3/objects/contacts", `{"properties":{"favourite_colour":"blue"}}`,
			400, "VALIDATION_ERROR", []string{"favourite_colour"}, "PROPERTY_DOESNT_EXIST", true},
		{"bad number", "POST", "/crm/v3/objects/deals", `{"properties":{"amount":"lots"}}`,
			400, "VALIDATION_ERROR", nil, "INVALID_INTEGER", false},
		{"bad bool", "POST", "/crm/v3/objects/contacts", `{"properties":{"hs_email_optout":"maybe"}}`,
			400, "VALIDATION_ERROR", nil, "INVALID_OPTION", false},
		{"duplicate unique value", "POST", "/crm/v3/objects/contacts", `{"properties":{"email":"TAKEN@example.com"}}`,
			409, "CONFLICT", []string{"email"}, "", false},
		{"update of a missing object", "PATCH", "/crm/v3/objects/contacts/999999", `{"properties":{"city":"x"}}`,
			404, "OBJECT_NOT_FOUND", nil, "", false},
		{"get of a missing object", "GET", "/crm/v3/objects/contacts/999999", ``,
			404, "OBJECT_NOT_FOUND", nil, "", false},
		{"unknown object type", "GET", "/crm/v3/objects/widgets", ``,
			400, "VALIDATION_ERROR", nil, "", false},
		{"not JSON", "POST", "/crm/v3/objects/contacts", `{"properties":`,
			400, "VALIDATION_ERROR", nil, "", false},
		{"id property that is not unique", "GET", "/crm/v3/objects/contacts/x?idProperty=city", ``,
			400, "VALIDATION_ERROR", nil, "INVALID_ID_PROPERTY", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			r := call(t, srv, tt.method, tt.path, tt.body)
			is.Equal(r.status, tt.status)
			var e struct {
				Status, Message, CorrelationID, Category string
				Context                                  map[string][]string
				Errors                                   []struct {
					Code    string
					Message string
				}
			}
			is.NoErr(json.Unmarshal(r.body, &e))
			is.Equal(e.Status, "error")
			is.Equal(e.Category, tt.category)
			is.True(e.CorrelationID != "")
			is.True(e.Message != "")
			if tt.names != nil {
				is.Equal(e.Context["propertyName"], tt.names)
			}
			for _, n := range tt.names {
				if tt.messageNames {
					is.True(strings.Contains(e.Message, n)) // the message names it
				}
			}
			if tt.code != "" {
				is.True(len(e.Errors) > 0)
				is.Equal(e.Errors[0].Code, tt.code)
			}
		})
	}
	if n := len(srv.Objects("contacts")); n != 1 {
		t.Fatalf("rejected writes created objects: %d contacts", n)
	}
}

func TestUniquePropertyServesIDPropertyAndUpsert(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	id, err := srv.Create("contacts", map[string]string{"email": "a@example.com"})
	is.NoErr(err)

	o := call(t, srv, "GET", "/crm/v3/objects/contacts/A@example.com?idProperty=email", "").json(t)
	is.Equal(o["id"], id)

	upsert := `{"inputs":[{"idProperty":"email","id":"a@example.com","properties":{"firstname":"Ann"}},{"idProperty":"email","id":"new@example.com","properties":{"firstname":"Neo"}}]}`
	r := call(t, srv, "POST", "/crm/v3/objects/contacts/batch/upsert", upsert)
	is.Equal(r.status, 200)
	byEmail := map[string]map[string]any{}
	for _, o := range results(t, r) {
		byEmail[fmt.Sprint(props(o)["email"])] = o
	}
	is.Equal(byEmail["a@example.com"]["new"], false)
	is.Equal(byEmail["a@example.com"]["id"], id)
	is.Equal(byEmail["new@example.com"]["new"], true)

	// The same upsert again changes nothing in number.
	is.Equal(call(t, srv, "POST", "/crm/v3/objects/contacts/batch/upsert", upsert).status, 200)
	is.Equal(len(srv.Objects("contacts")), 2)

	// Upsert on a property that is not unique is refused per input.
	r = call(t, srv, "POST", "/crm/v3/objects/companies/batch/upsert", `{"inputs":[{"idProperty":"domain","id":"x.com","properties":{}}]}`)
	is.Equal(r.status, 207)
	is.Equal(len(srv.Objects("companies")), 0)

	// An archived object frees its unique value.
	is.NoErr(srv.Archive("contacts", id))
	is.Equal(call(t, srv, "POST", "/crm/v3/objects/contacts", `{"properties":{"email":"a@example.com"}}`).status, 201)
}

func TestBatch(t *testing.T) {
	srv := newServer(t, hubspottest.WithoutRateLimits())
	ids, err := srv.Seed("companies", 60, nil)
	if err != nil {
		t.Fatal(err)
	}
	inputs := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return `{"inputs":[` + strings.Join(parts, ",") + `]}`
	}

	t.Run("101 inputs is a 400", func(t *testing.T) {
		is := is.New(t)
		for _, op := range []string{"read", "create", "update", "upsert", "archive"} {
			r := call(t, srv, "POST", "/crm/v3/objects/companies/batch/"+op, inputs(101, func(i int) string { return fmt.Sprintf(`{"id":"%d","properties":{}}`, i+1) }))
			is.Equal(r.status, 400)
			is.Equal(r.json(t)["category"], "VALIDATION_ERROR")
		}
		is.Equal(len(srv.Objects("companies")), 60)
	})

	t.Run("read answers out of input order, 207 names the missing", func(t *testing.T) {
		is := is.New(t)
		body := inputs(52, func(i int) string {
			if i >= 50 {
				return fmt.Sprintf(`{"id":"%d"}`, 900000+i)
			}
			return fmt.Sprintf(`{"id":%q}`, ids[i])
		})
		body = strings.Replace(body, `{"inputs"`, `{"properties":["name"],"inputs"`, 1)
		r := call(t, srv, "POST", "/crm/v3/objects/companies/batch/read", body)
		is.Equal(r.status, 207)
		got := results(t, r)
		is.Equal(len(got), 50)
		order := make([]string, len(got))
		for i, o := range got {
			order[i] = o["id"].(string)
			is.True(props(o)["name"] != nil)
		}
		is.True(!slices.Equal(order, ids[:50]))
		v := r.json(t)
		is.Equal(v["numErrors"], float64(1))
		errs := v["errors"].([]any)
		e := errs[0].(map[string]any)
		is.Equal(e["category"], "OBJECT_NOT_FOUND")
		is.Equal(e["context"].(map[string]any)["ids"], []any{"900050", "900051"})
	})

	t.Run("update 207 names the failing inputs and applies the rest", func(t *testing.T) {
		is := is.New(t)
		body := fmt.Sprintf(`{"inputs":[{"id":%q,"properties":{"name":"renamed"}},{"id":"999999","properties":{"name":"x"}},{"id":%q,"properties":{"createdate":"1"}}]}`, ids[0], ids[1])
		r := call(t, srv, "POST", "/crm/v3/objects/companies/batch/update", body)
		is.Equal(r.status, 207)
		is.Equal(len(results(t, r)), 1)
		var v struct {
			Errors []struct {
				Category string
				Context  map[string][]string
			}
		}
		is.NoErr(json.Unmarshal(r.body, &v))
		is.Equal(len(v.Errors), 2)
		failed := map[string]string{}
		for _, e := range v.Errors {
			failed[e.Context["ids"][0]] = e.Category
		}
		is.Equal(failed, map[string]string{"999999": "OBJECT_NOT_FOUND", ids[1]: "VALIDATION_ERROR"})
		o, _ := srv.Object("companies", ids[0])
		is.Equal(o.Properties["name"], "renamed")
	})

	t.Run("create 207 names inputs by trace id", func(t *testing.T) {
		is := is.New(t)
		body := `{"inputs":[{"properties":{"name":"ok"},"objectWriteTraceId":"t1"},{"properties":{"hs_object_id":"1"},"objectWriteTraceId":"t2"}]}`
		r := call(t, srv, "POST", "/crm/v3/objects/companies/batch/create", body)
		is.Equal(r.status, 207)
		got := results(t, r)
		is.Equal(len(got), 1)
		is.Equal(got[0]["objectWriteTraceId"], "t1")
		var v struct {
			Errors []struct{ Context map[string][]string }
		}
		is.NoErr(json.Unmarshal(r.body, &v))
		is.Equal(v.Errors[0].Context["objectWriteTraceId"], []string{"t2"})
		is.Equal(v.Errors[0].Context["propertyName"], []string{"hs_object_id"})
	})

	t.Run("create is 201, update of a duplicate id is a 400", func(t *testing.T) {
		is := is.New(t)
		is.Equal(call(t, srv, "POST", "/crm/v3/objects/companies/batch/create", `{"inputs":[{"properties":{"name":"a"}},{"properties":{"name":"b"}}]}`).status, 201)
		dup := fmt.Sprintf(`{"inputs":[{"id":%q,"properties":{}},{"id":%q,"properties":{}}]}`, ids[2], ids[2])
		is.Equal(call(t, srv, "POST", "/crm/v3/objects/companies/batch/update", dup).status, 400)
	})

	t.Run("archive is 204, also for unknown and archived ids", func(t *testing.T) {
		is := is.New(t)
		body := fmt.Sprintf(`{"inputs":[{"id":%q},{"id":"999999"}]}`, ids[3])
		is.Equal(call(t, srv, "POST", "/crm/v3/objects/companies/batch/archive", body).status, 204)
		is.Equal(call(t, srv, "POST", "/crm/v3/objects/companies/batch/archive", body).status, 204)
		is.Equal(call(t, srv, "DELETE", "/crm/v3/objects/companies/"+ids[3], "").status, 204)
		o, ok := srv.Object("companies", ids[3])
		is.True(ok && o.Archived)
		archives := 0
		for _, c := range srv.Changes("companies") {
			if c.Kind == hubspottest.ChangeArchive {
				archives++
			}
		}
		is.Equal(archives, 1)
	})
}

func TestSearch(t *testing.T) {
	srv := newServer(t, hubspottest.WithoutRateLimits())
	_, err := srv.Seed("deals", 30, func(i int) map[string]string {
		return map[string]string{"dealname": fmt.Sprintf("Deal number %d", i), "amount": strconv.Itoa(i * 10), "dealstage": []string{"won", "lost", "open"}[i%3]}
	})
	if err != nil {
		t.Fatal(err)
	}
	search := func(body string) response { return call(t, srv, "POST", "/crm/v3/objects/deals/search", body) }
	f := func(prop, op, value string) string {
		return fmt.Sprintf(`{"propertyName":%q,"operator":%q,"value":%q}`, prop, op, value)
	}
	tests := []struct {
		name  string
		body  string
		total int
		first string // dealname of the first result, if checked
	}{
		{"no filters", `{"limit":5}`, 30, ""},
		{"EQ", `{"filterGroups":[{"filters":[` + f("dealstage", "EQ", "WON") + `]}]}`, 10, ""},
		{"NEQ", `{"filterGroups":[{"filters":[` + f("dealstage", "NEQ", "won") + `]}]}`, 20, ""},
		{"GTE numeric, not text", `{"filterGroups":[{"filters":[` + f("amount", "GTE", "90") + `]}]}`, 21, ""},
		{"LT", `{"filterGroups":[{"filters":[` + f("amount", "LT", "30") + `]}]}`, 3, ""},
		{"AND in a group", `{"filterGroups":[{"filters":[` + f("amount", "GTE", "100") + `,` + f("dealstage", "EQ", "won") + `]}]}`, 6, ""},
		{"OR across groups", `{"filterGroups":[{"filters":[` + f("amount", "EQ", "0") + `]},{"filters":[` + f("amount", "EQ", "290") + `]}]}`, 2, ""},
		{"BETWEEN", `{"filterGroups":[{"filters":[{"propertyName":"amount","operator":"BETWEEN","value":"50","highValue":"70"}]}]}`, 3, ""},
		{"IN", `{"filterGroups":[{"filters":[{"propertyName":"dealstage","operator":"IN","values":["won","lost"]}]}]}`, 20, ""},
		{"NOT_IN", `{"filterGroups":[{"filters":[{"propertyName":"dealstage","operator":"NOT_IN","values":["won","lost"]}]}]}`, 10, ""},
		{"HAS_PROPERTY", `{"filterGroups":[{"filters":[{"propertyName":"closedate","operator":"HAS_PROPERTY"}]}]}`, 0, ""},
		{"NOT_HAS_PROPERTY", `{"filterGroups":[{"filters":[{"propertyName":"closedate","operator":"NOT_HAS_PROPERTY"}]}]}`, 30, ""},
		{"CONTAINS_TOKEN", `{"filterGroups":[{"filters":[` + f("dealname", "CONTAINS_TOKEN", "12") + `]}]}`, 1, ""},
		{"CONTAINS_TOKEN wildcard", `{"filterGroups":[{"filters":[` + f("dealname", "CONTAINS_TOKEN", "deal number 2*") + `]}]}`, 11, ""},
		{"NOT_CONTAINS_TOKEN", `{"filterGroups":[{"filters":[` + f("dealname", "NOT_CONTAINS_TOKEN", "12") + `]}]}`, 29, ""},
		{"sort descending by amount", `{"sorts":[{"propertyName":"amount","direction":"DESCENDING"}],"properties":["dealname"],"limit":1}`, 30, "Deal number 29"},
		{"sort ascending by amount", `{"sorts":[{"propertyName":"amount","direction":"ASCENDING"}],"properties":["dealname"],"limit":1}`, 30, "Deal number 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			r := search(tt.body)
			is.Equal(r.status, 200)
			is.Equal(r.json(t)["total"], float64(tt.total))
			if tt.first != "" {
				is.Equal(props(results(t, r)[0])["dealname"], tt.first)
			}
		})
	}

	refused := []struct{ name, body string }{
		{"limit over 200", `{"limit":201}`},
		{"two sorts", `{"sorts":[{"propertyName":"amount","direction":"ASCENDING"},{"propertyName":"dealname","direction":"ASCENDING"}]}`},
		{"six filter groups", `{"filterGroups":[` + strings.Repeat(`{"filters":[`+f("amount", "EQ", "1")+`]},`, 5) + `{"filters":[` + f("amount", "EQ", "1") + `]}]}`},
		{"seven filters in a group", `{"filterGroups":[{"filters":[` + strings.Repeat(f("amount", "EQ", "1")+",", 6) + f("amount", "EQ", "1") + `]}]}`},
		{"unknown property", `{"filterGroups":[{"filters":[` + f("nope", "EQ", "1") + `]}]}`},
		{"unknown operator", `{"filterGroups":[{"filters":[` + f("amount", "LIKE", "1") + `]}]}`},
		{"after 10,000", `{"after":"10000","limit":100}`},
	}
	for _, tt := range refused {
		t.Run(tt.name+" is a 400", func(t *testing.T) {
			is := is.New(t)
			r := search(tt.body)
			is.Equal(r.status, 400)
			is.Equal(r.json(t)["category"], "VALIDATION_ERROR")
		})
	}
}

func TestSearchStopsAt10000(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithoutRateLimits())
	_, err := srv.Seed("products", 10050, nil)
	is.NoErr(err)
	after, pages := "", 0
	var last response
	for {
		last = call(t, srv, "POST", "/crm/v3/objects/products/search", `{"limit":200,"after":"`+after+`"}`)
		if last.status != 200 {
			break
		}
		is.Equal(last.json(t)["total"], float64(10050))
		pages++
		after = nextAfter(t, last)
		is.True(after != "") // more results exist, so HubSpot offers a next page
	}
	is.Equal(pages, 50)
	is.Equal(after, "10000")
	is.Equal(last.status, 400)
}

func TestSearchRateLimit(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(start)
	srv := newServer(t, hubspottest.WithClock(clock))
	for range 5 {
		r := call(t, srv, "POST", "/crm/v3/objects/contacts/search", `{}`)
		is.Equal(r.status, 200)
		is.Equal(r.header.Get("X-HubSpot-RateLimit-Remaining"), "") // search sends none
	}
	r := call(t, srv, "POST", "/crm/v3/objects/contacts/search", `{}`)
	is.Equal(r.status, 429)
	v := r.json(t)
	is.Equal(v["errorType"], "RATE_LIMIT")
	is.Equal(v["status"], "error")
	is.Equal(v["policyName"], "SECONDLY")
	is.Equal(v["message"], "You have reached your secondly limit.")
	is.True(v["correlationId"] != "")
	// Other endpoints are not held up by the search limit.
	is.Equal(call(t, srv, "GET", "/crm/v3/objects/contacts?limit=1", "").status, 200)
	clock.Advance(time.Second)
	is.Equal(call(t, srv, "POST", "/crm/v3/objects/contacts/search", `{}`).status, 200)
	searches, refused := srv.SearchLimitCounts()
	is.Equal(searches, 7)
	is.Equal(refused, 1)
}

// TestSearchLimitPerAccountOrToken: HubSpot's search guide counts the
// search limit per account, its changelog per authentication token. By
// default a second token of the account (an OAuth app's) finds the limit
// spent by the first's searches; with WithSearchLimitPerToken it has five
// of its own.
func TestSearchLimitPerAccountOrToken(t *testing.T) {
	const id, secret, refresh = "app-1", "secret-1", "refresh-1"
	tests := []struct {
		name     string
		opts     []hubspottest.Option
		wantApp  int // the OAuth token's first search
		wantMore int // the private token's sixth search
	}{
		{"per account", nil, 429, 429},
		{"per token", []hubspottest.Option{hubspottest.WithSearchLimitPerToken()}, 200, 429},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			clock := hubspottest.NewManualClock(start)
			srv := newServer(t, append(tt.opts, hubspottest.WithClock(clock), hubspottest.WithOAuthApp(id, secret, refresh))...)
			app := exchange(t, srv, refreshForm(id, secret, refresh)).AccessToken
			is.True(app != "")
			for range 5 {
				is.Equal(call(t, srv, "POST", "/crm/v3/objects/contacts/search", `{}`).status, 200)
			}
			r := callWithToken(t, srv, app, "POST", "/crm/v3/objects/deals/search", `{}`)
			is.Equal(r.status, tt.wantApp)
			if r.status == 429 {
				is.Equal(r.json(t)["policyName"], "SECONDLY")
			}
			is.Equal(call(t, srv, "POST", "/crm/v3/objects/contacts/search", `{}`).status, tt.wantMore)
			clock.Advance(time.Second) // the window rolls for every count
			is.Equal(callWithToken(t, srv, app, "POST", "/crm/v3/objects/deals/search", `{}`).status, 200)
			is.Equal(call(t, srv, "POST", "/crm/v3/objects/contacts/search", `{}`).status, 200)
		})
	}
}

func TestRollingRateLimit(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(start)
	srv := newServer(t, hubspottest.WithClock(clock), hubspottest.WithRateLimit(3, 10*time.Second), hubspottest.WithDailyLimit(5))
	for i := range 3 {
		r := call(t, srv, "GET", "/crm/v3/objects/contacts", "")
		is.Equal(r.status, 200)
		is.Equal(r.header.Get("X-HubSpot-RateLimit-Max"), "3")
		is.Equal(r.header.Get("X-HubSpot-RateLimit-Remaining"), strconv.Itoa(2-i))
		is.Equal(r.header.Get("X-HubSpot-RateLimit-Interval-Milliseconds"), "10000")
		is.Equal(r.header.Get("X-HubSpot-RateLimit-Daily"), "5")
		is.Equal(r.header.Get("X-HubSpot-RateLimit-Daily-Remaining"), strconv.Itoa(4-i))
		clock.Advance(time.Second)
	}
	r := call(t, srv, "GET", "/crm/v3/objects/contacts", "")
	is.Equal(r.status, 429)
	v := r.json(t)
	is.Equal(v["policyName"], "TEN_SECONDLY_ROLLING")
	is.Equal(v["message"], "You have reached your ten_secondly_rolling limit.")
	is.Equal(r.header.Get("Retry-After"), "") // HubSpot often sends none
	is.Equal(r.header.Get("X-HubSpot-RateLimit-Interval-Milliseconds"), "10000")
	// The window rolls: 10 s after the first request, one slot is free.
	clock.Advance(7 * time.Second)
	is.Equal(call(t, srv, "GET", "/crm/v3/objects/contacts", "").status, 200)
	is.Equal(call(t, srv, "GET", "/crm/v3/objects/contacts", "").status, 429)
	clock.Advance(10 * time.Second)
	is.Equal(call(t, srv, "GET", "/crm/v3/objects/contacts", "").status, 200)
	// Five requests were served today: the daily limit is reached.
	r = call(t, srv, "GET", "/crm/v3/objects/contacts", "")
	is.Equal(r.status, 429)
	is.Equal(r.json(t)["policyName"], "DAILY")
	clock.Advance(24 * time.Hour)
	is.Equal(call(t, srv, "GET", "/crm/v3/objects/contacts", "").status, 200)
}

// TestRetryAfterOption: with WithRetryAfter, a 429 says when the window frees
// a slot.
func TestRetryAfterOption(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(start)
	srv := newServer(t, hubspottest.WithClock(clock), hubspottest.WithRateLimit(3, 10*time.Second), hubspottest.WithRetryAfter())
	for range 3 {
		is.Equal(call(t, srv, "GET", "/crm/v3/objects/contacts", "").status, 200)
		clock.Advance(time.Second)
	}
	clock.Advance(500 * time.Millisecond)
	r := call(t, srv, "GET", "/crm/v3/objects/contacts", "")
	is.Equal(r.status, 429)
	is.Equal(r.header.Get("Retry-After"), "7") // 6.5 s until the first request is 10 s old, rounded up
	for range 5 {
		r = call(t, srv, "POST", "/crm/v3/objects/contacts/search", `{}`)
	}
	r = call(t, srv, "POST", "/crm/v3/objects/contacts/search", `{}`)
	is.Equal(r.status, 429)
	is.Equal(r.header.Get("Retry-After"), "1")
}

// TestLongURL: HubSpot answers 414 to a URL longer than about 15,000
// characters (counted from https://api.hubapi.com on).
func TestLongURL(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	prefix := "/crm/v3/objects/contacts?limit=1&properties="
	fill := 15000 - len("https://api.hubapi.com") - len(prefix)
	is.Equal(call(t, srv, "GET", prefix+strings.Repeat("a", fill), "").status, 200)
	r := call(t, srv, "GET", prefix+strings.Repeat("a", fill+1), "")
	is.Equal(r.status, 414)
	v := r.json(t)
	is.Equal(v["status"], "error")
	is.True(strings.Contains(v["message"].(string), "too long"))
	// In front of the API: even without a token.
	is.Equal(callWithToken(t, srv, "", "GET", prefix+strings.Repeat("a", fill+1), "").status, 414)
}

func TestIndexLag(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(start)
	srv := newServer(t, hubspottest.WithClock(clock), hubspottest.WithIndexLag(5*time.Second), hubspottest.WithoutRateLimits())
	byEmail := `{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"lag@example.com"}]}],"properties":["city"]}`
	search := func() []map[string]any {
		return results(t, call(t, srv, "POST", "/crm/v3/objects/contacts/search", byEmail))
	}

	id, err := srv.Create("contacts", map[string]string{"email": "lag@example.com", "city": "Old"})
	is.NoErr(err)
	is.Equal(len(search()), 0) // not indexed yet
	is.Equal(call(t, srv, "GET", "/crm/v3/objects/contacts/"+id, "").status, 200)

	clock.Advance(5 * time.Second)
	found := search()
	is.Equal(len(found), 1)
	is.Equal(props(found[0])["city"], "Old")

	is.NoErr(srv.Update("contacts", id, map[string]string{"city": "New"}))
	got := call(t, srv, "GET", "/crm/v3/objects/contacts/"+id+"?properties=city", "").json(t)
	is.Equal(props(got)["city"], "New")         // get sees the change
	is.Equal(props(search()[0])["city"], "Old") // search does not, yet

	clock.Advance(5 * time.Second)
	is.Equal(props(search()[0])["city"], "New")

	// Search lags archives too: the object shows at its last version for
	// the index lag, then leaves.
	is.NoErr(srv.Archive("contacts", id))
	is.Equal(props(search()[0])["city"], "New")
	clock.Advance(5 * time.Second)
	is.Equal(len(search()), 0)
}

func TestSameMillisecond(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithoutRateLimits())
	srv.SameMillisecond(func() {
		_, err := srv.Seed("tickets", 50, nil)
		is.NoErr(err)
		time.Sleep(3 * time.Millisecond)
		r := call(t, srv, "POST", "/crm/v3/objects/tickets", `{"properties":{"subject":"over HTTP"}}`)
		is.Equal(r.status, 201)
	})
	changes := srv.Changes("tickets")
	is.Equal(len(changes), 51)
	for _, c := range changes {
		is.Equal(c.At, changes[0].At)
	}
	is.Equal(changes[0].At, changes[0].At.Truncate(time.Millisecond))
}

func TestAuth(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	for _, token := range []string{"", "pat-na1-wrong"} {
		r := callWithToken(t, srv, token, "GET", "/crm/v3/objects/contacts", "")
		is.Equal(r.status, 401)
		v := r.json(t)
		is.Equal(v["category"], "INVALID_AUTHENTICATION")
		is.Equal(v["status"], "error")
	}
	is.Equal(srv.Calls()["GET /crm/v3/objects/contacts"], 2) // refused calls count too
}

func TestPropertiesAndOwners(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	var ps struct {
		Results []struct {
			Name                 string
			Type                 string
			HasUniqueValue       bool
			ModificationMetadata struct{ ReadOnlyValue bool }
		}
	}
	is.NoErr(json.Unmarshal(call(t, srv, "GET", "/crm/v3/properties/contacts", "").body, &ps))
	byName := map[string]int{}
	for i, p := range ps.Results {
		byName[p.Name] = i
	}
	is.True(ps.Results[byName["hs_object_id"]].ModificationMetadata.ReadOnlyValue)
	is.True(ps.Results[byName["createdate"]].ModificationMetadata.ReadOnlyValue)
	is.True(ps.Results[byName["lastmodifieddate"]].ModificationMetadata.ReadOnlyValue)
	is.True(!ps.Results[byName["email"]].ModificationMetadata.ReadOnlyValue)
	// HubSpot enforces email's uniqueness but does not report it.
	is.True(!ps.Results[byName["email"]].HasUniqueValue)
	is.Equal(ps.Results[byName["date_of_birth"]].Type, "date")

	a := srv.AddOwner("a@example.com", "A", "One")
	srv.AddOwner("b@example.com", "B", "Two")
	c := srv.AddOwner("c@example.com", "C", "Three")
	is.NoErr(srv.ArchiveOwner(c))
	r := call(t, srv, "GET", "/crm/v3/owners?limit=1", "")
	is.Equal(len(results(t, r)), 1)
	is.Equal(results(t, r)[0]["id"], a)
	r = call(t, srv, "GET", "/crm/v3/owners/?limit=1&after="+nextAfter(t, r), "")
	is.Equal(results(t, r)[0]["email"], "b@example.com")
	is.Equal(nextAfter(t, r), "") // the archived one is not listed
	archived := results(t, call(t, srv, "GET", "/crm/v3/owners?archived=true", ""))
	is.Equal(len(archived), 1)
	is.Equal(archived[0]["archived"], true)
	_, has := archived[0]["archivedAt"]
	is.True(!has)                                                // the spec's PublicOwner has no archivedAt
	is.Equal(archived[0]["updatedAt"], archived[0]["createdAt"]) // the move leaves updatedAt
	is.NoErr(srv.RestoreOwner(c))
	is.Equal(len(results(t, call(t, srv, "GET", "/crm/v3/owners?archived=true", ""))), 0)
	is.Equal(len(results(t, call(t, srv, "GET", "/crm/v3/owners", ""))), 3)
	is.Equal(call(t, srv, "GET", "/crm/v3/owners/"+a, "").json(t)["firstName"], "A")
	is.Equal(call(t, srv, "GET", "/crm/v3/owners/424242", "").status, 404)
}

func TestCustomObjectType(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithCustomObjectType("2-12345",
		hubspottest.PropertyDef{Name: "serial", Type: hubspottest.TypeString, Unique: true},
		hubspottest.PropertyDef{Name: "weight", Type: hubspottest.TypeNumber}))
	r := call(t, srv, "POST", "/crm/v3/objects/2-12345", `{"properties":{"serial":"S1","weight":"2"}}`)
	is.Equal(r.status, 201)
	is.Equal(props(r.json(t))["serial"], "S1")
	is.Equal(call(t, srv, "POST", "/crm/v3/objects/2-12345", `{"properties":{"serial":"S1"}}`).status, 409)
	is.Equal(call(t, srv, "GET", "/crm/v3/objects/2-12345/S1?idProperty=serial", "").status, 200)
}

// rawGet sends a GET without reading through the test helpers, for faults
// that break the response.
func rawGet(srv *hubspottest.Server, path string) (int, []byte, error) {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func TestFaults(t *testing.T) {
	srv := newServer(t, hubspottest.WithoutRateLimits())
	id, err := srv.Create("contacts", map[string]string{"email": "f@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	path := "/crm/v3/objects/contacts/" + id

	t.Run("status, only for the matching requests, N times", func(t *testing.T) {
		is := is.New(t)
		srv.InjectFault(hubspottest.Fault{Method: "GET", Path: "/crm/v3/objects/contacts/*", Times: 2, Kind: hubspottest.FaultStatus, Status: 503})
		is.Equal(call(t, srv, "GET", "/crm/v3/objects/contacts", "").status, 200) // path does not match
		is.Equal(call(t, srv, "POST", "/crm/v3/objects/contacts/search", `{}`).status, 200)
		r := call(t, srv, "GET", path, "")
		is.Equal(r.status, 503)
		is.Equal(r.json(t)["status"], "error")
		is.Equal(call(t, srv, "GET", path, "").status, 503)
		is.Equal(call(t, srv, "GET", path, "").status, 200)
		is.Equal(srv.PendingFaults(), 0)
	})

	t.Run("429 with HubSpot's body, Retry-After only when asked", func(t *testing.T) {
		is := is.New(t)
		srv.InjectFault(hubspottest.Fault{Status: 429})
		srv.InjectFault(hubspottest.Fault{Status: 429, RetryAfter: 3 * time.Second})
		for _, want := range []string{"", "3"} {
			r := call(t, srv, "GET", path, "")
			is.Equal(r.status, 429)
			v := r.json(t)
			is.Equal(v["errorType"], "RATE_LIMIT")
			is.Equal(v["policyName"], "TEN_SECONDLY_ROLLING")
			is.Equal(r.header.Get("Retry-After"), want)
		}
	})

	t.Run("423 Locked", func(t *testing.T) {
		is := is.New(t)
		srv.InjectFault(hubspottest.Fault{Method: "POST", Path: "/crm/v3/objects/contacts", Status: 423})
		before := len(srv.Objects("contacts"))
		r := call(t, srv, "POST", "/crm/v3/objects/contacts", `{"properties":{"email":"lock@example.com"}}`)
		is.Equal(r.status, 423)
		is.Equal(r.json(t)["status"], "error")
		is.Equal(len(srv.Objects("contacts")), before) // a lock applies nothing
	})

	t.Run("HTML 502", func(t *testing.T) {
		is := is.New(t)
		srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultHTML})
		r := call(t, srv, "GET", path, "")
		is.Equal(r.status, 502)
		is.True(strings.HasPrefix(r.header.Get("Content-Type"), "text/html"))
		is.True(strings.Contains(string(r.body), "502 Bad Gateway"))
	})

	t.Run("reset", func(t *testing.T) {
		is := is.New(t)
		srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultReset})
		_, _, err := rawGet(srv, path)
		is.True(err != nil)
		_, _, err = rawGet(srv, path)
		is.NoErr(err)
	})

	t.Run("truncated body", func(t *testing.T) {
		is := is.New(t)
		srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultTruncate})
		status, body, err := rawGet(srv, path)
		is.True(errors.Is(err, io.ErrUnexpectedEOF)) // the announced length never arrives
		is.Equal(status, 200)
		is.True(!json.Valid(body))
	})

	t.Run("delay", func(t *testing.T) {
		is := is.New(t)
		srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultDelay, Delay: 300 * time.Millisecond})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+srv.Token)
		resp, err := httpClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		is.True(errors.Is(err, context.DeadlineExceeded))
	})

	t.Run("create applied, answer lost", func(t *testing.T) {
		is := is.New(t)
		for _, kind := range []hubspottest.FaultKind{hubspottest.FaultStatus, hubspottest.FaultReset} {
			before := len(srv.Objects("contacts"))
			srv.InjectFault(hubspottest.Fault{Method: "POST", Path: "/crm/v3/objects/contacts", Kind: kind, Status: 504, Applied: true})
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/crm/v3/objects/contacts", strings.NewReader(`{"properties":{}}`))
			req.Header.Set("Authorization", "Bearer "+srv.Token)
			resp, err := httpClient.Do(req)
			if kind == hubspottest.FaultStatus {
				is.NoErr(err)
				is.Equal(resp.StatusCode, 504)
				resp.Body.Close()
			} else {
				is.True(err != nil)
			}
			is.Equal(len(srv.Objects("contacts")), before+1) // it exists all the same
		}
	})

	t.Run("calls are counted per endpoint", func(t *testing.T) {
		is := is.New(t)
		srv.ResetCalls()
		call(t, srv, "GET", path, "")
		call(t, srv, "POST", "/crm/v3/objects/contacts/batch/read", `{"inputs":[]}`)
		call(t, srv, "POST", "/crm/v3/objects/contacts/batch/read", `{"inputs":[]}`)
		is.Equal(srv.Calls(), map[string]int{
			"GET /crm/v3/objects/contacts/{id}":        1,
			"POST /crm/v3/objects/contacts/batch/read": 2,
		})
		is.Equal(srv.TotalCalls(), 3)
	})
}

func TestOnlyLoopback(t *testing.T) {
	is := is.New(t)
	_, err := hubspottest.NewServer(hubspottest.WithAddr("0.0.0.0:0"))
	is.True(err != nil)
}

// TestLazyObjects: the list serves the caller's objects, made as they are
// listed, with the properties every object has.
func TestLazyObjects(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithLazyObjects("contacts", 250, func(i int) map[string]string {
		return map[string]string{"email": fmt.Sprintf("lazy%d@example.com", i)}
	}))
	var ids []string
	after := ""
	for {
		r := call(t, srv, "GET", "/crm/v3/objects/contacts?limit=100&after="+after, "")
		is.Equal(r.status, 200)
		for _, o := range results(t, r) {
			ids = append(ids, o["id"].(string))
			is.Equal(props(o)["email"], "lazy"+o["id"].(string)+"@example.com")
			is.Equal(props(o)["hs_object_id"], o["id"])
		}
		if after = nextAfter(t, r); after == "" {
			break
		}
	}
	is.Equal(len(ids), 250)
	is.Equal(ids[249], "250")
	is.Equal(len(srv.Objects("contacts")), 0) // nothing stored
}

func TestRateLimitedCount(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(start)
	srv := newServer(t, hubspottest.WithClock(clock), hubspottest.WithRateLimit(2, 10*time.Second))
	for range 5 {
		call(t, srv, "GET", "/crm/v3/objects/contacts", "")
	}
	is.Equal(srv.RateLimited(), 3)
	srv.ResetCalls()
	is.Equal(srv.RateLimited(), 0)
}

func TestContactBatchWritesAreAllOrNothing(t *testing.T) {
	body := `{"inputs":[
		{"idProperty":"email","id":"new@example.com","properties":{"firstname":"Neo"}},
		{"idProperty":"email","id":"bad@example.com","objectWriteTraceId":"t2","properties":{"hs_email_optout":"maybe"}}]}`
	tests := []struct {
		name    string
		opts    []hubspottest.Option
		status  int
		created int
	}{
		{"HubSpot's default: nothing applied", nil, 400, 0},
		{"partial rollout: the good input applied", []hubspottest.Option{hubspottest.WithPartialContactBatches()}, 207, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv := newServer(t, tt.opts...)
			r := call(t, srv, "POST", "/crm/v3/objects/contacts/batch/upsert", body)
			is.Equal(r.status, tt.status)
			is.Equal(len(srv.Objects("contacts")), tt.created)
			if tt.status == 400 {
				is.True(!strings.Contains(string(r.body), "bad@example.com")) // names no input
				var e struct {
					Context map[string][]string
					Errors  []struct{ Context map[string][]string }
				}
				is.NoErr(json.Unmarshal(r.body, &e))
				is.Equal(e.Context["ids"], nil) // a 207's per-input errors carry these; the whole call's does not
				is.Equal(e.Context["objectWriteTraceId"], nil)
				is.Equal(len(e.Errors), 1)
				is.Equal(e.Errors[0].Context["propertyName"], []string{"hs_email_optout"}) // it says what was wrong
			}
		})
	}
	t.Run("a duplicate email in one create fails the call with 409", func(t *testing.T) {
		is := is.New(t)
		srv := newServer(t)
		r := call(t, srv, "POST", "/crm/v3/objects/contacts/batch/create",
			`{"inputs":[{"properties":{"email":"a@example.com"}},{"properties":{"email":"A@example.com"}}]}`)
		is.Equal(r.status, 409)
		is.Equal(len(srv.Objects("contacts")), 0)
	})
}

func TestWriteTraceIDsEchoedOnlyByCurrentRollout(t *testing.T) {
	body := `{"inputs":[{"objectWriteTraceId":"t1","properties":{"dealname":"D"}},{"objectWriteTraceId":"t2","properties":{"amount":"x"}}]}`
	for _, tt := range []struct {
		name string
		opts []hubspottest.Option
		echo bool
	}{
		{"current", nil, true},
		{"older rollout", []hubspottest.Option{hubspottest.WithoutWriteTraceIDs()}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv := newServer(t, tt.opts...)
			r := call(t, srv, "POST", "/crm/v3/objects/deals/batch/create", body)
			is.Equal(r.status, 207)
			is.Equal(strings.Contains(string(r.body), `"t1"`), tt.echo) // on the result
			is.Equal(strings.Contains(string(r.body), `"t2"`), tt.echo) // on the error
		})
	}
}

func TestLateIndexing(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(start)
	srv := newServer(t, hubspottest.WithClock(clock), hubspottest.WithoutRateLimits(),
		hubspottest.WithIndexLag(time.Second), hubspottest.WithLateIndexing(0.2, 20*time.Second))
	_, err := srv.Seed("contacts", 500, nil)
	is.NoErr(err)
	count := func() int {
		body := `{"limit":1}`
		return int(call(t, srv, "POST", "/crm/v3/objects/contacts/search", body).json(t)["total"].(float64))
	}
	is.Equal(count(), 0)
	clock.Advance(time.Second)
	early := count()
	t.Logf("%d of 500 searchable after the usual lag", early)
	is.True(early > 350 && early < 450) // about 80 %
	clock.Advance(19 * time.Second)
	is.Equal(count(), 500)
}

func TestShortSearchPages(t *testing.T) {
	tests := []struct {
		name  string
		opts  []hubspottest.Option
		short bool
	}{
		{name: "default: full pages"},
		{name: "WithShortPages", opts: []hubspottest.Option{hubspottest.WithShortPages(0.3)}, short: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv := newServer(t, append([]hubspottest.Option{hubspottest.WithoutRateLimits()}, tt.opts...)...)
			_, err := srv.Seed("contacts", 1000, nil)
			is.NoErr(err)
			seen := map[string]bool{}
			after, pages, short := "", 0, 0
			for {
				body := `{"limit":50,"sorts":[{"propertyName":"hs_object_id","direction":"ASCENDING"}],"after":"` + after + `"}`
				r := call(t, srv, "POST", "/crm/v3/objects/contacts/search", body)
				is.Equal(r.status, 200)
				res := results(t, r)
				pages++
				for _, o := range res {
					seen[o["id"].(string)] = true
				}
				if after = nextAfter(t, r); after == "" {
					break
				}
				if len(res) < 50 {
					short++
				}
			}
			t.Logf("%d pages, %d short with more to come", pages, short)
			is.Equal(len(seen), 1000) // paging.next leads to every result once
			is.Equal(short > 0, tt.short)
		})
	}
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name   string
		opts   []hubspottest.Option
		keepID bool
	}{
		{name: "default: a new object with a new id"},
		{name: "WithMergeKeepsPrimaryID", opts: []hubspottest.Option{hubspottest.WithMergeKeepsPrimaryID()}, keepID: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			clock := hubspottest.NewManualClock(start)
			srv := newServer(t, append([]hubspottest.Option{hubspottest.WithClock(clock), hubspottest.WithoutRateLimits(),
				hubspottest.WithIndexLag(2 * time.Second)}, tt.opts...)...)
			a, err := srv.Create("contacts", map[string]string{"email": "a@example.com", "firstname": "A"})
			is.NoErr(err)
			b, err := srv.Create("contacts", map[string]string{"email": "b@example.com", "city": "Bern"})
			is.NoErr(err)
			clock.Advance(5 * time.Second)

			r := call(t, srv, "POST", "/crm/v3/objects/contacts/merge", `{"primaryObjectId":"`+a+`","objectIdToMerge":"`+b+`"}`)
			is.Equal(r.status, 200)
			merged := r.json(t)
			survivor := merged["id"].(string)
			is.Equal(survivor == a, tt.keepID)
			absorbed := []string{b}
			if !tt.keepID {
				absorbed = []string{a, b}
			}
			got := call(t, srv, "GET", "/crm/v3/objects/contacts/"+survivor+"?properties=email,firstname,city,hs_merged_object_ids", "").json(t)
			is.Equal(props(got)["email"], "a@example.com") // the primary's values win
			is.Equal(props(got)["firstname"], "A")
			is.Equal(props(got)["city"], "Bern") // the secondary's fill in
			is.Equal(props(got)["hs_merged_object_ids"], strings.Join(absorbed, ";"))

			for _, id := range absorbed {
				// Reading, updating and batch-updating an absorbed id reach
				// the survivor, under its own id.
				is.Equal(call(t, srv, "GET", "/crm/v3/objects/contacts/"+id, "").json(t)["id"], survivor)
				upd := call(t, srv, "PATCH", "/crm/v3/objects/contacts/"+id, `{"properties":{"lastname":"via `+id+`"}}`)
				is.Equal(upd.status, 200)
				is.Equal(upd.json(t)["id"], survivor)
				batch := call(t, srv, "POST", "/crm/v3/objects/contacts/batch/update", `{"inputs":[{"id":"`+id+`","properties":{"jobtitle":"x"}}]}`)
				is.Equal(batch.status, 200)
				is.Equal(results(t, batch)[0]["id"], survivor)
				read := call(t, srv, "POST", "/crm/v3/objects/contacts/batch/read", `{"inputs":[{"id":"`+id+`"}]}`)
				is.Equal(results(t, read)[0]["id"], survivor)
				o, ok := srv.Object("contacts", id)
				is.True(ok)
				is.Equal(o.MergedInto, survivor)
				is.True(!o.Archived) // a merge archives nothing
			}
			// The absorbed ids are neither listed nor archived.
			listed := func(q string) []string {
				var ids []string
				for _, o := range results(t, call(t, srv, "GET", "/crm/v3/objects/contacts?limit=100"+q, "")) {
					ids = append(ids, o["id"].(string))
				}
				return ids
			}
			is.Equal(listed(""), []string{survivor})
			is.Equal(len(listed("&archived=true")), 0)
			// Search shows both old objects (and no new one) until its index
			// catches up.
			searched := func() []string {
				var ids []string
				for _, o := range results(t, call(t, srv, "POST", "/crm/v3/objects/contacts/search", `{"limit":100}`)) {
					ids = append(ids, o["id"].(string))
				}
				return ids
			}
			is.Equal(searched(), []string{a, b})
			clock.Advance(2 * time.Second)
			is.Equal(searched(), []string{survivor})
		})
	}
}

func TestMergeRefused(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithoutRateLimits())
	ids, err := srv.Seed("products", 2, nil)
	is.NoErr(err)
	is.Equal(call(t, srv, "POST", "/crm/v3/objects/products/merge", `{"primaryObjectId":"`+ids[0]+`","objectIdToMerge":"`+ids[1]+`"}`).status, 400)
	c, err := srv.Seed("companies", 1, nil)
	is.NoErr(err)
	is.Equal(call(t, srv, "POST", "/crm/v3/objects/companies/merge", `{"primaryObjectId":"`+c[0]+`","objectIdToMerge":"`+c[0]+`"}`).status, 400)
	is.Equal(call(t, srv, "POST", "/crm/v3/objects/companies/merge", `{"primaryObjectId":"`+c[0]+`","objectIdToMerge":"999"}`).status, 404)
}

// TestMergedContactKeepsBothEmails: the absorbed contact's email becomes a
// secondary email of the survivor, which HubSpot finds by it, and which
// no other contact may take.
func TestMergedContactKeepsBothEmails(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	a, err := srv.Create("contacts", map[string]string{"email": "a@example.com"})
	is.NoErr(err)
	b, err := srv.Create("contacts", map[string]string{"email": "b@example.com"})
	is.NoErr(err)
	survivor, err := srv.Merge("contacts", a, b)
	is.NoErr(err)
	o, _ := srv.Object("contacts", survivor)
	is.Equal(o.Properties["email"], "a@example.com")
	is.Equal(o.Properties["hs_additional_emails"], "b@example.com")
	got := call(t, srv, "GET", "/crm/v3/objects/contacts/B@example.com?idProperty=email", "").json(t)
	is.Equal(got["id"], survivor)
	is.Equal(call(t, srv, "POST", "/crm/v3/objects/contacts", `{"properties":{"email":"b@example.com"}}`).status, 409)
	is.NoErr(srv.Archive("contacts", survivor))
	is.Equal(call(t, srv, "POST", "/crm/v3/objects/contacts", `{"properties":{"email":"b@example.com"}}`).status, 201)
}

func TestLiveIDs(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	ids, err := srv.Seed("contacts", 4, nil)
	is.NoErr(err)
	is.NoErr(srv.Archive("contacts", ids[0]))
	merged, err := srv.Merge("contacts", ids[1], ids[2])
	is.NoErr(err)
	// archived and absorbed ones are gone; the merge's new object is live
	is.Equal(srv.LiveIDs("contacts"), []string{ids[3], merged})
	is.Equal(len(srv.LiveIDs("widgets")), 0)
}
