package hubspot_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// hubdbSim is a simulator on a manual clock at its start, and a client of
// its HubDB tables.
func hubdbSim(t *testing.T) (time.Time, *hubspottest.ManualClock, *hubspottest.Server, *hubspot.CMSObjectsService) {
	t.Helper()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := hubspottest.NewManualClock(start)
	srv := newSim(t, hubspottest.WithClock(clock))
	res, err := hubspot.LookupResource(hubspot.HubDBTablesResourceName)
	if err != nil {
		t.Fatal(err)
	}
	return start, clock, srv, simClient(t, srv).CMSObjects(*res.CMS)
}

// table is a table's fields as a write sends them.
func table(t *testing.T, fields map[string]any) hubspot.CMSObject {
	t.Helper()
	o, err := hubspot.CMSObjectOf(fields)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// timeOf is a time field of o, failing the test when it has none.
func timeOf(t *testing.T, o *hubspot.CMSObject, name string) time.Time {
	t.Helper()
	at, ok, err := o.Time(name)
	if err != nil || !ok {
		t.Fatalf("%s: %v (set: %v)", name, err, ok)
	}
	return at
}

// TestHubDBTablesDraftAndPublished: a created table is a draft, not in the
// published list nor readable there; publishing copies the draft; a later
// draft change leaves the published version until the next publish; the
// name is unique and fixed; a delete archives both versions and frees the
// name. Paths take the name as well as the id.
func TestHubDBTablesDraftAndPublished(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	start, clock, _, api := hubdbSim(t)

	cols := []map[string]any{{"name": "city", "label": "City", "type": "TEXT"}, {"name": "pop", "label": "Population", "type": "NUMBER"}}
	created, err := api.Create(ctx, table(t, map[string]any{"name": "cities", "label": "Cities", "columns": cols}))
	is.NoErr(err)
	is.True(created.ID() != "")
	is.Equal(string((*created)["published"]), "false")
	is.True(timeOf(t, created, "createdAt").Equal(start))
	is.Equal(string((*created)["columnCount"]), "2")

	page, err := api.List(ctx, hubspot.CMSListOptions{})
	is.NoErr(err)
	is.Equal(page.Total, 0) // a draft is not published
	_, err = api.Get(ctx, created.ID())
	is.True(hubspot.IsNotFound(err))
	drafts, err := api.ListDrafts(ctx, hubspot.CMSListOptions{})
	is.NoErr(err)
	is.Equal(drafts.Total, 1)

	clock.Advance(time.Minute)
	published, err := api.Publish(ctx, "cities") // by name
	is.NoErr(err)
	is.Equal(string((*published)["published"]), "true")
	is.True(timeOf(t, published, "publishedAt").Equal(start.Add(time.Minute)))
	is.True(timeOf(t, published, "updatedAt").Equal(start.Add(time.Minute)))

	clock.Advance(time.Minute)
	draft, err := api.Update(ctx, created.ID(), table(t, map[string]any{"label": "Big cities"}))
	is.NoErr(err)
	is.Equal(draft.Text("label"), "Big cities")
	is.True(timeOf(t, draft, "updatedAt").Equal(start.Add(2 * time.Minute)))
	is.True(table(t, map[string]any{"columns": cols}).Matches(*draft)) // columns kept when none are sent
	live, err := api.Get(ctx, created.ID())
	is.NoErr(err)
	is.Equal(live.Text("label"), "Cities") // the published version waits for a publish
	is.True(timeOf(t, live, "updatedAt").Equal(start.Add(time.Minute)))

	_, err = api.Update(ctx, created.ID(), table(t, map[string]any{"name": "towns"}))
	is.Equal(hubspot.StatusCode(err), http.StatusBadRequest) // the name is fixed
	_, err = api.Create(ctx, table(t, map[string]any{"name": "cities", "label": "Again"}))
	is.Equal(hubspot.StatusCode(err), http.StatusConflict)
	found, err := api.FindByKey(ctx, []string{"cities"}, time.Time{})
	is.NoErr(err)
	is.Equal(found.ID(), created.ID())

	clock.Advance(time.Minute)
	is.NoErr(api.Delete(ctx, created.ID()))
	_, err = api.GetDraft(ctx, created.ID())
	is.True(hubspot.IsNotFound(err))
	found, err = api.FindByKey(ctx, []string{"cities"}, time.Time{})
	is.NoErr(err)
	is.True(found == nil)
	archived, err := api.List(ctx, hubspot.CMSListOptions{Archived: true})
	is.NoErr(err)
	is.Equal(len(archived.Results), 1)
	is.True(timeOf(t, &archived.Results[0], "deletedAt").Equal(start.Add(3 * time.Minute)))
	_, err = api.Create(ctx, table(t, map[string]any{"name": "cities", "label": "Cities"}))
	is.NoErr(err) // the name is free again
}

// TestHubDBTablesList: the published list filters by updatedAfter, sorts
// by the documented fields only (the client leaves out a sort by id), and
// pages.
func TestHubDBTablesList(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	start, clock, srv, api := hubdbSim(t)
	for i := range 15 {
		clock.Advance(time.Second)
		_, err := srv.AddHubDBTable(hubspottest.HubDBTable{Name: "t" + string(rune('a'+i)), Draft: hubspottest.HubDBVersion{Label: "T"}}, i%3 != 0)
		is.NoErr(err)
	}
	page, err := api.List(ctx, hubspot.CMSListOptions{Limit: 4, Sort: []string{"updatedAt", "id"}})
	is.NoErr(err)
	is.Equal(page.Total, 10) // a third were left drafts
	is.Equal(len(page.Results), 4)
	next, err := api.List(ctx, hubspot.CMSListOptions{Limit: 4, Sort: []string{"updatedAt"}, After: page.NextAfter()})
	is.NoErr(err)
	is.True(timeOf(t, &next.Results[0], "updatedAt").After(timeOf(t, &page.Results[3], "updatedAt")))
	recent, err := api.List(ctx, hubspot.CMSListOptions{UpdatedAfter: start.Add(10 * time.Second)})
	is.NoErr(err)
	is.Equal(recent.Total, 4) // seconds 11, 12, 14 and 15; the table of 13 is a draft
	// HubSpot's spec lists no sort by id: the simulator ignores it.
	_, err = simClient(t, srv).CMSObjects(hubspot.CMSSpec{Noun: "HubDB table", API: hubspot.APIHubDB, Path: "/tables"}).
		List(ctx, hubspot.CMSListOptions{Sort: []string{"updatedAt", "id"}})
	is.NoErr(err)
}
