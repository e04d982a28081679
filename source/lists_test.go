package source_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// listBehaviours are the simulator's two readings of whether the lists
// search shows deleted lists (no document says).
var listBehaviours = map[string][]hubspottest.Option{
	"deleted left out": nil,
	"deleted listed":   {hubspottest.WithDeletedListsInSearch()},
}

var membershipSettings = map[string]string{"resource": "list_memberships"}

// memberReplica is what a destination builds of list_memberships records:
// "listId/recordId" of each member; deletedTwice counts deletes of members
// it did not hold (tolerated: at least once).
type memberReplica struct {
	members      map[string]bool
	deletedTwice int
}

func (rp *memberReplica) apply(t *testing.T, recs []opencdc.Record) {
	t.Helper()
	for _, r := range recs {
		k := memberKey(t, r)
		switch r.Operation {
		case opencdc.OperationSnapshot, opencdc.OperationCreate:
			rp.members[k] = true
		case opencdc.OperationDelete:
			if !rp.members[k] {
				rp.deletedTwice++
			}
			delete(rp.members, k)
		default:
			t.Fatalf("list_memberships record %s: operation %v", k, r.Operation)
		}
	}
}

// check compares the replica with HubSpot's live lists' members: a member
// it holds that HubSpot does not is a removal lost.
func (rp *memberReplica) check(t *testing.T, srv *hubspottest.Server) {
	t.Helper()
	truth := map[string]bool{}
	for _, l := range srv.LiveLists() {
		for _, id := range srv.ListMembers(l) {
			truth[l+"/"+id] = true
		}
	}
	for k := range rp.members {
		if !truth[k] {
			t.Errorf("member %s was removed and never deleted", k)
		}
	}
	for k := range truth {
		if !rp.members[k] {
			t.Errorf("member %s is missing", k)
		}
	}
}

func memberKey(t *testing.T, r opencdc.Record) string {
	t.Helper()
	k, ok := r.Key.(opencdc.StructuredData)
	if !ok {
		t.Fatalf("key %v is not structured", r.Key)
	}
	return fmt.Sprintf("%v/%v", k["listId"], k["recordId"])
}

// TestListMembershipsSnapshotThenCDC: the snapshot emits each member of
// each list; then members added and removed (through the API and, for a
// DYNAMIC list, by HubSpot's processing), a list renamed (no member
// record), a list deleted (its members' deletes) and restored (their
// creates again) come as the matching records.
func TestListMembershipsSnapshotThenCDC(t *testing.T) {
	for name, opts := range listBehaviours {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			e := newEnv(t, opts...)
			api := apiClient(t, e).Lists
			ids := seed(t, e.srv, "contacts", 10)
			vip, err := api.Create(ctx, hubspot.ListCreateRequest{Name: "VIP", ObjectTypeID: "0-1", ProcessingType: hubspot.ListManual})
			is.NoErr(err)
			_, err = api.AddMembers(ctx, vip.ListID, ids[:4]...)
			is.NoErr(err)
			active := e.srv.CreateList("Active", "0-1", hubspot.ListDynamic)
			e.srv.AddListMembers(active, ids[3:7]...)

			src := openSource(t, e, membershipSettings, nil)
			rp := &memberReplica{members: map[string]bool{}}
			snap := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(countOps(snap), map[opencdc.Operation]int{opencdc.OperationSnapshot: 8})
			encodes(t, snap)
			p := payload(t, snap[0])
			is.Equal(p["listId"], vip.ListID)
			is.Equal(p["recordId"], ids[0])
			is.Equal(p["objectTypeId"], "0-1")
			is.True(p["membershipTimestamp"] != nil)
			rp.apply(t, snap)
			rp.check(t, e.srv)

			e.tick()
			_, err = api.AddMembers(ctx, vip.ListID, ids[8], ids[9])
			is.NoErr(err)
			_, err = api.RemoveMembers(ctx, vip.ListID, ids[0])
			is.NoErr(err)
			e.srv.RemoveListMembers(active, ids[3])
			is.NoErr(api.Rename(ctx, vip.ListID, "VIP 2027"))
			// Each change comes as the records want, which build
			// HubSpot's members.
			expect := func(want map[opencdc.Operation]int) {
				t.Helper()
				e.tick()
				recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
				is.Equal(countOps(recs), want)
				encodes(t, recs)
				rp.apply(t, recs)
				rp.check(t, e.srv)
			}
			expect(map[opencdc.Operation]int{opencdc.OperationCreate: 2, opencdc.OperationDelete: 2})
			is.NoErr(api.Delete(ctx, active))
			expect(map[opencdc.Operation]int{opencdc.OperationDelete: 3})
			is.NoErr(api.Restore(ctx, active))
			expect(map[opencdc.Operation]int{opencdc.OperationCreate: 3})
			is.Equal(rp.deletedTwice, 0)
		})
	}
}

// changeLists makes n random changes to the lists: members added or
// removed, a list created, deleted or restored.
func changeLists(t *testing.T, e env, api *hubspot.ListsService, rng *rand.Rand, ids []string, deleted *[]string, n int) {
	t.Helper()
	ctx := context.Background()
	for range n {
		live := e.srv.LiveLists()
		var err error
		switch k := rng.IntN(10); {
		case k == 0 || len(live) == 0:
			var l *hubspot.List
			l, err = api.Create(ctx, hubspot.ListCreateRequest{Name: fmt.Sprintf("L%d", rng.Uint64()), ObjectTypeID: "0-1", ProcessingType: hubspot.ListManual})
			if err == nil {
				_, err = api.AddMembers(ctx, l.ListID, ids[:rng.IntN(len(ids))]...)
			}
		case k == 1 && len(live) > 1:
			err = api.Delete(ctx, live[rng.IntN(len(live))])
			if err == nil {
				*deleted = e.srv.DeletedLists()
			}
		case k == 2 && len(*deleted) > 0:
			err = api.Restore(ctx, (*deleted)[0])
			*deleted = (*deleted)[1:]
		case k < 6:
			_, err = api.AddMembers(ctx, live[rng.IntN(len(live))], ids[rng.IntN(len(ids))], ids[rng.IntN(len(ids))])
		default:
			l := live[rng.IntN(len(live))]
			if members := e.srv.ListMembers(l); len(members) > 0 {
				_, err = api.RemoveMembers(ctx, l, members[rng.IntN(len(members))])
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestListMembershipsRestartAtAckedPositions: random member, list and
// restore changes during and after the snapshot, the source stopped 10
// times at a random acked position and opened there again: the records
// build HubSpot's live members, and no removal is lost.
func TestListMembershipsRestartAtAckedPositions(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			e := newEnv(t, listBehaviours[[]string{"deleted left out", "deleted listed"}[seed%2]]...)
			api := apiClient(t, e).Lists
			rng := rand.New(rand.NewPCG(seed, 28))
			ids := seed3(t, e, 30)
			var deleted []string
			changeLists(t, e, api, rng, ids, &deleted, 8)
			src := openSource(t, e, membershipSettings, nil)
			rp := &memberReplica{members: map[string]bool{}}
			for restarts := 0; restarts < 10; {
				e.tick()
				changeLists(t, e, api, rng, ids, &deleted, 3)
				e.clock.Advance(10 * time.Millisecond)
				var got []opencdc.Record
				if got, src = readAndRestart(t, e, src, membershipSettings, rng, 4, 10); len(got) > 0 {
					rp.apply(t, got)
					restarts++
				}
			}
			rp.apply(t, e.readQuiet(t, src, 100*time.Millisecond, time.Minute))
			rp.check(t, e.srv)
			t.Logf("seed %d: %d members, %d deletes of members already gone", seed, len(rp.members), rp.deletedTwice)
		})
	}
}

func seed3(t *testing.T, e env, n int) []string {
	t.Helper()
	ids := seed(t, e.srv, "contacts", n)
	slices.SortFunc(ids, func(a, b string) int { return len(a) - len(b) })
	return ids
}

// TestListsSnapshotThenCDC: the lists resource emits one typed record
// per list; a list created, renamed, changed in its members (its size
// moves), deleted and restored is a create, updates, a delete and a
// create again.
func TestListsSnapshotThenCDC(t *testing.T) {
	for name, opts := range listBehaviours {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			e := newEnv(t, opts...)
			api := apiClient(t, e).Lists
			ids := seed(t, e.srv, "contacts", 3)
			active := e.srv.CreateList("Active", "0-1", hubspot.ListDynamic)
			e.srv.AddListMembers(active, ids...)
			src := openSource(t, e, map[string]string{"resource": "lists"}, nil)
			snap := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(countOps(snap), map[opencdc.Operation]int{opencdc.OperationSnapshot: 1})
			encodes(t, snap)
			p := payload(t, snap[0])
			is.Equal(p["name"], "Active")
			is.Equal(p["processingType"], hubspot.ListDynamic)
			is.Equal(p["size"], float64(3))
			is.True(p["lastRecordAddedAt"] != nil)
			is.Equal(recordID(t, snap[0]), active)

			e.tick()
			vip, err := api.Create(ctx, hubspot.ListCreateRequest{Name: "VIP", ObjectTypeID: "0-1", ProcessingType: hubspot.ListManual})
			is.NoErr(err)
			is.NoErr(api.Rename(ctx, active, "Active 2027"))
			e.tick()
			cdc := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(countOps(cdc), map[opencdc.Operation]int{opencdc.OperationCreate: 1, opencdc.OperationUpdate: 1})

			_, err = api.AddMembers(ctx, vip.ListID, ids[0])
			is.NoErr(err)
			e.tick()
			sized := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(countOps(sized), map[opencdc.Operation]int{opencdc.OperationUpdate: 1})
			is.Equal(payload(t, sized[0])["size"], float64(1))

			is.NoErr(api.Delete(ctx, vip.ListID))
			e.tick()
			gone := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(countOps(gone), map[opencdc.Operation]int{opencdc.OperationDelete: 1})
			is.Equal(recordID(t, gone[0]), vip.ListID)
			is.NoErr(api.Restore(ctx, vip.ListID))
			e.tick()
			back := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(countOps(back), map[opencdc.Operation]int{opencdc.OperationCreate: 1})
		})
	}
}

// TestListMembershipsIdleCostsTheSearch: once caught up, a pass over lists
// whose members did not change reads the lists search and no member page;
// passes come once each deletesPollingPeriod.
func TestListMembershipsIdleCostsTheSearch(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	ids := seed(t, e.srv, "contacts", 5)
	for i := range 3 {
		l := e.srv.CreateList(fmt.Sprintf("L%d", i), "0-1", hubspot.ListManual)
		e.srv.AddListMembers(l, ids...)
	}
	e.clock.Advance(time.Minute) // the lists' last changes are settled
	settings := map[string]string{"resource": "list_memberships", "deletesPollingPeriod": "1m"}
	src := openSource(t, e, settings, nil)
	is.Equal(len(e.readQuiet(t, src, 100*time.Millisecond, time.Minute)), 15)
	searches := func() int { return e.srv.Calls()["POST /crm/lists/2026-09/search"] }
	pages := func() int { return e.srv.Calls()["GET /crm/lists/2026-09/{list}/memberships"] }
	is.Equal(pages(), 3)
	before := searches()
	for range 3 {
		e.clock.Advance(time.Minute)
		is.Equal(len(e.readQuiet(t, src, 100*time.Millisecond, time.Minute)), 0)
	}
	is.Equal(searches()-before, 3) // one search a pass
	is.Equal(pages(), 3)           // and nothing more

	e.srv.RemoveListMembers(e.srv.LiveLists()[1], ids[0])
	e.clock.Advance(time.Minute)
	recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
	is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationDelete: 1})
	is.Equal(pages(), 4) // the changed list alone
}

// TestResourcesStarLeavesListsOut: * reads the CRM object types, not the
// lists or their members, which cost budget of their own; named beside
// the objects, they are read.
func TestResourcesStarLeavesListsOut(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	l := e.srv.CreateList("L", "0-1", hubspot.ListManual)
	e.srv.AddListMembers(l, seed(t, e.srv, "contacts", 2)...)
	src := openSource(t, e, map[string]string{"resource": "", "resources": "*"}, nil)
	for _, r := range e.readQuiet(t, src, 100*time.Millisecond, time.Minute) {
		col, _ := r.Metadata.GetCollection()
		is.True(col != hubspot.ListsResourceName && col != hubspot.ListMembershipsResourceName)
	}
	is.Equal(e.srv.Calls()["POST /crm/lists/2026-09/search"], 0)

	src2 := openSource(t, e, map[string]string{"resource": "", "resources": "contacts,lists,list_memberships"}, nil)
	cols := map[string]int{}
	for _, r := range e.readQuiet(t, src2, 100*time.Millisecond, time.Minute) {
		col, _ := r.Metadata.GetCollection()
		cols[col]++
	}
	is.Equal(cols, map[string]int{"contacts": 2, "lists": 1, "list_memberships": 2})
}
