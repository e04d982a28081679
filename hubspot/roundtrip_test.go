package hubspot_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// The round-trip suite runs every client call against the simulator over
// HTTP on 127.0.0.1.

func newSim(t *testing.T, opts ...hubspottest.Option) *hubspottest.Server {
	t.Helper()
	srv, err := hubspottest.NewServer(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func simClient(t *testing.T, srv *hubspottest.Server, opts ...hubspot.Option) *hubspot.Client {
	t.Helper()
	base := []hubspot.Option{hubspot.WithBaseURL(srv.URL), hubspot.WithBackoff(5*time.Millisecond, 50*time.Millisecond)}
	c, err := hubspot.NewClient(srv.Token, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRoundTripObjects(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	c := simClient(t, srv)

	// create, get, get by id property, update, archive
	obj, err := c.Objects.Create(ctx, "contacts", hubspot.Properties{"email": hubspot.String("rt@example.com"), "firstname": hubspot.String("Round")})
	is.NoErr(err)
	is.True(obj.ID != "")
	got, err := c.Objects.Get(ctx, "contacts", obj.ID, hubspot.GetOptions{Properties: []string{"firstname", "city"}})
	is.NoErr(err)
	fn, _ := got.Properties.Get("firstname")
	is.Equal(fn, "Round")
	city, present := got.Properties["city"]
	is.True(present && city == nil) // asked for, unset: null
	byEmail, err := c.Objects.Get(ctx, "contacts", "rt@example.com", hubspot.GetOptions{IDProperty: "email"})
	is.NoErr(err)
	is.Equal(byEmail.ID, obj.ID)
	updated, err := c.Objects.Update(ctx, "contacts", obj.ID, hubspot.Properties{"firstname": hubspot.String("Trip")})
	is.NoErr(err)
	is.True(!updated.UpdatedAt.Before(obj.UpdatedAt))
	is.NoErr(c.Objects.Archive(ctx, "contacts", obj.ID))
	_, err = c.Objects.Get(ctx, "contacts", obj.ID, hubspot.GetOptions{})
	is.True(hubspot.IsNotFound(err))
	arch, err := c.Objects.Get(ctx, "contacts", obj.ID, hubspot.GetOptions{Archived: true})
	is.NoErr(err)
	is.True(arch.Archived && arch.ArchivedAt != nil)

	// list, live and archived
	_, err = srv.Seed("contacts", 250, nil)
	is.NoErr(err)
	var ids []string
	after := ""
	for {
		page, err := c.Objects.List(ctx, "contacts", hubspot.ListOptions{Limit: 100, After: after, Properties: []string{"email"}})
		is.NoErr(err)
		for _, o := range page.Results {
			ids = append(ids, o.ID)
		}
		if after = page.NextAfter(); after == "" {
			break
		}
	}
	is.Equal(len(ids), 250)
	archived, err := c.Objects.List(ctx, "contacts", hubspot.ListOptions{Archived: true})
	is.NoErr(err)
	is.Equal(len(archived.Results), 1)
	is.Equal(archived.Results[0].ID, obj.ID)

	// search
	sp, err := c.Objects.Search(ctx, "contacts", hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{{PropertyName: "email", Operator: hubspot.OperatorEQ, Value: "person7@example.com"}}}},
		Sorts:        []hubspot.Sort{{PropertyName: "lastmodifieddate", Direction: hubspot.Ascending}},
		Properties:   []string{"email"},
		Limit:        10,
	})
	is.NoErr(err)
	is.Equal(sp.Total, 1)
	email, _ := sp.Results[0].Properties.Get("email")
	is.Equal(email, "person7@example.com")

	// properties and owners
	props, err := c.Properties.List(ctx, "contacts")
	is.NoErr(err)
	is.True(slices.ContainsFunc(props, func(p hubspot.Property) bool { return p.Name == "createdate" && p.ReadOnly() }))
	ownerID := srv.AddOwner("o@example.com", "O", "W")
	owners, err := c.Owners.List(ctx, hubspot.OwnerListOptions{})
	is.NoErr(err)
	is.Equal(len(owners.Results), 1)
	owner, err := c.Owners.Get(ctx, ownerID)
	is.NoErr(err)
	is.Equal(owner.Email, "o@example.com")
}

// TestRoundTripObjectTypeNames: HubSpot's paths take a custom object's fully
// qualified name besides its type id, and a standard object's type id
// besides its name; the resource a user configures by either reaches the same
// objects.
// TestRoundTripTLS serves the simulator's handler over https, as HubSpot
// is served, and makes a round trip through a client that trusts that
// server's certificate (the default HTTP client does not).
func TestRoundTripTLS(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	ts := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(ts.Close)
	c, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL(ts.URL), hubspot.WithHTTPClient(ts.Client()))
	is.NoErr(err)
	t.Cleanup(c.Close)

	obj, err := c.Objects.Create(ctx, "contacts", hubspot.Properties{"email": hubspot.String("tls@example.com")})
	is.NoErr(err)
	got, err := c.Objects.Get(ctx, "contacts", obj.ID, hubspot.GetOptions{Properties: []string{"email"}})
	is.NoErr(err)
	email, _ := got.Properties.Get("email")
	is.Equal(email, "tls@example.com")
	truth, ok := srv.Object("contacts", obj.ID) // the write reached the simulator's store
	is.True(ok)
	is.Equal(truth.Properties["email"], "tls@example.com")
	is.Equal(srv.Calls()["POST /crm/objects/2026-09/contacts"], 1)

	// A page's next link names the server the request came in by.
	_, err = srv.Seed("contacts", 2, nil)
	is.NoErr(err)
	page, err := c.Objects.List(ctx, "contacts", hubspot.ListOptions{Limit: 1})
	is.NoErr(err)
	is.True(page.NextAfter() != "")
	is.Equal(page.Paging.Next.Link, ts.URL+"/crm/objects/2026-09/contacts?after="+page.NextAfter()+"&limit=1")
}

func TestRoundTripObjectTypeNames(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t, hubspottest.WithPortalID(7878787),
		hubspottest.WithCustomObject("2-3465404", "cars", hubspottest.PropertyDef{Name: "model", Type: hubspottest.TypeString}))
	c := simClient(t, srv)

	cars, err := hubspot.LookupResource("p7878787_cars")
	is.NoErr(err)
	car, err := c.Objects.Create(ctx, cars.Name, hubspot.Properties{"model": hubspot.String("Beetle")})
	is.NoErr(err)
	for _, name := range []string{"p7878787_cars", "p_cars", "2-3465404"} {
		got, err := c.Objects.Get(ctx, name, car.ID, hubspot.GetOptions{Properties: []string{"model"}})
		is.NoErr(err) // a path with the custom object's name
		model, _ := got.Properties.Get("model")
		is.Equal(model, "Beetle")
		page, err := c.Objects.Search(ctx, name, hubspot.SearchRequest{Properties: []string{cars.ModifiedProperty}, Limit: 10})
		is.NoErr(err)
		is.Equal(len(page.Results), 1)
	}
	_, err = c.Objects.List(ctx, "p1111111_cars", hubspot.ListOptions{})
	is.Equal(hubspot.StatusCode(err), 400) // another account's name

	contacts, err := hubspot.LookupResource("0-1")
	is.NoErr(err)
	is.Equal(contacts.Name, "contacts")
	is.Equal(contacts.ModifiedProperty, "lastmodifieddate")
	id, err := srv.Create("contacts", map[string]string{"email": "zero@example.com"})
	is.NoErr(err)
	page, err := c.Objects.List(ctx, "0-1", hubspot.ListOptions{Properties: []string{"email"}})
	is.NoErr(err) // the standard store, by its type id
	is.Equal(len(page.Results), 1)
	is.Equal(page.Results[0].ID, id)
	props, err := c.Properties.List(ctx, "0-1")
	is.NoErr(err)
	is.True(slices.ContainsFunc(props, func(p hubspot.Property) bool { return p.Name == "lastmodifieddate" }))
}

func TestRoundTripBatches(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	c := simClient(t, srv)

	inputs := make([]hubspot.BatchInput, 150)
	for i := range inputs {
		inputs[i] = hubspot.BatchInput{
			Properties:         hubspot.Properties{"email": hubspot.String(fmt.Sprintf("b%d@example.com", i))},
			ObjectWriteTraceID: fmt.Sprint(i),
		}
	}
	srv.ResetCalls()
	created, err := c.Objects.BatchCreate(ctx, "contacts", inputs)
	is.NoErr(err)
	is.Equal(len(created.Results), 150)
	is.Equal(srv.Calls()["POST /crm/objects/2026-09/contacts/batch/create"], 2) // split in 100 + 50
	idByTrace := map[string]string{}
	for _, o := range created.Results {
		idByTrace[o.ObjectWriteTraceID] = o.ID
	}
	is.Equal(len(idByTrace), 150)

	// update with one failing input: a 207, not an error
	upd := []hubspot.BatchInput{
		{ID: idByTrace["0"], Properties: hubspot.Properties{"firstname": hubspot.String("Zero")}},
		{ID: idByTrace["1"], Properties: hubspot.Properties{"createdate": hubspot.String("1")}},
	}
	res, err := c.Objects.BatchUpdate(ctx, "contacts", upd)
	is.NoErr(err)
	is.Equal(len(res.Results), 1)
	is.Equal(len(res.Errors), 1)
	is.Equal(res.Errors[0].IDs(), []string{idByTrace["1"]})
	is.Equal(res.Errors[0].PropertyNames(), []string{"createdate"})

	// read back by id, out of order
	read, err := c.Objects.BatchRead(ctx, "contacts", hubspot.BatchReadRequest{IDs: []string{idByTrace["0"], idByTrace["2"]}, Properties: []string{"firstname"}})
	is.NoErr(err)
	is.Equal(len(read.Results), 2)
	for _, o := range read.Results {
		if o.ID == idByTrace["0"] {
			fn, _ := o.Properties.Get("firstname")
			is.Equal(fn, "Zero")
		}
	}

	// upsert twice: the second changes, not creates
	up := []hubspot.BatchInput{{IDProperty: "email", ID: "b0@example.com", Properties: hubspot.Properties{"lastname": hubspot.String("L")}},
		{IDProperty: "email", ID: "fresh@example.com", Properties: hubspot.Properties{}}}
	first, err := c.Objects.BatchUpsert(ctx, "contacts", up)
	is.NoErr(err)
	second, err := c.Objects.BatchUpsert(ctx, "contacts", up)
	is.NoErr(err)
	news := func(r *hubspot.BatchResult) int {
		n := 0
		for _, o := range r.Results {
			if o.New != nil && *o.New {
				n++
			}
		}
		return n
	}
	is.Equal(news(first), 1)
	is.Equal(news(second), 0)
	is.Equal(len(srv.Objects("contacts")), 151)

	// archive everything
	ids := make([]string, 0, len(idByTrace))
	for _, id := range idByTrace {
		ids = append(ids, id)
	}
	is.NoErr(c.Objects.BatchArchive(ctx, "contacts", ids))
	live := 0
	for _, o := range srv.Objects("contacts") {
		if !o.Archived {
			live++
		}
	}
	is.Equal(live, 1)
}

func TestRoundTripErrors(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	c := simClient(t, srv)

	_, err := c.Objects.Create(ctx, "contacts", hubspot.Properties{"createdate": hubspot.String("1"), "email": hubspot.String("x@example.com")})
	var er *hubspot.ErrorResponse
	is.True(errors.As(err, &er))
	is.Equal(er.StatusCode, 400)
	is.Equal(er.Category, "VALIDATION_ERROR")
	is.Equal(er.PropertyNames(), []string{"createdate"})
	is.True(er.CorrelationID != "")
	is.True(strings.Contains(err.Error(), "createdate"))
	assertNoToken(t, err)

	_, err = c.Objects.Create(ctx, "contacts", hubspot.Properties{"email": hubspot.String("dup@example.com")})
	is.NoErr(err)
	_, err = c.Objects.Create(ctx, "contacts", hubspot.Properties{"email": hubspot.String("dup@example.com")})
	is.Equal(hubspot.StatusCode(err), 409)

	bad, err := hubspot.NewClient("pat-na1-wrong", hubspot.WithBaseURL(srv.URL))
	is.NoErr(err)
	_, err = bad.Objects.List(ctx, "contacts", hubspot.ListOptions{})
	is.Equal(hubspot.StatusCode(err), 401)
	is.True(!strings.Contains(err.Error(), "pat-na1-wrong"))
}

func TestRoundTripFaults(t *testing.T) {
	ctx := context.Background()
	srv := newSim(t, hubspottest.WithoutRateLimits())
	c := simClient(t, srv, hubspot.WithMaxRetries(2))
	id, err := srv.Create("contacts", map[string]string{"email": "f@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	get := func() error {
		_, err := c.Objects.Get(ctx, "contacts", id, hubspot.GetOptions{})
		return err
	}
	list := func() error {
		_, err := c.Objects.List(ctx, "contacts", hubspot.ListOptions{})
		return err
	}
	tests := []struct {
		name   string
		fault  hubspottest.Fault
		call   func() error
		ok     bool
		calls  int
		status int
	}{
		{"reset, then retried", hubspottest.Fault{Kind: hubspottest.FaultReset}, get, true, 2, 0},
		{"truncated body, then retried", hubspottest.Fault{Kind: hubspottest.FaultTruncate}, list, true, 2, 0},
		{"HTML 502, then retried", hubspottest.Fault{Kind: hubspottest.FaultHTML}, get, true, 2, 0},
		{"503 three times: retries spent", hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 503, Times: 3}, get, false, 3, 503},
		{"429 from the edge, then retried", hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 429}, list, true, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv.ResetCalls()
			srv.InjectFault(tt.fault)
			err := tt.call()
			is.Equal(err == nil, tt.ok)
			is.Equal(srv.TotalCalls(), tt.calls)
			is.Equal(hubspot.StatusCode(err), tt.status)
			is.Equal(srv.PendingFaults(), 0)
		})
	}

	t.Run("create applied but answered 504 is not retried", func(t *testing.T) {
		is := is.New(t)
		before := len(srv.Objects("contacts"))
		srv.ResetCalls()
		srv.InjectFault(hubspottest.Fault{Method: http.MethodPost, Path: "/crm/objects/2026-09/contacts/batch/create", Kind: hubspottest.FaultStatus, Status: 504, Applied: true})
		_, err := c.Objects.BatchCreate(ctx, "contacts", []hubspot.BatchInput{{Properties: hubspot.Properties{"email": hubspot.String("once@example.com")}}})
		is.Equal(hubspot.StatusCode(err), 504)
		is.Equal(srv.TotalCalls(), 1)
		is.Equal(len(srv.Objects("contacts")), before+1) // HubSpot made it: a retry would have made two
	})

	t.Run("create whose connection was reset is not retried", func(t *testing.T) {
		is := is.New(t)
		before := len(srv.Objects("contacts"))
		srv.ResetCalls()
		srv.InjectFault(hubspottest.Fault{Method: http.MethodPost, Path: "/crm/objects/2026-09/contacts", Kind: hubspottest.FaultReset, Applied: true})
		_, err := c.Objects.Create(ctx, "contacts", hubspot.Properties{})
		is.True(err != nil)
		is.Equal(srv.TotalCalls(), 1)
		is.Equal(len(srv.Objects("contacts")), before+1)
	})
}

// TestRoundTripRateLimits: a client that paces itself at the simulator's
// limit never sees a 429; one that does not is refused and retries.
func TestRoundTripRateLimits(t *testing.T) {
	const n = 10
	limit := hubspot.RateLimit{Requests: 4, Per: 300 * time.Millisecond}
	tests := []struct {
		name    string
		opt     hubspot.Option
		refused bool
	}{
		{"paced", hubspot.WithRateLimit(limit), false},
		{"unpaced", hubspot.WithoutRateLimit(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t, hubspottest.WithRateLimit(limit.Requests, limit.Per))
			c := simClient(t, srv, tt.opt, hubspot.WithMaxRetries(10), hubspot.WithBackoff(50*time.Millisecond, 200*time.Millisecond))
			for range n {
				_, err := c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{Limit: 1})
				is.NoErr(err)
			}
			total := srv.TotalCalls()
			is.Equal(total > n, tt.refused) // refused calls are counted by the simulator
		})
	}
}

// TestRefusals: how the client answers HubSpot's 429s and 423s, against the
// simulator. The client and the simulator share a fake clock, so that a wait
// of 10 s costs no time and is checked exactly. The client paces nothing, so
// that the simulator's limits refuse it.
func TestRefusals(t *testing.T) {
	ctx := context.Background()
	list := func(c *hubspot.Client) error {
		_, err := c.Objects.List(ctx, "contacts", hubspot.ListOptions{Limit: 1})
		return err
	}
	create := func(c *hubspot.Client) error {
		_, err := c.Objects.Create(ctx, "contacts", hubspot.Properties{"email": hubspot.String("locked@example.com")})
		return err
	}
	batchCreate := func(c *hubspot.Client) error {
		_, err := c.Objects.BatchCreate(ctx, "contacts", []hubspot.BatchInput{{Properties: hubspot.Properties{"email": hubspot.String("locked@example.com")}}})
		return err
	}
	fault := func(f hubspottest.Fault) *hubspottest.Fault { return &f }

	tests := []struct {
		name   string
		sim    []hubspottest.Option
		fault  *hubspottest.Fault
		before int // calls that pass before the one under test
		call   func(*hubspot.Client) error
		// calls is how many requests the call under test sends; the wait
		// before its retry is from minWait to maxWait.
		calls            int
		minWait, maxWait time.Duration
		daily            bool
		created          int // contacts in the simulator afterwards
	}{
		{
			name: "429 without Retry-After waits out the 10 s window",
			sim:  []hubspottest.Option{hubspottest.WithRateLimit(2, 10*time.Second)}, before: 2, call: list,
			calls: 2, minWait: 10 * time.Second, maxWait: 12 * time.Second,
		},
		{
			name: "the window is the one the rate-limit headers name",
			sim:  []hubspottest.Option{hubspottest.WithRateLimit(2, 3*time.Second)}, before: 2, call: list,
			calls: 2, minWait: 3 * time.Second, maxWait: 3600 * time.Millisecond,
		},
		{
			name: "429 with no headers at all waits 10 s",
			sim:  []hubspottest.Option{hubspottest.WithoutRateLimits()}, fault: fault(hubspottest.Fault{Status: http.StatusTooManyRequests}),
			call: list, calls: 2, minWait: 10 * time.Second, maxWait: 12 * time.Second,
		},
		{
			name: "Retry-After is honoured",
			sim:  []hubspottest.Option{hubspottest.WithRateLimit(2, 10*time.Second), hubspottest.WithRetryAfter()}, before: 2, call: list,
			calls: 2, minWait: 10 * time.Second, maxWait: 10 * time.Second,
		},
		{
			name:  "Retry-After is bounded by the longest backoff",
			sim:   []hubspottest.Option{hubspottest.WithoutRateLimits()},
			fault: fault(hubspottest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Hour}),
			call:  list, calls: 2, minWait: 30 * time.Second, maxWait: 30 * time.Second,
		},
		{
			name:  "423 on a create is retried after 2 s",
			sim:   []hubspottest.Option{hubspottest.WithoutRateLimits()},
			fault: fault(hubspottest.Fault{Method: http.MethodPost, Path: "/crm/objects/2026-09/contacts", Status: http.StatusLocked}),
			call:  create, calls: 2, minWait: 2 * time.Second, maxWait: 2400 * time.Millisecond, created: 1,
		},
		{
			name:  "423 on a batch create is retried after 2 s",
			sim:   []hubspottest.Option{hubspottest.WithoutRateLimits()},
			fault: fault(hubspottest.Fault{Method: http.MethodPost, Path: "/crm/objects/2026-09/contacts/batch/create", Status: http.StatusLocked}),
			call:  batchCreate, calls: 2, minWait: 2 * time.Second, maxWait: 2400 * time.Millisecond, created: 1,
		},
		{
			name: "DAILY is not retried",
			sim:  []hubspottest.Option{hubspottest.WithDailyLimit(2)}, before: 2, call: list,
			calls: 1, daily: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			clock := newFakeClock()
			srv := newSim(t, append([]hubspottest.Option{hubspottest.WithClock(clock)}, tt.sim...)...)
			c, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL(srv.URL), hubspot.WithClock(clock), hubspot.WithoutRateLimit())
			is.NoErr(err)
			t.Cleanup(c.Close)
			for range tt.before {
				is.NoErr(list(c))
			}
			is.Equal(len(clock.Waits()), 0) // nothing refused yet
			if tt.fault != nil {
				srv.InjectFault(*tt.fault)
			}
			srv.ResetCalls()

			err = tt.call(c)
			is.Equal(srv.TotalCalls(), tt.calls)
			waits := clock.Waits()
			if tt.daily {
				is.True(err != nil)
				is.True(hubspot.IsDailyLimit(err))
				is.True(hubspot.IsRateLimited(err))
				is.True(strings.Contains(err.Error(), "daily API limit of 2 requests is spent"))
				is.True(strings.Contains(err.Error(), "midnight in the account's time zone"))
				is.Equal(len(waits), 0)
				return
			}
			is.NoErr(err)
			is.True(!hubspot.IsDailyLimit(err))
			is.Equal(len(waits), 1)
			t.Logf("waited %s", waits[0])
			is.True(waits[0] >= tt.minWait && waits[0] <= tt.maxWait)
			if tt.created > 0 {
				is.Equal(len(srv.Objects("contacts")), tt.created) // HubSpot applied nothing the first time
			}
		})
	}
}

// TestRoundTripWideProperties: a list or get that names hundreds of long
// property names, more than HubSpot takes in a URL (it answers 414 past about
// 15,000 characters), still returns every property of every object.
func TestRoundTripWideProperties(t *testing.T) {
	const (
		typeID  = "2-777"
		nProps  = 800
		nObject = 150
	)
	is := is.New(t)
	ctx := context.Background()
	names := make([]string, nProps)
	defs := make([]hubspottest.PropertyDef, nProps)
	for i := range names {
		names[i] = fmt.Sprintf("a_custom_property_with_a_long_descriptive_name_%03d", i)
		defs[i] = hubspottest.PropertyDef{Name: names[i], Type: hubspottest.TypeString}
	}
	value := func(obj, prop int) string { return fmt.Sprintf("v%d.%d", obj, prop) }
	srv := newSim(t, hubspottest.WithoutRateLimits(), hubspottest.WithCustomObjectType(typeID, defs...))
	c := simClient(t, srv)
	ids, err := srv.Seed(typeID, nObject, func(i int) map[string]string {
		props := make(map[string]string, nProps)
		for p, n := range names {
			props[n] = value(i, p)
		}
		return props
	})
	is.NoErr(err)
	check := func(o hubspot.Object, i int) {
		t.Helper()
		for p, n := range names {
			v, ok := o.Properties.Get(n)
			if !ok || v != value(i, p) {
				t.Fatalf("object %s, property %s = %q, %v; want %q", o.ID, n, v, ok, value(i, p))
			}
		}
	}
	t.Logf("%d property names make a properties parameter of %d characters", nProps, len(url.Values{"properties": {strings.Join(names, ",")}}.Encode()))

	srv.ResetCalls()
	var got []hubspot.Object
	after := ""
	for {
		page, err := c.Objects.List(ctx, typeID, hubspot.ListOptions{Limit: 100, After: after, Properties: names})
		is.NoErr(err) // no 414
		got = append(got, page.Results...)
		if after = page.NextAfter(); after == "" {
			break
		}
	}
	is.Equal(len(got), nObject)
	for i, o := range got {
		is.Equal(o.ID, ids[i]) // in id order
		check(o, i)
	}
	calls := srv.Calls()
	t.Logf("calls for %d objects: %v", nObject, calls)
	is.Equal(calls["GET /crm/objects/2026-09/"+typeID], 2)                // one per page, ids only
	is.Equal(calls["POST /crm/objects/2026-09/"+typeID+"/batch/read"], 2) // one per page

	one, err := c.Objects.Get(ctx, typeID, ids[7], hubspot.GetOptions{Properties: names})
	is.NoErr(err)
	check(*one, 7)
	_, err = c.Objects.Get(ctx, typeID, "999999", hubspot.GetOptions{Properties: names})
	is.True(hubspot.IsNotFound(err))

	is.NoErr(srv.Archive(typeID, ids[3]))
	archived, err := c.Objects.List(ctx, typeID, hubspot.ListOptions{Archived: true, Properties: names})
	is.NoErr(err)
	is.Equal(len(archived.Results), 1)
	is.True(archived.Results[0].Archived && archived.Results[0].ArchivedAt != nil)
	check(archived.Results[0], 3)
	gone, err := c.Objects.Get(ctx, typeID, ids[3], hubspot.GetOptions{Properties: names, Archived: true})
	is.NoErr(err)
	check(*gone, 3)
}
