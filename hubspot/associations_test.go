package hubspot_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// unpaced is a simulator and a client without rate limits, for tests
// that make many calls.
func unpaced(t *testing.T) (*hubspottest.Server, *hubspot.Client) {
	t.Helper()
	srv := newSim(t, hubspottest.WithoutRateLimits())
	return srv, simClient(t, srv, hubspot.WithoutRateLimit())
}

func linkedIDs(links []hubspot.Link) []string {
	out := make([]string, len(links))
	for i, l := range links {
		out[i] = l.ToID
	}
	return out
}

func typeIDs(l hubspot.Link) []int {
	out := make([]int, len(l.Types))
	for i, t := range l.Types {
		out[i] = t.TypeID
	}
	slices.Sort(out)
	return out
}

func TestAssociationsRoundTrip(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	c := simClient(t, srv)
	contacts := srv.MustSeed(t, "contacts", 3)
	companies := srv.MustSeed(t, "companies", 1)
	manager, employer, err := srv.DefineAssociationLabel("contacts", "companies", "Manager", "Employer")
	is.NoErr(err)

	// Default links for two contacts, a labelled Primary one for the third.
	w, err := c.Associations.AssociateDefault(ctx, "contacts", "companies", []hubspot.AssociationPair{
		{FromID: contacts[0], ToID: companies[0]}, {FromID: contacts[1], ToID: companies[0]}})
	is.NoErr(err)
	is.Equal(len(w.Errors), 0)
	_, primary := srv.AssociationTypeID("contacts", "companies")
	w, err = c.Associations.Create(ctx, "contacts", "companies", []hubspot.AssociationInput{{FromID: contacts[2], ToID: companies[0],
		Types: []hubspot.AssociationSpec{{Category: hubspot.UserDefined, TypeID: manager}, {Category: hubspot.HubSpotDefined, TypeID: primary}}}})
	is.NoErr(err)
	is.Equal(len(w.Errors), 0)

	// Read from the company: the three contacts, the third with its labels.
	read, err := c.Associations.BatchRead(ctx, "companies", "contacts", companies)
	is.NoErr(err)
	links := read.Links[companies[0]]
	is.Equal(linkedIDs(links), contacts)
	is.Equal(typeIDs(links[0]), []int{280})
	is.Equal(typeIDs(links[2]), []int{2, 280, employer})
	is.Equal(links[2].Labels(), []string{"Primary", "Employer"})

	labels, err := c.Associations.Labels(ctx, "contacts", "companies")
	is.NoErr(err)
	var names []string
	for _, l := range labels {
		if l.Label != nil {
			names = append(names, fmt.Sprintf("%s %d %s", l.Category, l.TypeID, *l.Label))
		}
	}
	is.Equal(names, []string{"HUBSPOT_DEFINED 1 Primary", fmt.Sprintf("USER_DEFINED %d Manager", manager)})

	// Take the label off, then remove a whole link.
	_, err = c.Associations.ArchiveLabels(ctx, "contacts", "companies", []hubspot.AssociationInput{{FromID: contacts[2], ToID: companies[0],
		Types: []hubspot.AssociationSpec{{Category: hubspot.UserDefined, TypeID: manager}}}})
	is.NoErr(err)
	_, err = c.Associations.Archive(ctx, "companies", "contacts", []hubspot.AssociationPair{{FromID: companies[0], ToID: contacts[0]}})
	is.NoErr(err)
	read, err = c.Associations.BatchRead(ctx, "contacts", "companies", contacts)
	is.NoErr(err)
	_, has := read.Links[contacts[0]]
	is.True(!has) // no links: absent, not an error
	is.Equal(len(read.Errors), 0)
	is.Equal(typeIDs(read.Links[contacts[2]][0]), []int{1, 279})
}

func TestAssociationsBatchReadSplitsAndPages(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv, c := unpaced(t)
	deals := srv.MustSeed(t, "deals", 2500)
	contacts := srv.MustSeed(t, "contacts", 1203)
	for _, id := range contacts {
		is.NoErr(srv.Associate("deals", deals[0], "contacts", id)) // three pages of links
	}
	is.NoErr(srv.Associate("deals", deals[2499], "contacts", contacts[7]))
	srv.ResetCalls()

	read, err := c.Associations.BatchRead(ctx, "deals", "contacts", append(deals, deals[0])) // an id twice is read once
	is.NoErr(err)
	is.Equal(linkedIDs(read.Links[deals[0]]), contacts)
	is.Equal(linkedIDs(read.Links[deals[2499]]), []string{contacts[7]})
	is.Equal(len(read.Links), 2)
	// Three calls for 2,500 ids, two more for the first deal's later pages.
	is.Equal(srv.Calls()["POST /crm/associations/2026-09/deals/contacts/batch/read"], 5)
}

// failNth answers the nth request to a path with a 400 and passes the
// others on.
type failNth struct {
	path string
	n    int64
	seen atomic.Int64
	next http.RoundTripper
}

func (f *failNth) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == f.path && f.seen.Add(1) == f.n {
		body := `{"status":"error","category":"VALIDATION_ERROR","message":"refused for the test"}`
		return &http.Response{StatusCode: http.StatusBadRequest, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	}
	return f.next.RoundTrip(r)
}

func TestAssociationsWritesSplitAndReportFailures(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv, c := unpaced(t)
	deals := srv.MustSeed(t, "deals", 1)
	items := srv.MustSeed(t, "line_items", 250)
	pairs := make([]hubspot.AssociationPair, 0, 251)
	for _, id := range items {
		pairs = append(pairs, hubspot.AssociationPair{FromID: deals[0], ToID: id})
	}
	pairs = append(pairs, hubspot.AssociationPair{FromID: deals[0], ToID: "999999"}) // no such line item

	w, err := c.Associations.AssociateDefault(ctx, "deals", "line_items", pairs)
	is.NoErr(err)
	is.Equal(srv.Calls()["POST /crm/associations/2026-09/deals/line_items/batch/associate/default"], 3)
	is.Equal(len(w.Errors), 1)
	is.Equal(w.Errors[0].Context["toObjectId"], []string{"999999"})
	links, err := srv.Links("line_items", items[249], "deals")
	is.NoErr(err)
	is.Equal(len(links), 1)

	// The second call of an archive refused: the first 100 pairs are
	// unlinked, the error says the rest were not.
	path := "/crm/associations/2026-09/deals/line_items/batch/archive"
	hc := &http.Client{Transport: &failNth{path: path, n: 2, next: http.DefaultTransport}}
	failing := simClient(t, srv, hubspot.WithoutRateLimit(), hubspot.WithHTTPClient(hc))
	_, err = failing.Associations.Archive(ctx, "deals", "line_items", pairs[:250])
	var be *hubspot.BatchError
	is.True(errors.As(err, &be))
	is.Equal(be.First, 100)
	is.Equal(hubspot.StatusCode(err), 400)
	is.True(strings.Contains(err.Error(), "archive associations deals to line_items from input 100"))
	left, err := srv.Links("deals", deals[0], "line_items")
	is.NoErr(err)
	is.Equal(len(left), 150)
	is.Equal(left[0].ToID, items[100])
}

func TestAssociationsErrors(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	c := simClient(t, srv)
	_, err := c.Associations.BatchRead(ctx, "contacts", "planets", []string{"1"})
	is.Equal(hubspot.StatusCode(err), 400)
	is.True(strings.Contains(err.Error(), "read associations contacts to planets"))
	is.True(!strings.Contains(err.Error(), srv.Token))
	_, err = c.Associations.Labels(ctx, "planets", "contacts")
	is.Equal(hubspot.StatusCode(err), 400)
	is.True(strings.Contains(err.Error(), "list association labels planets to contacts"))

	// A type id that is not one between the two types fails its input.
	contacts := srv.MustSeed(t, "contacts", 1)
	companies := srv.MustSeed(t, "companies", 1)
	w, err := c.Associations.Create(ctx, "contacts", "companies", []hubspot.AssociationInput{{FromID: contacts[0], ToID: companies[0],
		Types: []hubspot.AssociationSpec{{Category: hubspot.HubSpotDefined, TypeID: 3}}}})
	is.NoErr(err)
	is.Equal(len(w.Errors), 1)
	is.Equal(w.Errors[0].Context["fromObjectId"], contacts)
}

func TestInlineAssociations(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv, c := unpaced(t)
	contacts := srv.MustSeed(t, "contacts", 2)
	companies := srv.MustSeed(t, "companies", 1)
	deals := srv.MustSeed(t, "deals", 120)
	_, primary := srv.AssociationTypeID("contacts", "companies")
	is.NoErr(srv.Associate("contacts", contacts[0], "companies", companies[0], primary))
	for _, d := range deals {
		is.NoErr(srv.Associate("contacts", contacts[1], "deals", d))
	}
	// Names of properties the type does not have, enough to push the
	// list's URL past what HubSpot takes: the client then lists ids and
	// batch reads the page.
	wide := make([]string, 900)
	for i := range wide {
		wide[i] = fmt.Sprintf("no_such_prop_%d", i)
	}

	for _, tc := range []struct {
		name  string
		props []string
	}{{"narrow", nil}, {"wide", wide}} {
		t.Run(tc.name, func(t *testing.T) {
			is := is.New(t)
			srv.ResetCalls()
			page, err := c.Objects.List(ctx, "contacts", hubspot.ListOptions{Properties: tc.props, Associations: []string{"companies", "deals"}})
			is.NoErr(err)
			is.Equal(len(page.Results), 2)
			first := page.Results[0].Associations["companies"]
			is.True(first.Complete())
			is.Equal(first.IDs(), companies) // Primary and unlabeled: one id
			is.Equal(len(first.Results), 2)
			many := page.Results[1].Associations["deals"]
			is.Equal(len(many.Results), hubspot.MaxInlineAssociations)
			is.True(!many.Complete()) // the rest is BatchRead's

			got, err := c.Objects.Get(ctx, "contacts", contacts[0], hubspot.GetOptions{Properties: tc.props, Associations: []string{"companies"}})
			is.NoErr(err)
			is.Equal(got.Associations["companies"].IDs(), companies)
			// The wide reads went by batch read: a list and a get each.
			is.Equal(srv.Calls()["POST /crm/objects/2026-09/contacts/batch/read"], 2*len(tc.props)/len(wide))
		})
	}
}

// TestLinkChangesAndUpdatedAt reads both models of a link change's effect
// on the objects through the client.
func TestLinkChangesAndUpdatedAt(t *testing.T) {
	for _, bumps := range []bool{false, true} {
		t.Run(fmt.Sprintf("bumps=%v", bumps), func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			clock := hubspottest.NewManualClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
			srv := newSim(t, hubspottest.WithClock(clock), hubspottest.WithAssociationsBumpModified(bumps))
			c := simClient(t, srv)
			deals := srv.MustSeed(t, "deals", 1)
			tickets := srv.MustSeed(t, "tickets", 1)
			before, err := c.Objects.Get(ctx, "deals", deals[0], hubspot.GetOptions{})
			is.NoErr(err)
			clock.Advance(3 * time.Second)
			_, err = c.Associations.AssociateDefault(ctx, "tickets", "deals", []hubspot.AssociationPair{{FromID: tickets[0], ToID: deals[0]}})
			is.NoErr(err)
			after, err := c.Objects.Get(ctx, "deals", deals[0], hubspot.GetOptions{Associations: []string{"tickets"}})
			is.NoErr(err)
			is.Equal(after.Associations["tickets"].IDs(), tickets)
			is.Equal(after.UpdatedAt.Equal(before.UpdatedAt), !bumps)
		})
	}
}

// TestAssociationsReadDecodesStringIDs reads HubSpot's reference shape,
// whose toObjectId is a string, next to the simulator's number.
func TestAssociationsReadDecodesStringIDs(t *testing.T) {
	is := is.New(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusMultiStatus)
		_, _ = io.WriteString(w, `{"status":"COMPLETE","results":[{"from":{"id":"1"},"to":[{"toObjectId":"7","associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":3,"label":null}]},{"toObjectId":8,"associationTypes":[]}]}],
			"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","subCategory":"crm.associations.NO_ASSOCIATIONS_FOUND","message":"No contact is associated with deal 2."},
			{"status":"error","category":"VALIDATION_ERROR","message":"something else"}]}`)
	}))
	t.Cleanup(ts.Close)
	c, err := hubspot.NewClient("token", hubspot.WithBaseURL(ts.URL))
	is.NoErr(err)
	read, err := c.Associations.BatchRead(context.Background(), "deals", "contacts", []string{"1", "2"})
	is.NoErr(err)
	is.Equal(linkedIDs(read.Links["1"]), []string{"7", "8"})
	is.Equal(len(read.Errors), 1) // no associations is not an error
	is.Equal(read.Errors[0].Message, "something else")
}

// TestAssociationsCost counts the calls links cost for 1,000 deals, each
// linked to two contacts and a company: inline on the list pages, none
// beyond the pages themselves; by batch read, one call per linked type
// per 1,000 objects.
func TestAssociationsCost(t *testing.T) {
	is := is.New(t)
	srv, c := unpaced(t)
	deals := linkedDeals(t, srv, 1000)
	srv.ResetCalls()
	ctx := t.Context()

	linked := 0
	for after := ""; ; {
		page, err := c.Objects.List(ctx, "deals", hubspot.ListOptions{After: after, Associations: []string{"contacts", "companies"}})
		is.NoErr(err)
		for _, o := range page.Results {
			linked += len(o.Associations["contacts"].IDs()) + len(o.Associations["companies"].IDs())
		}
		if after = page.NextAfter(); after == "" {
			break
		}
	}
	is.Equal(linked, 3000)
	is.Equal(srv.TotalCalls(), 10) // ten pages of 100, the links in them

	srv.ResetCalls()
	for _, toType := range []string{"contacts", "companies"} {
		read, err := c.Associations.BatchRead(ctx, "deals", toType, deals)
		is.NoErr(err)
		is.Equal(len(read.Links), 1000)
	}
	is.Equal(srv.TotalCalls(), 2) // one batch read per linked type
}

// linkedDeals seeds n deals, each linked to two of 50 contacts and one of
// 20 companies.
func linkedDeals(t *testing.T, srv *hubspottest.Server, n int) []string {
	t.Helper()
	deals := srv.MustSeed(t, "deals", n)
	contacts := srv.MustSeed(t, "contacts", 50)
	companies := srv.MustSeed(t, "companies", 20)
	for i, d := range deals {
		for _, err := range []error{
			srv.Associate("deals", d, "contacts", contacts[i%50]),
			srv.Associate("deals", d, "contacts", contacts[(i+1)%50]),
			srv.Associate("deals", d, "companies", companies[i%20]),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	return deals
}

func TestBatchCreateWithAssociations(t *testing.T) {
	is := is.New(t)
	srv, c := unpaced(t)
	contacts := srv.MustSeed(t, "contacts", 2)
	toContact, _ := srv.AssociationTypeID("deals", "contacts")
	inputs := make([]hubspot.BatchInput, 2)
	for i := range inputs {
		inputs[i] = hubspot.BatchInput{Properties: hubspot.Properties{"dealname": hubspot.String(fmt.Sprintf("Deal %d", i))},
			ObjectWriteTraceID: fmt.Sprint(i),
			Associations: []hubspot.CreateAssociation{{To: hubspot.ObjectRef{ID: contacts[i]},
				Types: []hubspot.AssociationSpec{{Category: hubspot.HubSpotDefined, TypeID: toContact}}}}}
	}
	res, err := c.Objects.BatchCreate(t.Context(), "deals", inputs)
	is.NoErr(err)
	is.Equal(len(res.Results), 2)
	for _, o := range res.Results {
		i := 0
		if o.ObjectWriteTraceID == "1" {
			i = 1
		}
		links, err := srv.Links("deals", o.ID, "contacts")
		is.NoErr(err)
		is.Equal(len(links), 1)
		is.Equal(links[0].ToID, contacts[i])
	}
}
