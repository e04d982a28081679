package source_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

var hubdbSettings = map[string]string{"resource": "hubdb_tables", "bufferSize": "7"}

func addTable(t *testing.T, e env, i int, publish bool) string {
	t.Helper()
	id, err := e.srv.AddHubDBTable(hubspottest.HubDBTable{Name: fmt.Sprintf("table_%d", i), Draft: hubspottest.HubDBVersion{
		Label: fmt.Sprintf("Table %d", i), Columns: []hubspottest.HubDBColumn{{Name: "city", Label: "City", Type: "TEXT"}},
	}}, publish)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// hubdbAPI is a client of the simulator's HubDB tables.
func hubdbAPI(t *testing.T, e env) *hubspot.CMSObjectsService {
	t.Helper()
	res, err := hubspot.LookupResource(hubspot.HubDBTablesResourceName)
	if err != nil {
		t.Fatal(err)
	}
	return apiClient(t, e).CMSObjects(*res.CMS)
}

// changeTables makes n random changes of tables through the API: new
// tables published, draft changes published or left as drafts, deletes;
// the clock moves on now and then.
func changeTables(t *testing.T, e env, api *hubspot.CMSObjectsService, rng *rand.Rand, ids *[]string, next *int, n int) {
	t.Helper()
	ctx := context.Background()
	ok := func(err error) {
		if err != nil && !hubspot.IsNotFound(err) {
			t.Fatal(err)
		}
	}
	fields := func(f map[string]any) hubspot.CMSObject {
		o, err := hubspot.CMSObjectOf(f)
		ok(err)
		return o
	}
	churn(e, rng, n, func() bool { return len(e.srv.LiveHubDBTables()) == 0 }, func() {
		name := fmt.Sprintf("table_%d", *next)
		*next++
		created, err := api.Create(ctx, fields(map[string]any{"name": name, "label": name,
			"columns": json.RawMessage(`[{"name":"city","label":"City","type":"TEXT"}]`)}))
		ok(err)
		*ids = append(*ids, created.ID())
		if rng.IntN(4) > 0 {
			_, err = api.Publish(ctx, created.ID())
			ok(err)
		}
	}, func() {
		ok(api.Delete(ctx, (*ids)[rng.IntN(len(*ids))]))
	}, func() {
		id := (*ids)[rng.IntN(len(*ids))]
		cols := json.RawMessage(fmt.Sprintf(`[{"name":"city","label":"City","type":"TEXT"},{"name":"c%d","label":"C","type":"NUMBER"}]`, rng.IntN(3)))
		_, err := api.Update(ctx, id, fields(map[string]any{"label": fmt.Sprintf("label %d", rng.IntN(100000)), "columns": cols}))
		ok(err)
		if err == nil && rng.IntN(3) > 0 {
			_, err = api.Publish(ctx, id)
			ok(err)
		}
	})
}

// checkTables compares the replica with the simulator: every live table
// with its published version (its draft, with drafts), no table never
// published (but with drafts), every table read deleted after start as
// deleted; with creates, each table read created after start announced by
// a create.
func checkTables(t *testing.T, rp *replica, srv *hubspottest.Server, start time.Time, creates, drafts bool) {
	t.Helper()
	for _, tb := range srv.HubDBTables() {
		got, have := rp.objects[tb.ID]
		v := tb.Published
		if drafts {
			v = &tb.Draft
		}
		switch {
		case v == nil:
			if have {
				t.Errorf("table %s was never published, but came: %v", tb.ID, got)
			}
		case tb.Archived && tb.DeletedAt.After(start):
			if !rp.deleted[tb.ID] {
				t.Errorf("table %s was deleted at %s, but no delete record came", tb.ID, tb.DeletedAt)
			}
		case tb.Archived:
		default:
			var publishedAt any
			if tb.Published != nil {
				publishedAt = tb.Published.PublishedAt.UTC()
			}
			want := fmt.Sprint(tb.Name, v.Label, v.Updated.UTC(), publishedAt, float64(len(v.Columns)), tb.Published != nil)
			if !have || fmt.Sprint(got["name"], got["label"], got["updatedAt"], got["publishedAt"], got["columnCount"], got["published"]) != want {
				t.Errorf("table %s:\n got %v\nwant %s", tb.ID, got, want)
			}
			var cols []map[string]any
			if s, _ := got["columns"].(string); json.Unmarshal([]byte(s), &cols) != nil || len(cols) != len(v.Columns) {
				t.Errorf("table %s: columns %v, want %d", tb.ID, got["columns"], len(v.Columns))
			}
			if creates && tb.Created.After(start) && rp.creates[tb.ID] == 0 {
				t.Errorf("table %s was created after the start, but no create record came", tb.ID)
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// TestHubDBTablesSnapshotThenCDC: under either name, a snapshot of the 20
// published tables of 30 (drafts are not read) in pages of 7, then 50
// random creates, draft changes, publishes and deletes, come out complete,
// each delete once, in the collection hubdb_tables; with hubdbDrafts, the
// 30 drafts and every draft change; in each of cmsModes.
func TestHubDBTablesSnapshotThenCDC(t *testing.T) {
	type test struct {
		mode     cmsMode
		resource string
		drafts   bool
		snapshot int
	}
	modes := cmsModes()
	tests := []test{{modes[0], "cms.hubdb.tables", false, 20}}
	for _, m := range modes {
		tests = append(tests, test{m, "hubdb_tables", false, 20}, test{m, "hubdb_tables", true, 30})
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s drafts=%v", tt.mode.name, tt.resource, tt.drafts), func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t, tt.mode.opts...)
			api := hubdbAPI(t, e)
			var ids []string
			for i := range 30 {
				ids = append(ids, addTable(t, e, i, i%3 != 0))
			}
			e.tick()
			src := openSource(t, e, map[string]string{"resource": tt.resource, "bufferSize": "7", "hubdbDrafts": fmt.Sprint(tt.drafts)}, nil)
			recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationSnapshot: tt.snapshot})
			start := *positionOf(t, recs[0]).InitialTimestamp
			col, err := recs[0].Metadata.GetCollection()
			is.NoErr(err)
			is.Equal(col, hubspot.HubDBTablesResourceName)
			encodes(t, recs)

			rng := rand.New(rand.NewPCG(23, 1))
			next := len(ids)
			recs = append(recs, readChanges(t, e, src, func() { changeTables(t, e, api, rng, &ids, &next, 10) })...)
			encodes(t, recs)
			rp := newReplica()
			rp.apply(t, recs)
			checkTables(t, rp, e.srv, start, true, tt.drafts)
			rp.deletedOnce(t, "table")
		})
	}
}

// TestHubDBTablesRestartAtAckedPositions: 50 random changes during and
// after a snapshot, the source stopped 10 times at random acked positions
// and opened again there: nothing is lost; in each of cmsModes.
func TestHubDBTablesRestartAtAckedPositions(t *testing.T) {
	for _, m := range cmsModes() {
		t.Run(m.name, func(t *testing.T) { hubdbRestarts(t, m) })
	}
}

func hubdbRestarts(t *testing.T, m cmsMode) {
	e := newEnv(t, append(m.opts, hubspottest.WithRandomSeed(7))...)
	api := hubdbAPI(t, e)
	var ids []string
	for i := range 30 {
		ids = append(ids, addTable(t, e, i, i%2 == 0))
	}
	e.tick()
	rng := rand.New(rand.NewPCG(7, 23))
	next := len(ids)
	src := openSource(t, e, hubdbSettings, nil)
	acked, start := restartRun(t, e, src, hubdbSettings, rng, func() { changeTables(t, e, api, rng, &ids, &next, 5) })
	rp := newReplica()
	rp.apply(t, acked)
	checkTables(t, rp, e.srv, start, false, false)
}
